"""The inquiry register as the cell exports it: which rows go in which file, and their bytes.

A real cell keeps one Excel workbook per fiscal year for the first months
(``inquiry_register_FY2024-25.xlsx``, real Excel datetimes, words typed
with capitals), then monthly CSVs as Excel's "CSV UTF-8" writes them (BOM,
CRLF, ``YYYY-MM-DD HH:MM`` naive Asia/Karachi time), and a later
**re-export** of the last three weeks in which items that were open at the
first export have since moved on (same ids: the ETL's update-by-id path).
Helpline items keep only ``received_at`` in the register: the
response-events log (``etl.demo.events``) has their steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.demo.calendar import DAY, fiscal_year
from etl.demo.columns import INQUIRY_COLUMNS, TIME_COLUMNS
from etl.demo.sampling import objects
from etl.demo.workbooks import excel_serial, xlsx_bytes
from etl.demo.writers import csv_bytes, text_array, time_text, to_datetime64

# Register columns and the item's true step times they come from.
STEP_COLUMNS = {
    "first_response_at": "first_response",
    "referred_at": "referred_at",
    "field_ack_at": "field_ack",
    "field_report_at": "field_report",
}
# The Excel register was typed with capitalised words and blank for unknown.
XLSX_CASE: dict[str, dict[str, str]] = {
    "requester_gender": {"female": "Female", "male": "Male", "transgender": "Transgender",
                         "unknown": ""},
    "category": {"complaint": "Complaint", "inquiry": "Inquiry",
                 "information_request": "Information request", "tip": "Tip",
                 "feedback": "Feedback", "emergency": "Emergency"},
    "priority": {"normal": "Normal", "high": "High", "urgent": "Urgent"},
    "status": {"open": "Open", "in_progress": "In progress", "referred": "Referred",
               "resolved": "Resolved", "closed": "Closed", "reopened": "Reopened",
               "no_reply_needed": "No reply needed", "spam": "Spam", "duplicate": "Duplicate"},
    "satisfaction": {"satisfied": "Satisfied", "neutral": "Neutral",
                     "dissatisfied": "Dissatisfied"},
}  # fmt: skip
MAX_WORKBOOK_MONTHS = 6  # months kept in Excel workbooks before the CSVs start
REEXPORT_DAYS = 21  # the re-export covers the last three weeks


@dataclass
class RegisterFiles:
    """The register's rows by file (timestamps as minutes since the origin)."""

    files: dict[str, pd.DataFrame]
    """First exports, in month order: workbooks and monthly CSVs."""
    reexport_name: str
    reexport: pd.DataFrame
    reexport_from: float
    """Items received from this minute on are in the re-export."""

    def names(self, extension: str) -> list[str]:
        return [n for n in self.files if n.endswith(f".{extension}")]


def export_state(items: pd.DataFrame, cutoff: float) -> dict[str, np.ndarray]:
    """Register values as the cell would have exported them at ``cutoff``.

    Timestamps are minutes (NaN: blank); later steps than ``cutoff`` are not
    yet known and the status follows from what is.
    """

    def known(column: str) -> np.ndarray:
        values = items[column].to_numpy(float)
        return np.where(values < cutoff, values, np.nan)

    out = {"received_at": items["received"].to_numpy(float)}
    for column, source in STEP_COLUMNS.items():
        out[column] = known(source)
    first, again, reopened = known("resolved_first"), known("resolved_again"), known("reopened")
    resolved_at = np.where(~np.isnan(again), again, first)
    out["resolved_at"] = resolved_at
    out["reopened_at"] = reopened
    out["status"] = _status(items, out, again, cutoff)
    done = np.isin(out["status"], ["resolved", "closed"]) & (resolved_at < cutoff - DAY)
    out["satisfaction"] = np.where(done, items["satisfaction_truth"].to_numpy(object), "")
    return out


def _status(
    items: pd.DataFrame, state: dict[str, np.ndarray], again: np.ndarray, cutoff: float
) -> np.ndarray:
    """The status the register shows at ``cutoff`` (``again``: the second resolution,
    if known by then); staff close some old resolutions and every unanswered one."""
    resolved_at, reopened = state["resolved_at"], state["reopened_at"]
    kind = items["kind"].to_numpy(object)
    status = np.select(
        [
            kind != "item",
            ~np.isnan(reopened) & np.isnan(again),
            ~np.isnan(resolved_at),
            ~np.isnan(state["referred_at"]),
            ~np.isnan(state["first_response_at"]),
        ],
        [kind, "reopened", "resolved", "referred", "in_progress"],
        default="open",
    ).astype(object)
    old = resolved_at < cutoff - 14 * DAY
    closed = (status == "resolved") & (
        (items["closed_flag"].to_numpy() & old) | items["unanswered"].to_numpy()
    )
    status[closed] = "closed"
    return status


