"""The sources the ETL reads, as facts the read side needs without the ETL.

A page asks "is a source of mine stale?" by group (``inquiries``: the
register, the events log and every column mapping, i.e. ``marts.inquiries``;
``social``: every platform export), and masking asks "does this header mean a
personal column?" of the headers the register and the events log are known
by. Both need to know the sources by name, not to read files: importing
``etl.sources`` would pull Great Expectations into every page (about 2 s).

So the groups, the header spellings and the first columns of the Data
page's quarantine download live here, on the ground floor, defined once:
the ETL imports them (``HEADER_ALIASES`` of ``etl.sources.inquiries`` and
``etl.sources.events``, ``etl.detect.WORKLIST_COLUMNS``, ``match_headers``,
``mapping_dirs``). The groups must agree with ``etl.detect.known_sources``:
``tests/test_operations.py`` checks that they do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from core.config import MAPPINGS_DIR
from core.vocab import fold

# The cell's own files, always behind ``marts.inquiries``.
REGISTER_SOURCE = "register"
EVENTS_SOURCE = "events"

# Platform exports are named after their platform (``meta_content``,
# ``x_overview``, ``youtube_table``, ``tiktok_followers``, ...), so a new
# export of a known platform is social without a change here.
SOCIAL_PREFIXES: tuple[str, ...] = ("meta_", "x_", "youtube_", "tiktok_")

# Spellings of the register template's headers seen in registers kept by
# hand (``etl.sources.inquiries.HEADER_ALIASES``).
REGISTER_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": ("id", "inquiry id", "enquiry id", "complaint no", "ticket id", "reference"),
    "received_at": ("received", "received at", "date received", "created at", "date time"),
    "channel": ("source channel", "medium", "via"),
    "category": ("type", "inquiry type", "nature"),
    "district": ("district name", "dpo district"),
    "requester_gender": ("gender", "sex"),
    "language": ("lang",),
    "summary": ("description", "details", "subject"),
    "requester_name": ("name", "complainant name", "requester"),
    "requester_phone": ("phone", "mobile", "contact no", "phone number"),
    "requester_cnic": ("cnic", "cnic no", "id card"),
    "requester_email": ("email", "e mail"),
    "priority": (),
    "first_response_at": ("first response", "first reply at", "replied at"),
    "referred_at": ("referred", "referred on", "forwarded at"),
    "referred_to": ("referred to office", "forwarded to"),
    "field_ack_at": ("field acknowledged at", "acknowledged at", "field ack"),
    "field_report_at": ("field report at", "report received at"),
    "resolved_at": ("resolved", "closed at", "resolved on"),
    "status": ("current status",),
    "reopened_at": ("reopened", "reopened on"),
    "satisfaction": ("feedback", "satisfied"),
}

# The response-events log's headers (``etl.sources.events.HEADER_ALIASES``).
EVENT_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": ("id", "inquiry id", "ticket id"),
    "event": ("event type", "step", "action"),
    "event_at": ("at", "timestamp", "time", "date time"),
    "actor": ("by", "user", "officer"),
}

# The first columns of the Data page's quarantine download: a worklist with
# personal data masked, recognised so that it is never loaded as data.
WORKLIST_COLUMNS: tuple[str, ...] = (
    "source_file",
    "source_row",
    "record_id",
    "problem",
    "check",
    "column_name",
    "source",
    "quarantined_at_pkt",
    "load_id",
)


def match_headers(headers: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """canonical column -> header in the file, matched on folded names."""
    folded: dict[str, str] = {}
    for header in headers:
        folded.setdefault(fold(header), header)
    found = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            if fold(name) in folded:
                found[canonical] = folded[fold(name)]
                break
    return found


def mapping_dirs() -> list[Path]:
    """Where column mappings live: the shipped ones, then ``KP_MAPPINGS_DIR``."""
    extra = os.environ.get("KP_MAPPINGS_DIR")
    return [MAPPINGS_DIR, *([Path(extra)] if extra else [])]


def column_mappings() -> list[tuple[str, dict[str, str]]]:
    """Per column mapping file: its name (the source it loads as) and
    register column -> the mapped file's header, the id column included as
    ``inquiry_id``.

    Only what the read side needs; the ETL parses and checks mapping files
    fully (``etl.sources.mapped``) and reports a malformed one, which is
    skipped here.
    """
    # Keyed on every file's path, size and modification time: an edited,
    # added or removed mapping is seen on the next call, without a restart.
    return [(name, dict(columns)) for name, columns in _column_mappings(_mapping_files())]


def _mapping_files() -> tuple[tuple[str, int, int], ...]:
    files = []
    for directory in mapping_dirs():
        for path in sorted(directory.glob("*.yaml")):
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(files)


@lru_cache(maxsize=8)
def _column_mappings(
    files: tuple[tuple[str, int, int], ...],
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    found = []
    for file_name, _size, _mtime in files:
        try:
            data = yaml.safe_load(Path(file_name).read_text("utf-8"))
            name, id_column = str(data["name"]), str(data["id_column"])
            columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
            continue
        found.append((name, tuple({"inquiry_id": id_column, **columns}.items())))
    return tuple(found)


def inquiry_sources() -> tuple[str, ...]:
    """The sources behind ``marts.inquiries``: the register, the events log
    and every column mapping."""
    fixed = sorted({REGISTER_SOURCE, EVENTS_SOURCE})
    return tuple(dict.fromkeys([*fixed, *(name for name, _ in column_mappings())]))


def source_group(source: str) -> str | None:
    """The page group of a source: ``inquiries``, ``social`` (a platform
    export), or None (a source neither page reads, e.g. a media register)."""
    if source in inquiry_sources():
        return "inquiries"
    if source.startswith(SOCIAL_PREFIXES):
        return "social"
    return None


def is_social(source: str | None) -> bool:
    """Whether ``source`` is a platform export (the cell's own public posts)."""
    return source is not None and source_group(source) == "social"


def in_sources(source: str, names: str | Iterable[str]) -> bool:
    """Whether ``source`` is one of ``names``: source names, or group names
    (``inquiries``, ``social``) standing for their sources."""
    wanted = {names} if isinstance(names, str) else set(names)
    return source in wanted or source_group(source) in wanted
