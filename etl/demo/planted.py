"""The planted bad rows: one per kind of fault, so quarantine has something to show.

Each is a copy of a real row (a new id, or, for the duplicate, the id of
the row above it) with one thing wrong, put in a workbook or a monthly CSV
outside the re-export window and away from the helpline items. One
Facebook summary looks like a spreadsheet formula: text, never a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from etl.demo.calendar import DAY
from etl.demo.columns import TIME_COLUMNS
from etl.demo.writers import minute_str

FORMULA_PAYLOAD = '=HYPERLINK("http://example.com/free-prize","Claim your prize")'

# (where, reason): one bad row of each kind, in this order.
KINDS: tuple[tuple[str, str], ...] = (
    ("xlsx", "ambiguous district 'Chitral' (Upper or Lower Chitral)"),
    ("xlsx", "sentinel date 1900-01-01 in resolved_at"),
    ("xlsx", "received_at is blank"),
    ("csv", "unknown district 'Gilgit' (not in Khyber Pakhtunkhwa)"),
    ("csv", "ambiguous district 'South Waziristan' (Upper or Lower)"),
    ("csv", "unknown channel spelling 'Facbook'"),
    ("csv", "resolved_at before received_at"),
    ("csv", "resolved_at in the year 3019"),
    ("csv", "received_at 'kal shaam 5 baje' is not a timestamp"),
    ("csv", "duplicate inquiry_id within the file"),
)
# One entry per bad data row the demo plants (the duplicate id is two rows,
# both of which break uniqueness): what a quarantine should hold.
DEMO_BAD_ROWS = 11


@dataclass(frozen=True)
class PlantedRow:
    """A deliberately bad data row: where it is and what is wrong with it."""

    file_name: str
    inquiry_id: str
    reason: str
    source_row: int
    """Its row in the file, counted as a spreadsheet does (header = row 1)."""


def plant_formula(items: pd.DataFrame) -> None:
    """Give one Facebook item (not a helpline one) the formula-looking summary."""
    social_rows = np.flatnonzero(
        (items["channel"].to_numpy() == "Facebook") & ~items["events"].to_numpy()
    )
    payload_row = int(social_rows[len(social_rows) * 2 // 3]) if len(social_rows) else 0
    items.loc[payload_row, "summary"] = FORMULA_PAYLOAD


def eligible_rows(
    files: dict[str, pd.DataFrame], event_ids: set[str], reexport_from: float
) -> dict[str, np.ndarray]:
    """Rows a bad row may copy: before the re-export window, not logged, not the payload."""
    eligible = {}
    for name, frame in files.items():
        received_min = frame["received_at"].to_numpy(float)
        logged = np.array([i in event_ids for i in frame["inquiry_id"]], dtype=bool)
        ok = (received_min < reexport_from - DAY) & ~logged
        ok &= frame["summary"].to_numpy() != FORMULA_PAYLOAD
        eligible[name] = np.flatnonzero(ok)
    return eligible


def plant(
    rng: np.random.Generator,
    files: dict[str, pd.DataFrame],
    eligible: dict[str, np.ndarray],
    next_seq: dict[str, int],
    origin: datetime,
) -> list[tuple[str, str, str]]:
    """Insert one bad row of each kind into the register files.

    ``files`` hold register rows with timestamps as minutes; a planted value
    that is not a time goes into ``<column>__text``, which the writers prefer.
    ``next_seq`` is the last running number of each month (``YYMM``).
    Returns (file, inquiry_id, reason) for each bad row.
    """
    csv_names = [n for n in files if n.endswith(".csv")]
    xlsx_names = [n for n in files if n.endswith(".xlsx")]
    csv_targets = [n for n in csv_names if len(eligible.get(n, ())) > 20] or csv_names
    xlsx_targets = [n for n in xlsx_names if len(eligible.get(n, ())) > 20] or csv_targets
    planted: list[tuple[str, str, str]] = []
    csv_turn = 0
    for kind_no, (where, reason) in enumerate(KINDS):
        if where == "xlsx":
            name = xlsx_targets[kind_no % len(xlsx_targets)]
        else:
            name = csv_targets[csv_turn % len(csv_targets)]
            csv_turn += 1
        frame = files[name]
        pool = eligible[name] if len(eligible[name]) else np.arange(len(frame))
        if "resolved_at" in reason:
            resolved = frame.loc[pool, "resolved_at"].notna().to_numpy()
            pool = pool[resolved] if resolved.any() else pool
        source = int(pool[rng.integers(len(pool))])
        if "duplicate" in reason:
            row, new_id = _duplicate(rng, frame, pool, source)
            planted.append((name, new_id, reason))
        else:
            row = frame.loc[source].copy()
            month = row["inquiry_id"][5:9]
            next_seq[month] = next_seq.get(month, 0) + 1
            new_id = f"KPMC-{month}-{next_seq[month]:06d}"
        row["inquiry_id"] = new_id
        _spoil(row, reason, origin)
        files[name] = _insert(frame, source, row)
        # Keep the eligible positions in step with the inserted row.
        eligible[name] = np.where(eligible[name] > source, eligible[name] + 1, eligible[name])
        planted.append((name, new_id, reason))
    return planted


def _duplicate(
    rng: np.random.Generator, frame: pd.DataFrame, pool: np.ndarray, source: int
) -> tuple[pd.Series, str]:
    """Another item typed in with the id of the row at ``source``, just after it."""
    near = pool[np.abs(pool - source) <= 40]
    other = int(near[rng.integers(len(near))])
    row = frame.loc[other].copy()
    shift = frame.loc[source, "received_at"] + 3.0 - row["received_at"]
    for column in TIME_COLUMNS:
        row[column] = row[column] + shift  # NaN stays NaN
    return row, frame.loc[source, "inquiry_id"]


def _spoil(row: pd.Series, reason: str, origin: datetime) -> None:
    """Make ``row`` wrong in the way ``reason`` says."""
    if "Chitral" in reason:
        row["district"] = "Chitral"
    elif "Gilgit" in reason:
        row["district"] = "Gilgit"
    elif "South Waziristan" in reason:
        row["district"] = "South Waziristan"
    elif "Facbook" in reason:
        row["channel"] = "Facbook"
    elif "1900" in reason:
        row["resolved_at__text"] = "1900-01-01 00:00"
    elif "blank" in reason:
        row["received_at"] = np.nan
    elif "before" in reason:
        row["resolved_at"] = row["received_at"] - 2 * DAY - 130.0
    elif "3019" in reason:
        # The right day and time with the year mistyped.
        row["resolved_at__text"] = "3019" + minute_str(row["resolved_at"], origin)[4:]
    elif "kal shaam" in reason:
        row["received_at__text"] = "kal shaam 5 baje"


def _insert(frame: pd.DataFrame, source: int, row: pd.Series) -> pd.DataFrame:
    """``frame`` with ``row`` inserted after position ``source``."""
    frame = pd.concat(
        [frame.loc[:source], row.to_frame().T, frame.loc[source + 1 :]], ignore_index=True
    )
    frame.index = range(len(frame))
    return frame


def located(
    planted: list[tuple[str, str, str]], files: dict[str, pd.DataFrame]
) -> list[PlantedRow]:
    """The planted rows with their spreadsheet row numbers in the final files."""
    bad_rows: list[PlantedRow] = []
    for name, inquiry_id, reason in planted:
        positions = np.flatnonzero(files[name]["inquiry_id"].to_numpy() == inquiry_id)
        if "duplicate" in reason:
            already = sum(1 for b in bad_rows if b.inquiry_id == inquiry_id)
            position = positions[min(already, len(positions) - 1)]
        else:
            position = positions[0]
        bad_rows.append(PlantedRow(name, inquiry_id, reason, int(position) + 2))
    return bad_rows
