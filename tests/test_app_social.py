"""The social engagement page in Streamlit's AppTest (no browser).

On the hand-checkable warehouse of tests/social_fixture.py (March 2025 is
chosen as a custom period) the cards must show the figures worked out by
hand below; on the register-only demo warehouse the page must say that no
social exports are loaded, without an error.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest
import yaml
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from etl.warehouse import new_version
from metrics.targets import targets_path
from tests.auth_support import login
from tests.social_fixture import shared_social_warehouse

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGE = "pages/social_engagement.py"
PERSONAL = {"name", "requester_name", "phone", "mobile", "cnic", "email", "summary", "address"}
EMPTY_SOCIAL = (
    "No social exports loaded yet — load them on the Data page or with python -m etl load"
)
RAW_SOCIAL = ("raw.social_post_snapshots", "raw.social_account_daily", "raw.social_audience")


@pytest.fixture(scope="module")
def social_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_social_warehouse(tmp_path_factory)


@pytest.fixture(scope="module")
def register_only(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse as it is today: register exports only. Should the demo
    gain social exports, a copy without them keeps this test about the empty state."""
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        rows = sum(con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in RAW_SOCIAL)
    if rows == 0:
        return demo_warehouse
    copy = tmp_path_factory.mktemp("register_only") / "warehouse.duckdb"
    copy.write_bytes(demo_warehouse.read_bytes())
    with new_version(copy) as con:
        for table in RAW_SOCIAL:
            con.execute(f"delete from {table}")
    return copy


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def pin_navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rerun as a live server runs it after its first run (see tests/test_app.py):
    AppTest would otherwise run each rerun in Streamlit's legacy pages/ mode."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="module")
def small_n_targets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped targets, but judging even 1 item and with 3 posts a day for S4: the
    fixture's S6 rests on 4 items, fewer than the shipped minimum of 10."""
    raw = yaml.safe_load(targets_path().read_text("utf-8"))
    raw["status"]["min_n"] = 1
    raw["kpis"]["S4"][0].update(target=3, target_text="≥ 3 posts a day")
    path = tmp_path_factory.mktemp("targets") / "targets.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def open_page(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    targets: Path | None = None,
    **state: object,
) -> AppTest:
    """The dashboard on the social page, widgets preset through ``state``, in one run."""
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    if targets is not None:
        monkeypatch.setenv("KP_KPI_TARGETS", str(targets))
    pin_navigation_mode(monkeypatch)
    at = login(AppTest.from_file(str(APP), default_timeout=60))
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE)
    return run(at)


MARCH_2025 = {"filters_preset": "Custom", "filters_range": (date(2025, 3, 1), date(2025, 3, 31))}


