"""The register demo from start to end: sample, time, name, number, split, plant, write.

``write_demo_files`` writes, in the formats the ETL reads (it recognises
files by their headers, never by name): the inquiry register (workbooks,
monthly CSVs and a re-export, see ``etl.demo.registers``), the
response-events log (``etl.demo.events``) and a few planted bad rows
(``etl.demo.planted``).

The data describe the registers as exported at 00:00 Asia/Karachi on
``end_date``: every timestamp is before that moment, so a load on or after
``end_date`` never sees a timestamp in the future. Everything follows from
``numpy.random.default_rng(seed)``: the same seed, ``end_date``, ``months``
and ``daily_volume`` give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.calendar import (
    CRISIS_DISTRICTS,
    DEMO_SEED,
    Progress,
    Timeline,
    default_end_date,
    midnight,
)
from etl.demo.events import events_csv, events_file_name
from etl.demo.items import sample_items
from etl.demo.lifecycle import lifecycle
from etl.demo.people import people
from etl.demo.planted import PlantedRow, eligible_rows, located, plant, plant_formula
from etl.demo.reference import Districts, load_districts
from etl.demo.registers import RegisterFiles, register_csv, register_files, register_xlsx
from etl.demo.sampling import digits, objects
from etl.demo.vocabulary import CHANNEL_SPELLINGS
from etl.demo.writers import to_datetime64, write_files

# Demo files of an earlier run that a new run replaces.
DEMO_FILE_PATTERNS = ("inquiry_register_*.csv", "inquiry_register_*.xlsx", "response_events_*.csv")


@dataclass
class DemoData:
    """Everything the generator made, before it is written."""

    files: dict[str, bytes]
    bad_rows: list[PlantedRow]
    items: pd.DataFrame = field(repr=False)
    """The truth, one row per item (minutes since ``origin``), for checks."""
    origin: datetime
    as_of: datetime
    crisis_start: date
    crisis_districts: tuple[str, ...]


def generate_demo(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
    progress: Progress | None = None,
) -> DemoData:
    """Make the demo exports in memory (see :func:`write_demo_files`)."""
    if months < 2:
        raise ValueError("months must be at least 2")
    if daily_volume <= 0:
        raise ValueError("daily_volume must be positive")
    say = progress or (lambda fraction, message: None)
    period = Timeline.of(end_date or default_end_date(), months)
    rng = np.random.default_rng(seed)
    ref = load_districts()
    items = _sample(rng, ref, period, daily_volume, say)
    next_seq = _number(items, period.origin_time)
    _staff_spellings(rng, ref, items)
    plant_formula(items)

    say(0.45, "Writing the registers")
    register = register_files(items, period.as_of, period.end)
    event_ids = set(items.loc[items["events"].to_numpy(), "inquiry_id"])
    eligible = eligible_rows(register.files, event_ids, register.reexport_from)
    planted = plant(rng, register.files, eligible, next_seq, period.origin_time)
    out = _register_bytes(register, period.origin_time, say)
    say(0.9, "Writing the response-events log")
    helpline = items[items["events"].to_numpy()]
    out[events_file_name(period.start, period.end)] = events_csv(
        rng, helpline, period.as_of, period.origin_time
    )
    say(1.0, f"Demo exports ready: {len(items):,} items in {len(out)} files")
    return DemoData(
        files=out,
        bad_rows=located(planted, register.files),
        items=items,
        origin=period.origin_time,
        as_of=midnight(period.end),
        crisis_start=period.crisis_start,
        crisis_districts=CRISIS_DISTRICTS,
    )


def _register_bytes(register: RegisterFiles, origin: datetime, say: Progress) -> dict[str, bytes]:
    """The register files' bytes: workbooks, monthly CSVs, then the re-export."""
    out: dict[str, bytes] = {}
    say(0.55, "Writing Excel workbooks")
    for name in register.names("xlsx"):
        out[name] = register_xlsx(register.files[name], origin)
    say(0.75, "Writing CSV exports")
    for name in register.names("csv"):
        out[name] = register_csv(register.files[name], origin)
    out[register.reexport_name] = register_csv(register.reexport, origin)
    return out


