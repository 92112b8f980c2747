"""Social engagement: the social media team's page.

How the police's own posts do on Facebook, X, Instagram, YouTube and
TikTok (S1-S5) and how fast the cell answers the public there (S6): KPI
cards per platform against the previous period, weekly trends, the
engagement-rate distribution, follower growth, posting cadence with an
hour-of-week heat map, top posts with their growth over exports, content
types, hashtags and campaigns, and the audience by age and gender.
Thin by design: it reads the sidebar filters, asks ``metrics`` through the
cached ``ui.queries`` (targets and statuses through ``metrics.kpis``) and
lays out the figures of ``ui.social_charts``. No SQL, no business rules, no
targets in code; each rate says its denominator.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from metrics import kpis, social, social_breakdowns
from metrics.filters import Filters
from metrics.social import ALL_PLATFORMS, BASIS_WORDS, DEFAULT_MIN_IMPRESSIONS, platforms_of
from metrics.social_breakdowns import WEEKDAYS
from ui import frame, freshness
from ui import social_charts as charts
from ui.cards import STATUS_ICONS, TOO_SMALL_TEXT
from ui.format import (
    DASH,
    PKT_LABEL,
    format_delta,
    format_value,
    is_missing,
    markdown_literal,
    period_text,
    pkt_text,
    quarter_text,
    to_pkt,
    web_link,
)
from ui.queries import page_run, query

EMPTY_SOCIAL = (
    "No social exports loaded yet — load them on the Data page or with python -m etl load"
)
NO_POSTS = "No posts published in this period on the chosen platforms."
KEY_FLOOR = "social_engagement_floor"
KEY_POST = "social_engagement_post"
KEY_HEAT_PLATFORM = "social_engagement_heat_platform"
KEY_TAGS = "social_engagement_tags"
TOP_PER_PLATFORM = 10
PLOTLY = charts.CONFIG


def _basis(basis: object) -> str:
    return BASIS_WORDS.get(str(basis), "no denominator reported") if not is_missing(basis) else DASH


def header(f: Filters) -> None:
    st.title("Social engagement", anchor=False)
    previous = f.previous()
    st.caption(
        f"**{period_text(f.start, f.end)}** ({quarter_text(f.start, f.end)}) · "
        f"{', '.join(platforms_of(f)) or 'no platform chosen'} · changes compare with "
        f"{period_text(previous.start, previous.end)}  \n"
        "Posts count in the period they were published in, with their lifetime counts as of "
        "the latest export (never summed across exports). The channel filter picks the "
        "platforms; posts name no district, so region and district filters apply to the "
        f"public-response figures (S6) only. Times in {PKT_LABEL}."
    )


# KPI cards -----------------------------------------------------------------

# The grid's columns: (key, heading, catalogue KPI, unit). One row per platform.
GRID: tuple[tuple[str, str, str, str], ...] = (
    ("posts_per_day", "Posts a day (S4)", "S4", "per day"),
    ("impressions", "Impressions (S1)", "S1", "count"),
    ("reach", "Reach, sum of post reaches (S1)", "S1", "count"),
    ("engagement_rate_p50_pct", "Engagement rate P50 (S2)", "S2", "%"),
    ("follower_growth_pct", "Follower growth (S3)", "S3", "%"),
)
GRID_WIDTHS = (0.8, 1, 1, 1, 1, 1)


def _compact(value: object, unit: str, *, signed: bool = False) -> str | int | None:
    """Large counts as ``14.9 M`` or ``253 k`` so that a laptop-width card never cuts them
    (the exact figure is in the card's help and the tables)."""
    if unit != "count" or is_missing(value) or abs(float(value)) < 10_000:  # type: ignore[arg-type]
        return format_delta(value, unit) if signed else format_value(value, unit)
    sign = "+" if signed else ""
    number = float(value)  # type: ignore[arg-type]
    if abs(number) >= 1_000_000:
        return f"{number / 1_000_000:{sign},.1f} M"
    return f"{number / 1_000:{sign},.0f} k"


def _card(
    label: str,
    value: object,
    unit: str,
    delta: object,
    *,
    description: str | None = None,
    help_text: str | None = None,
    direction: str = "normal",
    collapsed: bool = False,
    status: str | None = None,
) -> None:
    shown = _compact(value, unit)
    exact = format_value(value, unit)
    if shown != exact:
        help_text = f"{help_text}\n\nExactly {exact}." if help_text else f"Exactly {exact}."
    too_small = status == "n_too_small"
    if too_small:  # a figure on too few items is not shown as if it were firm
        help_text = f"{help_text}\n\nThe figure, {exact}, rests on too few items to judge."
    st.metric(
        label,
        TOO_SMALL_TEXT if too_small else shown,
        delta=None if too_small else _compact(delta, unit, signed=True),
        delta_color=direction,
        delta_description=description,
        help=help_text,
        icon=STATUS_ICONS.get(status or ""),
        border=True,
        width="stretch",
        height="stretch",
        label_visibility="collapsed" if collapsed else "visible",
    )


def _definitions() -> dict[str, str]:
    return {kpi_id: kpi.definition for kpi_id, kpi in kpis.catalogue().items()}


def _descriptions(row: Mapping[str, object]) -> dict[str, str | None]:
    """Under each value: what it rests on (posts, rated posts, net followers)."""
    posts = 0 if is_missing(row["posts"]) else int(row["posts"])  # type: ignore[arg-type]
    rated = 0 if is_missing(row["posts_rated"]) else int(row["posts_rated"])  # type: ignore[arg-type]
    net = row["net_new_followers"]
    return {
        "posts_per_day": f"{posts:,} posts",
        "impressions": None,
        "reach": None,
        "engagement_rate_p50_pct": f"n {rated:,}",
        "engagements": "engagements, not a rate",
        "follower_growth_pct": None if is_missing(net) else f"net {float(net):+,.0f}",  # type: ignore[arg-type]
    }


def _platform_row(row: Mapping[str, object]) -> None:
    platform = str(row["platform"])
    descriptions = _descriptions(row)
    name, *cells = st.columns(GRID_WIDTHS, gap="small", vertical_alignment="center")
    with name:
        st.markdown(f"**{markdown_literal(platform)}**")
        if platform == ALL_PLATFORMS:
            st.caption("sums across platforms")
        elif not is_missing(row["engagement_rate_basis"]):
            st.caption(f"engagement rate ÷ {_basis(row['engagement_rate_basis'])}")
    for cell, (key, heading, _kpi, unit) in zip(cells, GRID, strict=True):
        if platform == ALL_PLATFORMS and key == "engagement_rate_p50_pct":
            # Rates on different bases are never pooled: the total shows engagements.
            key, heading, unit = "engagements", "Engagements", "count"
        with cell:
            _card(
                f"{platform} · {heading}",
                row[key],
                unit,
                row[f"delta_{key}"],
                description=descriptions[key],
                collapsed=True,
            )


def kpi_section(f: Filters, summary: pd.DataFrame) -> None:
    st.subheader("Platforms at a glance", anchor=False)
    st.caption(
        "Each card compares with the previous period (green is better). Engagement rate = "
        "engagements ÷ the platform's denominator shown on the card: impressions; reach where "
        "a platform gives no impressions (YouTube: unique viewers, as its impressions count "
        "thumbnail showings); video views on TikTok, which gives neither. Follower growth = "
        "net new followers ÷ followers at the period start. The all-platforms row adds up "
        "reaches and followers of different platforms: a person can count more than once."
    )
    definitions = _definitions()
    _blank, *headings = st.columns(GRID_WIDTHS, gap="small", vertical_alignment="bottom")
    for heading, (_key, text, kpi_id, _unit) in zip(headings, GRID, strict=True):
        target = kpis.kpi_for(kpi_id, f)
        extra = f" Target: {target.target_text}." if target.target is not None else ""
        heading.markdown(f"**{text}**", help=definitions[kpi_id] + extra)
    for row in summary.to_dict("records"):
        _platform_row(row)


def response_section(f: Filters) -> None:
    st.subheader("Public response on social (S6)", anchor=False)
    response = kpis.judge_social_response(query(social.public_response, f), f)
    channels = response["channels"].iloc[0] if not response.empty else "none"
    target = kpis.kpi_for("S6", f)
    st.caption(
        f"Items needing a reply on {channels} (the register's social channels; region and "
        "district filters apply): R3 and R4 of the Response times page, restricted to these "
        "channels. Reply rate = items replied ÷ items needing a reply, received in the period; "
        "first response = P50 of first replies sent in the period. Target: "
        f"{target.target_text} (clock time, as Meta counts it)."
    )
    names = {
        "response_rate": ("Replied (R3 on social)", "higher"),
        "first_response_p50_business": ("First reply P50, business time (R4 on social)", "lower"),
        "first_response_p50_calendar": ("First reply P50, clock time (R4 on social)", "lower"),
    }
    with st.container(horizontal=True, gap="small", vertical_alignment="distribute"):
        for row in response.to_dict("records"):
            label, direction = names[row["measure"]]
            n = int(row["n"])
            if row["unit"] == "%":
                replied = 0 if is_missing(row["numerator"]) else int(row["numerator"])
                description = f"{replied:,} of {n:,}"
            else:
                p90 = format_value(row["p90"], "minutes")
                description = f"P90 {p90} · n {n:,}"
            status = None if is_missing(row["status"]) else str(row["status"])
            _card(
                label,
                row["value"],
                row["unit"],
                row["delta"],
                description=description,
                help_text=f"{_definitions()['S6']}\n\n**Status:** {row['status_text']}.",
                direction="inverse" if direction == "lower" else "normal",
                status=status,
            )


# Trends ------------------------------------------------------------------------


def trend_section(f: Filters) -> None:
    trend = query(social_breakdowns.weekly_trend, f)
    with st.container(border=True):
        st.markdown("**Weekly trend**")
        st.caption(
            "Posts published each week (Monday start, PKT) and their impressions and P50 "
            "engagement rate (each platform on its own denominator). The first and last weeks "
            "may be partial."
        )
        if trend.empty:
            st.info(NO_POSTS, icon=":material/info:")
            return
        trend = trend.assign(week=pd.to_datetime(trend["week_start"]))
        impressions, rates = st.tabs(["Impressions", "Engagement rate P50"])
        with impressions:
            shown = trend.dropna(subset=["impressions"])
            if shown.empty:
                st.caption("No platform reports impressions for these posts.")
            else:
                fig = charts.platform_lines(
                    shown, "week", "impressions", "Impressions", "%{y:,.0f} impressions"
                )
                st.plotly_chart(fig, config=PLOTLY)
        with rates:
            shown = trend.dropna(subset=["engagement_rate_p50_pct"])
            fig = charts.platform_lines(
                shown, "week", "engagement_rate_p50_pct", "P50 engagement rate (%)", "%{y:.2f}%"
            )
            st.plotly_chart(fig, config=PLOTLY)


def distribution_section(f: Filters) -> None:
    rates = query(social.engagement_rate, f)
    with st.container(border=True):
        st.markdown("**Engagement rate per post, by platform (S2)**")
        st.caption(
            "Box: P25–P75 with the P50 line; whiskers P5–P95 (DuckDB quantile_cont). "
            "Denominator per platform: "
            + (
                "; ".join(
                    f"{p} ÷ {_basis(b)}"
                    for p, b in zip(rates["platform"], rates["engagement_rate_basis"], strict=True)
                )
                or DASH
            )
            + "."
        )
        rated = rates[rates["posts_rated"] > 0]
        if rated.empty:
            st.info(NO_POSTS, icon=":material/info:")
            return
        st.plotly_chart(charts.engagement_distribution(rated), config=PLOTLY)


def growth_section(f: Filters) -> None:
    growth = query(social.follower_growth, f)
    daily = query(social_breakdowns.account_daily, f)
    with st.container(border=True):
        st.markdown("**Follower growth (S3)**")
        st.caption(
            "Net new followers ÷ followers at the period start (the last count reported before "
            "it; else the first in it, and then only later days count). Net new = each day's "
            "reported net, else new − lost followers; where no day reports either, the change "
            "in the follower count."
        )
        if growth.empty:
            st.info("No daily account metrics in this period.", icon=":material/info:")
            return
        st.dataframe(
            growth.drop(columns=["flow_days"]),
            hide_index=True,
            height="content",
            column_config={
                "platform": st.column_config.TextColumn("Platform", pinned=True),
                "accounts": st.column_config.NumberColumn("Accounts", format="%d"),
                "followers_at_start": st.column_config.NumberColumn(
                    "Followers at start", format="localized"
                ),
                "start_count_date": st.column_config.DateColumn("Counted on", format="D MMM YYYY"),
                "net_new_followers": st.column_config.NumberColumn("Net new", format="%+d"),
                "accounts_with_growth": st.column_config.NumberColumn(
                    "Accounts rated", format="%d"
                ),
                "growth_pct": st.column_config.NumberColumn("Growth", format="%.2f%%"),
                "net_basis": st.column_config.TextColumn("Net new from"),
            },
        )
        counted = daily.dropna(subset=["followers"])
        if not counted.empty:
            # One line per account: a platform with two accounts gets two lines.
            several = counted.groupby("platform")["account"].nunique() > 1
            if several.any():
                counted = counted.assign(platform=counted["platform"] + " · " + counted["account"])
            fig = charts.platform_lines(
                counted.assign(day=pd.to_datetime(counted["date"])),
                "day",
                "followers",
                "Followers (where reported)",
                "%{y:,.0f} followers",
            )
            st.plotly_chart(fig, config=PLOTLY)


def cadence_section(f: Filters) -> None:
    posts = query(social_breakdowns.daily_posts, f)
    summary = query(social.platform_summary, f)
    target = kpis.kpi_for("S4", f)
    with st.container(border=True):
        st.markdown("**Posting cadence (S4)**")
        line = (
            f"; the dashed line is the target ({target.target_text})"
            if target.target is not None
            else ""
        )
        st.caption(f"Posts published per day ({PKT_LABEL}){line}.")
        if posts.empty or posts["posts"].sum() == 0:
            st.info(NO_POSTS, icon=":material/info:")
        else:
            st.plotly_chart(charts.cadence(posts, target=target.target), config=PLOTLY)
        _heat_map(f, summary)


def _heat_map(f: Filters, summary: pd.DataFrame) -> None:
    posted = summary[(summary["platform"] != ALL_PLATFORMS) & (summary["posts"] > 0)]
    options = list(posted["platform"])
    st.markdown("**When posts engage: hour of week (S4)**")
    if not options:
        st.info(NO_POSTS, icon=":material/info:")
        return
    platform = st.segmented_control(
        "Platform", options, default=options[0], key=KEY_HEAT_PLATFORM, required=True
    )
    cells = query(social_breakdowns.hour_of_week, f, platform=platform)
    st.caption(
        f"P50 engagement rate (÷ {_basis(_basis_of(summary, platform))}) of {platform} posts "
        f"by the weekday and hour ({PKT_LABEL}) they were published; numbers are posts. Posts "
        "whose export gives only a date (X's content file, YouTube) have no hour."
    )
    if cells["posts"].sum() == 0:
        st.info("No posts with a publish time in this period.", icon=":material/info:")
        return
    st.plotly_chart(charts.hour_of_week(cells, WEEKDAYS), config=PLOTLY)


def _basis_of(summary: pd.DataFrame, platform: str) -> object:
    match = summary.loc[summary["platform"] == platform, "engagement_rate_basis"]
    return match.iloc[0] if not match.empty else None


# Top posts -------------------------------------------------------------------------


def top_posts_section(f: Filters) -> None:
    st.subheader("Top posts (S5)", anchor=False)
    floor = st.number_input(
        "Minimum impressions (or reach / views where that is the denominator)",
        min_value=0,
        value=DEFAULT_MIN_IMPRESSIONS,
        step=100,
        key=KEY_FLOOR,
        width=360,
    )
    posts = query(social.top_posts, f, min_impressions=int(floor), limit=TOP_PER_PLATFORM)
    st.caption(
        f"The best {TOP_PER_PLATFORM} posts of each platform published in the period, ranked "
        "within their platform by engagement rate: platforms rate on different denominators "
        "(impressions, reach, video views), so a rate is only compared with the same "
        f"platform's. Only posts with at least {int(floor):,} in the rate's denominator, so "
        f"that a handful of views cannot top the list. Times in {PKT_LABEL}; counts as of the "
        "latest export."
    )
    if posts.empty:
        st.info("No post reaches the floor in this period.", icon=":material/info:")
        return
    shown = posts.assign(
        published_at=to_pkt(posts["published_at"]),
        # Only http(s) links are links: a javascript: or data: permalink is dropped.
        permalink=posts["permalink"].map(web_link),
        engagement_rate_basis=posts["engagement_rate_basis"].map(_basis),
    )
    st.dataframe(
        shown,
        hide_index=True,
        height=min(38 + 35 * len(shown), 460),
        column_order=(
            "platform",
            "platform_rank",
            "published_at",
            "content_type",
            "post_text",
            "engagement_rate_pct",
            "engagement_rate_basis",
            "engagement_rate_denominator",
            "engagements",
            "impressions",
            "reach",
            "permalink",
            "n_snapshots",
            "source_file",
            "source_row",
        ),
        column_config={
            "platform": st.column_config.TextColumn("Platform", pinned=True),
            "platform_rank": st.column_config.NumberColumn(
                "Rank on platform", format="%d", pinned=True
            ),
            "published_at": st.column_config.DatetimeColumn(
                f"Published ({PKT_LABEL})", format="D MMM YYYY, HH:mm"
            ),
            "content_type": "Type",
            "post_text": st.column_config.TextColumn("Post", width="large"),
            "engagement_rate_pct": st.column_config.NumberColumn(
                "Engagement rate", format="%.2f%%"
            ),
            "engagement_rate_basis": "Rate ÷",
            "engagement_rate_denominator": st.column_config.NumberColumn(
                "Denominator", format="localized"
            ),
            "engagements": st.column_config.NumberColumn("Engagements", format="localized"),
            "impressions": st.column_config.NumberColumn("Impressions", format="localized"),
            "reach": st.column_config.NumberColumn("Reach", format="localized"),
            "permalink": st.column_config.LinkColumn("Link", display_text="Open post"),
            "n_snapshots": st.column_config.NumberColumn("Exports", format="%d"),
            "source_file": "Source file",
            "source_row": st.column_config.NumberColumn("Row", format="%d"),
        },
    )
    _growth_curve(posts)


def _post_label(row: Mapping[str, object]) -> str:
    text = str(row.get("post_text") or "(no text)")
    text = text if len(text) <= 60 else text[:59] + "…"
    return f"{row['platform']} #{row['platform_rank']} · {pkt_text(row['published_at'])} · {text}"


def _growth_curve(posts: pd.DataFrame) -> None:
    rows = posts.to_dict("records")
    chosen = st.selectbox(
        "Growth over exports of",
        range(len(rows)),
        format_func=lambda i: _post_label(rows[i]),
        key=KEY_POST,
    )
    if chosen is None or chosen >= len(rows):
        return
    row = rows[chosen]
    snapshots = query(
        social_breakdowns.post_snapshots,
        str(row["platform"]),
        str(row["account"]),
        str(row["post_id"]),
    )
    st.caption(
        "Lifetime counts as each export saw them (one point per export); the post's figures "
        "above are the latest point, never a sum."
    )
    if len(snapshots) == 1:
        st.caption("Only one export of this post is loaded so far: one point per count.")
    figure = charts.post_growth(snapshots, to_pkt(snapshots["snapshot_at"]))
    st.plotly_chart(figure, config=PLOTLY)


# Content, hashtags, campaigns, audience --------------------------------------------


def content_section(f: Filters) -> None:
    types = query(social_breakdowns.content_types, f)
    with st.container(border=True):
        st.markdown("**Content types**")
        st.caption(
            "P50 engagement rate by the type of post, within each platform (on its own "
            "denominator); the label is the number of posts."
        )
        if types.empty:
            st.info(NO_POSTS, icon=":material/info:")
            return
        st.plotly_chart(charts.content_types(types), config=PLOTLY)


def tags_section(f: Filters) -> None:
    with st.container(border=True):
        st.markdown("**Hashtags and campaigns**")
        kind = st.segmented_control(
            "Compare",
            ["hashtag", "campaign"],
            format_func=lambda k: (
                "Hashtags" if k == "hashtag" else "Campaigns (Meta custom labels)"
            ),
            default="hashtag",
            key=KEY_TAGS,
            required=True,
        )
        tags = query(social_breakdowns.tag_comparison, f, kind=kind, limit=15)
        st.caption(
            "The tags on most posts in the period: posts per tag and the P50 engagement rate "
            "of those posts on each platform (on its own denominator)."
        )
        if tags.empty:
            st.info(f"No {kind}s on the posts of this period.", icon=":material/info:")
            return
        st.plotly_chart(charts.tags(tags), config=PLOTLY)


def audience_section(f: Filters) -> None:
    people = query(social_breakdowns.audience, f)
    with st.container(border=True):
        st.markdown("**Audience by age and gender**")
        st.caption(
            "As each platform last reported it (Meta's audience export); shares of the "
            "account's audience, not cut by the period."
        )
        if people.empty:
            st.info(
                "No age and gender breakdown loaded for these platforms.", icon=":material/info:"
            )
            return
        for (platform, account), rows in people.groupby(["platform", "account"], sort=False):
            # The account name was typed by a person: drawn as text, never as
            # Markdown (which would still link a bare URL and draw an icon code).
            st.text(f"{platform} · {account} · as of {pkt_text(rows['snapshot_at'].max())}")
            st.plotly_chart(charts.audience(rows), config=PLOTLY)


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read: the frame has said why
        return
    header(f)
    freshness.stale_notice("social")  # a stale platform export says so above the figures
    if not social_breakdowns.has_social_data(query(social_breakdowns.social_status)):
        st.info(EMPTY_SOCIAL, icon=":material/info:")
        response_section(f)
        return
    summary = query(social.platform_summary, f)
    if summary.empty:
        st.info(
            "No social data for the chosen platforms: pick a platform in the Channel filter "
            "or clear it.",
            icon=":material/info:",
        )
        response_section(f)
        return
    kpi_section(f, summary)
    response_section(f)
    left, right = st.columns(2)
    with left:
        trend_section(f)
    with right:
        distribution_section(f)
    left, right = st.columns(2)
    with left:
        growth_section(f)
    with right:
        cadence_section(f)
    top_posts_section(f)
    left, right = st.columns(2)
    with left:
        content_section(f)
    with right:
        tags_section(f)
    audience_section(f)


# One snapshot and one read-only connection for the whole run's queries.
with page_run():
    main()
