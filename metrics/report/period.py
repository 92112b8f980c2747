"""The period a donor report covers, and the periods it compares with.

A report covers one calendar month (``2026-10``) or one fiscal quarter
(``FY2026-27Q1``: Pakistan's fiscal year runs July to June, so Q1 of
FY2026-27 is July-September 2026). Beside the period itself it shows the
previous period (the month or quarter before), the fiscal year to date
(1 July up to the period's end) and the same period a year earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from metrics.filters import Filters, fiscal_year_label, fiscal_year_start

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^FY(\d{4})-(\d{2})\s*Q([1-4])$", re.IGNORECASE)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ReportPeriod:
    """A whole month or fiscal quarter; ``start`` and ``end`` inclusive."""

    kind: str  # "month" or "quarter"
    start: date
    end: date

    @property
    def code(self) -> str:
        """``2026-10`` or ``FY2026-27Q1``: what the command line takes, and file names."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{fiscal_year_label(self.start)}Q{self.quarter}"

    @property
    def quarter(self) -> int:
        return (self.start.month - 7) % 12 // 3 + 1

    @property
    def label(self) -> str:
        """``October 2026`` or ``FY2026-27 Q1 (July–September 2026)``."""
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        months = f"{self.start:%B}–{self.end:%B %Y}"
        if self.start.year != self.end.year:
            months = f"{self.start:%B %Y}–{self.end:%B %Y}"
        return f"{fiscal_year_label(self.start)} Q{self.quarter} ({months})"

    @property
    def short_label(self) -> str:
        """``October 2026`` or ``FY2026-27 Q1``."""
        if self.kind == "month":
            return self.label
        return f"{fiscal_year_label(self.start)} Q{self.quarter}"

    @property
    def fiscal_year(self) -> str:
        return fiscal_year_label(self.start)

    def filters(self, base: Filters | None = None) -> Filters:
        """``base``'s regions, districts, channels and sources over this period."""
        if base is None:
            return Filters(self.start, self.end)
        return replace(base, start=self.start, end=self.end)

    def previous(self) -> ReportPeriod:
        """The month or quarter just before (as ``Filters.previous`` counts it)."""
        months = 1 if self.kind == "month" else 3
        start = add_months(self.start, -months)
        return ReportPeriod(self.kind, start, self.start - timedelta(days=1))

    def last_year(self) -> ReportPeriod:
        """The same month or quarter one year earlier."""
        start = add_months(self.start, -12)
        end = add_months(self.end + timedelta(days=1), -12) - timedelta(days=1)
        return ReportPeriod(self.kind, start, end)

    def fiscal_year_to_date(self) -> tuple[date, date]:
        """(1 July of the period's fiscal year, the period's last day)."""
        return fiscal_year_start(self.start), self.end

    def is_complete(self, today: date) -> bool:
        """True once the period has ended (``today`` is a Pakistan date)."""
        return today > self.end


def month(year: int, month_number: int) -> ReportPeriod:
    start = date(year, month_number, 1)
    return ReportPeriod("month", start, add_months(start, 1) - timedelta(days=1))


def fiscal_quarter(first_year: int, quarter: int) -> ReportPeriod:
    """Quarter ``quarter`` (1-4) of the fiscal year starting 1 July ``first_year``."""
    start = add_months(date(first_year, 7, 1), 3 * (quarter - 1))
    return ReportPeriod("quarter", start, add_months(start, 3) - timedelta(days=1))


def parse_period(text: str) -> ReportPeriod:
    """``2026-10`` (a month) or ``FY2026-27Q1`` (a fiscal quarter).

    Raises ``ValueError`` saying what was expected.
    """
    value = text.strip()
    found = _MONTH.match(value)
    if found:
        year, number = int(found.group(1)), int(found.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"{text!r}: month {number} is not 01-12")
        return month(year, number)
    found = _QUARTER.match(value)
    if found:
        first, second, quarter = int(found.group(1)), int(found.group(2)), int(found.group(3))
        if (first + 1) % 100 != second:
            raise ValueError(
                f"{text!r}: a fiscal year runs July to June, so FY{first} is followed by "
                f"{(first + 1) % 100:02d} (e.g. FY{first}-{(first + 1) % 100:02d}Q1)"
            )
        return fiscal_quarter(first, quarter)
    raise ValueError(
        f"{text!r} is not a period: give a month as YYYY-MM (2026-10) or a fiscal "
        "quarter as FYyyyy-yyQn (FY2026-27Q1 = July-September 2026)"
    )


def recent_periods(kind: str, today: date, count: int = 24) -> list[ReportPeriod]:
    """The ``count`` latest months or fiscal quarters up to the one holding
    ``today``, newest first (the first one may not have ended yet)."""
    if kind == "month":
        current = month(today.year, today.month)
    elif kind == "quarter":
        first = today.year if today.month >= 7 else today.year - 1
        current = fiscal_quarter(first, (today.month - 7) % 12 // 3 + 1)
    else:
        raise ValueError(f"unknown period kind {kind!r}: month or quarter")
    periods = [current]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
