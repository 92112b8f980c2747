"""A tiny, hand-checkable warehouse for the metrics tests.

``INQUIRY_ROWS`` is a literal list of ``marts.inquiries`` rows (30 items).
Every timestamp is UTC (Asia/Karachi = UTC+5). Durations and due times are
set by hand, not computed from a business calendar: these tests check the
KPI logic, not business-time arithmetic. Columns a KPI never reads but the
mart has (received_date, fiscal year and quarter, region, merge status,
social flag, lineage) are filled in by ``inquiries_frame`` from the row.

What the rows are for (March 2025 is the main test period, February the
previous one, "now" is 2025-04-15 12:00 UTC unless a test says otherwise):

* A01-A08, A11, A13, A15, A24-A26: ordinary replied and resolved items;
* A04, A06, A09: first reply after first_response_due_at;
* A05 reopened then resolved again (late), A06 resolved in March and
  reopened in April, A27 resolved and reopened in March (open at March end);
* A07-A11 information requests (A08, A09 urgent); A10 due in February and
  answered late, A11 due in April;
* A09, A14, A16, A17, A20, A22, A27 open and overdue at March end, one in
  each aging bucket and four over 10 days; A18, A19, A23 open, not overdue;
* A17, A18 fall due for a first reply in March and are still awaiting it
  at March end (A18 is replied on 1 April); A20 has awaited one since its
  target passed in January; A19 awaits one but is not yet due;
* A03, A04, A22, A23, A24, A30 referrals; A22 referred in February with its
  acknowledgement and report due in March; A23's due in April;
* A12, A28, A29 need no reply; A13 names no district;
* A14 (2025-03-02 20:00 UTC = Monday 01:00 PKT) and A15 (Sunday 23:00 PKT)
  sit either side of a Karachi week boundary; A28 (2025-02-28 19:00 UTC =
  1 March 00:00 PKT) and A29 (one minute earlier) either side of the
  period start;
* A30 is received on "now"'s day, referred, not yet due.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pandas as pd

from metrics.filters import KARACHI, Filters, fiscal_quarter, fiscal_year_label

NOW = datetime(2025, 4, 15, 12, 0, tzinfo=UTC)
MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
FEBRUARY = Filters(date(2025, 2, 1), date(2025, 2, 28))

# Mart columns and their DuckDB types, in the order of docs/warehouse.md.
MART_COLUMNS: dict[str, str] = {
    "inquiry_id": "varchar",
    "source": "varchar",
    "is_own_source": "boolean",
    "received_at": "timestamptz",
    "received_date": "date",
    "received_fiscal_year": "varchar",
    "received_fiscal_quarter": "varchar",
    "channel": "varchar",
    "is_social_channel": "boolean",
    "category": "varchar",
    "district": "varchar",
    "region": "varchar",
    "is_merged_district": "boolean",
    "requester_gender": "varchar",
    "language": "varchar",
    "priority": "varchar",
    "status": "varchar",
    "needs_reply": "boolean",
    "needs_field_action": "boolean",
    "first_response_at": "timestamptz",
    "referred_at": "timestamptz",
    "field_ack_at": "timestamptz",
    "field_report_at": "timestamptz",
    "resolved_at": "timestamptz",
    "reopened_at": "timestamptz",
    "satisfaction": "varchar",
    "first_response_recorded": "boolean",
    "first_response_minutes": "double",
    "first_response_business_minutes": "double",
    "referral_minutes": "double",
    "referral_business_minutes": "double",
    "resolution_minutes": "double",
    "resolution_business_minutes": "double",
    "field_ack_minutes": "double",
    "field_report_minutes": "double",
    "first_response_due_at": "timestamptz",
    "resolution_due_at": "timestamptz",
    "field_ack_due_at": "timestamptz",
    "field_report_due_at": "timestamptz",
    "source_file": "varchar",
    "source_row": "integer",
    "load_id": "varchar",
}
TIMESTAMP_COLUMNS = tuple(c for c, t in MART_COLUMNS.items() if t == "timestamptz")
PERSONAL_DATA_COLUMNS = (
    "name",
    "requester_name",
    "phone",
    "phone_number",
    "cnic",
    "email",
    "summary",
    "message",
    "text",
)

# district, region, is_merged_district, census_unit. Upper and Lower Chitral
# share one census unit here so "each unit counted once" is tested.
DISTRICTS = pd.DataFrame(
    [
        ("Peshawar", "CCPO Peshawar", False, "Peshawar"),
        ("Khyber", "CCPO Peshawar", True, "Khyber"),
        ("Mardan", "Mardan", False, "Mardan"),
        ("Swabi", "Mardan", False, "Swabi"),
        ("Lower Chitral", "Malakand", False, "Chitral"),
        ("Upper Chitral", "Malakand", False, "Chitral"),
    ],
    columns=["district", "region", "is_merged_district", "census_unit"],
)

CENSUS = pd.DataFrame(
    [
        ("Peshawar", 4_000_000, 2_050_000, 1_949_000, 1_000, 1_257.0, 4_269_079),
        ("Khyber", 1_000_000, 510_000, 489_900, 100, 2_576.0, 986_973),
        ("Mardan", 2_000_000, 1_010_000, 989_800, 200, 1_632.0, 2_373_061),
        ("Swabi", 1_000_000, 500_000, 499_900, 100, 1_543.0, 1_624_616),
        ("Chitral", 500_000, 250_000, 249_950, 50, 14_850.0, 447_362),
    ],
    columns=[
        "census_unit",
        "population",
        "male",
        "female",
        "transgender",
        "area_sqkm",
        "population_2017",
    ],
)
ALL_KP_POPULATION = 8_500_000  # every census unit once: Chitral counted once

SOCIAL = {"Facebook", "X", "Instagram", "YouTube", "TikTok", "WhatsApp"}

# The rows. Keys are mart columns; a column left out is NULL, except
# needs_reply (default True) and needs_field_action (default False).
INQUIRY_ROWS: list[dict[str, Any]] = [
    {
        "inquiry_id": "A01", "district": "Peshawar", "channel": "Facebook",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "female",
        "received_at": "2025-03-03 05:00",
        "first_response_at": "2025-03-03 05:10",
        "first_response_minutes": 10, "first_response_business_minutes": 10,
        "first_response_due_at": "2025-03-03 07:00",
        "resolved_at": "2025-03-05 05:00",
        "resolution_minutes": 2880, "resolution_business_minutes": 960,
        "resolution_due_at": "2025-03-14 05:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A02", "district": "Peshawar", "channel": "Facebook",
        "category": "inquiry", "priority": "normal", "status": "closed",
        "requester_gender": "male",
        "received_at": "2025-03-04 06:00",
        "first_response_at": "2025-03-04 06:30",
        "first_response_minutes": 30, "first_response_business_minutes": 30,
        "first_response_due_at": "2025-03-04 08:00",
        "resolved_at": "2025-03-04 10:00",
        "resolution_minutes": 240, "resolution_business_minutes": 240,
        "resolution_due_at": "2025-03-06 06:00",
        "satisfaction": "neutral",
    },
    {
        "inquiry_id": "A03", "district": "Peshawar", "channel": "Helpline phone",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "male", "needs_field_action": True,
        "received_at": "2025-03-05 04:00",
        "first_response_at": "2025-03-05 04:20",
        "first_response_minutes": 20, "first_response_business_minutes": 20,
        "first_response_due_at": "2025-03-05 06:00",
        "referred_at": "2025-03-05 05:00",
        "referral_minutes": 60, "referral_business_minutes": 60,
        "field_ack_at": "2025-03-05 20:00", "field_ack_minutes": 900,
        "field_ack_due_at": "2025-03-06 05:00",
        "field_report_at": "2025-03-07 05:00", "field_report_minutes": 2880,
        "field_report_due_at": "2025-03-08 05:00",
        "resolved_at": "2025-03-10 05:00",
        "resolution_minutes": 7260, "resolution_business_minutes": 2460,
        "resolution_due_at": "2025-03-19 04:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A04", "district": "Mardan", "channel": "WhatsApp",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "female", "needs_field_action": True,
        "received_at": "2025-03-10 07:00",
        "first_response_at": "2025-03-10 10:00",
        "first_response_minutes": 180, "first_response_business_minutes": 180,
        "first_response_due_at": "2025-03-10 09:00",
        "referred_at": "2025-03-10 12:00",
        "referral_minutes": 300, "referral_business_minutes": 300,
        "field_ack_at": "2025-03-12 06:00", "field_ack_minutes": 2520,
        "field_ack_due_at": "2025-03-11 12:00",
        "field_report_at": "2025-03-16 12:00", "field_report_minutes": 8640,
        "field_report_due_at": "2025-03-13 12:00",
        "resolved_at": "2025-03-20 07:00",
        "resolution_minutes": 14400, "resolution_business_minutes": 4320,
        "resolution_due_at": "2025-03-24 07:00",
        "satisfaction": "dissatisfied",
    },
    {
        "inquiry_id": "A05", "district": "Mardan", "channel": "Helpline phone",
        "category": "inquiry", "priority": "normal", "status": "resolved",
        "requester_gender": "male",
        "received_at": "2025-03-12 05:00",
        "first_response_at": "2025-03-12 05:05",
        "first_response_minutes": 5, "first_response_business_minutes": 5,
        "first_response_due_at": "2025-03-12 07:00",
        "reopened_at": "2025-03-13 05:00",
        "resolved_at": "2025-03-17 05:00",
        "resolution_minutes": 7200, "resolution_business_minutes": 1920,
        "resolution_due_at": "2025-03-14 05:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A06", "district": "Swabi", "channel": "Facebook",
        "category": "complaint", "priority": "normal", "status": "reopened",
        "requester_gender": "transgender",
        "received_at": "2025-03-14 09:00",
        "first_response_at": "2025-03-14 11:30",
        "first_response_minutes": 150, "first_response_business_minutes": 150,
        "first_response_due_at": "2025-03-14 11:00",
        "resolved_at": "2025-03-18 09:00",
        "resolution_minutes": 5760, "resolution_business_minutes": 1440,
        "resolution_due_at": "2025-03-28 09:00",
        "reopened_at": "2025-04-02 09:00",
    },
    {
        "inquiry_id": "A07", "district": "Swabi", "channel": "RTI request",
        "category": "information_request", "priority": "normal",
        "status": "resolved", "requester_gender": "male",
        "received_at": "2025-03-03 06:00",
        "first_response_at": "2025-03-03 07:00",
        "first_response_minutes": 60, "first_response_business_minutes": 60,
        "first_response_due_at": "2025-03-03 08:00",
        "resolved_at": "2025-03-13 12:00",
        "resolution_minutes": 14760, "resolution_business_minutes": 3960,
        "resolution_due_at": "2025-03-17 06:00",
    },
    {
        "inquiry_id": "A08", "district": "Peshawar", "channel": "RTI request",
        "category": "information_request", "priority": "urgent",
        "status": "resolved", "requester_gender": "female",
        "received_at": "2025-03-20 05:00",
        "first_response_at": "2025-03-20 05:30",
        "first_response_minutes": 30, "first_response_business_minutes": 30,
        "first_response_due_at": "2025-03-20 07:00",
        "resolved_at": "2025-03-21 10:00",
        "resolution_minutes": 1740, "resolution_business_minutes": 780,
        "resolution_due_at": "2025-03-22 05:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A09", "district": "Mardan", "channel": "RTI request",
        "category": "information_request", "priority": "urgent",
        "status": "in_progress", "requester_gender": "male",
        "received_at": "2025-03-25 05:00",
        "first_response_at": "2025-03-25 08:00",
        "first_response_minutes": 180, "first_response_business_minutes": 180,
        "first_response_due_at": "2025-03-25 07:00",
        "resolution_due_at": "2025-03-27 05:00",
    },
    {
        "inquiry_id": "A10", "district": "Mardan", "channel": "RTI request",
        "category": "information_request", "priority": "normal",
        "status": "resolved", "requester_gender": "male",
        "received_at": "2025-02-10 05:00",
        "first_response_at": "2025-02-10 06:00",
        "first_response_minutes": 60, "first_response_business_minutes": 60,
        "first_response_due_at": "2025-02-10 07:00",
        "resolved_at": "2025-03-04 05:00",
        "resolution_minutes": 31680, "resolution_business_minutes": 7680,
        "resolution_due_at": "2025-02-24 05:00",
    },
    {
        "inquiry_id": "A11", "district": "Swabi", "channel": "RTI request",
        "category": "information_request", "priority": "normal",
        "status": "resolved", "requester_gender": "unknown",
        "received_at": "2025-03-24 05:00",
        "first_response_at": "2025-03-24 06:00",
        "first_response_minutes": 60, "first_response_business_minutes": 60,
        "first_response_due_at": "2025-03-24 07:00",
        "resolved_at": "2025-03-28 05:00",
        "resolution_minutes": 5760, "resolution_business_minutes": 1920,
        "resolution_due_at": "2025-04-07 05:00",
    },
    {
        "inquiry_id": "A12", "district": "Peshawar", "channel": "Facebook",
        "category": "inquiry", "priority": "normal", "status": "no_reply_needed",
        "requester_gender": "unknown", "needs_reply": False,
        "received_at": "2025-03-06 10:00",
        "resolution_due_at": "2025-03-10 10:00",
    },
    {
        "inquiry_id": "A13", "district": None, "channel": "Helpline phone",
        "category": "inquiry", "priority": "normal", "status": "closed",
        "requester_gender": "female",
        "received_at": "2025-03-07 05:00",
        "first_response_at": "2025-03-07 05:15",
        "first_response_minutes": 15, "first_response_business_minutes": 15,
        "first_response_due_at": "2025-03-07 07:00",
        "resolved_at": "2025-03-07 07:00",
        "resolution_minutes": 120, "resolution_business_minutes": 120,
        "resolution_due_at": "2025-03-11 05:00",
    },
    {
        "inquiry_id": "A14", "district": "Khyber", "channel": "WhatsApp",
        "category": "complaint", "priority": "normal", "status": "open",
        "requester_gender": "male",
        "received_at": "2025-03-02 20:00",
        "first_response_at": "2025-03-03 04:30",
        "first_response_minutes": 510, "first_response_business_minutes": 30,
        "first_response_due_at": "2025-03-03 06:00",
        "resolution_due_at": "2025-03-17 04:00",
    },
    {
        "inquiry_id": "A15", "district": "Khyber", "channel": "Facebook",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "male",
        "received_at": "2025-03-02 18:00",
        "first_response_at": "2025-03-03 05:00",
        "first_response_minutes": 660, "first_response_business_minutes": 60,
        "first_response_due_at": "2025-03-03 06:00",
        "resolved_at": "2025-03-06 05:00",
        "resolution_minutes": 4980, "resolution_business_minutes": 1380,
        "resolution_due_at": "2025-03-17 04:00",
    },
    {
        "inquiry_id": "A16", "district": "Peshawar", "channel": "Helpline phone",
        "category": "emergency", "priority": "urgent", "status": "in_progress",
        "requester_gender": "female",
        "received_at": "2025-03-31 05:00",
        "first_response_at": "2025-03-31 05:10",
        "first_response_minutes": 10, "first_response_business_minutes": 10,
        "first_response_due_at": "2025-03-31 07:00",
        "resolution_due_at": "2025-03-31 12:00",
    },
    {
        "inquiry_id": "A17", "district": "Mardan", "channel": "Facebook",
        "category": "tip", "priority": "normal", "status": "open",
        "requester_gender": "unknown",
        "received_at": "2025-03-29 19:00",
        "first_response_due_at": "2025-03-31 06:00",
        "resolution_due_at": "2025-03-31 12:00",
    },
    {
        "inquiry_id": "A18", "district": "Swabi", "channel": "WhatsApp",
        "category": "feedback", "priority": "normal", "status": "in_progress",
        "requester_gender": "male",
        "received_at": "2025-03-26 19:00",
        "first_response_at": "2025-04-01 05:00",
        "first_response_minutes": 7800, "first_response_business_minutes": 1860,
        "first_response_due_at": "2025-03-27 06:00",
        "resolution_due_at": "2025-04-02 12:00",
    },
    {
        "inquiry_id": "A19", "district": "Peshawar", "channel": "Facebook",
        "category": "inquiry", "priority": "normal", "status": "open",
        "requester_gender": "female",
        "received_at": "2025-03-31 18:30",
        "first_response_due_at": "2025-04-01 06:00",
        "resolution_due_at": "2025-04-02 12:00",
    },
    {
        "inquiry_id": "A20", "district": "Mardan", "channel": "Helpline phone",
        "category": "complaint", "priority": "normal", "status": "open",
        "requester_gender": "male",
        "received_at": "2025-01-20 05:00",
        "first_response_due_at": "2025-01-20 07:00",
        "resolution_due_at": "2025-02-03 05:00",
    },
    {
        "inquiry_id": "A21", "district": "Peshawar", "channel": "Facebook",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "female",
        "received_at": "2025-02-12 05:00",
        "first_response_at": "2025-02-12 05:20",
        "first_response_minutes": 20, "first_response_business_minutes": 20,
        "first_response_due_at": "2025-02-12 07:00",
        "resolved_at": "2025-02-14 05:00",
        "resolution_minutes": 2880, "resolution_business_minutes": 960,
        "resolution_due_at": "2025-02-26 05:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A22", "district": "Swabi", "channel": "Facebook",
        "category": "complaint", "priority": "normal", "status": "referred",
        "requester_gender": "male", "needs_field_action": True,
        "received_at": "2025-02-25 05:00",
        "first_response_at": "2025-02-25 08:00",
        "first_response_minutes": 180, "first_response_business_minutes": 180,
        "first_response_due_at": "2025-02-25 07:00",
        "referred_at": "2025-02-28 17:00",
        "referral_minutes": 5040, "referral_business_minutes": 1440,
        "field_ack_at": "2025-03-02 10:00", "field_ack_minutes": 2460,
        "field_ack_due_at": "2025-03-01 17:00",
        "field_report_due_at": "2025-03-03 17:00",
        "resolution_due_at": "2025-03-11 05:00",
    },
    {
        "inquiry_id": "A23", "district": "Mardan", "channel": "Helpline phone",
        "category": "complaint", "priority": "normal", "status": "referred",
        "requester_gender": "female", "needs_field_action": True,
        "received_at": "2025-03-31 06:00",
        "first_response_at": "2025-03-31 06:10",
        "first_response_minutes": 10, "first_response_business_minutes": 10,
        "first_response_due_at": "2025-03-31 08:00",
        "referred_at": "2025-03-31 10:00",
        "referral_minutes": 240, "referral_business_minutes": 240,
        "field_ack_at": "2025-04-01 05:00", "field_ack_minutes": 1140,
        "field_ack_due_at": "2025-04-01 10:00",
        "field_report_at": "2025-04-02 10:00", "field_report_minutes": 2880,
        "field_report_due_at": "2025-04-03 10:00",
        "resolution_due_at": "2025-04-14 06:00",
    },
    {
        "inquiry_id": "A24", "district": "Peshawar", "channel": "X",
        "category": "complaint", "priority": "normal", "status": "closed",
        "requester_gender": "male", "needs_field_action": True,
        "received_at": "2025-03-17 05:00",
        "first_response_at": "2025-03-17 05:45",
        "first_response_minutes": 45, "first_response_business_minutes": 45,
        "first_response_due_at": "2025-03-17 07:00",
        "referred_at": "2025-03-17 08:00",
        "referral_minutes": 180, "referral_business_minutes": 180,
        "field_ack_due_at": "2025-03-18 08:00",
        "field_report_at": "2025-03-19 08:00", "field_report_minutes": 2880,
        "field_report_due_at": "2025-03-20 08:00",
        "resolved_at": "2025-03-21 05:00",
        "resolution_minutes": 5760, "resolution_business_minutes": 1920,
        "resolution_due_at": "2025-03-31 05:00",
        "satisfaction": "satisfied",
    },
    {
        "inquiry_id": "A25", "district": "Lower Chitral", "channel": "Facebook",
        "category": "inquiry", "priority": "normal", "status": "resolved",
        "requester_gender": "female",
        "received_at": "2025-03-18 05:00",
        "first_response_at": "2025-03-18 05:25",
        "first_response_minutes": 25, "first_response_business_minutes": 25,
        "first_response_due_at": "2025-03-18 07:00",
        "resolved_at": "2025-03-19 05:00",
        "resolution_minutes": 1440, "resolution_business_minutes": 480,
        "resolution_due_at": "2025-03-20 05:00",
    },
    {
        "inquiry_id": "A26", "district": "Upper Chitral", "channel": "WhatsApp",
        "category": "complaint", "priority": "normal", "status": "resolved",
        "requester_gender": "male",
        "received_at": "2025-03-19 05:00",
        "first_response_at": "2025-03-19 06:40",
        "first_response_minutes": 100, "first_response_business_minutes": 100,
        "first_response_due_at": "2025-03-19 07:00",
        "resolved_at": "2025-03-28 05:00",
        "resolution_minutes": 12960, "resolution_business_minutes": 3360,
        "resolution_due_at": "2025-04-01 05:00",
    },
    {
        "inquiry_id": "A27", "district": "Peshawar", "channel": "Helpline phone",
        "category": "inquiry", "priority": "normal", "status": "reopened",
        "requester_gender": "male",
        "received_at": "2025-03-10 05:00",
        "first_response_at": "2025-03-10 05:30",
        "first_response_minutes": 30, "first_response_business_minutes": 30,
        "first_response_due_at": "2025-03-10 07:00",
        "resolved_at": "2025-03-11 05:00",
        "resolution_minutes": 1440, "resolution_business_minutes": 480,
        "resolution_due_at": "2025-03-12 05:00",
        "reopened_at": "2025-03-20 05:00",
    },
    {
        "inquiry_id": "A28", "district": "Peshawar", "channel": "Walk-in",
        "category": "feedback", "priority": "normal", "status": "no_reply_needed",
        "requester_gender": "unknown", "needs_reply": False,
        "received_at": "2025-02-28 19:00",
    },
    {
        "inquiry_id": "A29", "district": "Mardan", "channel": "Walk-in",
        "category": "feedback", "priority": "normal", "status": "no_reply_needed",
        "requester_gender": "unknown", "needs_reply": False,
        "received_at": "2025-02-28 18:59",
    },
    {
        "inquiry_id": "A30", "district": "Peshawar", "channel": "Helpline phone",
        "category": "complaint", "priority": "normal", "status": "referred",
        "requester_gender": "male", "needs_field_action": True,
        "received_at": "2025-04-15 05:00",
        "first_response_at": "2025-04-15 05:20",
        "first_response_minutes": 20, "first_response_business_minutes": 20,
        "first_response_due_at": "2025-04-15 07:00",
        "referred_at": "2025-04-15 06:00",
        "referral_minutes": 60, "referral_business_minutes": 60,
        "field_ack_due_at": "2025-04-16 06:00",
        "field_report_due_at": "2025-04-18 06:00",
        "resolution_due_at": "2025-04-29 05:00",
    },
]  # fmt: skip


def inquiries_frame() -> pd.DataFrame:
    """The fixture rows as a typed DataFrame with every mart column."""
    frame = pd.DataFrame(INQUIRY_ROWS).reindex(columns=list(MART_COLUMNS))
    for column in TIMESTAMP_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["needs_reply"] = frame["needs_reply"].fillna(True).astype(bool)
    frame["needs_field_action"] = frame["needs_field_action"].fillna(False).astype(bool)
    local_dates = [ts.astimezone(KARACHI).date() for ts in frame["received_at"]]
    frame["received_date"] = local_dates
    frame["received_fiscal_year"] = [fiscal_year_label(d) for d in local_dates]
    frame["received_fiscal_quarter"] = [f"Q{fiscal_quarter(d)}" for d in local_dates]
    frame["is_social_channel"] = frame["channel"].isin(SOCIAL)
    by_district = DISTRICTS.set_index("district")
    frame["region"] = frame["district"].map(by_district["region"])
    frame["is_merged_district"] = frame["district"].map(by_district["is_merged_district"])
    frame["language"] = "Urdu"
    frame["source"] = "register"
    frame["is_own_source"] = True
    frame["first_response_recorded"] = True  # the register records first replies
    frame["source_file"] = "register_2025-04.xlsx"
    frame["source_row"] = range(2, len(frame) + 2)
    frame["load_id"] = "fixture-load"
    return frame


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The mart and ref tables of docs/warehouse.md, empty."""
    columns = ",\n    ".join(f"{name} {kind}" for name, kind in MART_COLUMNS.items())
    con.execute("create schema if not exists marts")
    con.execute("create schema if not exists ref")
    con.execute(f"create table marts.inquiries (\n    {columns}\n)")
    con.execute(
        "create table ref.districts (district varchar, region varchar, "
        "is_merged_district boolean, census_unit varchar)"
    )
    con.execute(
        "create table ref.census (census_unit varchar, population bigint, male bigint, "
        "female bigint, transgender bigint, area_sqkm double, population_2017 bigint)"
    )


def load_fixture(con: duckdb.DuckDBPyConnection) -> None:
    inquiries, districts, census = inquiries_frame(), DISTRICTS, CENSUS  # noqa: F841
    con.execute("insert into marts.inquiries by name select * from inquiries")
    con.execute("insert into ref.districts by name select * from districts")
    con.execute("insert into ref.census by name select * from census")


def fixture_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding the fixture, session time zone UTC."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    create_schema(con)
    load_fixture(con)
    return con
