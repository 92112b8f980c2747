"""Media and crisis communication: the PR director's and IG office's page.

What the media say about KP Police and how the cell answers them: monitored
mentions by outlet type, language and topic, net tone and the share of
negative coverage, the official line's share, top outlets, mentions by
district; journalists' queries against the same-business-day target;
each incident's timeline against the golden hour and the two-hour rebuttal
target (incidents with no statement yet first) and the tone of its coverage
in the days after; outputs per week against the plan. Staff log a mention,
a query or an incident in the quick-add form; the page redraws itself when
any load lands.

Thin by design: it reads the sidebar filters, asks ``metrics`` through the
cached ``ui.queries`` and draws (figures in ``ui.media_charts``). No SQL,
no business rules; the quick-add form loads through the ETL.
"""

from __future__ import annotations

import streamlit as st

from core.media_registers import OUTLET_TYPE_LABELS, OUTLET_TYPES
from metrics import kpis
from metrics import media as m
from metrics import media_breakdowns as mb
from metrics.filters import Filters
from ui import frame, freshness, live
from ui import media_charts as charts
from ui.format import PKT_LABEL, period_text, quarter_text, to_pkt
from ui.media_quick_add import quick_add
from ui.media_view import card, cards_row, empty, table
from ui.queries import query

SOURCES = ("media_log", "media_queries", "incidents", "outputs", "output_plan")
KEY_OUTLET_TYPES = "media_outlet_types"
KEY_GROUP = "media_mentions_by"
GROUPS = {"Outlet type": "outlet_type", "Language": "language", "Topic": "topic"}
WHEN = "D MMM YYYY, HH:mm"
PLOTLY = charts.PLOTLY


def _target(kpi_id: str, f: Filters) -> kpis.Kpi:
    return kpis.kpi_for(kpi_id, f)


def _status(kpi: kpis.Kpi, result: object) -> str | None:
    return kpis.judge(kpi, getattr(result, "value", None), n=getattr(result, "n", None))


def header(f: Filters) -> None:
    st.title("Media", anchor=False)
    st.caption("Media monitoring, media relations, crisis communication and outputs.")
    previous = f.previous()
    st.caption(
        f"**{period_text(f.start, f.end)}** ({quarter_text(f.start, f.end)}) · changes compare "
        f"with {period_text(previous.start, previous.end)}  \n"
        "Mentions count in the week they were published; region and district filters narrow "
        "mentions and incidents by the district they name. Journalists' queries and outputs "
        "name no district: they are province-wide. The channel filter does not apply here. "
        f"Times in {PKT_LABEL}."
    )
    live.watch_warehouse("media")


def _outlet_types() -> tuple[str, ...]:
    chosen = st.multiselect(
        "Outlet type",
        OUTLET_TYPES,
        format_func=lambda v: OUTLET_TYPE_LABELS.get(v, v),
        key=KEY_OUTLET_TYPES,
        placeholder="All outlet types",
        help="Narrows the mentions (M4-M6 and the monitoring charts).",
        width=420,
    )
    return tuple(sorted(chosen))


