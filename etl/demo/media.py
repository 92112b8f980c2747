"""Demo media registers: the monitoring log, journalists' queries, incidents,
outputs with their plan, and community outreach events.

They tell the same story as the inquiry register (``etl.demo.calendar``:
the same period, working days and crisis week in Kurram, Orakzai and
Hangu). In the crisis week:

* armed clashes in Kurram on the Monday morning are verified within the
  hour, but the first public statement comes more than two hours after
  verification (a missed golden hour); a fake video about the clashes is
  detected before noon and rebutted within the two-hour target; a road
  blockade in Orakzai on the Tuesday is handled within the golden hour;
* coverage bursts, mostly negative and without the police's line until the
  statement, then turns as the statement and the rebuttal are quoted;
* journalists' queries spike and take longer to answer on the first days;
* extra statements and posts go out, over the week's plan.

At the export (00:00 on ``end_date``) one incident of the evening before
still has no statement, a few recent queries are unanswered, and two rows
are planted bad (a tone that is not a tone, an unknown district) so
quarantine has media rows to show. Everything follows from the demo seed:
the same ``end_date`` and ``months`` give byte-identical files. Names of
journalists and staff are fake (``etl.demo.vocabulary``), phone numbers in
the unissued ``03xx-00xxxxx`` block, links at the reserved ``example.*``
domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from core.media_registers import REGISTERS, header_of
from etl.demo.calendar import (
    CLOSE,
    CRISIS_DISTRICTS,
    DAY,
    DEMO_SEED,
    OPEN,
    Timeline,
    default_end_date,
    fiscal_year,
)
from etl.demo.reference import load_districts
from etl.demo.vocabulary import CRISIS_PROFILE, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
from etl.demo.workbooks import excel_serial, xlsx_bytes
from etl.demo.writers import csv_bytes, write_files

MEDIA_DIR = "media"
SEED_OFFSET = 12  # its own stream: the inquiry demo's draws stay as they were
FILE_PATTERNS = (
    "media_monitoring_log_*.csv",
    "media_queries_*.csv",
    "incidents_*.csv",
    "outputs_*.csv",
    "output_plan_*.csv",
    "outreach_events_*.xlsx",
)

# name, type, language, weight
OUTLETS: tuple[tuple[str, str, str, float], ...] = (
    ("Dawn", "print", "English", 1.0),
    ("The News", "print", "English", 0.8),
    ("Express Tribune", "print", "English", 0.7),
    ("Mashriq", "print", "Urdu", 1.1),
    ("Aaj", "print", "Urdu", 0.9),
    ("Jang", "print", "Urdu", 0.8),
    ("Geo News", "tv", "Urdu", 1.0),
    ("ARY News", "tv", "Urdu", 0.8),
    ("AAJ News", "tv", "Urdu", 0.7),
    ("Khyber News", "tv", "Pashto", 1.2),
    ("Mashriq TV", "tv", "Pashto", 0.6),
    ("Radio Pakistan Peshawar", "radio", "Pashto", 0.5),
    ("Tribal News Network", "online", "Pashto", 0.8),
    ("Dawn.com", "online", "English", 0.6),
    ("Voice of KP", "social", "Urdu", 0.7),
    ("Peshawar Today", "social", "Pashto", 0.6),
)
# How staff sometimes type the outlet type (the loader maps them).
OUTLET_TYPE_SPELLINGS = {"tv": "Television", "print": "Newspaper", "social": "Social media"}
TOPICS: tuple[str, ...] = (
    "traffic",
    "recruitment",
    "counter-terrorism",
    "street crime",
    "women's help desk",
    "open courts",
    "police reforms",
    "drugs",
    "kidnapping",
    "land disputes",
)
HEADLINES = {
    "positive": "{d}: police {t} drive wins praise",
    "neutral": "{d} police on {t}",
    "negative": "{d}: questions over police handling of {t}",
}
CRISIS_HEADLINES = {
    "positive": "Kurram: calm returns as police reopen roads",
    "neutral": "Kurram: police statement on the clashes",
    "negative": "Kurram clashes: no word from police as roads stay shut",
}
INCIDENT_TYPES = (
    "armed attack",
    "protest",
    "custodial death allegation",
    "viral video",
    "road accident",
    "kidnapping",
)
# Events per working day; merged districts get fewer and three get none,
# so the Outreach page has gaps to show.
EVENT_TYPE_MIX = {
    "open court": 0.30,
    "dispute resolution council awareness": 0.20,
    "school visit": 0.25,
    "women's consultation": 0.15,
    "transgender consultation": 0.05,
    "other": 0.05,
}
NO_EVENTS = ("Upper Kohistan", "Kolai Palas", "Torghar")
PLAN_PER_WEEK = {"press release": 6, "post": 21, "video": 3, "press conference": 1}


@dataclass
class MediaDemo:
    """The files, by name, and the truth behind them (for checks)."""

    files: dict[str, bytes]
    crisis_incident: str
    crisis_start: date
    frames: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)


def _pkt(day: date, minutes: float) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=float(minutes))


def _text(stamps: pd.Series) -> pd.Series:
    """Naive Pakistan times as a register writes them (blank for none)."""
    return stamps.map(lambda t: "" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M}")


def _ids(prefix: str, stamps: pd.Series) -> list[str]:
    """``MM-2503-0001``: year and month, running number within the month."""
    months = stamps.dt.strftime("%y%m")
    seq = months.groupby(months).cumcount() + 1
    return [f"{prefix}-{m}-{s:04d}" for m, s in zip(months, seq, strict=True)]


def _csv(register: str, frame: pd.DataFrame) -> bytes:
    columns = list(REGISTERS[register][2])
    return csv_bytes({header_of(c): frame.get(c, pd.Series([""] * len(frame))) for c in columns})


class _Story:
    """Random draws in one place, one stream."""

    def __init__(self, end_date: date, months: int, seed: int):
        self.timeline = Timeline.of(end_date, months)
        self.rng = np.random.default_rng(seed + SEED_OFFSET)
        self.calendar = self.timeline.business_calendar()
        self.days = [self.timeline.start + timedelta(days=k) for k in range(self._n_days)]
        self.crisis = [self.timeline.crisis_start + timedelta(days=k) for k in range(7)]
        ref = load_districts()
        self.districts = np.array(ref.names, dtype=object)
        self.weights = np.asarray(ref.weights, float)
        self.merged = np.asarray(ref.merged, bool)

    @property
    def _n_days(self) -> int:
        return (self.timeline.end - self.timeline.start).days

    def working(self, day: date) -> bool:
        return bool(self.calendar.working[(day - self.timeline.origin).days])

    def minutes(self, moment: datetime) -> float:
        """Minutes since the timeline's origin (the calendar's clock)."""
        return (moment - self.timeline.origin_time).total_seconds() / 60

    def moment(self, minutes: float) -> datetime:
        return self.timeline.origin_time + timedelta(minutes=float(minutes))

    def after_business(self, moment: datetime, business_minutes: float) -> datetime:
        shifted = self.calendar.shift(
            np.array([self.minutes(moment)]), np.array([business_minutes])
        )
        return self.moment(shifted[0])

    def district(self, n: int, *, merged_factor: float = 1.0) -> np.ndarray:
        weights = self.weights * np.where(self.merged, merged_factor, 1.0)
        return self.rng.choice(self.districts, size=n, p=weights / weights.sum())

    def person(self) -> str:
        first = FEMALE_NAMES if self.rng.random() < 0.3 else MALE_NAMES
        return f"{self.rng.choice(first)} {self.rng.choice(FAMILY_NAMES)}"

    def phone(self) -> str:
        return f"03{self.rng.integers(0, 50):02d}-00{self.rng.integers(0, 100000):05d}"


def generate_media(
    *, end_date: date | None = None, months: int = 20, seed: int = DEMO_SEED
) -> MediaDemo:
    """Make the media registers in memory (see :func:`write_media_files`)."""
    end_date = end_date or default_end_date()
    story = _Story(end_date, months, seed)
    incidents, crisis_id = _incidents(story, end_date)
    mentions = _mentions(story, incidents, crisis_id)
    queries = _queries(story, end_date)
    outputs = _outputs(story, incidents, crisis_id)
    plan = _plan(story)
    events = _events(story)
    files: dict[str, bytes] = {}
    months_of = mentions["published"].dt.strftime("%Y-%m")
    for month, rows in mentions.groupby(months_of, sort=True):
        files[f"media_monitoring_log_{month}.csv"] = _csv("mentions", _mention_text(rows))
    last = (end_date - timedelta(days=1)).isoformat()
    span = f"{story.timeline.start.isoformat()}_{last}"
    files[f"media_queries_{span}.csv"] = _csv("queries", _query_text(queries))
    files[f"incidents_{span}.csv"] = _csv("incidents", _incident_text(incidents))
    files[f"outputs_{span}.csv"] = _csv("outputs", _output_text(outputs))
    files[f"output_plan_{span}.csv"] = _csv("plan", plan)
    for year, rows in events.groupby(events["date"].map(fiscal_year), sort=True):
        files[f"outreach_events_{year}.xlsx"] = _events_xlsx(rows)
    return MediaDemo(
        files=files,
        crisis_incident=crisis_id,
        crisis_start=story.timeline.crisis_start,
        frames={
            "mentions": mentions,
            "queries": queries,
            "incidents": incidents,
            "outputs": outputs,
            "events": events,
        },
    )


# Incidents ----------------------------------------------------------------------


def _incidents(story: _Story, end_date: date) -> tuple[pd.DataFrame, str]:
    rng = story.rng
    rows = []
    for day in story.days:
        # About three a month; none in the last two days (the evening
        # incident still waiting for its statement is the export's story).
        if day in story.crisis or rng.random() > 3 / 30 or day >= end_date - timedelta(days=2):
            continue
        occurred = _pkt(day, rng.uniform(6 * 60, 22 * 60))
        verified = occurred + timedelta(minutes=float(rng.lognormal(np.log(35), 0.5)))
        statement = verified + timedelta(minutes=float(rng.lognormal(np.log(45), 0.6)))
        misinformation = rebuttal = None
        if rng.random() < 0.3:
            misinformation = statement + timedelta(minutes=float(rng.uniform(60, 360)))
            rebuttal = misinformation + timedelta(minutes=float(rng.lognormal(np.log(80), 0.5)))
        rows.append(
            {
                "type": str(rng.choice(INCIDENT_TYPES)),
                "district": str(story.district(1, merged_factor=2.0)[0]),
                "occurred": occurred,
                "verified": verified,
                "statement": statement,
                "misinformation": misinformation,
                "rebuttal": rebuttal,
                "crisis": False,
            }
        )
    monday, tuesday = story.crisis[0], story.crisis[1]
    clashes = _pkt(monday, 6 * 60 + 40)
    rows.append(
        {
            "type": "armed clashes",
            "district": CRISIS_DISTRICTS[0],
            "occurred": clashes,
            "verified": clashes + timedelta(minutes=45),  # 07:25
            "statement": clashes + timedelta(minutes=45 + 135),  # 09:40: golden hour missed
            "misinformation": _pkt(monday, 11 * 60 + 30),  # a fake video
            "rebuttal": _pkt(monday, 13 * 60 + 5),  # 95 minutes later
            "crisis": True,
        }
    )
    blockade = _pkt(tuesday, 10 * 60 + 15)
    rows.append(
        {
            "type": "road blockade",
            "district": CRISIS_DISTRICTS[1],
            "occurred": blockade,
            "verified": blockade + timedelta(minutes=20),
            "statement": blockade + timedelta(minutes=20 + 50),
            "misinformation": None,
            "rebuttal": None,
            "crisis": False,
        }
    )
    evening = _pkt(end_date - timedelta(days=1), 21 * 60 + 30)
    rows.append(
        {
            "type": "protest",
            "district": "Peshawar",
            "occurred": evening,
            "verified": evening + timedelta(minutes=35),
            "statement": None,  # still none at the export
            "misinformation": None,
            "rebuttal": None,
            "crisis": False,
        }
    )
    frame = pd.DataFrame(rows).sort_values("occurred", kind="stable").reset_index(drop=True)
    frame["crisis"] = frame["crisis"].fillna(False).astype(bool)
    export = pd.Timestamp(story.timeline.end)
    for column in ("occurred", "verified", "statement", "misinformation", "rebuttal"):
        # What happens after the export is not in it yet.
        stamps = pd.to_datetime(frame[column]).dt.floor("min")
        frame[column] = stamps.where(stamps < export)
    # A rebuttal needs its false claim.
    frame["rebuttal"] = frame["rebuttal"].where(frame["misinformation"].notna())
    frame["incident_id"] = _ids("INC", frame["occurred"])
    crisis_id = str(frame.loc[frame["crisis"], "incident_id"].iloc[0])
    return frame, crisis_id


def _incident_text(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": frame["incident_id"],
            "incident_type": frame["type"],
            "district": frame["district"],
            "occurred_at": _text(frame["occurred"]),
            "verified_at": _text(frame["verified"]),
            "first_statement_at": _text(frame["statement"]),
            "misinformation_detected_at": _text(frame["misinformation"]),
            "rebuttal_at": _text(frame["rebuttal"]),
        }
    )


# Mentions -----------------------------------------------------------------------


def _mentions(story: _Story, incidents: pd.DataFrame, crisis_id: str) -> pd.DataFrame:
    rng = story.rng
    weights = np.array([o[3] for o in OUTLETS])
    weights = weights / weights.sum()
    frames = []
    for day in story.days:
        n = rng.poisson(7.0 if story.working(day) else 4.0)
        if n:
            frames.append(_ordinary_mentions(story, day, n, weights))
    crisis = incidents[incidents["incident_id"] == crisis_id].iloc[0]
    for k, factor in enumerate(CRISIS_PROFILE):
        day = story.crisis[k]
        if day >= story.timeline.end:
            break
        frames.append(
            _crisis_mentions(story, day, k, int(rng.poisson(6 * factor)), crisis, weights)
        )
    for row in incidents[~incidents["crisis"]].itertuples(index=False):
        n = int(rng.integers(2, 7))
        start = story.minutes(row.occurred.to_pydatetime()) + 40
        stamps = start + rng.uniform(0, 2 * DAY, n)
        stamps = stamps[stamps < story.timeline.as_of]
        if len(stamps):
            outlet = rng.choice(len(OUTLETS), size=len(stamps), p=weights)
            frames.append(
                _frame(
                    story,
                    stamps,
                    outlet,
                    tone=rng.choice(
                        ["negative", "neutral", "positive"], len(stamps), p=[0.5, 0.4, 0.1]
                    ),
                    district=np.full(len(stamps), row.district, object),
                    topic=np.full(len(stamps), row.type, object),
                    line=_line(rng, len(stamps), (0.45, 0.45, 0.10)),
                    incident=np.full(len(stamps), row.incident_id, object),
                )
            )
    frame = pd.concat(frames, ignore_index=True).sort_values("published", kind="stable")
    frame = frame.reset_index(drop=True)
    frame["mention_id"] = _ids("MM", frame["published"])
    # Staff type outlet types their own way now and then; the loader maps them.
    spelled = rng.random(len(frame)) < 0.05
    frame["outlet_type_text"] = np.where(
        spelled,
        frame["outlet_type"].map(lambda v: OUTLET_TYPE_SPELLINGS.get(v, v)),
        frame["outlet_type"],
    )
    # One planted bad row, a month in: a tone that is not one of the three.
    month_in = pd.Timestamp(story.timeline.start + timedelta(days=30))
    candidates = frame.index[
        (frame["published"] >= month_in) & (frame["tone"] == "negative") & (frame["incident"] == "")
    ]
    if len(candidates):
        frame.loc[candidates[0], "tone"] = "very negative"
    return frame


def _line(rng: np.random.Generator, n: int, p: tuple[float, float, float]) -> np.ndarray:
    return rng.choice(np.array(["yes", "no", ""], object), n, p=list(p))


def _ordinary_mentions(story: _Story, day: date, n: int, weights: np.ndarray) -> pd.DataFrame:
    rng = story.rng
    base = story.minutes(_pkt(day, 0))
    stamps = base + np.clip(rng.normal(14 * 60, 3.5 * 60, n), 6 * 60, 23 * 60 + 50)
    outlet = rng.choice(len(OUTLETS), size=n, p=weights)
    district = np.where(rng.random(n) < 0.7, story.district(n), "")
    tone = rng.choice(["positive", "neutral", "negative", ""], n, p=[0.33, 0.42, 0.20, 0.05])
    return _frame(
        story,
        stamps,
        outlet,
        tone=tone,
        district=district,
        topic=rng.choice(TOPICS, n),
        line=_line(rng, n, (0.55, 0.35, 0.10)),
        incident=np.full(n, "", object),
    )


def _crisis_mentions(
    story: _Story, day: date, k: int, n: int, crisis: pd.Series, weights: np.ndarray
) -> pd.DataFrame:
    """The burst: negative without the police's line until the statement, then turning."""
    rng = story.rng
    start = story.minutes(max(_pkt(day, 6 * 60), crisis["occurred"].to_pydatetime()))
    stamps = start + rng.uniform(20, 17 * 60, n)
    stamps = stamps[stamps < story.timeline.as_of]
    n = len(stamps)
    outlet = rng.choice(len(OUTLETS), size=n, p=weights)
    before_statement = stamps < story.minutes(crisis["statement"].to_pydatetime())
    p_negative = 0.75 if k == 0 else (0.6 if k < 3 else 0.3)
    tone = np.where(
        rng.random(n) < p_negative,
        "negative",
        np.where(rng.random(n) < 0.6, "neutral", "positive"),
    )
    line = np.where(
        before_statement, _line(rng, n, (0.05, 0.9, 0.05)), _line(rng, n, (0.7, 0.25, 0.05))
    )
    return _frame(
        story,
        stamps,
        outlet,
        tone=tone,
        district=rng.choice(np.array(CRISIS_DISTRICTS, object), n, p=[0.7, 0.2, 0.1]),
        topic=np.full(n, "Kurram clashes", object),
        line=line,
        incident=np.full(n, crisis["incident_id"], object),
    )