@pytest.fixture
def app(social_warehouse: Path, small_n_targets: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    at = open_page(
        social_warehouse,
        monkeypatch,
        small_n_targets,
        filters_preset="Custom",
        filters_range=(date(2025, 3, 1), date(2025, 3, 31)),
    )
    assert at.selectbox(key="filters_preset").value == "Custom"
    assert at.date_input(key="filters_range").value == (date(2025, 3, 1), date(2025, 3, 31))
    return at


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def plotly_traces(at: AppTest) -> list[list[dict]]:
    return [json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")]


def values(array: object) -> list[float]:
    """A Plotly array as numbers (Plotly 7 sends typed arrays base64-encoded)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)  # type: ignore[arg-type]


def test_cards_show_the_hand_worked_figures_and_denominators(app: AppTest) -> None:
    shown = cards(app)
    # March: Facebook FB1 1000 + FB2 2000 + FB3 400 + FB5 600 impressions
    assert shown["Facebook · Impressions (S1)"] == "4,000"
    # Reach: Facebook 2,850 + Instagram 1,500, a sum of reaches
    assert shown["All platforms · Reach, sum of post reaches (S1)"] == "4,350"
    # X rates 2%, 2%, 10%: P50 2%
    assert shown["X · Engagement rate P50 (S2)"] == "2.0%"
    # Instagram 5,000 -> 5,100 followers
    assert shown["Instagram · Follower growth (S3)"] == "2.0%"
    # 4 posts in 31 days
    assert shown["Facebook · Posts a day (S4)"] == "0.13"
    # S6: 3 of the 4 social items needing a reply were replied
    assert shown["Replied (R3 on social)"] == "75.0%"
    assert shown["First reply P50, business time (R4 on social)"] == "60 min"
    # ... against Meta's badge (>= 90 % replied, <= 15 clock minutes): 75 % is
    # more than 10 % short of 90 %, 60 min more than 10 % over 15: off target.
    icons = {m.label: m.proto.icon for m in app.metric}
    assert icons["Replied (R3 on social)"] == ":material/error:"
    assert icons["First reply P50, clock time (R4 on social)"] == ":material/error:"
    assert icons["First reply P50, business time (R4 on social)"] == ""  # not judged
    deltas = {m.label: m.delta for m in app.metric}
    # Facebook impressions 4,000 in March against 800 in February
    assert deltas["Facebook · Impressions (S1)"] == "+3,200"
    assert not app.info or all(EMPTY_SOCIAL not in i.value for i in app.info)
    # Every platform's rate says its denominator, beside the platform's cards.
    captions = [c.value for c in app.caption]
    for basis in ("impressions", "reach (people reached)", "video views"):
        assert f"engagement rate ÷ {basis}" in captions, basis


def test_channel_filter_narrows_the_platforms(app: AppTest) -> None:
    app.multiselect(key="filters_channels").select("Facebook")
    run(app)
    platform_cards = [label for label in cards(app) if "(S" in label and " · " in label]
    assert {label.split(" · ")[0] for label in platform_cards} == {"Facebook", "All platforms"}
    # S6 on Facebook only: Q1 replied, Q4 not
    assert cards(app)["Replied (R3 on social)"] == "50.0%"


def test_top_posts_floor_links_and_growth_curve(app: AppTest) -> None:
    tables = [df.value for df in app.dataframe]
    top = next(t for t in tables if "permalink" in t.columns)
    # 8 March posts have at least 500 in their rate's denominator; FB3 and X3 do not.
    # Ranked within each platform: Facebook's best (FB2, 7.5 % of impressions) first,
    # Instagram's 8 % of reach is first on Instagram, not first overall.
    assert len(top) == 8
    assert list(top["platform"]) == ["Facebook"] * 3 + ["X"] * 2 + ["Instagram"] * 2 + ["TikTok"]
    assert list(top["platform_rank"]) == [1, 2, 3, 1, 2, 1, 2, 1]
    assert top["permalink"].iloc[5] == "https://instagram.com/reel/1790001"
    assert any("ranked within their platform" in c.value for c in app.caption)
    for table in tables:
        assert not PERSONAL & {str(c).lower() for c in table.columns}

    app.number_input(key="social_engagement_floor").set_value(0)
    run(app)
    top = next(df.value for df in app.dataframe if "permalink" in df.value.columns)
    assert len(top) == 10

    # FB1 (two exports: 500 then 1,000 impressions) is 5th of the 10 posts
    options = app.selectbox(key="social_engagement_post").options
    fb1 = next(i for i, label in enumerate(options) if "Road safety week" in label)
    app.selectbox(key="social_engagement_post").select_index(fb1)
    run(app)
    curves = [t for t in plotly_traces(app) if any(tr.get("name") == "Impressions" for tr in t)]
    impressions = next(tr for tr in curves[-1] if tr["name"] == "Impressions")
    assert values(impressions["y"]) == [500, 1000]


def test_targets_come_from_the_targets_file(app: AppTest) -> None:
    # The cadence chart's target line is the file's S4 target (3 here), not a number in code.
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    lines = [shape for spec in specs for shape in spec["layout"].get("shapes", [])]
    # One horizontal line on the whole page: the cadence chart's target.
    assert [(shape["y0"], shape["y1"]) for shape in lines] == [(3, 3)]
    assert any("the dashed line is the target (≥ 3 posts a day)" in c.value for c in app.caption)


def test_small_n_says_so_with_the_shipped_minimum(
    social_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shipped file judges nothing on fewer than 10 items: S6's 4 say so.
    at = open_page(social_warehouse, monkeypatch, **MARCH_2025)
    shown = cards(at)
    assert shown["Replied (R3 on social)"] == "n too small"
    helps = {m.label: m.help for m in at.metric}
    assert "75.0%" in helps["Replied (R3 on social)"]
    assert {m.proto.icon for m in at.metric if "on social" in m.label} == {
        ":material/hourglass_empty:"
    }


def test_empty_state_on_the_register_only_demo(
    register_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(register_only, monkeypatch)
    assert any(EMPTY_SOCIAL in i.value for i in at.info)
    assert "Replied (R3 on social)" in cards(at)  # S6 reads the register
    assert not any("(S1)" in label for label in cards(at))


def test_page_alone_draws_its_frame(
    social_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deep link on a fresh server runs the page file without dashboard.py."""
    monkeypatch.setenv("KP_WAREHOUSE", str(social_warehouse))
    at = run(login(AppTest.from_file(str(APP.parent / PAGE), default_timeout=60)))
    assert at.sidebar.selectbox(key="filters_preset").value == "Last month"
    assert any(t.value == "Social engagement" for t in at.title)
