"""The filters every metric takes: period, region, district, channel, source.

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

# The cell's own inquiry register (its items on every channel, social ones
# included), as marts.inquiries names its source. Items read from other
# organisations' systems through a column mapping carry the mapping's name.
OWN_SOURCES: tuple[str, ...] = ("register",)

PRESETS: tuple[str, ...] = (
    "This month",
    "Last month",
    "This fiscal quarter",
    "Last fiscal quarter",
    "Fiscal year to date",
    "Last fiscal year",
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
    sources: tuple[str, ...] = ()
    """``marts.inquiries.source``: ``register`` (``OWN_SOURCES``) or a column
    mapping's name. The dashboard's sidebar starts at ``OWN_SOURCES``."""
    genders: tuple[str, ...] = ()
    """``marts.inquiries.requester_gender`` (female, male, transgender,
    unknown): the report's disaggregation by requester gender."""
    scope: tuple[str, ...] | None = None
    """The districts the logged-in user may see, set by
    ``auth.policy.scoped_filters`` (``ui.queries`` applies it to every
    query): None, no limit; a tuple, only items of those districts, and none
    at all when it is empty. ``metrics.scope.scope_params`` enforces it on
    every query's ``$districts``, whatever the other fields say."""

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

    def same_period_last_year(self) -> Filters:
        """The same filters over the same dates a year earlier (29 Feb -> 28 Feb).

        A whole calendar month (or run of months) compares with the same
        whole months a year before.
        """
        whole_months = self.start.day == 1 and (self.end + timedelta(days=1)).day == 1
        if whole_months:
            end = _add_months(self.end.replace(day=1), -11) - timedelta(days=1)
            return replace(self, start=_add_months(self.start, -12), end=end)
        return replace(self, start=_year_earlier(self.start), end=_year_earlier(self.end))

    def with_district(self, district: str) -> Filters:
        """These filters narrowed to one district (the user's scope still applies)."""
        return replace(self, districts=(district,))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _year_earlier(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else day.day))


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
    if preset == "Last fiscal quarter":
        quarter_start = _add_months(fiscal_year_start(today), 3 * (fiscal_quarter(today) - 1))
        return _add_months(quarter_start, -3), quarter_start - timedelta(days=1)
    if preset == "Fiscal year to date":
        return fiscal_year_start(today), today
    if preset == "Last fiscal year":
        year_start = fiscal_year_start(today)
        return year_start.replace(year=year_start.year - 1), year_start - timedelta(days=1)
    raise ValueError(f"unknown period preset {preset!r}; choose one of {', '.join(PRESETS)}")