def _sample(
    rng: np.random.Generator,
    ref: Districts,
    period: Timeline,
    daily_volume: float,
    say: Progress,
) -> pd.DataFrame:
    """The items with their true step times and requesters (the truth)."""
    cal = period.business_calendar()
    say(0.05, "Sampling inquiries")
    items = sample_items(rng, cal, ref, period.first, period.last, daily_volume, period.crisis_day)
    say(0.25, f"Timing replies, referrals and resolutions of {len(items):,} items")
    items = lifecycle(rng, cal, ref, items, period.crisis_day)
    return pd.concat([items, people(rng, ref, items)], axis=1)


def _number(items: pd.DataFrame, origin: datetime) -> dict[str, int]:
    """Ids ``KPMC-YYMM-NNNNNN``, numbered by month in order of receipt.

    Adds ``inquiry_id`` and ``month`` (``YYYY-MM``); returns the last number
    of each month (``YYMM`` -> count) for ids added later.
    """
    received = to_datetime64(items["received"].to_numpy(), origin)
    months_seen, month_code = np.unique(received.astype("datetime64[M]"), return_inverse=True)
    month_names = [str(m) for m in np.datetime_as_string(months_seen, unit="M")]  # 2024-03
    month = np.array(month_names, dtype=object)[month_code]
    yymm_names = [m[2:4] + m[5:7] for m in month_names]
    yymm = np.array(yymm_names, dtype=object)[month_code]
    seq = pd.Series(1, index=items.index).groupby(month_code).cumsum().to_numpy()
    items["inquiry_id"] = objects("KPMC-" + yymm + "-" + digits(seq, 6))
    items["month"] = objects(month)
    counts = np.bincount(month_code, minlength=len(month_names))
    return {m: int(c) for m, c in zip(yymm_names, counts, strict=True)}


def _staff_spellings(rng: np.random.Generator, ref: Districts, items: pd.DataFrame) -> None:
    """District and channel as staff typed them (aliases, capitals): adds
    ``district_text`` and ``channel_text``."""
    alias_rng = rng.random(len(items))
    district_text = items["district"].to_numpy(object).copy()
    for i in np.flatnonzero(alias_rng < 0.06):
        options = ref.aliases.get(district_text[i], ())
        if options:
            district_text[i] = options[int(alias_rng[i] * 1e6) % len(options)]
    for i in np.flatnonzero((alias_rng >= 0.06) & (alias_rng < 0.075)):
        district_text[i] = district_text[i].upper()
    channel_text = items["channel"].to_numpy(object).copy()
    for i in np.flatnonzero(rng.random(len(items)) < 0.05):
        options = CHANNEL_SPELLINGS[channel_text[i]]
        channel_text[i] = options[i % len(options)]
    items["district_text"] = objects(district_text)
    items["channel_text"] = objects(channel_text)


def write_demo_files(
    out_dir: Path,
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the demo exports into ``out_dir`` and return their paths.

    ``end_date`` (default: today in Asia/Karachi) is the day of the export:
    items arrive over the ``months`` months before it and every timestamp is
    before 00:00 on ``end_date``. Demo files of an earlier run in ``out_dir``
    (``inquiry_register_*``, ``response_events_*``) are removed first so that
    a stale re-export is never loaded beside the new one.
    """
    data = generate_demo(
        end_date=end_date, months=months, seed=seed, daily_volume=daily_volume, progress=progress
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for pattern in DEMO_FILE_PATTERNS:
        for stale in out_dir.glob(pattern):
            if stale.name not in data.files:
                stale.unlink()
    return write_files(out_dir, data.files)


def planted_bad_rows(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
) -> list[PlantedRow]:
    """The bad rows a run with these arguments plants (regenerates in memory)."""
    return generate_demo(
        end_date=end_date, months=months, seed=seed, daily_volume=daily_volume
    ).bad_rows