def _frame(story: _Story, stamps: np.ndarray, outlet: np.ndarray, **columns: np.ndarray):
    names = np.array([o[0] for o in OUTLETS], object)[outlet]
    kinds = np.array([o[1] for o in OUTLETS], object)[outlet]
    languages = np.array([o[2] for o in OUTLETS], object)[outlet]
    published = pd.to_datetime([story.moment(round(float(t))) for t in stamps]).floor("min")
    return pd.DataFrame(
        {
            "published": published,
            "outlet": names,
            "outlet_type": kinds,
            "language": languages,
            **columns,
        }
    )


def _mention_text(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    crisis = out["topic"] == "Kurram clashes"
    out["headline"] = [
        (CRISIS_HEADLINES if is_crisis else HEADLINES)
        .get(tone or "neutral", HEADLINES["neutral"])
        .format(d=district or "KP", t=topic)
        for topic, district, tone, is_crisis in zip(
            out["topic"], out["district"], out["tone"], crisis, strict=True
        )
    ]
    online = out["outlet_type"].isin(["online", "social"])
    out["url"] = np.where(online, "https://news.example.org/" + out["mention_id"].str.lower(), "")
    out["outlet_type"] = out["outlet_type_text"]
    out["published_at"] = _text(out["published"])
    out["quotes_official_line"] = out["line"]
    out["incident_id"] = out["incident"]
    return out


# Queries ------------------------------------------------------------------------


def _queries(story: _Story, end_date: date) -> pd.DataFrame:
    rng = story.rng
    rows = []
    as_of = story.timeline.as_of
    for day in story.days:
        n = rng.poisson(1.3 if story.working(day) else 0.3)
        k = (day - story.timeline.crisis_start).days
        extra = rng.poisson(3 * CRISIS_PROFILE[k]) if 0 <= k < 4 else 0
        for i in range(n + extra):
            crisis = i >= n
            received = _pkt(day, rng.uniform(8 * 60, 21 * 60))
            median = 240 if crisis and k < 2 else 90
            delay = float(rng.lognormal(np.log(median), 0.8))
            answered: datetime | None = story.after_business(received, delay)
            if story.minutes(answered) >= as_of or rng.random() < 0.01:
                answered = None
            deadline = None
            if rng.random() < 0.5:
                deadline = received + timedelta(minutes=float(rng.uniform(120, 480)))
            outlet = OUTLETS[int(rng.integers(0, 12))][0]  # press, TV and radio ask
            rows.append(
                {
                    "received": received,
                    "outlet": outlet,
                    "journalist": story.person(),
                    "journalist_phone": story.phone() if rng.random() < 0.6 else "",
                    "topic": "Kurram clashes" if crisis else str(rng.choice(TOPICS)),
                    "deadline": deadline,
                    "answered": answered,
                }
            )
    frame = pd.DataFrame(rows)
    for column in ("received", "deadline", "answered"):
        frame[column] = pd.to_datetime(frame[column]).dt.floor("min")
    frame = frame.sort_values("received", kind="stable").reset_index(drop=True)
    frame["query_id"] = _ids("MQ", frame["received"])
    return frame


def _query_text(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "query_id": frame["query_id"],
            "received_at": _text(frame["received"]),
            "outlet": frame["outlet"],
            "journalist": frame["journalist"],
            "journalist_phone": frame["journalist_phone"],
            "topic": frame["topic"],
            "deadline_at": _text(frame["deadline"]),
            "answered_at": _text(frame["answered"]),
        }
    )