def kpi_section(f: Filters, outlets: tuple[str, ...]) -> None:
    before = f.previous()
    statement, rebuttal = _target("M2", f), _target("M3", f)
    mentions = query(m.media_mentions, f, outlet_types=outlets)
    mentions_before = query(m.media_mentions, before, outlet_types=outlets)
    tone = query(m.net_tone, f, outlet_types=outlets)
    tone_before = query(m.net_tone, before, outlet_types=outlets)
    line = query(m.official_line_share, f, outlet_types=outlets)
    line_before = query(m.official_line_share, before, outlet_types=outlets)
    major = query(m.official_line_share, f, outlet_types=outlets, incidents_only=True)
    queries = query(m.media_query_response, f)
    queries_before = query(m.media_query_response, before)
    first = query(m.time_to_first_statement, f, target_minutes=statement.target)
    first_before = query(m.time_to_first_statement, before, target_minutes=statement.target)
    rebut = query(m.rebuttal_time, f, target_minutes=rebuttal.target)
    rebut_before = query(m.rebuttal_time, before, target_minutes=rebuttal.target)
    outputs = query(m.outputs_published, f)
    outputs_before = query(m.outputs_published, before)
    with cards_row():
        card(
            "M4 · Media mentions",
            mentions.value,
            "count",
            previous=mentions_before.value,
            monitor=True,
            base=f"{tone.n:,} coded for tone",
            help=_help("M4", f),
        )
        card(
            "M5 · Net tone",
            tone.value,
            "points",
            previous=tone_before.value,
            base=_negative_base(tone),
            help=_help("M5", f),
            status=_status(_target("M5", f), tone),
        )
        card(
            "M6 · Official-line share",
            line.value,
            "%",
            previous=line_before.value,
            base=_share_base(line) + _major_base(major),
            help=_help("M6", f),
            status=_status(_target("M6", f), major if major.n else line),
        )
        card(
            "M1 · Queries answered same business day",
            queries.value,
            "%",
            previous=queries_before.value,
            base=_query_base(queries),
            help=_help("M1", f),
            status=_status(_target("M1", f), queries),
        )
        card(
            "M2 · Time to first statement (P50)",
            first.value,
            "minutes",
            previous=first_before.value,
            lower_is_better=True,
            base=_duration_base(first, "within the golden hour"),
            help=_help("M2", f),
            status=_status(statement, first),
        )
        card(
            "M3 · Rebuttal time (P50)",
            rebut.value,
            "minutes",
            previous=rebut_before.value,
            lower_is_better=True,
            base=_duration_base(rebut, "within target"),
            help=_help("M3", f),
            status=_status(rebuttal, rebut),
        )
        card(
            "M7 · Outputs published",
            outputs.value,
            "count",
            previous=outputs_before.value,
            base=_plan_base(outputs),
            help=_help("M7", f),
        )


def _help(kpi_id: str, f: Filters) -> str:
    kpi = _target(kpi_id, f)
    return f"{kpi.definition}\n\n**Target:** {kpi.target_text}"


def _negative_base(tone: m.ToneResult) -> str | None:
    if not tone.n:
        return None
    return f"{tone.negative_share_pct:.0f}% negative · n {tone.n:,}"


def _share_base(result: object) -> str:
    n, numerator = getattr(result, "n", 0), getattr(result, "numerator", 0)
    return f"{numerator:,} of {n:,}" if n else "none coded"


def _major_base(major: object) -> str:
    value = getattr(major, "value", None)
    return "" if value is None else f" · incidents {value:.0f}%"


def _query_base(result: m.QueryResponseResult) -> str | None:
    parts = []
    if result.n:
        parts.append(f"{result.numerator:,} of {result.n:,}")
    if result.p50_hours is not None:
        parts.append(f"P50 {result.p50_hours:.1f} business h")
    return " · ".join(parts) or None


def _duration_base(result: object, within: str) -> str | None:
    n, numerator = getattr(result, "n", 0), getattr(result, "numerator", None)
    if not n:
        return None
    text = f"n {n:,}"
    if numerator is not None:
        text += f" · {numerator:,} {within}"
    return text


def _plan_base(result: m.OutputsResult) -> str:
    if result.planned is None:
        return "no plan loaded"
    return f"plan {result.planned:,.0f} for these days"


# Monitoring -------------------------------------------------------------------


def monitoring_section(f: Filters, outlets: tuple[str, ...]) -> None:
    st.subheader("Media monitoring", anchor=False)
    by_label = st.segmented_control(
        "Mentions by", list(GROUPS), default="Outlet type", key=KEY_GROUP
    )
    by = GROUPS.get(by_label or "Outlet type", "outlet_type")
    over_time = query(mb.mentions_over_time, f, by=by, outlet_types=outlets)
    trend = query(mb.tone_trend, f, outlet_types=outlets)
    if over_time.empty:
        empty("No mentions in the monitoring log for this period and these filters.")
        return
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Mentions per week**")
        st.caption("Monitored mentions of KP Police, by week of publication (M4).")
        st.plotly_chart(charts.mentions_over_time(over_time, by_label or ""), config=PLOTLY)
    with right, st.container(border=True):
        st.markdown("**Net tone and negative coverage**")
        st.caption(
            "Net tone = (positive − negative) ÷ mentions coded for tone × 100 (M5), per week; "
            "bars: negative mentions as a share of coded ones. Uncoded mentions are left out."
        )
        st.plotly_chart(charts.tone_trend(trend), config=PLOTLY)
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Official-line share**")
        st.caption(
            "Mentions quoting the police's official line ÷ mentions coded for it (M6), per week."
        )
        st.plotly_chart(charts.official_line_trend(trend, _target("M6", f).target), config=PLOTLY)
    with right, st.container(border=True):
        st.markdown("**Mentions by district**")
        st.caption("Mentions naming a district, coloured by net tone.")
        districts = query(mb.mentions_by_district, f, outlet_types=outlets)
        if districts.empty:
            empty("No mention in this period names a district.")
        else:
            st.plotly_chart(charts.mentions_by_district(districts), config=PLOTLY)
    outlets_section(f, outlets)


