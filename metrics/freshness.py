"""How current each source is, and which sources are stale.

Freshness of a source (``meta.loads.source``): *latest covered* = the latest
moment any loaded file of that source covers (``covers_to`` over loads still
in effect, i.e. not rolled back); *days behind* = today's Pakistan date minus
the Pakistan date of that moment; a source is *stale* when days behind
exceed its threshold (``data/config/freshness.yaml``). Pages name the
sources they use by name or by group (``inquiries``, ``social``:
``core.sources.source_group``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from core.config import CONFIG_DIR
from core.sources import in_sources
from core.vocab import fold

TIMEZONE = "Asia/Karachi"
FRESHNESS_PATH = CONFIG_DIR / "freshness.yaml"
DEFAULT_STALE_DAYS = 7

FRESHNESS_SQL = """
with loaded as (
    select source, kind, covers_to, started_at, load_seq
    from meta.loads
    where outcome = 'loaded'
),

per_source as (
    select
        source,
        arg_max(kind, load_seq) as kind,
        max(covers_to) as latest_covered_at,
        max(started_at) as last_loaded_at,
        count(*) as n_loads
    from loaded
    group by source
),

open_quarantine as (
    select source, count(*) as n_quarantined
    from meta.quarantine
    where cleared_by_load_id is null
    group by source
),

final as (
    select
        p.source,
        p.kind,
        p.latest_covered_at,
        cast(timezone($timezone, p.latest_covered_at) as date)
            as latest_covered_date,
        date_diff(
            'day',
            cast(timezone($timezone, p.latest_covered_at) as date),
            cast($today as date)
        ) as days_behind,
        p.last_loaded_at,
        p.n_loads,
        coalesce(q.n_quarantined, 0) as n_quarantined
    from per_source as p
    left join open_quarantine as q using (source)
)

select *
from final
order by kind, source
"""


def freshness(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """Per source with a load in effect: ``latest_covered_at`` (UTC) and its
    Pakistan date, ``days_behind`` = ``today`` (a Pakistan date) minus that
    date, ``last_loaded_at`` (UTC), ``n_loads`` and rows still in quarantine."""
    return con.execute(FRESHNESS_SQL, {"timezone": TIMEZONE, "today": today}).df()


@dataclass(frozen=True)
class Thresholds:
    """Days after which a source's data counts as stale (``freshness.yaml``).

    ``sources`` maps a folded source name or kind to its days; ``None``
    there means the source is never called stale (a legacy export).
    """

    default_days: int = DEFAULT_STALE_DAYS
    sources: Mapping[str, int | None] = field(default_factory=dict)

    def days_for(self, source: str, kind: str | None = None) -> int | None:
        """The threshold of a source, looked up by its name, then its kind."""
        for key in (source, kind):
            if key is not None and fold(key) in self.sources:
                return self.sources[fold(key)]
        return self.default_days


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read ``data/config/freshness.yaml`` (re-read when it changes on disk)."""
    path = Path(path or FRESHNESS_PATH)
    if not path.exists():
        return Thresholds()
    return _read_thresholds(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_thresholds(path: str, mtime_ns: int) -> Thresholds:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    default = int(raw.get("default_days", DEFAULT_STALE_DAYS))
    sources = {
        fold(k): None if v is None else int(v) for k, v in (raw.get("sources") or {}).items()
    }
    return Thresholds(default, sources)


def stale_sources(
    fresh: pd.DataFrame, thresholds: Thresholds, sources: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Rows of ``freshness`` whose ``days_behind`` exceed their threshold,
    narrowed to ``sources`` (names or groups; None = all), most behind first.
    Adds ``threshold_days``."""
    frame = fresh.copy()
    frame["threshold_days"] = pd.array(
        [thresholds.days_for(s, k) for s, k in zip(frame["source"], frame["kind"], strict=True)],
        dtype="Int64",
    )
    if sources is not None:
        names = [sources] if isinstance(sources, str) else list(sources)
        wanted = [in_sources(s, names) for s in frame["source"]]
        frame = frame[pd.Series(wanted, index=frame.index, dtype=bool)]
    behind = frame["days_behind"].astype("Int64")
    stale = (behind > frame["threshold_days"]).fillna(False).astype(bool)
    return frame[stale].sort_values("days_behind", ascending=False)


def stale_message(row: Mapping[str, Any]) -> str:
    """``Inquiry register data ends 9 days ago (4 Nov 2026; stale after 7 days).``"""
    kind = str(row["kind"])
    days = int(row["days_behind"])
    day = pd.Timestamp(row["latest_covered_date"])
    return (
        f"{kind[:1].upper()}{kind[1:]} data ends {days} day{'s' if days != 1 else ''} ago "
        f"({day.day} {day:%b %Y}; stale after {int(row['threshold_days'])} days)."
    )
