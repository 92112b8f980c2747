"""The report's periods: months and fiscal quarters, worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from metrics.report.period import ReportPeriod, parse_period, recent_periods


def test_a_month_and_what_it_compares_with():
    october = parse_period("2026-10")
    assert (october.kind, october.start, october.end) == (
        "month",
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    assert october.label == "October 2026" and october.code == "2026-10"
    assert october.previous() == ReportPeriod("month", date(2026, 9, 1), date(2026, 9, 30))
    assert october.last_year() == ReportPeriod("month", date(2025, 10, 1), date(2025, 10, 31))
    # FY2026-27 began on 1 July 2026.
    assert october.fiscal_year_to_date() == (date(2026, 7, 1), date(2026, 10, 31))
    assert october.fiscal_year == "FY2026-27"
    march = parse_period("2024-03")  # a leap year: 29 days in February
    assert march.previous().end == date(2024, 2, 29)
    assert march.fiscal_year_to_date() == (date(2023, 7, 1), date(2024, 3, 31))


def test_a_fiscal_quarter():
    q1 = parse_period("FY2026-27Q1")
    assert (q1.start, q1.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert q1.label == "FY2026-27 Q1 (July–September 2026)" and q1.code == "FY2026-27Q1"
    assert q1.previous() == ReportPeriod("quarter", date(2026, 4, 1), date(2026, 6, 30))
    assert q1.previous().short_label == "FY2025-26 Q4"
    assert q1.last_year() == ReportPeriod("quarter", date(2025, 7, 1), date(2025, 9, 30))
    q3 = parse_period("fy2026-27 q3")
    assert (q3.start, q3.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert q3.fiscal_year_to_date() == (date(2026, 7, 1), date(2027, 3, 31))
    q2 = parse_period("FY2026-27Q2")
    assert q2.label == "FY2026-27 Q2 (October–December 2026)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "month 13 is not 01-12"),
        ("FY2026-28Q1", "followed by 27"),
        ("FY2026-27Q5", "is not a period"),
        ("October", "is not a period"),
    ],
)
def test_bad_periods_are_refused_with_what_was_expected(text, message):
    with pytest.raises(ValueError, match=message):
        parse_period(text)


def test_recent_periods_newest_first():
    months = recent_periods("month", date(2026, 12, 6), count=3)
    assert [p.code for p in months] == ["2026-12", "2026-11", "2026-10"]
    assert not months[0].is_complete(date(2026, 12, 6)) and months[1].is_complete(date(2026, 12, 6))
    quarters = recent_periods("quarter", date(2026, 12, 6), count=3)
    assert [p.code for p in quarters] == ["FY2026-27Q2", "FY2026-27Q1", "FY2025-26Q4"]


def test_the_report_package_never_imports_streamlit():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, metrics.report.data, metrics.report.build, metrics.report.__main__; "
        "print('streamlit' in sys.modules, 'kaleido' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    # No streamlit in metrics; kaleido (a browser driver) only when images are made.
    assert done.stdout.split() == ["False", "False"]
