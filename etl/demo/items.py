"""Which items reach the cell: how many a day, when, by which channel, from where, by whom.

One row per item with its arrival in minutes since the origin, channel,
category, district, requester's gender and language. The crisis week adds
items in the crisis districts (3-6.5x their normal volume) and comments on
it from elsewhere. Draws happen in a fixed order (see ``sample_items``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import vocab
from etl.demo.calendar import CLOSE, CRISIS_DISTRICTS, DAY, OPEN, BusinessCalendar
from etl.demo.reference import Districts
from etl.demo.sampling import objects, pick, pick_rows
from etl.demo.vocabulary import (
    BLANK_DISTRICT,
    CATEGORY_MIX,
    CHANNEL_MIX,
    CRISIS_CATEGORY_MIX,
    CRISIS_CHANNEL_MIX,
    CRISIS_PROFILE,
    GENDER_MIX,
    LANGUAGE_DEFAULT,
    LANGUAGE_MIX,
    WEEKDAY_VOLUME,
)

# Channels answered in an office: daytime arrivals rather than evening-heavy.
OFFICE_CHANNELS = ("Helpline phone", "Toll-free 0800", "Walk-in", "Letter",
                   "Pakistan Citizen Portal", "Email", "RTI request")  # fmt: skip
# Channels whose items arrive only on working days, in office hours.
COUNTER_CHANNELS = ("Walk-in", "Letter")


def sample_items(
    rng: np.random.Generator,
    cal: BusinessCalendar,
    ref: Districts,
    first: int,
    last: int,
    daily_volume: float,
    crisis_day: int,
) -> pd.DataFrame:
    """Items received on calendar days ``first..last-1``, sorted by arrival."""
    channels = list(vocab.CHANNELS)
    counts = item_volume(rng, cal, first, last, daily_volume)
    day = np.repeat(np.arange(first, last), counts)
    n = len(day)
    channel = pick(rng, [CHANNEL_MIX[c] for c in channels], n)
    p_blank = np.array([BLANK_DISTRICT.get(c, 0.0) for c in channels])[channel]
    district = pick(rng, ref.weights, n)
    district = np.where(rng.random(n) < p_blank, len(ref.names), district)
    extra = _crisis_items(rng, ref, counts, first, last, crisis_day)
    crisis = np.zeros(n, bool)
    if extra:
        day = np.concatenate([day, *extra[0]])
        district = np.concatenate([district, *extra[1]])
        channel = np.concatenate([channel, *extra[2]])
        crisis = np.concatenate([crisis, np.ones(len(day) - n, bool)])

    channel_name = np.array(channels, dtype=object)[channel]
    received = _arrival(rng, cal, day, channel_name, last)
    category = _categories(rng, channel, channel_name, crisis)
    merged = np.concatenate([ref.merged, [False]])[district]
    gender = _genders(rng, channel, merged)
    names = np.array([*ref.names, ""], dtype=object)
    language = _languages(rng, names, district)

    frame = pd.DataFrame(
        {
            "received": received,
            "channel": objects(channel_name),
            "category": objects(np.array(vocab.CATEGORIES, dtype=object)[category]),
            "district": objects(names[district]),
            "district_idx": district,
            "merged": merged,
            "requester_gender": objects(gender),
            "language": objects(language),
            "crisis": crisis,
        }
    )
    return frame.sort_values("received", kind="stable").reset_index(drop=True)


def item_volume(
    rng: np.random.Generator, cal: BusinessCalendar, first: int, last: int, daily_volume: float
) -> np.ndarray:
    """Items per day for calendar days ``first..last-1`` (trend, week, holidays)."""
    day = np.arange(first, last)
    trend = 0.6 + 0.8 * (day - first) / max(last - first - 1, 1)
    factor = (
        trend * np.take(WEEKDAY_VOLUME, cal.weekday[day]) * np.where(cal.holiday[day], 0.7, 1.0)
    )
    lam = daily_volume * factor / factor.mean()
    return rng.poisson(lam)


def _crisis_items(
    rng: np.random.Generator,
    ref: Districts,
    counts: np.ndarray,
    first: int,
    last: int,
    crisis_day: int,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]] | None:
    """The crisis week's extra items: (days, districts, channels), or None outside it.

    The crisis districts at 3-6.5x their normal volume, people elsewhere
    commenting on it (no district) at about 2x.
    """
    channels = list(vocab.CHANNELS)
    blank = len(ref.names)
    crisis_idx = [ref.names.index(d) for d in CRISIS_DISTRICTS]
    share = ref.weights[crisis_idx].sum() * 0.9
    extra_days, extra_district, extra_channel = [], [], []
    base = counts.mean()
    for k, factor in enumerate(CRISIS_PROFILE):
        d = crisis_day + k
        if not first <= d < last:
            continue
        expected = counts[d - first] if counts[d - first] else base
        m = rng.poisson(expected * share * (factor - 1.0))
        extra_days.append(np.full(m, d))
        extra_district.append(
            rng.choice(
                crisis_idx, size=m, p=ref.weights[crisis_idx] / ref.weights[crisis_idx].sum()
            )
        )
        extra_channel.append(pick(rng, [CRISIS_CHANNEL_MIX.get(c, 0.0) for c in channels], m))
        c = rng.poisson(expected * 0.1 * (factor - 1.0) / 3.0)
        extra_days.append(np.full(c, d))
        extra_district.append(np.full(c, blank))
        extra_channel.append(pick(rng, [CRISIS_CHANNEL_MIX.get(ch, 0.0) for ch in channels], c))
    return (extra_days, extra_district, extra_channel) if extra_days else None


def _time_of_day(rng: np.random.Generator, office: np.ndarray) -> np.ndarray:
    """Minutes after midnight: evening-heavy for social media, daytime for offices."""
    social = np.array([1.2, 0.8, 0.5, 0.3, 0.3, 0.5, 1.0, 1.8, 2.8, 3.8, 4.6, 5.0, 5.0, 4.8,
                       4.6, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6, 5.2, 3.8, 2.2])  # fmt: skip
    daytime = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3.0, 5.0, 6.0, 6.0, 5.5, 5.0,
                        5.5, 5.5, 5.0, 4.0, 3.0, 2.5, 2.0, 1.5, 1.0, 0.6])  # fmt: skip
    matrix = np.vstack([social, daytime])
    hour = pick_rows(rng, matrix, office.astype(int))
    return hour * 60.0 + rng.random(len(office)) * 60.0


def _arrival(
    rng: np.random.Generator,
    cal: BusinessCalendar,
    day: np.ndarray,
    channel_name: np.ndarray,
    last: int,
) -> np.ndarray:
    """Minutes since the origin at which each item arrives (moves counter items' ``day``)."""
    minute = _time_of_day(rng, np.isin(channel_name, OFFICE_CHANNELS))
    # Walk-ins and letters arrive on working days, in office hours.
    counter = np.isin(channel_name, COUNTER_CHANNELS)
    if counter.any():
        work_days = np.flatnonzero(cal.working[:last])
        k = np.searchsorted(work_days, day[counter])
        # The next working day, or the previous one at the end of the period.
        k = np.where(k < len(work_days), k, len(work_days) - 1)
        day[counter] = work_days[k]
        minute[counter] = OPEN + 15 + rng.random(counter.sum()) * (CLOSE - OPEN - 45)
    return day * DAY + minute


def _categories(
    rng: np.random.Generator, channel: np.ndarray, channel_name: np.ndarray, crisis: np.ndarray
) -> np.ndarray:
    """Each item's category (index into ``vocab.CATEGORIES``), by channel or the crisis mix."""
    matrix = np.array([CATEGORY_MIX[c] for c in vocab.CHANNELS])
    category = pick_rows(rng, matrix, channel)
    if crisis.any():
        category[crisis] = pick(rng, CRISIS_CATEGORY_MIX, crisis.sum())
        category[crisis & (channel_name == "RTI request")] = 2  # information_request
    return category


def _genders(rng: np.random.Generator, channel: np.ndarray, merged: np.ndarray) -> np.ndarray:
    """Requester's gender by channel; fewer women write from the merged districts."""
    gender_mix = np.array([GENDER_MIX[c] for c in vocab.CHANNELS])[channel]
    female = gender_mix[:, 0] * np.where(merged, 0.6, 1.05)
    trans = gender_mix[:, 1]
    unknown = gender_mix[:, 2]
    u = rng.random(len(channel))
    return np.where(
        u < female,
        "female",
        np.where(
            u < female + trans,
            "transgender",
            np.where(u < female + trans + unknown, "unknown", "male"),
        ),
    ).astype(object)


def _languages(rng: np.random.Generator, names: np.ndarray, district: np.ndarray) -> np.ndarray:
    """The language the requester used, by district; 1 % left blank."""
    lang_rows = np.array([LANGUAGE_MIX.get(name, LANGUAGE_DEFAULT) for name in names], dtype=float)
    language = np.array(vocab.LANGUAGES, dtype=object)[pick_rows(rng, lang_rows, district)]
    language[rng.random(len(district)) < 0.01] = ""
    return language
