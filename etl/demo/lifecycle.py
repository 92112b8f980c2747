"""What happens to each item: the true time of every step, in minutes since the origin.

First human reply in business time, referral to the district police and its
field steps in calendar time, resolution, reopening and a satisfaction
survey; spam, duplicates, items needing no reply and unanswered social
comments as a cell meets them. The crisis week and the week after it carry a
backlog. NaN means the step never happens. The draws happen in a fixed
order (the order of the calls in ``lifecycle``): change it and every later
number changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import vocab
from etl.demo.calendar import CLOSE, CRISIS_DISTRICTS, DAY, OPEN, BusinessCalendar
from etl.demo.reference import Districts
from etl.demo.sampling import lognormal, objects, per_channel
from etl.demo.vocabulary import EVENT_CHANNELS, FIRST_REPLY_MEDIAN

# Share of items referred to the RPO/DPO for field action, by category.
REFERRAL_SHARE: dict[str, float] = {
    "complaint": 0.80,
    "inquiry": 0.20,
    "information_request": 0.25,
    "tip": 0.85,
    "feedback": 0.02,
    "emergency": 0.95,
}


@dataclass(frozen=True)
class _Facts:
    """What the steps read of the items: one array element per item."""

    n: int
    recv: np.ndarray
    channel: np.ndarray
    category: np.ndarray
    district: np.ndarray
    known: np.ndarray
    merged: np.ndarray
    social: np.ndarray
    day: np.ndarray
    weekday: np.ndarray
    emergency: np.ndarray
    in_crisis_district: np.ndarray
    load: np.ndarray
    """How busy the cell is: 4x in the crisis week, 2x the week after (x1.5 crisis districts)."""


@dataclass(frozen=True)
class _Kinds:
    spam: np.ndarray
    duplicate: np.ndarray
    no_reply: np.ndarray
    unanswered: np.ndarray

    @property
    def not_item(self) -> np.ndarray:
        return self.spam | self.duplicate


def lifecycle(
    rng: np.random.Generator,
    cal: BusinessCalendar,
    ref: Districts,
    items: pd.DataFrame,
    crisis_day: int,
) -> pd.DataFrame:
    """The true times of every step, in minutes since the origin (NaN: never)."""
    f = _facts(cal, items, crisis_day)
    kinds = _kinds(rng, f)
    priority = _priority(rng, f)
    fr = _first_reply(rng, cal, f)
    referred = ~kinds.not_item & ~kinds.no_reply & ~kinds.unanswered & f.known
    referred &= rng.random(f.n) < pd.Series(f.category).map(REFERRAL_SHARE).to_numpy()
    ref_t, ack, report, stalled = _field_steps(rng, cal, ref, f, fr)
    res = _resolution(rng, cal, f, kinds, priority, referred, fr, report, stalled)
    fr = np.where(kinds.not_item | kinds.no_reply | kinds.unanswered, np.nan, fr)
    reopen, reo, res2 = _reopening(rng, cal, f, kinds, res)
    satisfaction = _satisfaction(rng, f, kinds, res, reopen, res2)

    kind = np.where(kinds.spam, "spam", np.where(kinds.duplicate, "duplicate", np.where(
        kinds.no_reply, "no_reply_needed", "item")))  # fmt: skip
    out = items.copy()
    out["kind"] = objects(kind)
    out["priority"] = objects(priority)
    out["first_response"] = fr
    out["referred_at"] = np.where(referred, ref_t, np.nan)
    out["field_ack"] = np.where(referred, ack, np.nan)
    out["field_report"] = np.where(referred, report, np.nan)
    out["resolved_first"] = res
    out["reopened"] = reo
    out["resolved_again"] = res2
    out["unanswered"] = kinds.unanswered
    out["closed_flag"] = rng.random(f.n) < 0.12
    out["satisfaction_truth"] = objects(satisfaction)
    out["events"] = np.isin(f.channel, EVENT_CHANNELS)
    return out


def _facts(cal: BusinessCalendar, items: pd.DataFrame, crisis_day: int) -> _Facts:
    recv = items["received"].to_numpy()
    category = items["category"].to_numpy()
    day = cal.day_of(recv)
    # Crisis backlog: the week itself and the week after.
    crisis_week = (day >= crisis_day) & (day < crisis_day + 7)
    after_week = (day >= crisis_day + 7) & (day < crisis_day + 14)
    in_crisis_district = (
        items["crisis"].to_numpy()
        | np.isin(items["district"].to_numpy(), CRISIS_DISTRICTS) & crisis_week
    )
    load = np.where(crisis_week, 4.0, np.where(after_week, 2.0, 1.0))
    load = load * np.where(in_crisis_district, 1.5, 1.0)
    return _Facts(
        n=len(items),
        recv=recv,
        channel=items["channel"].to_numpy(),
        category=category,
        district=items["district_idx"].to_numpy(),
        known=items["district"].to_numpy() != "",
        merged=items["merged"].to_numpy(),
        social=np.isin(items["channel"].to_numpy(), list(vocab.SOCIAL_CHANNELS)),
        day=day,
        weekday=cal.weekday[day],
        emergency=category == "emergency",
        in_crisis_district=in_crisis_district,
        load=load,
    )


def _kinds(rng: np.random.Generator, f: _Facts) -> _Kinds:
    """What kind of item this is: spam, a duplicate, needing no reply, left unanswered."""
    n, category, social = f.n, f.category, f.social
    u = rng.random(n)
    spam = social & (u < 0.013)
    duplicate = np.isin(f.channel, ["Facebook", "WhatsApp", "X"]) & (u >= 0.013) & (u < 0.018)
    not_item = spam | duplicate
    no_reply = ~not_item & (
        ((category == "feedback") & (rng.random(n) < 0.35))
        | ((category == "inquiry") & social & (rng.random(n) < 0.02))
    )
    unanswered = (
        ~not_item & ~no_reply & social & (category != "emergency") & (rng.random(n) < 0.015)
    )
    return _Kinds(spam, duplicate, no_reply, unanswered)


def _priority(rng: np.random.Generator, f: _Facts) -> np.ndarray:
    category = f.category
    priority = np.full(f.n, "normal", dtype=object)
    pu = rng.random(f.n)
    priority[(category == "complaint") & (pu < 0.12)] = "high"
    priority[(category == "complaint") & (pu >= 0.12) & (pu < 0.14)] = "urgent"
    priority[(category == "tip") & (pu < 0.20)] = "high"
    priority[(category == "information_request") & (pu < 0.08)] = "urgent"
    priority[f.emergency] = "urgent"
    return priority


def _first_reply(rng: np.random.Generator, cal: BusinessCalendar, f: _Facts) -> np.ndarray:
    """First human reply: business time in staffed hours (nights, Sundays and
    holidays wait for the morning), slower on Friday (Jumu'ah), a duty
    officer answering some out-of-hours social messages, emergencies 24/7."""
    n, recv, load = f.n, f.recv, f.load
    median = per_channel(f.channel, FIRST_REPLY_MEDIAN, 60.0)
    median = median * np.where(f.weekday == 4, 1.6, 1.0) * load * np.where(f.merged, 1.1, 1.0)
    fr = cal.shift(recv, lognormal(rng, median, 0.85, n))
    minute = recv - f.day * DAY
    out_of_hours = ~cal.working[f.day] | (minute < OPEN) | (minute >= CLOSE)
    on_duty = f.social | np.isin(f.channel, EVENT_CHANNELS)
    duty = on_duty & out_of_hours & (rng.random(n) < 0.18)
    fr = np.where(duty, recv + lognormal(rng, 40.0 * load, 0.7, n), fr)
    return np.where(f.emergency, recv + lognormal(rng, 4.0 * load, 0.7, n), fr)


def _field_steps(
    rng: np.random.Generator, cal: BusinessCalendar, ref: Districts, f: _Facts, fr: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Referral to the RPO/DPO and the district's field steps (calendar time;
    merged districts 1.5-2x slower, each district its own pace).

    Returns the times referred, acknowledged and reported, and whether the
    report stalled, for every item; only the referred ones keep them.
    """
    n, load, emergency = f.n, f.load, f.emergency
    pace = np.exp(0.3 * rng.standard_normal(len(ref.names) + 1))[f.district]
    field = pace * np.where(f.merged, 1.75, 1.0) * np.sqrt(load)
    ref_t = cal.shift(fr, lognormal(rng, 25.0 * load, 1.0, n))
    ref_t = np.where(emergency, fr + lognormal(rng, 8.0, 0.6, n), ref_t)
    ack = ref_t + lognormal(rng, 5.0 * 60 * field, 1.1, n)
    ack = np.where(emergency, ref_t + lognormal(rng, 40.0 * field, 0.7, n), ack)
    report = ack + lognormal(rng, 24.0 * 60 * field, 0.8, n)
    report = np.where(emergency, ack + lognormal(rng, 8.0 * 60, 0.7, n), report)
    stalled = rng.random(n) < np.where(f.in_crisis_district, 0.12, 0.01)
    report = np.where(stalled, report + lognormal(rng, 20.0 * DAY, 0.6, n), report)
    return ref_t, ack, report, stalled


def _resolution(
    rng: np.random.Generator,
    cal: BusinessCalendar,
    f: _Facts,
    kinds: _Kinds,
    priority: np.ndarray,
    referred: np.ndarray,
    fr: np.ndarray,
    report: np.ndarray,
    stalled: np.ndarray,
) -> np.ndarray:
    """The first resolution: after the field report for referred items, after the
    reply (by category) for the others; RTI requests within the Act's days."""
    n, emergency, category = f.n, f.emergency, f.category
    res = np.full(n, np.nan)
    res = np.where(referred, cal.shift(report, lognormal(rng, 90.0, 0.9, n)), res)
    res = np.where(referred & emergency, report + lognormal(rng, 120.0, 0.6, n), res)
    plain = ~kinds.not_item & ~kinds.no_reply & ~kinds.unanswered & ~referred
    with_reply = rng.random(n) < 0.55
    later = _resolved_later(rng, cal, f, priority, fr)
    for name, when in later.items():
        mask = plain & (category == name)
        if name == "inquiry":
            when = np.where(with_reply, fr, when)
        res = np.where(mask, when, res)
    res = np.where(plain & stalled & ~emergency, res + lognormal(rng, 20.0 * DAY, 0.6, n), res)
    rti = referred & (category == "information_request")
    res = np.where(rti, np.maximum(res, later["information_request"]), res)
    never = ~kinds.not_item & (rng.random(n) < 0.001)
    res = np.where(never, np.nan, res)
    # Unanswered social comments are closed in a weekly clean-up, unreplied.
    sweep = cal.shift(f.recv + 7 * DAY, lognormal(rng, 60.0, 0.5, n))
    return np.where(kinds.unanswered, sweep, res)


def _resolved_later(
    rng: np.random.Generator,
    cal: BusinessCalendar,
    f: _Facts,
    priority: np.ndarray,
    fr: np.ndarray,
) -> dict[str, np.ndarray]:
    """When an item not referred would be resolved, by category."""
    n, load = f.n, f.load
    later = {
        "inquiry": cal.shift(fr, lognormal(rng, 180.0 * load, 1.0, n)),
        "complaint": cal.shift(fr, lognormal(rng, 600.0 * load, 1.0, n)),
        "tip": cal.shift(fr, lognormal(rng, 60.0 * load, 1.0, n)),
        "emergency": fr + lognormal(rng, 120.0, 0.6, n),
        "feedback": fr,
    }
    rti_days = np.where(priority == "urgent", 0.8, 3.5) * 480.0
    later["information_request"] = np.maximum(
        cal.shift(f.recv, lognormal(rng, rti_days * np.sqrt(load), 0.55, n)), fr
    )
    return later


def _reopening(
    rng: np.random.Generator, cal: BusinessCalendar, f: _Facts, kinds: _Kinds, res: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reopening after a resolution and the second resolution: (reopen, reopened, again)."""
    n = f.n
    p_reopen = np.where(f.category == "complaint", 0.045, 0.015)
    reopen = ~np.isnan(res) & ~kinds.unanswered & (rng.random(n) < p_reopen)
    reo = np.where(reopen, res + lognormal(rng, 3.0 * DAY, 0.7, n), np.nan)
    res2 = np.where(reopen, cal.shift(reo, lognormal(rng, 960.0, 0.8, n)), np.nan)
    return reopen, reo, res2


def _satisfaction(
    rng: np.random.Generator,
    f: _Facts,
    kinds: _Kinds,
    res: np.ndarray,
    reopen: np.ndarray,
    res2: np.ndarray,
) -> np.ndarray:
    """Satisfaction survey for about a third of resolved requests (not feedback)."""
    n = f.n
    p_survey = np.where(f.category == "feedback", 0.0, 0.33)
    surveyed = ~np.isnan(res) & ~kinds.unanswered & (rng.random(n) < p_survey)
    final = np.where(reopen, res2, res)
    slow = (final - f.recv) > 5 * DAY
    p_sat = np.where(reopen, 0.55, np.where(slow, 0.68, 0.86))
    su = rng.random(n)
    satisfaction = np.where(su < p_sat, "satisfied", np.where(su < p_sat + 0.07, "neutral",
                                                               "dissatisfied"))  # fmt: skip
    return np.where(surveyed, satisfaction, "").astype(object)
