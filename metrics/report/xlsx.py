"""The report as an XLSX workbook, with xlsxwriter: one sheet per section.

Numbers are written as numbers with a format a spreadsheet understands:
percentages as fractions formatted ``0.0%``, durations as Excel durations
(days) formatted ``[h]:mm``, counts ``#,##0``. A withheld figure is text
("<5", "<10", "suppressed"), never a number. Every text cell, headers
included, goes through ``core.csv_safety.csv_cell`` (a leading ``'`` on
text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) and
is written as a string, so no cell is ever a formula built from data. The
header row of every table sheet is frozen.

The "About" sheet carries the generation time, the scope, the warehouse
the report was built from; "Sources" the coverage of each data source;
"Loads" every load id in effect.

xlsxwriter rather than openpyxl: it writes number formats, frozen panes and
column widths directly and quickly (../shared/libraries.md); openpyxl stays
the reader in the tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from core.csv_safety import csv_cell
from metrics.report.model import KARACHI, PublishedTable, ReportData, is_missing

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MINUTES_PER_DAY = 1440.0
HOURS_PER_DAY = 24.0


class _Book:
    """The workbook and its formats; every cell goes through ``put``."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        add = self.book.add_format
        self.head = add(
            {
                "bold": True,
                "bg_color": "#1F4E79",
                "font_color": "white",
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.text = add({"text_wrap": True, "valign": "top"})
        self.bold = add({"bold": True, "valign": "top"})
        self.title = add({"bold": True, "font_size": 14, "font_color": "#1F4E79"})
        self.formats = {
            "%": add({"num_format": "0.0%"}),
            "duration": add({"num_format": "[h]:mm"}),
            "count": add({"num_format": "#,##0"}),
            "decimal": add({"num_format": "#,##0.00"}),
            "date": add({"num_format": "dd mmm yyyy"}),
            "datetime": add({"num_format": "dd mmm yyyy hh:mm"}),
        }
        self.withheld = add({"font_color": "#9C0006", "align": "right"})

    def put(
        self, sheet: Worksheet, row: int, col: int, value: Any, unit: str = "", flag: str = ""
    ) -> None:
        """One cell: a withheld flag, a number in its unit's format, a date, or safe text."""
        if flag:
            sheet.write_string(row, col, _safe(flag), self.withheld)
            return
        if is_missing(value):
            sheet.write_blank(row, col, None)
            return
        if isinstance(value, bool):
            sheet.write_string(row, col, "yes" if value else "no")
            return
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, datetime):
            local = value.astimezone(KARACHI).replace(tzinfo=None) if value.tzinfo else value
            sheet.write_datetime(row, col, local, self.formats["datetime"])
            return
        if isinstance(value, date):
            sheet.write_datetime(
                row, col, datetime(value.year, value.month, value.day), self.formats["date"]
            )
            return
        if (
            isinstance(value, int | float)
            or hasattr(value, "__float__")
            and not isinstance(value, str)
        ):
            number, fmt = _number(float(value), unit)
            sheet.write_number(row, col, number, self.formats[fmt])
            return
        sheet.write_string(row, col, _safe(value), self.text)

    def header(self, sheet: Worksheet, labels: Sequence[str], widths: Sequence[float]) -> None:
        for col, (label, width) in enumerate(zip(labels, widths, strict=True)):
            sheet.write_string(0, col, _safe(label), self.head)
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 1)


def _safe(value: object) -> str:
    """Text that stays text in any spreadsheet (``core.csv_safety``)."""
    return _ILLEGAL_XML.sub("", csv_cell(value))


def _number(value: float, unit: str) -> tuple[float, str]:
    """(the value as Excel stores it, the format's name) for a KPI unit."""
    if unit == "%":
        return value / 100.0, "%"
    if unit == "minutes":
        return value / MINUTES_PER_DAY, "duration"
    if unit == "hours":
        return value / HOURS_PER_DAY, "duration"
    if unit in ("count", "events", "people"):
        return value, "count"
    return value, "decimal"


def _unit_words(unit: str) -> str:
    return {
        "%": "% (0.0%)",
        "minutes": "duration (h:mm)",
        "hours": "duration (h:mm)",
    }.get(unit, unit)


# Sheets -----------------------------------------------------------------------------


def _about(w: _Book, data: ReportData, generated_at: datetime) -> None:
    sheet = w.book.add_worksheet("About")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 110)
    sheet.write_string(
        0, 0, "Police outreach and responsiveness: report to UNDP and the EU", w.title
    )
    facts: list[tuple[str, Any]] = [
        ("Period", data.period.label),
        ("Period code", data.period.code),
        ("Scope (filters)", data.scope_text),
        ("Generated (PKT)", generated_at),
        ("Open items judged at (PKT)", data.judged_at),
        ("Period complete", data.complete),
        ("Built from", data.warehouse_snapshot),
        ("Load ids", "sheet Loads: every load in effect in the warehouse read"),
        ("Data sources' coverage", "sheet Sources"),
        ("Disclosure control", data.disclosure_rule),
        (
            "Personal data",
            "None: aggregate figures only, no row-level data, no free text from the public.",
        ),
    ]
    for row, (key, value) in enumerate(facts, start=2):
        sheet.write_string(row, 0, _safe(key), w.bold)
        w.put(sheet, row, 1, value)


