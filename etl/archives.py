"""Zip archives of exports (YouTube Studio downloads a zip of three CSVs).

Archives come from outside: members are extracted with limits on their
number and on their size, declared (a zip bomb says what it unpacks to)
and real (a header may lie: extraction stops at the budget whatever the
header says). The whole archive is refused, and nothing of it kept, when a
member's path climbs out of the folder (``../``) or is absolute, when a
member is password-protected, uses a compression this Python cannot read,
or is damaged (a bad CRC, a stream cut short).

Extracted files are named ``<archive> » <member>``; two members of the
same name in different folders (``2025-08/Totals.csv``,
``2025-09/Totals.csv``) are named by their folders too
(``<archive> » 2025-08 » Totals.csv``), never one over the other.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from core.config import MAX_FILE_BYTES
from core.errors import FileRejected

MAX_MEMBERS = 50
MAX_TOTAL_BYTES = MAX_FILE_BYTES
READABLE = {".csv", ".xlsx", ".txt"}
SEPARATOR = " » "


def is_zip(path: Path) -> bool:
    """A zip archive that is not an Excel workbook (XLSX is a zip too)."""
    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" not in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def extract_exports(path: Path, destination: Path) -> list[Path]:
    """Extract the CSV/XLSX members of ``path`` into ``destination``.

    Extracted files are named ``<archive> » <member>`` so every message
    about them still names the archive they came from.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(path.name, "the zip archive is damaged; download it again") from None
    extracted: list[Path] = []
    try:
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            _check_members(path, members)
            readable = [m for m in members if PurePosixPath(m.filename).suffix.lower() in READABLE]
            destination.mkdir(parents=True, exist_ok=True)
            budget = MAX_TOTAL_BYTES
            for member, name in zip(readable, _target_names(readable), strict=True):
                target = destination / f"{path.name}{SEPARATOR}{name}"
                extracted.append(target)
                budget = _copy_capped(archive, member, target, budget, path.name)
    except FileRejected:
        _remove(extracted)
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        _remove(extracted)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise FileRejected(
            path.name, f"the zip archive is damaged ({reason}); download it again"
        ) from None
    except NotImplementedError as error:
        _remove(extracted)
        raise FileRejected(
            path.name,
            f"the zip archive uses a compression this dashboard cannot read ({error}); "
            "unpack it and load its files",
        ) from None
    if not extracted:
        raise FileRejected(path.name, "the zip archive holds no CSV or XLSX file")
    return extracted


def _target_names(members: list[zipfile.ZipInfo]) -> list[str]:
    """Each member's file name; members sharing a name get their folders too."""
    names = [PurePosixPath(m.filename.replace("\\", "/")).name for m in members]
    counts: dict[str, int] = {}
    for name in names:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return [
        SEPARATOR.join(PurePosixPath(m.filename.replace("\\", "/")).parts)
        if counts[name.lower()] > 1
        else name
        for m, name in zip(members, names, strict=True)
    ]


def _remove(paths: list[Path]) -> None:
    for extracted in paths:
        extracted.unlink(missing_ok=True)


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise FileRejected(
            path.name, f"the archive holds {len(members):,} files; at most {MAX_MEMBERS} are read"
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise FileRejected(
                path.name,
                f"the archive is password-protected ('{member.filename}'): download the export "
                "again, without a password",
            )
    for member in members:
        parts = PurePosixPath(member.filename.replace("\\", "/")).parts
        if member.filename.startswith(("/", "\\")) or ".." in parts or ":" in member.filename:
            raise FileRejected(
                path.name,
                f"the archive holds a file with an unsafe path ('{member.filename}'): "
                "it is not an export; nothing was extracted",
            )
    declared = sum(m.file_size for m in members)
    if declared > MAX_TOTAL_BYTES:
        raise FileRejected(
            path.name,
            f"the archive would unpack to {declared / 2**20:,.0f} MB; "
            f"the limit is {MAX_TOTAL_BYTES // 2**20} MB",
        )


def _copy_capped(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, budget: int, name: str
) -> int:
    """Copy one member, stopping at the byte budget whatever the header declares."""
    with archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(1 << 20):
            budget -= len(chunk)
            if budget < 0:
                sink.close()
                target.unlink(missing_ok=True)
                raise FileRejected(
                    name,
                    f"the archive unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; "
                    "nothing was loaded from it",
                )
            sink.write(chunk)
    return budget
