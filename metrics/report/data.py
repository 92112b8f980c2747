"""Gather a donor report's figures through the dashboard's own metric functions.

``gather(con, period, base)`` asks the functions the pages ask
(``metrics.kpis.kpi_summary`` for the indicator table, exactly the
Response times page's table; ``metrics.responsiveness.compute_kpis`` for
the fiscal year to date, the same period last year and every group;
``metrics.social.platform_summary``; ``metrics.outreach``; the Data page's
``metrics.loads``, ``metrics.quarantine`` and ``metrics.freshness``) on a
read-only connection, and defines no KPI of its own. Groups are the same
functions with narrower ``Filters``: a requester gender (``genders``), a
region, the merged or the settled districts.

Every table then goes through ``metrics.disclosure`` before it leaves this
module: the ``ReportData`` it returns holds publishable numbers only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from metrics import outreach, reference, responsiveness, scope, social
from metrics.disclosure import RULE
from metrics.filters import KARACHI, OWN_SOURCES, Filters
from metrics.report import annex, quality, summary
from metrics.report.consistency import COMPLEMENT_WORDS, reconcile
from metrics.report.groups import (
    DISAGGREGATED,
    GENDER_COMPLEMENTS,
    NO_DISTRICT,
    NOT_RECORDED,
    compute_groups,
    gender_groups,
    has_table,
    merged_groups,
    outreach_table,
    publish_kpis,
    region_groups,
)
from metrics.report.indicators import gender_counts_by_period, indicator_table, periods_of
from metrics.report.model import ReportData
from metrics.report.period import ReportPeriod
from metrics.report.trends import ADDITIVE, monthly_table, weekly_table

Connection = duckdb.DuckDBPyConnection


class NoDataError(LookupError):
    """The period has nothing to report; the message says what the warehouse holds."""


def default_filters(con: Connection, period: ReportPeriod) -> Filters:
    """The dashboard's starting filters: the whole province, every channel,
    and the cell's own register when other systems' items are loaded too
    (as the sidebar's source filter starts)."""
    sources = scope.inquiry_sources(con)["source"].tolist()
    own = () if all(s in OWN_SOURCES for s in sources) else OWN_SOURCES
    return Filters(period.start, period.end, sources=own)


def scope_text(f: Filters) -> str:
    """The filters in words, for the cover and every sheet."""
    parts = []
    if f.regions:
        parts.append("regions " + ", ".join(f.regions))
    if f.districts:
        parts.append("districts " + ", ".join(f.districts))
    if f.channels:
        parts.append("channels " + ", ".join(f.channels))
    if f.sources:
        parts.append("sources " + ", ".join(f.sources))
    return "; ".join(parts) if parts else "All of Khyber Pakhtunkhwa, every channel and source"


def _no_data_message(con: Connection, period: ReportPeriod, f: Filters) -> str:
    fresh = reference.inquiry_freshness(con, f)
    latest = fresh.loc[0, "latest_received_at"] if not fresh.empty else None
    held = (
        f"the warehouse holds {int(fresh.loc[0, 'n_items']):,} items, the latest received "
        f"{pd.Timestamp(latest).tz_convert(KARACHI):%d %b %Y}"
        if latest is not None and not pd.isna(latest)
        else "the warehouse holds no items"
    )
    return (
        f"No data for {period.label} ({scope_text(f)}): no item was received in the period "
        f"and no social post or outreach event falls in it; {held}. Load the period's files "
        "first (python -m etl load FILE...) or choose another period."
    )


def gather(
    con: Connection,
    period: ReportPeriod,
    base: Filters | None = None,
    *,
    now: datetime | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportData:
    """Every figure of the report for ``period`` within ``base``'s area,
    channels and sources (default: the dashboard's starting filters).

    ``now`` (timezone-aware) fixes the clock open items are judged at
    (default: the real clock; a period that has ended does not depend on
    it); ``today`` the Pakistan date freshness is measured from. Raises
    ``NoDataError`` when nothing at all falls in the period.
    """
    say = progress or (lambda message: None)
    today = today or (now or datetime.now(UTC)).astimezone(KARACHI).date()
    f = period.filters(base) if base is not None else default_filters(con, period)
    periods = periods_of(period, f)
    districts = reference.district_list(con)

    say("inquiry KPIs by requester gender, region, merged and settled districts")
    total = responsiveness.compute_kpis(con, DISAGGREGATED, f, now=now)
    by_gender = compute_groups(con, gender_groups(f), DISAGGREGATED, now)
    by_region = compute_groups(con, region_groups(f, districts), DISAGGREGATED, now)
    by_merged = compute_groups(con, merged_groups(f, districts), DISAGGREGATED, now)
    posts = social.platform_summary(con, f)
    with_outreach = has_table(con, "marts", "outreach_events")
    events = outreach.outreach_events_held(con, f) if with_outreach else None
    if total["R1"].n == 0 and posts["posts"].sum() == 0 and not (events and events.n):
        raise NoDataError(_no_data_message(con, period, f))

    say("indicator table: this period, fiscal year to date, same period last year")
    gender_counts = gender_counts_by_period(con, periods, by_gender)
    outreach_results = (
        {c: outreach.outreach_events_held(con, g) for c, g in periods.named().items()}
        if with_outreach
        else None
    )
    indicators = indicator_table(
        con, periods, now=now, gender_counts=gender_counts, outreach_results=outreach_results
    )
    tables = [
        publish_kpis(
            "gender",
            "Inquiry KPIs by requester gender",
            "Requester gender",
            by_gender,
            total,
            DISAGGREGATED,
            remainder_label=NOT_RECORDED,
            prefer=GENDER_COMPLEMENTS,
            notes=(
                "Transgender cells are sensitive: counts under 10 are not published. Where a "
                "complement is needed, the unknown-gender group is given up first, and for "
                "the item counts the men's (so that women's figures stay published and the "
                "women's share cannot reveal the transgender count).",
            ),
        ),
        publish_kpis(
            "region",
            "Inquiry KPIs by police region",
            "Region",
            by_region,
            total,
            DISAGGREGATED,
            remainder_label=NO_DISTRICT,
            prefer={"*": (NO_DISTRICT,)},
        ),
        publish_kpis(
            "merged",
            "Inquiry KPIs in merged and settled districts",
            "Districts",
            by_merged,
            total,
            DISAGGREGATED,
            remainder_label=NO_DISTRICT,
            prefer={"*": (NO_DISTRICT,)},
            notes=(
                "Merged districts: the former FATA districts merged into the province in 2018.",
            ),
        ),
    ]
    outreach_note = "The warehouse has no outreach register yet: outreach is not reported."
    if with_outreach and events is not None:
        outreach_note = (
            f"{events.n:,} outreach events were held in the period."
            if events.n
            else "No outreach event is recorded for the period in the outreach register."
        )
        if events.n:
            tables.append(
                outreach_table(
                    con,
                    region_groups(f, districts),
                    events,
                    "outreach_region",
                    "Region",
                    "Outreach events and participants by police region",
                )
            )
            tables.append(
                outreach_table(
                    con,
                    merged_groups(f, districts),
                    events,
                    "outreach_merged",
                    "Districts",
                    "Outreach events and participants in merged and settled districts",
                )
            )

    say("monthly and weekly trends")
    fiscal_ytd = responsiveness.compute_kpis(con, ADDITIVE, periods.fiscal_ytd, now=now)
    monthly, hide_ytd = monthly_table(con, period, f, now, fiscal_ytd)
    weekly, hide_r1 = weekly_table(con, f, now, total["R1"].n)
    indicators = reconcile(indicators, tables, hide_fiscal_ytd=hide_ytd, hide_this_r1=hide_r1)

    say("data quality: sources, coverage, quarantine")
    dq = quality.data_quality(
        con,
        period,
        f,
        today=today,
        total=total["R1"].n,
        by_gender={g: r["R1"].n for g, r in by_gender.items()},
        by_region={g: r["R1"].n for g, r in by_region.items()},
        with_outreach=with_outreach,
    )
    judged_at = min(f.end_at, (now or datetime.now(UTC)).astimezone(UTC))
    data = ReportData(
        period=period,
        scope_text=scope_text(f),
        complete=period.is_complete(today),
        judged_at=judged_at,
        warehouse_snapshot=quality.snapshot_text(dq.loads),
        indicators=indicators,
        disaggregations=tuple(tables),
        monthly=monthly,
        weekly=weekly,
        social=_social_table(posts),
        outreach_note=outreach_note,
        quality=dq,
        annex=annex.entries(indicators["kpi_id"].unique(), f),
        conventions=annex.conventions(),
        disclosure_rule=f"{RULE.words()} {COMPLEMENT_WORDS}",
    )
    return replace(data, summary=summary.sentences(data))


SOCIAL_COLUMNS: tuple[str, ...] = (
    "platform",
    "posts",
    "previous_posts",
    "impressions",
    "reach",
    "engagements",
    "engagement_rate_basis",
    "engagement_rate_p50_pct",
    "previous_engagement_rate_p50_pct",
    "net_new_followers",
    "follower_growth_pct",
)


def _social_table(posts: pd.DataFrame) -> pd.DataFrame:
    """The Social engagement page's platform summary, the columns a donor reads."""
    return posts.reindex(columns=list(SOCIAL_COLUMNS)).reset_index(drop=True)
