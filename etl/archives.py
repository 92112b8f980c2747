"""Zip archives of exports (YouTube Studio downloads a zip of three CSVs).

Archives come from outside: members are extracted with limits on their
number and their real (not declared) size, and a member whose path climbs
out of the folder (``../``) or is absolute rejects the whole archive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from etl.config import MAX_FILE_BYTES
from etl.errors import FileRejected

MAX_MEMBERS = 50
MAX_TOTAL_BYTES = MAX_FILE_BYTES
READABLE = {".csv", ".xlsx", ".txt"}
SEPARATOR = " » "


def is_zip(path: Path) -> bool:
    """A zip archive that is not an Excel workbook (XLSX is a zip too)."""
    if path.open("rb").read(4) != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" not in archive.namelist()
    except zipfile.BadZipFile:
        return False


def extract_exports(path: Path, destination: Path) -> list[Path]:
    """Extract the CSV/XLSX members of ``path`` into ``destination``.

    Extracted files are named ``<archive> » <member>`` so every message
    about them still names the archive they came from.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileRejected(path.name, "the zip archive is damaged; download it again") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        _check_members(path, members)
        destination.mkdir(parents=True, exist_ok=True)
        extracted = []
        budget = MAX_TOTAL_BYTES
        for member in members:
            if PurePosixPath(member.filename).suffix.lower() not in READABLE:
                continue
            target = destination / f"{path.name}{SEPARATOR}{PurePosixPath(member.filename).name}"
            budget = _copy_capped(archive, member, target, budget, path.name)
            extracted.append(target)
    if not extracted:
        raise FileRejected(path.name, "the zip archive holds no CSV or XLSX file")
    return extracted


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise FileRejected(
            path.name, f"the archive holds {len(members):,} files; at most {MAX_MEMBERS} are read"
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
