"""The response-events log of the helpline system (``inquiry_id, event, at, actor``).

For the helpline and toll-free items, whose register rows leave the step
timestamps blank: both paths describe one truth. A system log: UTF-8
without BOM, LF, times with seconds, sorted by time; a few follow-up calls
are logged as a second ``first_response`` (the ETL keeps the earliest).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from core import vocab
from etl.demo.sampling import lognormal
from etl.demo.writers import csv_bytes, time_text


def events_file_name(start: date, end_date: date) -> str:
    """``response_events_<first day>_<last day>.csv``."""
    return f"response_events_{start.isoformat()}_{(end_date - timedelta(days=1)).isoformat()}.csv"


def events_csv(
    rng: np.random.Generator, items: pd.DataFrame, as_of: float, origin: datetime
) -> bytes:
    """The helpline system's log: one row per step before ``as_of``, seconds included."""
    ids = items["inquiry_id"].to_numpy()
    order = {name: k for k, name in enumerate(vocab.EVENTS)}
    frames = []
    for event, when, actor in _steps(rng, items):
        t = np.asarray(when, float)
        keep = ~np.isnan(t) & (t < as_of)
        frames.append(
            pd.DataFrame(
                {
                    "inquiry_id": ids[keep],
                    "event": event,
                    "t": t[keep],
                    "actor": np.asarray(actor, dtype=object)[keep],
                    "rank": order[event],
                }
            )
        )
    log = pd.concat(frames, ignore_index=True)
    log = log.sort_values(["t", "inquiry_id", "rank"], kind="stable")
    columns = {
        "inquiry_id": log["inquiry_id"].to_numpy(object),
        "event": log["event"].to_numpy(object),
        "at": time_text(log["t"].to_numpy(float), origin, seconds=True),
        "actor": log["actor"].to_numpy(object),
    }
    return csv_bytes(columns, bom=False, crlf=False)


def _steps(rng: np.random.Generator, items: pd.DataFrame) -> list[tuple[str, object, object]]:
    """(event, times, actors) for each kind of step, a follow-up reply last."""
    n = len(items)
    agent = np.array([f"Agent {k:02d}" for k in rng.integers(1, 15, size=n)], dtype=object)
    closer = np.array([f"Agent {k:02d}" for k in rng.integers(1, 15, size=n)], dtype=object)
    ivr = np.where(items["channel"].to_numpy() == "Toll-free 0800", "IVR 0800", "IVR 1715")
    office = items["referred_to"].to_numpy(object)
    steps: list[tuple[str, object, object]] = [
        ("received", items["received"], ivr),
        ("first_response", items["first_response"], agent),
        ("referred", items["referred_at"], agent),
        ("field_ack", items["field_ack"], office),
        ("field_report", items["field_report"], office),
        ("resolved", items["resolved_first"], closer),
        ("reopened", items["reopened"], np.full(n, "Caller", dtype=object)),
        ("resolved", items["resolved_again"], closer),
    ]
    # A follow-up call logged as a second reply (the ETL keeps the earliest).
    follow = items["first_response"].to_numpy() + lognormal(rng, 240.0, 1.0, n)
    follow = np.where(rng.random(n) < 0.03, follow, np.nan)
    steps.append(("first_response", pd.Series(follow), agent))
    return steps
