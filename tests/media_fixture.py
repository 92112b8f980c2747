"""A small, hand-checkable set of the media registers, loaded by the real ETL.

Register files are written here as staff would type them (CSV, the
template's headers, Pakistan time) and loaded with ``etl.load.load_paths``
into a fresh warehouse. The expected figures in the tests are worked out by
hand in the comments below (or with plain pandas over these literal rows),
never by calling the code under test.

March 2025 is the main period (1 March is a Saturday, a working day of the
cell: Mon-Sat 09:00-17:00 PKT; Sunday is off; Pakistan Day, 23 March, is a
Sunday; Eid al-Fitr is 31 March). ``NOW`` is Tuesday 4 March 2025, 12:00 PKT.

Media queries (M1), with their same-business-day target:

* Q1 Sat 1 Mar 10:00 -> answered Sat 12:00: same day (due Sat 17:00);
  120 business minutes. Deadline Sat 11:00: missed.
* Q2 Sat 1 Mar 16:30 -> Mon 3 Mar 10:00: not same day (due Sat 17:00);
  30 + 60 = 90 business minutes, 2,490 calendar minutes.
* Q3 Sun 2 Mar 11:00 (a day off) -> Mon 16:00: same day (due Mon 17:00);
  420 business minutes. Deadline Mon 18:00: met.
* Q4 Sat 1 Mar 18:00 (after hours) -> Mon 16:59: same day (due Mon 17:00);
  479 business minutes.
* Q5 Fri 28 Feb 16:00 -> Sat 1 Mar 09:30: not same day (due Fri 17:00);
  60 + 30 = 90 business minutes. Answered in March.
* Q6 Mon 3 Mar 09:00, unanswered: due Mon 17:00, before NOW: a breach.
* Q7 Tue 4 Mar 10:00, unanswered: due Tue 17:00, after NOW: not judged.

* Q8 Sat 29 Mar 18:00 (after hours) -> Thu 3 Apr 10:00: same day. The
  next working day is Thursday 3 April: Sunday 30 March is off and
  Eid al-Fitr is 31 March to 2 April.

So M1 for March at NOW: (Q1, Q3, Q4) ÷ (Q1-Q5 answered + Q6 open) = 3/6 = 50%.

Incidents (M2 from verification, or the first media report; M3):

* INC-1 occurred 5 Mar 08:00, verified 08:30, statement 09:15 (45 min);
  misinformation 10:00, rebuttal 13:30 (210 min). District Kurram.
* INC-2 occurred 6 Mar 20:00, not verified; first mention 20:40;
  statement 22:10 (90 min from the media report). District Orakzai.
* INC-3 occurred 7 Mar 07:00, verified 07:20, statement 07:10 (before
  verification: 0 min); misinformation 09:00, rebuttal 10:00 (60 min).
  District Hangu.
* INC-4 occurred 3 Mar 12:00, verified 12:30, no statement yet. Kurram.

M2 minutes [45, 90, 0]; M3 minutes [210, 60].
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.media_registers import REGISTERS, header_of
from metrics.filters import Filters

NOW = datetime(2025, 3, 4, 7, 0, tzinfo=UTC)  # Tuesday 4 March 2025, 12:00 PKT
MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
FEBRUARY = Filters(date(2025, 2, 1), date(2025, 2, 28))

# mention_id, published_at (PKT), outlet, outlet_type, language, tone, district,
# quotes_official_line, incident_id, topic
MENTIONS: list[tuple[str, ...]] = [
    ("MM-01", "2025-03-03 09:00", "Dawn", "print", "English", "positive", "Peshawar", "yes", "", "traffic"),
    ("MM-02", "2025-03-03 10:00", "Dawn", "print", "English", "positive", "Peshawar", "no", "", "traffic"),
    ("MM-03", "2025-03-04 11:00", "Geo News", "tv", "Urdu", "positive", "Mardan", "yes", "", "recruitment"),
    ("MM-04", "2025-03-04 12:00", "Geo News", "tv", "Urdu", "positive", "", "", "", "recruitment"),
    ("MM-05", "2025-03-05 13:00", "Mashriq", "print", "Urdu", "positive", "Swat", "no", "", "traffic"),
    ("MM-06", "2025-03-05 14:00", "Mashriq", "print", "Pashto", "neutral", "Peshawar", "yes", "", "courts"),
    ("MM-07", "2025-03-06 20:40", "Khyber News", "tv", "Pashto", "neutral", "Orakzai", "", "INC-2", "clashes"),
    ("MM-08", "2025-03-05 09:00", "Khyber News", "tv", "Pashto", "negative", "Kurram", "yes", "INC-1", "clashes"),
    ("MM-09", "2025-03-06 10:00", "Dawn", "online", "English", "negative", "Kurram", "yes", "INC-1", "clashes"),
    ("MM-10", "2025-03-07 10:00", "Tribal News", "social", "Pashto", "negative", "Hangu", "no", "INC-3", "clashes"),
    ("MM-11", "2025-03-08 10:00", "Radio Pakistan", "radio", "Urdu", "", "Peshawar", "no", "", "traffic"),
    ("MM-12", "2025-03-09 10:00", "Radio Pakistan", "radio", "Urdu", "", "", "", "", "traffic"),
    # February: outside the main period.
    ("MM-13", "2025-02-20 10:00", "Dawn", "print", "English", "positive", "Peshawar", "yes", "", "traffic"),
]  # fmt: skip

# query_id, received_at, outlet, journalist, journalist_phone, topic, deadline_at, answered_at
QUERIES: list[tuple[str, ...]] = [
    ("Q1", "2025-03-01 10:00", "Dawn", "Asma Khan", "0300-0000001", "traffic", "2025-03-01 11:00", "2025-03-01 12:00"),
    ("Q2", "2025-03-01 16:30", "Geo News", "Bilal Shah", "0300-0000002", "clashes", "", "2025-03-03 10:00"),
    ("Q3", "2025-03-02 11:00", "AAJ News", "Sana Gul", "", "recruitment", "2025-03-03 18:00", "2025-03-03 16:00"),
    ("Q4", "2025-03-01 18:00", "Mashriq", "Imran Ali", "", "courts", "", "2025-03-03 16:59"),
    ("Q5", "2025-02-28 16:00", "Dawn", "Asma Khan", "0300-0000001", "traffic", "", "2025-03-01 09:30"),
    ("Q6", "2025-03-03 09:00", "Khyber News", "Noor Jan", "", "clashes", "", ""),
    ("Q7", "2025-03-04 10:00", "Dawn", "Asma Khan", "", "traffic", "", ""),
    ("Q8", "2025-03-29 18:00", "Dawn", "Asma Khan", "", "Eid security", "", "2025-04-03 10:00"),
]  # fmt: skip

# incident_id, type, district, occurred, verified, first statement, misinformation, rebuttal
INCIDENTS: list[tuple[str, ...]] = [
    ("INC-1", "protest", "Kurram", "2025-03-05 08:00", "2025-03-05 08:30", "2025-03-05 09:15", "2025-03-05 10:00", "2025-03-05 13:30"),
    ("INC-2", "attack", "Orakzai", "2025-03-06 20:00", "", "2025-03-06 22:10", "", ""),
    ("INC-3", "viral video", "Hangu", "2025-03-07 07:00", "2025-03-07 07:20", "2025-03-07 07:10", "2025-03-07 09:00", "2025-03-07 10:00"),
    ("INC-4", "protest", "Kurram", "2025-03-03 12:00", "2025-03-03 12:30", "", "", ""),
]  # fmt: skip

# output_id, published_at, output_type, channel, title
OUTPUTS: list[tuple[str, ...]] = [
    ("PR-01", "2025-03-03 11:00", "press release", "website", "Traffic plan for Peshawar"),
    ("PR-02", "2025-03-05 12:00", "press release", "website", "Kurram: statement"),
    ("PO-01", "2025-03-05 12:30", "post", "Facebook", "Kurram: statement"),
    ("PO-02", "2025-03-07 10:30", "post", "X", "Clarification on the viral video"),
    ("VI-01", "2025-03-10 15:00", "video", "YouTube", "Open court in Swat"),
    ("PR-00", "2025-02-25 11:00", "press release", "website", "February release"),
]

# week_start (any day of the week), output_type, planned. For March:
# 7 x 2/7 (24 Feb - 2 Mar: two days in March) + 7 + 14 + 7 x 1/7 (31 Mar) = 24.
PLAN: list[tuple[str, ...]] = [
    ("2025-02-24", "press release", "7"),
    ("2025-03-05", "press release", "7"),  # a Wednesday: the week of 3 March
    ("2025-03-03", "post", "14"),
    ("2025-03-31", "post", "7"),
]

# event_id, date, district, event_type, female, male, transgender
EVENTS: list[tuple[str, ...]] = [
    ("OE-01", "2025-03-03", "Swat", "open court", "10", "30", "0"),
    ("OE-02", "2025-03-10", "Swat", "school visit", "40", "45", ""),
    ("OE-03", "2025-03-12", "Swat", "women's consultation", "25", "", ""),
    ("OE-04", "2025-03-15", "Kurram", "dispute resolution council awareness", "5", "60", "1"),
    ("OE-05", "2025-03-18", "Upper South Waziristan", "open court", "", "", ""),
    ("OE-06", "2025-03-20", "Lower South Waziristan", "transgender consultation", "2", "3", "12"),
    ("OE-07", "2025-02-10", "Peshawar", "open court", "7", "8", "0"),
]


def _rows(register: str, rows: list[tuple[str, ...]], columns: list[str]) -> list[dict[str, str]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def shifted(value: str, days: int) -> str:
    """A ``YYYY-MM-DD[ HH:MM]`` value ``days`` later (other values as they are)."""
    if days == 0 or not _DATE.match(value):
        return value
    moved = date.fromisoformat(value[:10]) + timedelta(days=days)
    return moved.isoformat() + value[10:]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")


def write_register(
    path: Path, register: str, rows: list[dict[str, str]], *, shift_days: int = 0
) -> Path:
    """A register file with the template's headers (UTF-8 with BOM, CRLF);
    every date ``shift_days`` later."""
    columns = list(REGISTERS[register][2])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([header_of(c) for c in columns])
        for row in rows:
            writer.writerow([shifted(row.get(c, ""), shift_days) for c in columns])
    return path


def mention_rows() -> list[dict[str, str]]:
    columns = [
        "mention_id",
        "published_at",
        "outlet",
        "outlet_type",
        "language",
        "tone",
        "district",
        "quotes_official_line",
        "incident_id",
        "topic",
    ]
    return _rows("mentions", MENTIONS, columns)


def query_rows() -> list[dict[str, str]]:
    columns = [
        "query_id",
        "received_at",
        "outlet",
        "journalist",
        "journalist_phone",
        "topic",
        "deadline_at",
        "answered_at",
    ]
    return _rows("queries", QUERIES, columns)


def incident_rows() -> list[dict[str, str]]:
    columns = [
        "incident_id",
        "incident_type",
        "district",
        "occurred_at",
        "verified_at",
        "first_statement_at",
        "misinformation_detected_at",
        "rebuttal_at",
    ]
    return _rows("incidents", INCIDENTS, columns)


def output_rows() -> list[dict[str, str]]:
    return _rows(
        "outputs", OUTPUTS, ["output_id", "published_at", "output_type", "channel", "title"]
    )


def plan_rows() -> list[dict[str, str]]:
    return _rows("plan", PLAN, ["week_start", "output_type", "planned"])


def event_rows() -> list[dict[str, str]]:
    columns = [
        "event_id",
        "event_date",
        "district",
        "event_type",
        "participants_female",
        "participants_male",
        "participants_transgender",
    ]
    return _rows("outreach", EVENTS, columns)


def write_all(folder: Path, *, shift_days: int = 0) -> list[Path]:
    """Every register of the fixture as a file in ``folder`` (dates moved by ``shift_days``)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = (
        ("monitoring_march.csv", "mentions", mention_rows()),
        ("queries_march.csv", "queries", query_rows()),
        ("incidents_march.csv", "incidents", incident_rows()),
        ("outputs_march.csv", "outputs", output_rows()),
        ("plan_q3.csv", "plan", plan_rows()),
        ("outreach_march.csv", "outreach", event_rows()),
    )
    return [
        write_register(folder / name, register, rows, shift_days=shift_days)
        for name, register, rows in files
    ]


def build(folder: Path, *, shift_days: int = 0) -> Path:
    """Load the fixture's registers into ``folder/warehouse.duckdb`` with the real loader.

    ``shift_days`` (a whole number of weeks keeps every weekday) moves the
    whole story, e.g. into last month for the browser.
    """
    from etl.load import load_paths, make_context

    warehouse = folder / "warehouse.duckdb"
    now = datetime(2025, 4, 15, tzinfo=UTC) + timedelta(days=shift_days)
    report = load_paths(
        write_all(folder / "registers", shift_days=shift_days),
        warehouse=warehouse,
        loaded_by="test",
        context=make_context(now=now),
    )
    assert report.swapped and not report.rejected, [f.line() for f in report.files]
    assert all(f.quarantined == 0 for f in report.files), [f.line() for f in report.files]
    return warehouse
