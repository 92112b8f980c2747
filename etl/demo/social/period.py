"""The social demo's period, its crisis week, and how a post's lifetime counts grow.

Days are counted from ``start`` (PKT calendar days); data end the day
before ``end``. A post's lifetime metrics follow one curve (most of it in
the first days, a long tail after), so a later download never shows less
than an earlier one, and an account's daily figures are what its posts
added that day. Exports are downloaded in overlapping ``Window``s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from etl.demo.calendar import CRISIS_DAYS, crisis_week_start, months_before

# Attention on each day of the crisis week (x normal), then two days of tail.
CRISIS_ATTENTION = (2.5, 5.0, 5.5, 4.5, 3.5, 2.5, 2.0, 1.5, 1.2)
# Lifetime curve: most of a post's reach in its first days, a long tail after.
FAST_SHARE, FAST_DAYS, SLOW_DAYS = 0.82, 0.9, 40.0
TAIL_DAYS = 240  # daily increments are computed this far after publication


@dataclass(frozen=True)
class Period:
    """Days ``0..days-1`` from ``start``; data end the day before ``end``."""

    start: date
    end: date
    crisis_day: int | None  # day index of the crisis Monday, None if outside

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def dates(self, first: int = 0, last: int | None = None) -> np.ndarray:
        """datetime64[D] of days ``first..last-1``."""
        last = self.days if last is None else last
        return np.datetime64(self.start, "D") + np.arange(first, last)

    def attention(self) -> np.ndarray:
        """Crisis attention multiplier per day (1 outside the crisis)."""
        out = np.ones(self.days)
        if self.crisis_day is not None:
            for k, factor in enumerate(CRISIS_ATTENTION):
                if 0 <= self.crisis_day + k < self.days:
                    out[self.crisis_day + k] = factor
        return out

    def in_crisis(self, day: np.ndarray) -> np.ndarray:
        if self.crisis_day is None:
            return np.zeros(len(day), bool)
        return (day >= self.crisis_day) & (day < self.crisis_day + CRISIS_DAYS)

    def stamp(self, t: np.ndarray) -> np.ndarray:
        """Days since ``start`` (PKT wall clock) as datetime64[s]."""
        seconds = np.floor(np.asarray(t) * 86400.0 + 1e-6).astype(np.int64)
        return np.datetime64(self.start, "s") + seconds.astype("timedelta64[s]")


def make_period(end_date: date, months: int) -> Period:
    """The ``months`` months before ``end_date``, with the register demo's crisis week."""
    start = months_before(end_date, months)
    crisis = (crisis_week_start(end_date) - start).days
    return Period(start, end_date, crisis if 0 <= crisis < (end_date - start).days else None)


def lifetime_share(age_days: np.ndarray) -> np.ndarray:
    """Share of a post's final lifetime metrics reached ``age_days`` after it was posted."""
    age = np.maximum(np.asarray(age_days, float), 0.0)
    fast = FAST_SHARE * (1.0 - np.exp(-age / FAST_DAYS))
    return fast + (1.0 - FAST_SHARE) * (1.0 - np.exp(-age / SLOW_DAYS))


def snapshot(totals: np.ndarray, t: np.ndarray, at: float) -> np.ndarray:
    """Lifetime counts of posts published at ``t`` as downloaded at ``at`` (days)."""
    return np.floor(np.asarray(totals, float) * lifetime_share(at - t) + 1e-9).astype(np.int64)


def daily_increments(
    period: Period, t: np.ndarray, totals: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per-day sums of what every post adds to each metric (the account's daily view)."""
    offsets = np.arange(TAIL_DAYS + 1)
    first = np.floor(t).astype(np.int64)
    day = first[:, None] + offsets[None, :]
    share = lifetime_share(day + 1 - t[:, None]) - lifetime_share(day - t[:, None])
    keep = day < period.days
    index = day[keep]
    out = {}
    for name, values in totals.items():
        weights = (np.asarray(values, float)[:, None] * share)[keep]
        out[name] = np.bincount(index, weights=weights, minlength=period.days)
    return out


# ---------------------------------------------------------------------------
# Download schedules


@dataclass(frozen=True)
class Window:
    """An export covering days ``first..last`` (inclusive), downloaded at 00:00 on day ``at``."""

    first: int
    last: int
    at: int


def download_windows(
    rng: np.random.Generator, period: Period, spacing: int, overlap: tuple[int, int]
) -> list[Window]:
    """Exports downloaded every ``spacing`` days or so, each reaching back ``overlap``
    days into the previous one; the last is downloaded on ``end_date``."""
    cuts = [0]
    while cuts[-1] + spacing + 10 < period.days:
        cuts.append(cuts[-1] + spacing + int(rng.integers(-4, 5)))
    cuts.append(period.days)
    windows = []
    for k in range(1, len(cuts)):
        back = 0 if k == 1 else int(rng.integers(overlap[0], overlap[1] + 1))
        windows.append(Window(max(cuts[k - 1] - back, 0), cuts[k] - 1, cuts[k]))
    return windows


def in_window(posts: dict[str, np.ndarray], window: Window) -> np.ndarray:
    return np.flatnonzero((posts["day"] >= window.first) & (posts["day"] <= window.last))