# Outputs and the plan -----------------------------------------------------------

OUTPUT_RATES = {  # per day: working day, day off
    "press release": (1.0, 0.2),
    "post": (3.2, 2.0),
    "video": (0.45, 0.2),
    "press conference": (0.15, 0.0),
    "interview": (0.05, 0.0),
}


def _outputs(story: _Story, incidents: pd.DataFrame, crisis_id: str) -> pd.DataFrame:
    rng = story.rng
    rows = []
    for day in story.days:
        working = story.working(day)
        for kind, (on, off) in OUTPUT_RATES.items():
            for _ in range(rng.poisson(on if working else off)):
                rows.append(
                    {
                        "published": _pkt(day, rng.uniform(OPEN, CLOSE + 120)),
                        "output_type": kind,
                        "channel": "website" if kind == "press release" else "Facebook",
                        "title": f"KP Police: {rng.choice(TOPICS)}",
                        "incident_id": "",
                    }
                )
    for row in incidents.itertuples(index=False):
        for moment, title in ((row.statement, "statement"), (row.rebuttal, "clarification")):
            if pd.isna(moment):
                continue
            for kind, channel in (("press release", "website"), ("post", "X")):
                rows.append(
                    {
                        "published": moment.to_pydatetime(),
                        "output_type": kind,
                        "channel": channel,
                        "title": f"{row.district}: official {title}",
                        "incident_id": row.incident_id,
                    }
                )
    crisis = incidents[incidents["incident_id"] == crisis_id].iloc[0]
    for k in range(1, 5):  # daily updates through the crisis week
        day = story.crisis[k]
        if day < story.timeline.end:
            rows.append(
                {
                    "published": _pkt(day, 11 * 60),
                    "output_type": "press conference" if k == 1 else "post",
                    "channel": "TV" if k == 1 else "Facebook",
                    "title": f"{crisis['district']}: situation update",
                    "incident_id": crisis_id,
                }
            )
    frame = pd.DataFrame(rows)
    frame["published"] = pd.to_datetime(frame["published"]).dt.floor("min")
    end = pd.Timestamp(story.timeline.end)
    frame = frame[frame["published"] < end].sort_values("published", kind="stable")
    frame = frame.reset_index(drop=True)
    prefixes = {"press release": "PR", "post": "PO", "video": "VI", "press conference": "PC"}
    frame["output_id"] = [
        f"{prefixes.get(kind, 'OT')}-{i:05d}" for i, kind in enumerate(frame["output_type"], 1)
    ]
    return frame