def _summary(w: _Book, data: ReportData) -> None:
    sheet = w.book.add_worksheet("Summary")
    w.header(sheet, ["Executive summary"], [140])
    sheet.freeze_panes(1, 0)
    for row, sentence in enumerate(data.summary, start=1):
        w.put(sheet, row, 0, sentence)


INDICATOR_SHEET: tuple[tuple[str, str, float], ...] = (
    ("kpi_id", "KPI", 7),
    ("indicator", "Indicator", 44),
    ("unit", "Unit", 16),
    ("baseline", "Baseline", 11),
    ("target", "Target", 11),
    ("target_text", "Target (as set)", 36),
    ("target_from", "Target in effect from", 13),
    ("this_period", "This period", 12),
    ("fiscal_ytd", "Fiscal year to date", 12),
    ("last_year", "Same period last year", 12),
    ("previous", "Previous period", 12),
    ("delta", "Change on previous period (for %: points)", 14),
    ("n", "Items behind this period's figure (n)", 12),
    ("p90", "P90 this period", 12),
    ("status_text", "Status", 24),
)
_IN_UNIT = {
    "baseline",
    "target",
    "this_period",
    "fiscal_ytd",
    "last_year",
    "previous",
    "delta",
    "p90",
}


def _indicators(w: _Book, data: ReportData) -> None:
    sheet = w.book.add_worksheet("Indicators")
    w.header(sheet, [h for _, h, _ in INDICATOR_SHEET], [x for _, _, x in INDICATOR_SHEET])
    sheet.freeze_panes(1, 2)
    for row, record in enumerate(data.indicators.to_dict("records"), start=1):
        unit = str(record["unit"])
        for col, (key, _, _) in enumerate(INDICATOR_SHEET):
            if key == "unit":
                w.put(sheet, row, col, _unit_words(unit))
            elif key in _IN_UNIT:
                if key == "target" and unit == "count" and is_missing(record[key]):
                    w.put(sheet, row, col, None)
                    continue
                w.put(sheet, row, col, record[key], unit, str(record.get(f"{key}_flag", "") or ""))
            elif key == "n":
                w.put(
                    sheet, row, col, None if is_missing(record[key]) else int(record[key]), "count"
                )
            else:
                w.put(sheet, row, col, record[key])


def _published(w: _Book, table: PublishedTable, name: str) -> None:
    sheet = w.book.add_worksheet(name)
    columns = list(table.values.columns)
    labels = [
        table.index_label,
        *(f"{table.labels[c]} [{_unit_words(table.units[c])}]" for c in columns),
    ]
    w.header(sheet, labels, [26, *([18] * len(columns))])
    for row, group in enumerate(table.values.index, start=1):
        w.put(sheet, row, 0, group)
        for col, c in enumerate(columns, start=1):
            w.put(
                sheet, row, col, table.values.at[group, c], table.units[c], table.flags.at[group, c]
            )
    for offset, note in enumerate(table.notes, start=len(table.values.index) + 2):
        w.put(sheet, offset, 0, note)


def _frame(
    w: _Book, name: str, frame: pd.DataFrame, columns: Sequence[tuple[str, str, str, float]]
) -> None:
    """A plain table: (column, header, unit, width) per column."""
    sheet = w.book.add_worksheet(name)
    w.header(sheet, [h for _, h, _, _ in columns], [x for _, _, _, x in columns])
    for row, record in enumerate(frame.to_dict("records"), start=1):
        for col, (key, _, unit, _) in enumerate(columns):
            w.put(sheet, row, col, record.get(key), unit)


def _methodology(w: _Book, data: ReportData) -> None:
    sheet = w.book.add_worksheet("Methodology")
    columns = [
        "KPI",
        "Name",
        "Definition",
        "Unit",
        "Better",
        "Cohort",
        "Target",
        "Target from",
        "Owner",
    ]
    w.header(sheet, columns, [7, 30, 80, 14, 10, 24, 30, 12, 28])
    row = 1
    for entry in data.annex:
        values = [
            entry.kpi_id,
            entry.name,
            entry.definition,
            entry.unit,
            entry.direction,
            entry.cohort,
            entry.target_text,
            entry.target_from,
            entry.owner,
        ]
        for col, value in enumerate(values):
            w.put(sheet, row, col, value)
        row += 1
    row += 1
    for title, lines in (
        ("Conventions", data.conventions),
        ("Disclosure control", (data.disclosure_rule,)),
    ):
        sheet.write_string(row, 0, _safe(title), w.bold)
        row += 1
        for line in lines:
            w.put(sheet, row, 2, line)
            row += 1


