"""Files a person uploads on the Data page, before anything is checked or loaded.

Each set of uploads is staged in a private temporary folder (mode 0700,
outside the project; uploads hold personal data), each file under its own
sanitised name so load history names it as the person knows it. Also here:
the name recorded with a load, and what to do about a rejected file in the
words of ``docs/operations.md``.

Light on purpose: nothing here imports the loader, the sources or Great
Expectations, so the Data page can use it while it draws. Checking files
(``etl.previews``) and loading them (``etl.load``) are imported only when a
person uploads files or presses Load.
"""

from __future__ import annotations

import getpass
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Collection, Iterator
from pathlib import Path

from core.config import MAX_FILE_BYTES
from core.errors import FileRejected

MAX_NAME_CHARS = 60
UPLOAD_PREFIX = "kp-upload-"
UPLOAD_MAX_AGE_HOURS = 24
OWNER_FILE = ".session"  # inside an upload folder: the session it belongs to


def who_loads(name: str | None = None) -> str:
    """The name recorded with a load: the one typed on the page, else the OS user."""
    name = " ".join((name or "").split())[:MAX_NAME_CHARS]
    return name or getpass.getuser()


def upload_folder(owner: str | None = None, live: Collection[str] | None = None) -> Path:
    """A new private temporary folder (mode 0700, outside the project) for one
    set of uploads, marked with the session (``owner``) it belongs to.

    Folders other sessions left behind are removed first (uploads hold
    personal data): those of sessions no longer ``live``, when the caller
    knows which are, and any over a day old."""
    remove_left_behind(live)
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    if owner:
        marker = folder / OWNER_FILE
        marker.touch(mode=0o600)
        marker.write_text(owner, encoding="utf-8")
    return folder


def _our_folders() -> Iterator[Path]:
    """This user's upload folders in the temporary directory."""
    user = getpass.getuser()
    for folder in Path(tempfile.gettempdir()).glob(f"{UPLOAD_PREFIX}*"):
        try:
            if folder.is_dir() and not folder.is_symlink() and folder.owner() == user:
                yield folder
        except (OSError, KeyError):
            continue


def folder_owner(folder: Path) -> str | None:
    """The session an upload folder belongs to (None if it names none)."""
    try:
        return (folder / OWNER_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def remove_left_behind(
    live: Collection[str] | None = None, *, max_age_hours: float = UPLOAD_MAX_AGE_HOURS
) -> list[Path]:
    """Remove upload folders whose session has ended (``live``: the sessions
    still running; None when unknown) and any older than ``max_age_hours``.
    A folder naming no session is left alone until it is that old: it may be
    one being made this very moment. Returns the folders removed."""
    cutoff = time.time() - max_age_hours * 3600
    removed = []
    for folder in _our_folders():
        owner = folder_owner(folder)
        try:
            stale = folder.stat().st_mtime < cutoff
        except OSError:
            continue
        if stale or (live is not None and owner is not None and owner not in live):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def remove_all_uploads() -> list[Path]:
    """Remove every upload folder of this user: at server start no session
    exists yet, so everything staged belongs to one that has ended."""
    removed = []
    for folder in _our_folders():
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def remove_with(holder: object, folder: Path) -> None:
    """Remove ``folder`` when ``holder`` (the session's own object) is gone:
    a session that ends without loading takes its uploads with it."""
    weakref.finalize(holder, shutil.rmtree, str(folder), True)


_UNSAFE_NAME = re.compile(r"[^\w .()»\-+]", re.UNICODE)


def stage_upload(folder: Path, index: int, name: str, data: bytes | memoryview) -> Path:
    """Write an uploaded file into its own subfolder of a private temporary
    folder, under its own (sanitised) name, so load history names it as the
    person knows it. Raises ``FileRejected`` above the size limit."""
    size = len(data)
    safe = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .") or "upload"
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            safe,
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // 2**20} MB)",
        )
    target = folder / f"{index:03d}" / safe
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.touch(mode=0o600)
    target.write_bytes(bytes(data))
    return target


# What to do about a rejected file (docs/operations.md, "When a whole file is rejected"),
# first match wins: the more specific messages come first.
EXCEL_RESAVED = "Download the export again and load it without opening it in Excel first."
ADVICE: tuple[tuple[str, str], ...] = (
    ("quarantine download", "Fix the rows in the original file and load that file again."),
    ("required column", "The header row lost a column: use the template in data/templates/."),
    (
        "match no export",
        "A file of an unknown kind: check it is the export you meant; for a new intake "
        "system, write a column mapping.",
    ),
    ("separated by semicolons", EXCEL_RESAVED),
    ("inside one quoted field", EXCEL_RESAVED),
    ("decimal commas", EXCEL_RESAVED),
    ("more digits than excel keeps", EXCEL_RESAVED),
    (
        "are not dates in the form",
        "Most of a date column cannot be read (e.g. Excel rewrote 14/03/2025 as 14-Mar-25): "
        "export again, or fix the column's format.",
    ),
    ("the file is empty", "The export was interrupted: download it again."),
    ("no data rows", "The export was interrupted: download it again."),
    ("no header row found", "The export was interrupted: download it again."),
    ("password-protected", "Download or save the file again, without a password."),
    ("old-format (.xls)", "Save it from Excel as an .xlsx workbook, or load the CSV export."),
    ("compression", "Unpack the archive and load its files."),
    ("binary data", "The wrong file was picked."),
    ("this is a pdf", "The wrong file was picked."),
    ("this is a zip archive", "The wrong file was picked."),
    ("holds no csv or xlsx", "The wrong file was picked."),
    ("unsafe path", "The wrong file was picked: this archive is not an export."),
    ("damaged", "The download was interrupted: download it again."),
    ("mixes encodings", "The file mixes encodings: download it again."),
    ("cannot be read as", "The file mixes encodings: download it again."),
    ("cannot be parsed", EXCEL_RESAVED),
    ("excel file cannot be", "The workbook is damaged: download or save it again."),
    ("the limit is", "Split the export by date."),
    ("files; at most", "Load the files of the archive in smaller batches, unpacked."),
    ("at most", "Split the export, or export fewer columns."),
    ("another load is running", "Wait for it to finish, then load again."),
    ("download", EXCEL_RESAVED),
)


def advice_for(message: str) -> str:
    """What to do about a rejected file, in the words of docs/operations.md."""
    lowered = message.lower()
    for needle, advice in ADVICE:
        if needle in lowered:
            return advice
    return (
        "Check that this is the export you meant to load (docs/operations.md lists every message)."
    )