def outlets_section(f: Filters, outlets: tuple[str, ...]) -> None:
    top = query(mb.top_outlets, f, limit=10, outlet_types=outlets)
    with st.container(border=True):
        st.markdown("**Top outlets and their tone**")
        st.caption("The ten outlets with most mentions in the period, split by tone.")
        chart, listing = st.columns([3, 2])
        with chart:
            st.plotly_chart(charts.top_outlets(top), config=PLOTLY)
        with listing:
            table(
                top.assign(
                    outlet_type=top["outlet_type"].map(lambda v: OUTLET_TYPE_LABELS.get(v, v))
                ),
                {
                    "outlet": st.column_config.TextColumn("Outlet", pinned=True),
                    "outlet_type": "Type",
                    "mentions": st.column_config.NumberColumn("Mentions", format="%d"),
                    "net_tone": st.column_config.NumberColumn("Net tone", format="%+.0f"),
                    "negative_share_pct": st.column_config.NumberColumn(
                        "Negative %", format="%.0f%%"
                    ),
                    "official_line_share_pct": st.column_config.NumberColumn(
                        "Official line %", format="%.0f%%"
                    ),
                },
            )


# Media relations --------------------------------------------------------------


def relations_section(f: Filters) -> None:
    st.subheader("Media relations", anchor=False)
    st.caption(
        "Journalists' queries: received and answered per week, and answers against the "
        "same-business-day target (M1: the close of the working day a query arrived on; the "
        "next working day's close for a query that arrived after hours or on a day off)."
    )
    weekly = query(mb.query_weekly, f)
    bands = query(mb.query_response_bands, f)
    target = _target("M1", f).target
    left, right = st.columns([3, 2])
    with left, st.container(border=True):
        st.markdown("**Queries received and answered**")
        if weekly.empty:
            empty("No journalist's query was received or answered in this period.")
        else:
            st.plotly_chart(charts.queries_weekly(weekly, target), config=PLOTLY)
    with right, st.container(border=True):
        st.markdown("**Response time against the same-business-day target**")
        st.caption(
            "Queries answered in the period, and queries still open whose same-day target "
            "passed in it (an open overdue query counts as a breach)."
        )
        st.plotly_chart(charts.response_bands(bands), config=PLOTLY)
    still_open = query(mb.open_queries, f)
    with st.container(border=True):
        st.markdown(f"**Queries still open ({len(still_open):,})**")
        st.caption("Unanswered at the end of the period (or now), whenever they arrived.")
        if still_open.empty:
            st.success(
                "No journalist's query is waiting for an answer.", icon=":material/task_alt:"
            )
            return
        table(
            still_open.assign(
                received_at=to_pkt(still_open["received_at"]),
                deadline_at=to_pkt(still_open["deadline_at"]),
                same_day_due_at=to_pkt(still_open["same_day_due_at"]),
            ),
            {
                "query_id": st.column_config.TextColumn("Query", pinned=True),
                "received_at": st.column_config.DatetimeColumn("Received", format=WHEN),
                "outlet": "Outlet",
                "topic": "Topic",
                "deadline_at": st.column_config.DatetimeColumn("Deadline", format=WHEN),
                "same_day_due_at": st.column_config.DatetimeColumn("Same-day target", format=WHEN),
                "hours_open": st.column_config.NumberColumn("Open (h)", format="%.1f"),
                "is_past_same_day": st.column_config.CheckboxColumn("Past target"),
                "is_past_deadline": st.column_config.CheckboxColumn("Past deadline"),
            },
            height=min(38 + 35 * len(still_open), 360),
        )


