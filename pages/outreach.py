"""Community outreach: the IG office's and donors' page.

Community engagement events (open courts, dispute resolution council
awareness, school visits, women's and transgender consultations) by type
and district, participants by gender (I4), events per 100,000 people by
district from the 2023 census, merged against settled districts, and the
districts with no event in the period. The page redraws itself when a load
lands.

Thin by design: it reads the sidebar filters, asks ``metrics.outreach``
through the cached ``ui.queries`` and draws (figures in ``ui.media_charts``).
"""

from __future__ import annotations

import streamlit as st

from core.media_registers import EVENT_TYPES
from metrics import kpis
from metrics import outreach as o
from metrics.filters import Filters
from ui import frame, freshness, live
from ui import media_charts as charts
from ui.format import period_text, quarter_text
from ui.media_view import card, cards_row, empty, table
from ui.queries import query

SOURCES = ("outreach_events",)
KEY_TYPES = "outreach_event_types"
PLOTLY = charts.PLOTLY


def header(f: Filters) -> None:
    st.title("Outreach", anchor=False)
    st.caption("Community engagement events and who took part.")
    previous = f.previous()
    st.caption(
        f"**{period_text(f.start, f.end)}** ({quarter_text(f.start, f.end)}) · changes compare "
        f"with {period_text(previous.start, previous.end)}  \n"
        "Events count on the day they were held, in the district they were held in. "
        "Participant counts left blank in the register are not counted (never read as zero). "
        "The channel filter does not apply here."
    )
    live.watch_warehouse("outreach")


def _event_types() -> tuple[str, ...]:
    chosen = st.multiselect(
        "Event type",
        EVENT_TYPES,
        key=KEY_TYPES,
        placeholder="All event types",
        width=520,
    )
    return tuple(sorted(chosen))


def kpi_section(f: Filters, types: tuple[str, ...]) -> None:
    held = query(o.outreach_events_held, f, event_types=types)
    before = query(o.outreach_events_held, f.previous(), event_types=types)
    kpi = kpis.kpi_for("I4", f)
    definition = f"{kpi.definition}\n\n**Target:** {kpi.target_text}"
    missing = held.events_without_counts
    uncounted = (
        f"{missing:,} event{'s' if missing != 1 else ''} without a count"
        if missing
        else "every event counted"
    )
    with cards_row():
        card(
            "I4 · Outreach events held",
            held.value,
            "count",
            previous=before.value,
            base=uncounted,
            help=definition,
            status=kpis.judge(kpi, held.value, n=held.n),
        )
        card(
            "I4 · Participants",
            held.participants_total,
            "count",
            previous=before.participants_total,
            help="Participants counted at the events held in the period, all genders.",
        )
        card(
            "Women and girls",
            held.participants_female,
            "count",
            previous=before.participants_female,
        )
        card("Men and boys", held.participants_male, "count", previous=before.participants_male)
        card(
            "Transgender participants",
            held.participants_transgender,
            "count",
            previous=before.participants_transgender,
        )


def events_section(f: Filters, types: tuple[str, ...]) -> bool:
    by_district = query(o.events_by_type_and_district, f, event_types=types)
    if by_district.empty:
        empty("No outreach event was held in this period for these filters.")
        return False
    genders = query(o.participants_by_gender, f, event_types=types)
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Events by type and district**")
        st.plotly_chart(charts.events_by_district(by_district), config=PLOTLY)
    with right, st.container(border=True):
        st.markdown("**Participants by gender**")
        st.caption("Participants counted, per event type (blank counts are left out).")
        st.plotly_chart(charts.participants_by_gender(genders), config=PLOTLY)
    return True


def reach_section(f: Filters, types: tuple[str, ...]) -> None:
    rates = query(o.events_per_100k, f, event_types=types)
    merged = query(o.merged_vs_settled, f, event_types=types)
    left, right = st.columns([3, 2])
    with left, st.container(border=True):
        st.markdown("**Events per 100,000 people, by district**")
        st.caption(
            "Events ÷ 2023 census population × 100,000, for the areas that held events (the "
            "table lists every area). Merged (former FATA) districts in purple. Upper and "
            "Lower South Waziristan share one census unit, so they are one bar, never split "
            "by guess."
        )
        st.plotly_chart(charts.events_per_100k(rates[rates["events"] > 0]), config=PLOTLY)
    with right:
        with st.container(border=True):
            st.markdown("**Merged against settled districts**")
            st.plotly_chart(charts.merged_vs_settled(merged), config=PLOTLY)
        with st.container(border=True):
            st.markdown("**Events per area**")
            table(
                rates,
                {
                    "area": st.column_config.TextColumn("Area", pinned=True),
                    "region": "Region",
                    "events": st.column_config.NumberColumn("Events", format="%d"),
                    "population": st.column_config.NumberColumn("Population", format="%d"),
                    "events_per_100k": st.column_config.NumberColumn("Per 100,000", format="%.2f"),
                },
                height=300,
            )


def gaps_section(f: Filters, types: tuple[str, ...]) -> None:
    missing = query(o.districts_without_events, f, event_types=types)
    with st.container(border=True):
        st.markdown(f"**Districts with no event in the period ({len(missing):,})**")
        if missing.empty:
            st.success(
                "Every district in scope held at least one event.", icon=":material/task_alt:"
            )
            return
        table(
            missing,
            {
                "district": st.column_config.TextColumn("District", pinned=True),
                "region": "Region",
                "is_merged_district": st.column_config.CheckboxColumn("Merged district"),
            },
            height=min(38 + 35 * len(missing), 420),
        )


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read: the frame has said why
        return
    header(f)
    freshness.stale_notice(SOURCES)
    types = _event_types()
    kpi_section(f, types)
    events_section(f, types)
    reach_section(f, types)
    gaps_section(f, types)


main()
