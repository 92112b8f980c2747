"""The filters every metric takes: period, region, district, channel.

A ``Filters`` value is explicit, immutable and hashable, so a page can cache
on it and a future login can narrow it to a user's scope before any query
runs. Periods are Asia/Karachi calendar dates, both ends inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KARACHI = ZoneInfo("Asia/Karachi")
UTC = ZoneInfo("UTC")

PRESETS: tuple[str, ...] = (
    "This month",
    "Last month",
    "This fiscal quarter",
    "Fiscal year to date",
    "Custom",
)


@dataclass(frozen=True)
class Filters:
    """What a user asked to see. Empty tuples mean "all"."""

    start: date
    end: date
    regions: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def start_at(self) -> datetime:
        """First instant of the period, in UTC."""
        return datetime.combine(self.start, time(0), KARACHI).astimezone(UTC)

    @property
    def end_at(self) -> datetime:
        """First instant after the period, in UTC (the period is [start_at, end_at))."""
        return datetime.combine(self.end + timedelta(days=1), time(0), KARACHI).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The same filters over the period of equal length just before this one.

        A whole calendar month compares with the whole month before it, so
        "this month" and "last month" line up however long each month is.
        """
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            prev_end = self.start - timedelta(days=1)
            prev_start = _add_months(self.start, -months)
            return replace(self, start=prev_start, end=prev_end)
        prev_end = self.start - timedelta(days=1)
        return replace(self, start=prev_end - timedelta(days=self.days - 1), end=prev_end)

    def with_district(self, district: str) -> Filters:
        """These filters narrowed to one district."""
        return replace(self, districts=(district,))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def fiscal_year_start(day: date) -> date:
    """1 July of the Pakistan fiscal year that ``day`` falls in."""
    return date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def fiscal_year_label(day: date) -> str:
    """``FY2025-26`` for any day from 1 July 2025 to 30 June 2026."""
    first = fiscal_year_start(day).year
    return f"FY{first}-{str(first + 1)[-2:]}"


def fiscal_quarter(day: date) -> int:
    """1..4; Q1 is July-September."""
    return ((day.month - 7) % 12) // 3 + 1


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """(start, end) of a named period preset, as of ``today``."""
    if preset == "This month":
        return today.replace(day=1), today
    if preset == "Last month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "This fiscal quarter":
        quarter_start = _add_months(fiscal_year_start(today), 3 * (fiscal_quarter(today) - 1))
        return quarter_start, today
    if preset == "Fiscal year to date":
        return fiscal_year_start(today), today
    raise ValueError(f"unknown period preset {preset!r}; choose one of {', '.join(PRESETS)}")
