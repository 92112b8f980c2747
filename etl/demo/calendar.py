"""The demo's clock: seed, time zone, staffed hours, working days and the crisis week.

Every demo export (the registers, the social exports, and any register
added later) takes its dates from here, so they all tell one story: data
end at 00:00 Asia/Karachi on ``end_date``, the period is the ``months``
months before it, and the crisis week (``crisis_week``: Kurram, Orakzai,
Hangu) is the same seven days everywhere.

The register generator counts time in minutes since an ``origin`` (naive
Asia/Karachi wall clock); :class:`BusinessCalendar` shifts such times by
business minutes (staffed hours on working days) in one vectorised step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np
import pandas as pd

DEMO_SEED = 20230904  # the media cell's launch, 4 September 2023
TIMEZONE = "Asia/Karachi"

DAY = 1440.0  # minutes
OPEN, CLOSE = 9 * 60, 17 * 60  # staffed hours, PKT (data/config/settings.yaml)

CRISIS_DISTRICTS = ("Kurram", "Orakzai", "Hangu")
CRISIS_DAYS = 7  # the crisis week: Monday to Sunday

Progress = Callable[[float, str], None]


def default_end_date() -> date:
    """Today in Asia/Karachi."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier: where a demo period starts."""
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def midnight(day: date) -> datetime:
    """00:00 (naive, Asia/Karachi wall clock) on ``day``."""
    return datetime.combine(day, datetime.min.time())


def fiscal_year(day: date) -> str:
    """Pakistan fiscal year (July-June) of ``day``, e.g. ``FY2024-25``."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"FY{start}-{(start + 1) % 100:02d}"


def crisis_week_start(end_date: date) -> date:
    """The demo's crisis week starts on the Monday about four months before ``end_date``.

    Every demo export (register, social) puts its crisis in the same week.
    """
    crisis_date = end_date - timedelta(days=120)
    return crisis_date - timedelta(days=crisis_date.weekday())


def crisis_week(end_date: date) -> tuple[date, ...]:
    """The seven days of the demo's crisis week (Monday first) for ``end_date``."""
    start = crisis_week_start(end_date)
    return tuple(start + timedelta(days=k) for k in range(CRISIS_DAYS))


class BusinessCalendar:
    """Working days and business minutes of the cell, for vectorised shifts.

    Times are minutes since 00:00 on ``origin``; day ``k`` is ``origin + k``.
    Sundays and Pakistan's public holidays are not working days.
    """

    def __init__(self, origin: date, days: int):
        self.origin = origin
        dates = pd.date_range(origin, periods=days, freq="D")
        years = range(dates[0].year, dates[-1].year + 1)
        holiday = holidays_lib.country_holidays("PK", years=years)
        self.weekday = dates.day_of_week.to_numpy()
        listed = np.array(sorted(holiday), dtype="datetime64[D]")
        self.holiday = np.isin(dates.to_numpy().astype("datetime64[D]"), listed)
        self.working = (self.weekday != 6) & ~self.holiday
        minutes = np.where(self.working, CLOSE - OPEN, 0).astype(float)
        self.cum = np.concatenate([[0.0], np.cumsum(minutes)[:-1]])
        self.cum_end = self.cum + minutes
        self.days = days

    def day_of(self, t: np.ndarray) -> np.ndarray:
        days = np.floor(np.nan_to_num(np.asarray(t, float) / DAY, nan=0.0))
        return np.clip(days, 0, self.days - 1).astype(np.int64)

    def business(self, t: np.ndarray) -> np.ndarray:
        """Business minutes from the origin up to ``t`` (NaN stays NaN)."""
        d = self.day_of(t)
        within = np.clip(t - d * DAY - OPEN, 0, CLOSE - OPEN)
        return self.cum[d] + np.where(self.working[d], within, 0.0)

    def wall(self, b: np.ndarray) -> np.ndarray:
        """The wall-clock time at which ``b`` business minutes have passed."""
        d = np.clip(np.searchsorted(self.cum_end, b, side="left"), 0, self.days - 1)
        return d * DAY + OPEN + (b - self.cum[d])  # NaN stays NaN

    def shift(self, t: np.ndarray, business_minutes: np.ndarray) -> np.ndarray:
        """``t`` plus a delay counted in business minutes (waits for opening)."""
        return np.maximum(self.wall(self.business(t) + business_minutes), t)


@dataclass(frozen=True)
class Timeline:
    """A register demo's time frame, counted in minutes since 00:00 on ``origin``.

    Items arrive on calendar days ``first..last-1`` (``start`` to the day
    before ``end``); the registers are exported at ``as_of``, 00:00 on
    ``end``. ``origin`` is the day before ``start``, so day 0 holds nothing.
    """

    start: date
    end: date
    origin: date
    crisis_start: date

    @classmethod
    def of(cls, end_date: date, months: int) -> Timeline:
        """The ``months`` months before ``end_date``."""
        start = months_before(end_date, months)
        return cls(start, end_date, start - timedelta(days=1), crisis_week_start(end_date))

    @property
    def first(self) -> int:
        return 1

    @property
    def last(self) -> int:
        return (self.end - self.origin).days

    @property
    def as_of(self) -> float:
        """00:00 on ``end`` in minutes since the origin."""
        return float(self.last) * DAY

    @property
    def crisis_day(self) -> int:
        """Day index of the crisis week's Monday."""
        return (self.crisis_start - self.origin).days

    @property
    def origin_time(self) -> datetime:
        return midnight(self.origin)

    def business_calendar(self) -> BusinessCalendar:
        """Working days from the origin to well after ``end`` (late steps need them)."""
        return BusinessCalendar(self.origin, self.last + 400)