def render_xlsx(data: ReportData, *, generated_at: datetime | None = None) -> bytes:
    """The report as XLSX bytes."""
    generated_at = generated_at or datetime.now(UTC)
    buffer = io.BytesIO()
    w = _Book(buffer)
    w.book.set_properties(
        {
            "title": f"Police outreach and responsiveness: {data.period.label}",
            "subject": "Report to UNDP and the European Union",
            "company": "Khyber Pakhtunkhwa Police",
            "comments": f"Generated {generated_at:%Y-%m-%dT%H:%MZ} from {data.warehouse_snapshot}",
        }
    )
    _about(w, data, generated_at)
    _summary(w, data)
    _indicators(w, data)
    names = {
        "gender": "By gender",
        "region": "By region",
        "merged": "Merged vs settled",
        "outreach_region": "Outreach by region",
        "outreach_merged": "Outreach merged-settled",
    }
    for table in data.disaggregations:
        _published(w, table, names.get(table.key, table.key[:31]))
    _frame(
        w,
        "Monthly",
        data.monthly,
        [
            ("month", "Month", "", 14),
            ("R1", "Items received", "count", 14),
            ("R3", "Response rate", "%", 14),
            ("R5", "First-response SLA attainment", "%", 16),
            ("R7", "District acknowledgement within 24 h", "%", 18),
            ("R10", "Resolution SLA attainment", "%", 16),
        ],
    )
    _frame(
        w,
        "Weekly",
        data.weekly,
        [
            ("week_start", "Week starting (Monday)", "", 16),
            ("days_in_period", "Days of the week in the period", "count", 14),
            ("items_received", "Items received", "count", 14),
            (
                "first_response_p50_business_minutes",
                "First response P50, business time (h:mm)",
                "minutes",
                18,
            ),
            ("first_response_sla_pct", "First-response SLA attainment", "%", 16),
            ("first_response_sla_n", "Items judged for the SLA", "count", 14),
        ],
    )
    _frame(
        w,
        "Social media",
        data.social,
        [
            ("platform", "Platform", "", 16),
            ("posts", "Posts", "count", 10),
            ("previous_posts", "Posts, previous period", "count", 12),
            ("impressions", "Impressions", "count", 14),
            ("reach", "Reach (sum of post reaches)", "count", 16),
            ("engagements", "Engagements", "count", 14),
            ("engagement_rate_basis", "Engagement rate basis", "", 16),
            ("engagement_rate_p50_pct", "Engagement rate P50", "%", 14),
            ("previous_engagement_rate_p50_pct", "Engagement rate P50, previous period", "%", 16),
            ("net_new_followers", "Net new followers", "count", 14),
            ("follower_growth_pct", "Follower growth", "%", 12),
        ],
    )
    dq = data.quality
    _frame(
        w,
        "Sources",
        dq.sources,
        [
            ("source", "Source", "", 18),
            ("kind", "Kind", "", 26),
            ("files", "Files covering part of the period", "count", 14),
            ("covers_from", "Files cover from", "", 14),
            ("covers_to", "Files cover to", "", 14),
            ("days_covered", "Days of the period covered", "count", 14),
            ("days_in_period", "Days in the period", "count", 12),
            ("missing", "Days no file covers", "", 30),
            ("rows_read", "Rows read", "count", 12),
            ("rows_quarantined", "Rows quarantined", "count", 12),
            ("still_quarantined", "Rows still in quarantine", "count", 12),
            ("days_behind", "Days behind (at generation)", "count", 12),
        ],
    )
    _frame(
        w,
        "Completeness",
        dq.completeness,
        [
            ("measure", "Measure", "", 40),
            ("value", "Share", "%", 10),
            ("n", "Of items", "count", 10),
            ("note", "Note", "", 70),
        ],
    )
    _frame(
        w,
        "Quarantine",
        dq.quarantine,
        [
            ("source", "Source", "", 16),
            ("kind", "Kind", "", 22),
            ("check", "Check failed", "", 80),
            ("n_rows", "Rows", "count", 10),
        ],
    )
    _frame(w, "Gaps", pd.DataFrame({"gap": list(dq.gaps)}), [("gap", "Known gaps", "", 140)])
    _frame(
        w,
        "Loads",
        dq.loads,
        [
            ("load_id", "Load id", "", 30),
            ("source", "Source", "", 16),
            ("kind", "Kind", "", 24),
            ("file_name", "File", "", 40),
            ("sha256_short", "SHA-256 (first 12)", "", 16),
            ("covers_from", "Covers from (PKT)", "", 18),
            ("covers_to", "Covers to (PKT)", "", 18),
            ("finished_at", "Loaded (PKT)", "", 18),
            ("rows_read", "Rows read", "count", 10),
            ("covers_period", "Covers part of the period", "", 12),
        ],
    )
    _methodology(w, data)
    w.book.close()
    return buffer.getvalue()
