"""Response times: the PR director's page.

How fast and how well the media cell answers the public: the responsiveness
KPIs (R1, R3-R14), the weekly trend, first-response times against target,
SLA league tables, the overdue backlog and a district drill-down.
Thin by design: it reads the sidebar filters, asks ``metrics`` through the
cached ``ui.queries`` and draws. No SQL, no business rules.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core.config import load_settings
from metrics import kpis, reference, scope
from metrics import responsiveness as rt
from metrics.filters import Filters
from ui import cards, charts, frame, freshness, login
from ui.format import (
    PKT_LABEL,
    csv_bytes,
    filters_text,
    format_value,
    markdown_literal,
    period_text,
    quarter_text,
    to_pkt,
)
from ui.queries import query

EMPTY = "No items in this period for these filters."
HIST_BINS = 24  # bars up to twice the first-response SLA, then one "and more" bar
KEY_DISTRICT = "response_times_district"
DISTRICT_ITEMS_LIMIT = 5000

PCT = {"min_value": 0, "max_value": 100, "format": "%.1f%%"}


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if pd.isna(number) else number


def header(f: Filters) -> None:
    st.title("Response times", anchor=False)
    previous = f.previous()
    st.caption(
        f"**{period_text(f.start, f.end)}** ({quarter_text(f.start, f.end)}) · {filters_text(f)}"
        f" · changes compare with {period_text(previous.start, previous.end)}"
    )


def cards_of(f: Filters) -> kpis.CardsAndLeagues:
    """The cards' measured values and both leagues, read together (cached with
    the warehouse: the province's row of the drill-down is this same entry)."""
    return query(kpis.cards_and_leagues, f)


def summary_of(f: Filters) -> pd.DataFrame:
    """The KPI table: measured values and the targets in effect for ``f``
    (read from the targets file on every run)."""
    return kpis.with_targets(cards_of(f).values, f)


def kpi_section(summary: pd.DataFrame, trend: pd.DataFrame) -> None:
    sparks = {}
    if not trend.empty:
        sparks = {
            "R1": trend["items_received"].fillna(0).tolist(),
            "R4": trend["first_response_p50_business_minutes"].dropna().tolist(),
            "R5": trend["first_response_sla_pct"].dropna().tolist(),
        }
    cards.kpi_row(summary, sparks)
    legend = " · ".join(
        f"{icon} {kpis.status_text(status)}" for status, icon in cards.STATUS_ICONS.items()
    )
    st.caption(
        f"{cards.cohort_caption(summary)}.  \n"
        f"{legend} · no icon: monitored, no target. Response and referral times are "
        "business time (the cell's staffed hours) with clock time beside them; resolution "
        "time is clock time with business time beside it. Arrows compare with the previous "
        "period; green is better. Hover :material/help: on a card for its definition and "
        "target."
    )


def trend_section(trend: pd.DataFrame) -> None:
    with st.container(border=True):
        st.markdown("**Weekly trend**")
        st.caption(
            "Items received each week (bars) and the median (P50) business minutes to "
            "first reply of the replies sent that week (line). Weeks start on Monday; "
            "the first and last may be partial."
        )
        if trend.empty or trend["items_received"].fillna(0).sum() == 0:
            st.info(EMPTY, icon=":material/info:")
            return
        st.plotly_chart(charts.weekly_trend(trend), config={"displaylogo": False})


def _targets(f: Filters) -> tuple[float | None, float | None]:
    """(first-response SLA in business minutes, R4 P50 target in minutes for ``f``)."""
    sla = _number(load_settings().sla.get("first_response_business_minutes"))
    return sla, _number(kpis.kpi_for("R4", f).target)


