"""The Data page loads what the CLI loads with ``--platform`` (issue 14).

A Meta per-metric Insights file whose title names no platform is refused
until the person states the platform in the page's options; then it loads
under that platform, as ``python -m etl load --platform`` would.
"""

from __future__ import annotations

from pathlib import Path

from tests.social_fixtures_meta import write_insights_daily
from tests.test_app_data import (  # noqa: F401  (fixtures used by name)
    base_warehouse,
    live,
    open_data_page,
    run,
    sql,
    texts,
)


def test_a_platformless_insights_file_loads_once_the_platform_is_stated(
    live: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    views = write_insights_daily(tmp_path / "Views.csv", "Views", [("2025-01-01T01:00:00", "50")])
    at = open_data_page()
    at.file_uploader[0].set_value([("Views.csv", views.read_bytes(), "text/csv")])
    run(at)
    refused = " ".join(e.value for e in at.error)
    assert "stating its platform" in refused
    assert not any(b.label.startswith("Load 1") for b in at.button if not b.disabled)

    at.selectbox(key="data_platform").select("Instagram")
    run(at)
    assert not [e.value for e in at.error], [e.value for e in at.error]
    load = next(b for b in at.button if b.key == "data_load")
    assert load.label == "Load 1 file(s)" and not load.disabled
    load.click()
    run(at)
    rows = sql(live, "select distinct platform from raw.social_account_daily")
    assert rows == [("Instagram",)]
    assert "Views.csv" in " ".join(texts(at))
