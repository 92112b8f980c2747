"""Compute the landing page ahead of its first visitor.

The first person to open the dashboard after the server starts, or after a
load swaps in a new warehouse, would otherwise wait for the landing page's
queries: the Overview's scorecard reads every item of the period, the one
before, the same period last year and twelve months of trend (0.3 s at a
million items, 1.7 s at ten million, on two cores). ``start()`` (called by
``python -m ui.serve``) runs a daemon thread that makes the same cached
``ui.queries.query`` calls the sidebar and the Overview make for someone who
may see every district (the IG office, the PR director, an administrator)
at the sidebar's default filters, so their first page is read from the
cache:

- when the server starts;
- when the live warehouse changes (a load, a rollback: a new snapshot id);
- when the date in Pakistan changes (the default period moves);
- when the cache's entries have expired (``ui.queries`` keeps them ten
  minutes, so "now" in a period in progress does not go stale).

It adds nothing anyone could not see: the entries are keyed exactly as a
full-scope user's own queries are, and a district officer's queries (narrowed
to their districts) or a donor's (the published view) are keyed apart and
computed on their first visit as before. A failed warm-up is logged and
never stops the server; set ``KP_WARM_CACHE=0`` to switch it off (the
first-page benchmark measures both ways).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from core import warehouse
from core.config import warehouse_path
from metrics import published_scorecard, reference
from metrics.filters import Filters
from ui import filters, freshness
from ui.queries import TTL_SECONDS, page_run, query

log = logging.getLogger(__name__)

ENV_SWITCH = "KP_WARM_CACHE"
CHECK_SECONDS = 5.0  # how often the thread looks for a new warehouse or day


def enabled() -> bool:
    """Off only when ``KP_WARM_CACHE`` is ``0``, ``false``, ``no`` or ``off``."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def warm_landing(today: date) -> Filters:
    """Run, through the cache, every query of the Overview's first run for a
    user who sees every district, at the default filters; returns them.

    The same calls the frame makes (``ui.filters``: places, sources,
    freshness; ``ui.freshness``: the stale-data notice) and the page's one
    scorecard query, with the same arguments: a test opens the page after
    this and checks that none of its queries reaches the warehouse."""
    # On DuckDB's default threads, as a page's own run: whoever opens the
    # page meanwhile waits for this (Streamlit computes a cache key once), and
    # on one thread that wait was longer than computing the page (10M items:
    # 2.9 s after "Log in", against 2.6 s without the warm-up).
    with page_run():
        query(reference.district_list)
        f = filters.default_filters(today)
        filters.freshness_of(f)
        freshness.stale_sources("inquiries")
        query(published_scorecard.overview_cells, f, published=False)
    return f


@dataclass
class Warmed:
    """What the last warm-up was computed for, and when."""

    snapshot_id: str = ""
    day: date | None = None
    at: float = 0.0  # time.monotonic() of the last warm-up


def due(last: Warmed, snapshot_id: str, day: date, now: float) -> bool:
    """Whether to warm again: a new warehouse, a new day, or expired entries."""
    if not snapshot_id:  # no warehouse yet: nothing to read
        return False
    return snapshot_id != last.snapshot_id or day != last.day or now - last.at > TTL_SECONDS


def warm_if_due(last: Warmed) -> Warmed:
    """Warm the landing page when ``due``; returns what was warmed last."""
    snapshot_id, day = warehouse.snapshot_id(warehouse_path()), filters.today_pkt()
    if not due(last, snapshot_id, day, time.monotonic()):
        return last
    began = time.monotonic()
    try:
        warm_landing(day)
    except Exception:  # never the server's end: the page computes it itself
        log.warning("could not warm the landing page's queries", exc_info=True)
    else:
        log.info("landing page computed in %.2f s", time.monotonic() - began)
    # Even after a failure: not again before something changes.
    return Warmed(snapshot_id, day, time.monotonic())


def _loop(ready: Callable[[], bool], stop: threading.Event) -> None:
    while not ready():  # the cache lives in Streamlit's runtime: wait for it
        if stop.wait(0.05):
            return
    last = Warmed()
    while not stop.is_set():
        last = warm_if_due(last)
        stop.wait(CHECK_SECONDS)


def _runtime_ready() -> bool:
    from streamlit import runtime

    return runtime.exists()


def start(ready: Callable[[], bool] = _runtime_ready) -> threading.Event | None:
    """Start the warming thread (unless switched off); set the returned event to stop it."""
    if not enabled():
        return None
    stop = threading.Event()
    threading.Thread(target=_loop, args=(ready, stop), name="kp-warm-cache", daemon=True).start()
    return stop