def _output_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["published_at"] = _text(out["published"])
    out["url"] = np.where(
        out["channel"] == "website",
        "https://police.example.gov.pk/press/" + out["output_id"].str.lower(),
        "",
    )
    return out


def _plan(story: _Story) -> pd.DataFrame:
    """The communication plan: every week of the period and four weeks ahead."""
    first = story.timeline.start - timedelta(days=story.timeline.start.weekday())
    weeks = pd.date_range(first, story.timeline.end + timedelta(days=28), freq="7D")
    rows = [
        {"week_start": f"{week:%Y-%m-%d}", "output_type": kind, "planned": str(count)}
        for week in weeks
        for kind, count in PLAN_PER_WEEK.items()
    ]
    return pd.DataFrame(rows)


# Outreach events ----------------------------------------------------------------


def _events(story: _Story) -> pd.DataFrame:
    rng = story.rng
    kinds = np.array(list(EVENT_TYPE_MIX), object)
    p = np.array(list(EVENT_TYPE_MIX.values()))
    rows = []
    weights = story.weights * np.where(story.merged, 0.6, 1.0)
    weights = np.where(np.isin(story.districts, NO_EVENTS), 0.0, weights)
    weights = weights / weights.sum()
    for day in story.days:
        if not story.working(day):
            continue
        for _ in range(rng.poisson(0.9)):
            kind = str(rng.choice(kinds, p=p))
            female, male, transgender = _participants(rng, kind)
            rows.append(
                {
                    "date": day,
                    "district": str(rng.choice(story.districts, p=weights)),
                    "event_type": kind,
                    "participants_female": female,
                    "participants_male": male,
                    "participants_transgender": transgender,
                }
            )
    frame = pd.DataFrame(rows)
    frame["event_id"] = _ids("OE", pd.to_datetime(frame["date"]))
    if len(frame) > 50:  # one planted bad row: a district the reference does not know
        frame.loc[len(frame) // 3, "district"] = "Swat Valley"
    return frame


def _participants(rng: np.random.Generator, kind: str) -> tuple[str, str, str]:
    if rng.random() < 0.05:
        return "", "", ""  # not counted
    size = int(rng.integers(15, 120))
    female_share = {"women's consultation": 0.9, "transgender consultation": 0.05}.get(kind, 0.3)
    transgender = int(rng.integers(8, 30)) if kind == "transgender consultation" else 0
    if kind != "transgender consultation" and rng.random() < 0.05:
        transgender = int(rng.integers(1, 4))
    female = int(rng.binomial(size, female_share))
    return str(female), str(size - female), str(transgender)


def _events_xlsx(rows: pd.DataFrame) -> bytes:
    columns = [header_of(c) for c in REGISTERS["outreach"][2]]
    values: dict[str, object] = {
        "event_id": rows["event_id"].to_numpy(object),
        "date": excel_serial(pd.to_datetime(rows["date"]).to_numpy("datetime64[s]")),
        "district": rows["district"].to_numpy(object),
        "event_type": rows["event_type"].to_numpy(object),
        "participants_female": rows["participants_female"].to_numpy(object),
        "participants_male": rows["participants_male"].to_numpy(object),
        "participants_transgender": rows["participants_transgender"].to_numpy(object),
    }
    return xlsx_bytes(columns, values, ["date"], sheet="Events")


def write_media_files(
    out_dir: Path,
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
) -> list[Path]:
    """Write the media registers into ``out_dir/media`` and return their paths.

    Files of an earlier run there that this run does not write are removed,
    so a stale export is never loaded beside the new one.
    """
    data = generate_media(end_date=end_date, months=months, seed=seed)
    folder = Path(out_dir) / MEDIA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in FILE_PATTERNS:
        for stale in folder.glob(pattern):
            if stale.name not in data.files:
                stale.unlink()
    return write_files(folder, data.files)