def _histogram_scale(sla: float | None) -> tuple[int, int]:
    """(bin, cap) in minutes: the bars span twice the SLA, so the target sits mid-chart."""
    cap = int(2 * sla) if sla and sla >= 30 else 480
    step = max(5, round(cap / HIST_BINS / 5) * 5)
    return step, step * max(1, cap // step)


def histogram_section(f: Filters) -> None:
    sla, p50_target = _targets(f)
    step, cap = _histogram_scale(sla)
    bins = query(rt.first_response_histogram, f, bin_minutes=step, cap_minutes=cap)
    with st.container(border=True):
        st.markdown("**First-response time against target**")
        st.caption(
            "Items that got their first reply in the period (completed cohort), by business "
            f"minutes to that reply, in {step}-minute bins. Orange bars missed "
            "the first-response SLA."
        )
        if bins.empty or bins["items"].sum() == 0:
            st.info("No first replies in this period for these filters.", icon=":material/info:")
            return
        figure = charts.first_response_histogram(
            bins, sla_minutes=sla, p50_target=p50_target, cap_minutes=cap
        )
        st.plotly_chart(figure, config={"displaylogo": False})


def _league_table(league: pd.DataFrame, by: str) -> None:
    if league.empty:
        st.info(EMPTY, icon=":material/info:")
        return
    st.dataframe(
        league.assign(group=league["group"].fillna("(no district named)")),
        hide_index=True,
        height=min(38 + 35 * len(league), 420),
        column_config={
            "group": st.column_config.TextColumn(by.capitalize(), pinned=True, width="medium"),
            "items_received": st.column_config.NumberColumn("Received", format="%d"),
            "first_response_sla_pct": st.column_config.ProgressColumn(
                "First reply within SLA (R5)", **PCT
            ),
            "first_response_sla_n": st.column_config.NumberColumn("n (R5)", format="%d"),
            "resolution_sla_pct": st.column_config.ProgressColumn(
                "Resolved within SLA (R10)", **PCT
            ),
            "resolution_sla_n": st.column_config.NumberColumn("n (R10)", format="%d"),
            "overdue": st.column_config.NumberColumn("Overdue (R11)", format="%d"),
        },
    )


def league_section(leagues: dict[str, pd.DataFrame]) -> None:
    st.subheader("SLA attainment, worst first", anchor=False)
    st.caption(
        "Share of items replied to (first reply) or resolved within target, out of the items "
        "completed in the period plus open items already past target: an open overdue item "
        "counts as a breach. n is that denominator. Sorted by first-reply SLA, worst first."
    )
    by_channel, by_district = st.tabs(["By channel", "By district"])
    with by_channel:
        _league_table(leagues["channel"], "channel")
    with by_district:
        _league_table(leagues["district"], "district")


OVERDUE_SHOWN = 500


def _overdue_csv(items: pd.DataFrame) -> bytes:
    """The overdue list as spreadsheet-safe CSV, times in PKT (built only on click)."""
    pkt = {"received_at": "received_at_pkt", "resolution_due_at": "resolution_due_at_pkt"}
    items = items.assign(
        **{column: to_pkt(items[column]).dt.strftime("%Y-%m-%d %H:%M") for column in pkt}
    )
    return csv_bytes(items.rename(columns=pkt))


def overdue_section(f: Filters) -> None:
    st.subheader("Overdue backlog", anchor=False)
    st.caption(
        "Open items already past their resolution target at the end of the period, or now "
        "if the period has not ended (R11), whenever they were received; aged in calendar "
        f"days past their target. Times in {PKT_LABEL}."
    )
    aging = query(rt.overdue_aging, f)
    total = int(aging["items"].sum()) if not aging.empty else 0
    items = query(rt.overdue_items, f, limit=OVERDUE_SHOWN)
    if items.empty and total == 0:
        st.success("No overdue items for these filters.", icon=":material/task_alt:")
        return
    left, right = st.columns([1, 2])
    with left, st.container(border=True):
        st.markdown("**Aging**")
        st.plotly_chart(charts.overdue_aging(aging), config={"displaylogo": False})
    with right, st.container(border=True):
        shown = f"the oldest {len(items):,} of {total:,}" if total > len(items) else f"{total:,}"
        st.markdown(f"**Overdue items ({shown})**, oldest first; the CSV has them all")
        items = items.assign(
            received_at=to_pkt(items["received_at"]),
            resolution_due_at=to_pkt(items["resolution_due_at"]),
        )
        st.dataframe(
            items.assign(category=_readable(items["category"])),
            hide_index=True,
            height=300,
            column_config=_overdue_columns(),
            column_order=tuple(_overdue_columns()),
        )
        st.download_button(
            "Download overdue list (CSV)",
            data=login.audited_download(
                "overdue list CSV", lambda: _overdue_csv(query(rt.overdue_items, f, limit=None))
            ),
            file_name=f"overdue_{f.start:%Y%m%d}_{f.end:%Y%m%d}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="response_times_overdue_csv",
        )


def _overdue_columns() -> dict[str, object]:
    when = "D MMM YYYY, HH:mm"
    return {
        "inquiry_id": st.column_config.TextColumn("Item", pinned=True),
        "district": "District",
        "overdue_days": st.column_config.NumberColumn("Overdue (days)", format="%.1f"),
        "age_days": st.column_config.NumberColumn("Age (days)", format="%.1f"),
        "channel": "Channel",
        "category": "Category",
        "priority": "Priority",
        "received_at": st.column_config.DatetimeColumn(f"Received ({PKT_LABEL})", format=when),
        "resolution_due_at": st.column_config.DatetimeColumn(f"Due ({PKT_LABEL})", format=when),
        "source": "Source",
        "source_file": "Source file",
        "source_row": st.column_config.NumberColumn("Row", format="%d"),
    }


def _readable(codes: pd.Series) -> pd.Series:
    """``information_request`` -> ``information request`` for display."""
    return codes.astype("string").str.replace("_", " ", regex=False)


def _district_options(f: Filters) -> list[str]:
    if f.districts:
        return list(f.districts)
    ref = query(reference.district_list)
    if f.regions:
        ref = ref[ref["region"].isin(f.regions)]
    return sorted(ref["district"])


def _comparison(name: str, district: pd.DataFrame, province: pd.DataFrame) -> pd.DataFrame:
    merged = district.merge(province, on="kpi_id", suffixes=("", "_province"))
    return pd.DataFrame(
        {
            "KPI": merged["kpi_id"] + " · " + merged["name"],
            name: [
                format_value(v, u) for v, u in zip(merged["value"], merged["unit"], strict=True)
            ],
            "Province": [
                format_value(v, u)
                for v, u in zip(merged["value_province"], merged["unit"], strict=True)
            ],
            "Target": merged["target_text"],
            f"{name} status": merged["status_text"],
            "Province status": merged["status_text_province"],
        }
    )


def drilldown_section(f: Filters) -> None:
    st.subheader("District drill-down", anchor=False)
    district = st.selectbox(
        "District",
        _district_options(f),
        index=None,
        key=KEY_DISTRICT,
        placeholder="Choose a district",
        width=320,
    )
    if district is None:
        st.caption("Choose a district to see its items and how it compares with the province.")
        return
    own = summary_of(f.with_district(district))
    province = summary_of(replace(f, regions=(), districts=()))
    items = query(rt.district_items, f, district=district, limit=DISTRICT_ITEMS_LIMIT)
    shown = f"first {len(items):,}" if len(items) >= DISTRICT_ITEMS_LIMIT else f"{len(items):,}"
    compare, listing = st.tabs([f"{district} vs the province", f"Items received ({shown})"])
    with compare:
        st.caption(
            "Same period and channels; province = all of Khyber Pakhtunkhwa. "
            f"Cohorts as on the cards above; targets are {district}'s own where the "
            "targets file sets one."
        )
        st.dataframe(
            _comparison(district, own, province),
            hide_index=True,
            height="content",
            column_config={
                "KPI": st.column_config.TextColumn(width="medium", pinned=True),
                "Target": st.column_config.TextColumn(width="large"),
            },
        )
    with listing:
        st.caption(f"Items received in {district} in the period, newest first. Times in PKT.")
        if items.empty:
            st.info(EMPTY, icon=":material/info:")
            return
        st.dataframe(
            items.assign(
                received_at=to_pkt(items["received_at"]),
                category=_readable(items["category"]),
                status=_readable(items["status"]),
            ),
            hide_index=True,
            height=420,
            column_config=_district_columns(),
            column_order=tuple(_district_columns()),
        )


def _district_columns() -> dict[str, object]:
    return {
        "inquiry_id": st.column_config.TextColumn("Item", pinned=True),
        "received_at": st.column_config.DatetimeColumn(
            f"Received ({PKT_LABEL})", format="D MMM YYYY, HH:mm"
        ),
        "channel": "Channel",
        "category": "Category",
        "status": "Status",
        "first_response_minutes": st.column_config.NumberColumn("First reply (min)", format="%.0f"),
        "first_response_business_minutes": st.column_config.NumberColumn(
            "First reply (business min)", format="%.0f"
        ),
        "resolution_minutes": st.column_config.NumberColumn("Resolution (min)", format="%.0f"),
        "is_overdue": st.column_config.CheckboxColumn("Overdue"),
        "source": "Source",
        "source_file": "Source file",
        "source_row": st.column_config.NumberColumn("Row", format="%d"),
    }


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read: the frame has said why
        return
    header(f)
    freshness.stale_notice("inquiries")  # a stale source says so above the figures
    # The cards and both leagues share one read of the period-end counts.
    cards = cards_of(f)
    summary = summary_of(f)
    trend = query(rt.weekly_trend, f)
    received = summary.loc[summary["kpi_id"] == "R1", "value"]
    if received.empty or not _number(received.iloc[0]):
        st.info(EMPTY + " Widen the period or clear a filter.", icon=":material/info:")
    kpi_section(summary, trend)
    not_recording = query(scope.sources_without_first_response, f)
    if not_recording:
        st.caption(
            ":material/info: R3 and R5: first response not recorded by "
            + ", ".join(markdown_literal(name) for name in not_recording)
            + ". Their items are left out of both, not counted as unanswered."
        )
    left, right = st.columns(2)
    with left:
        trend_section(trend)
    with right:
        histogram_section(f)
    league_section(cards.leagues)
    overdue_section(f)
    drilldown_section(f)


main()