def register_files(items: pd.DataFrame, as_of: float, end_date: date) -> RegisterFiles:
    """Which rows each register file holds, as exported.

    The monthly files went out six days before ``end_date`` (18:00): items of
    the last three weeks were in them before they settled, and the
    re-export on ``end_date`` has them as they are now.
    """
    reexport_from = as_of - REEXPORT_DAYS * DAY
    first_export = as_of - 6 * DAY - 6 * 60  # 18:00, six days before end_date
    recv = items["received"].to_numpy()
    in_window = recv >= reexport_from
    final = export_state(items, as_of)
    early = export_state(items, first_export)
    exported = {c: np.where(in_window, early[c], final[c]) for c in final}
    month_of = items["month"].to_numpy(object)
    files: dict[str, pd.DataFrame] = {}
    for name, months_in in _files_by_month(sorted(items["month"].unique())).items():
        mask = np.isin(month_of, months_in) & (recv < first_export)
        if mask.any():
            files[name] = register_table(items, exported, mask)
    return RegisterFiles(
        files=files,
        reexport_name=f"inquiry_register_reexport_{end_date.isoformat()}.csv",
        reexport=register_table(items, final, in_window),
        reexport_from=reexport_from,
    )


def _files_by_month(months: list[str]) -> dict[str, list[str]]:
    """File name -> the months (``YYYY-MM``) it holds: fiscal-year workbooks first."""
    n_xlsx = min(MAX_WORKBOOK_MONTHS, max(1, len(months) * 3 // 10), len(months) - 1)
    by_file: dict[str, list[str]] = {}
    for m in months:
        if m in months[:n_xlsx]:
            name = f"inquiry_register_{fiscal_year(date.fromisoformat(m + '-01'))}.xlsx"
        else:
            name = f"inquiry_register_{m}.csv"
        by_file.setdefault(name, []).append(m)
    return by_file


def register_table(
    items: pd.DataFrame, state: dict[str, np.ndarray], mask: np.ndarray
) -> pd.DataFrame:
    """The register rows of the items in ``mask``, with values from ``state``.

    Districts and channels as staff typed them; helpline items keep only
    ``received_at``; ``referred_to`` only once the referral is known.
    """
    events_mask = items["events"].to_numpy()
    text = {c: items[c].to_numpy(object) for c in INQUIRY_COLUMNS if c in items}
    text["district"] = items["district_text"].to_numpy(object)
    text["channel"] = items["channel_text"].to_numpy(object)
    columns: dict[str, object] = {}
    for column in INQUIRY_COLUMNS:
        if column in TIME_COLUMNS:
            values = state[column]
            if column != "received_at":
                values = np.where(events_mask, np.nan, values)
            columns[column] = values[mask]
        elif column == "referred_to":
            referred = ~np.isnan(state["referred_at"])
            columns[column] = objects(np.where(referred, text[column], "")[mask])
        else:
            source = state[column] if column in state else text[column]
            columns[column] = objects(source[mask])
    return pd.DataFrame(columns)


def register_csv(frame: pd.DataFrame, origin: datetime) -> bytes:
    """A register CSV; planted values in ``<column>__text`` win over the times."""
    out: dict[str, pa.Array] = {}
    for column in INQUIRY_COLUMNS:
        if column in TIME_COLUMNS:
            text = time_text(frame[column].to_numpy(float), origin)
            override = frame.get(f"{column}__text")
            if override is not None:
                given = override.notna().to_numpy()
                planted = pa.array(override.where(given, "").to_numpy(object), pa.string())
                text = pc.if_else(pa.array(given), planted, text)
            out[column] = text
        else:
            out[column] = text_array(frame[column].to_numpy(object))
    return csv_bytes(out)


def register_xlsx(frame: pd.DataFrame, origin: datetime) -> bytes:
    """A register workbook: real Excel datetimes, words as the Excel register typed them."""
    rows: dict[str, object] = {}
    for column in INQUIRY_COLUMNS:
        if column in TIME_COLUMNS:
            stamps = to_datetime64(np.floor(frame[column].to_numpy(float)), origin)
            override = frame.get(f"{column}__text")
            if override is not None:
                for i in np.flatnonzero(override.notna().to_numpy()):
                    stamps[i] = np.datetime64(str(override.iloc[i]).replace(" ", "T"))
            rows[column] = excel_serial(stamps)
        else:
            values = pd.Series(frame[column].to_numpy(object)).fillna("")
            mapping = XLSX_CASE.get(column)
            if mapping:
                values = values.map(lambda v, m=mapping: m.get(v, v))
            rows[column] = values.to_numpy(object)
    return xlsx_bytes(INQUIRY_COLUMNS, rows, TIME_COLUMNS, widths={"summary": 40})