# Crisis communication ---------------------------------------------------------


def crisis_section(f: Filters) -> None:
    st.subheader("Crisis communication", anchor=False)
    statement, rebuttal = _target("M2", f).target, _target("M3", f).target
    timeline = query(
        mb.incident_timeline,
        f,
        statement_target_minutes=statement,
        rebuttal_target_minutes=rebuttal,
    )
    st.caption(
        "Each incident's timeline, in hours since it occurred: verification, first statement "
        "(M2: the golden hour runs from verification, or from the first media report where "
        "no verification time is recorded), misinformation detected and rebuttal (M3). "
        "Incidents with no statement yet come first."
    )
    if timeline.empty:
        empty("No incident occurred in this period for these filters.")
        return
    waiting = timeline[timeline["awaiting_statement"]]
    if not waiting.empty:
        st.error(
            f"{len(waiting):,} incident(s) with no public statement yet: listed first below.",
            icon=":material/campaign:",
        )
    with st.container(border=True):
        st.plotly_chart(
            charts.incident_timeline(
                timeline, statement_target=statement, rebuttal_target=rebuttal
            ),
            config=PLOTLY,
        )
        times = ("occurred_at", "verified_at", "first_statement_at")
        table(
            timeline.assign(**{c: to_pkt(timeline[c]) for c in (*times, "rebuttal_at")}),
            {
                "incident_id": st.column_config.TextColumn("Incident", pinned=True),
                "incident_type": "What happened",
                "district": "District",
                "awaiting_statement": st.column_config.CheckboxColumn("No statement yet"),
                "occurred_at": st.column_config.DatetimeColumn("Occurred", format=WHEN),
                "verified_at": st.column_config.DatetimeColumn("Verified", format=WHEN),
                "first_statement_at": st.column_config.DatetimeColumn(
                    "First statement", format=WHEN
                ),
                "statement_minutes": st.column_config.NumberColumn(
                    "To statement (min)", format="%.0f"
                ),
                "minutes_without_statement": st.column_config.NumberColumn(
                    "Waiting (min)", format="%.0f"
                ),
                "statement_within_target": st.column_config.CheckboxColumn("Golden hour met"),
                "rebuttal_at": st.column_config.DatetimeColumn("Rebuttal", format=WHEN),
                "rebuttal_minutes": st.column_config.NumberColumn(
                    "To rebuttal (min)", format="%.0f"
                ),
                "rebuttal_within_target": st.column_config.CheckboxColumn("Rebuttal in time"),
                "n_mentions": st.column_config.NumberColumn("Mentions", format="%d"),
            },
            height=min(38 + 35 * len(timeline), 360),
        )
    after = query(mb.tone_after_incidents, f, days=7)
    with st.container(border=True):
        st.markdown("**Coverage tone in the days after each incident**")
        st.caption(
            "Mentions naming the incident (its id in the monitoring log), per day since it "
            "occurred, and their net tone."
        )
        if after.empty or after["mentions"].sum() == 0:
            empty("No monitored coverage names these incidents.")
        else:
            st.plotly_chart(charts.tone_after_incidents(after), config=PLOTLY)


# Outputs ----------------------------------------------------------------------


def outputs_section(f: Filters) -> None:
    st.subheader("Outputs against the plan", anchor=False)
    weekly = query(mb.outputs_weekly, f)
    with st.container(border=True):
        st.caption(
            "Press releases, posts, videos, press conferences and interviews published per week "
            "(M7), and the communication plan's count for the week (dashed). The first and last "
            "weeks may be partial."
        )
        if weekly.empty:
            empty("No output published and no plan for this period.")
            return
        st.plotly_chart(charts.outputs_weekly(weekly), config=PLOTLY)


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read: the frame has said why
        return
    header(f)
    freshness.stale_notice(SOURCES)
    quick_add(lambda: query(mb.recent_incidents))
    outlets = _outlet_types()
    kpi_section(f, outlets)
    monitoring_section(f, outlets)
    relations_section(f)
    crisis_section(f)
    outputs_section(f)


main()
