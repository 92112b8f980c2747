"""How the Overview page draws the scorecard: the score, tiles, tables, sentences.

Each tile is a bordered ``st.metric`` (value, change on the previous period,
sparkline by month) with its status as a coloured badge (green on target,
orange within the band around it, red off target, grey for "n too small" or
no target), the target it is judged against, and a link to the page that
explains it; the sidebar filters live in ``st.session_state``, so the page
opened shows the same period and places. Statuses and sentences come from
``metrics.scorecard``; nothing is judged here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from metrics import inclusion, kpis, scorecard
from ui import cards
from ui.format import delta_color, format_delta, is_missing

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
TILE_WIDTH = 250  # px: four tiles a row on a laptop screen, wrapping below
STATUS_COLOURS = {
    kpis.ON_TARGET: "green",
    kpis.NEAR_TARGET: "orange",
    kpis.OFF_TARGET: "red",
    kpis.N_TOO_SMALL: "gray",
}
STATUS_ICONS = {**cards.STATUS_ICONS}
# The page that explains a KPI, by the first letter of its id.
EXPLAINED_ON = {
    "R": ("response_times.py", "Response times"),
    "S": ("social_engagement.py", "Social engagement"),
    "M": ("media.py", "Media"),
    "C": ("definitions.py", "Definitions"),
    "I": ("definitions.py", "Definitions"),
}


def link(page: str, label: str, *, icon: str = ":material/arrow_forward:") -> bool:
    """A link to a page of ``pages/`` when it is in this user's menu.

    Streamlit refuses a link to a page the navigation does not list (a page
    the user's role may not open, or not yet in the app); then nothing is
    drawn and False is returned."""
    try:
        st.page_link(str(PAGES_DIR / page), label=label, icon=icon)
    except StreamlitPageNotFoundError:
        return False
    return True


def badge(status: object, words: object) -> None:
    """The status as a coloured badge, in the words ``metrics.kpis`` gave it."""
    code = status if isinstance(status, str) else None
    text = str(words) if not is_missing(words) and words else "no target"
    st.badge(
        text,
        color=STATUS_COLOURS.get(code or "", "gray"),  # type: ignore[arg-type]
        icon=STATUS_ICONS.get(code or ""),
    )


def tile(row: Mapping[str, object], spark: Sequence[float] | None = None) -> None:
    """One headline KPI: value, change, sparkline, status, target, where it is explained."""
    kpi_id = str(row["kpi_id"])
    unit = str(row.get("unit"))
    too_small = row.get("status") == kpis.N_TOO_SMALL
    with st.container(border=True, width=TILE_WIDTH, height="stretch"):
        st.metric(
            f"{kpi_id} · {row['name']}",
            cards.value_text(row),
            delta=None if too_small else format_delta(row.get("delta"), unit),
            delta_color=delta_color(str(row.get("direction"))),
            delta_description=cards.base_text(row),
            help=cards.help_text(row),
            chart_data=list(spark) if spark is not None and len(spark) > 1 else None,
        )
        badge(row.get("status"), row.get("status_text"))
        target = row.get("target_text")
        if not is_missing(target) and target and target != "—":
            st.caption(f"Target: {target}")
        page, title = EXPLAINED_ON.get(kpi_id[0], EXPLAINED_ON["C"])
        link(page, f"Explained on {title}")


def tiles(rows: pd.DataFrame, sparks: Mapping[str, Sequence[float]]) -> None:
    """The headline tiles in one wrapping row."""
    with st.container(horizontal=True, gap="small"):
        for row in rows.to_dict("records"):
            tile(row, sparks.get(str(row["kpi_id"])))


def score_metric(summary: scorecard.ScoreSummary, trend: pd.DataFrame) -> None:
    """C1 as a metric: the score, its change on the previous period, the months."""
    value = summary.value
    spark = [float(v) for v in trend["score"].dropna()]
    st.metric(
        "C1 · Responsiveness score",
        "no score" if value is None else f"{value:.2f}",
        delta=format_delta(summary.delta, None),  # 0 (grey, no arrow) when it rounds to nothing
        delta_description=f"on {summary.previous_words}",
        help=score_help(summary),
        chart_data=spark if len(spark) > 1 else None,
        border=False,
    )
    badge(summary.status, summary.status_text)


def score_help(summary: scorecard.ScoreSummary) -> str:
    lines = [
        "Mean over the scored KPIs of min(actual ÷ target, 1.25), using target ÷ actual "
        "where lower is better (Boston's CityScore). 1.0 = on target on average.",
        f"**Target:** {summary.target_text}.",
    ]
    if summary.previous.value is not None:
        lines.append(f"Previous period: {summary.previous.value:.2f}.")
    return "\n\n".join(lines)


def sentences(lines: Sequence[str], empty: str) -> None:
    """Sentences as a list, or a quiet success line when there are none."""
    if not lines:
        st.success(empty, icon=":material/task_alt:")
        return
    st.markdown("\n".join(f"- {line}" for line in lines))


LEAGUE_COLUMNS = {
    "group": st.column_config.TextColumn("Area", pinned=True),
    "region": "Region",
    "merged": "Merged / settled",
    "score": st.column_config.NumberColumn("Score (C1)", format="%.2f"),
    "previous_score": st.column_config.NumberColumn("Previous", format="%.2f"),
    "change": st.column_config.NumberColumn("Change", format="%+.2f"),
    "status_text": "Status",
    "n_scored": st.column_config.NumberColumn("KPIs scored", format="%d"),
    "items_received": st.column_config.NumberColumn("Items (R1)", format="%d"),
    "items_per_100k": st.column_config.NumberColumn("Per 100,000 people (R2)", format="%.1f"),
    "excluded": st.column_config.TextColumn("Left out of the score", width="large"),
}
# A published table's counts as text ("<5", "suppressed"), in place of the numbers.
PUBLISHED_COLUMNS = {
    "items_received": ("items_text", "Items (R1)"),
    "items_per_100k": ("per_100k_text", "Per 100,000 people (R2)"),
}


def _published(columns: dict[str, object], table: pd.DataFrame) -> dict[str, object]:
    """``columns`` with each count swapped for its text when ``table`` is published."""
    out: dict[str, object] = {}
    for key, config in columns.items():
        text, label = PUBLISHED_COLUMNS.get(key, (None, None))
        if text is not None and text in table.columns:
            out[text] = st.column_config.TextColumn(label)
        else:
            out[key] = config
    return out


def league(table: pd.DataFrame, *, by: str) -> None:
    """A league table, worst first; rows without a score say why."""
    if table.empty:
        st.info("No areas for these filters.", icon=":material/info:")
        return
    shown = table.assign(
        status_text=[
            kpis.status_text(s) if isinstance(s, str) else "no score" for s in table["status"]
        ]
    )
    columns = {
        k: v for k, v in LEAGUE_COLUMNS.items() if by == "district" or k not in {"region", "merged"}
    }
    columns = _published(columns, table)
    st.dataframe(
        shown,
        hide_index=True,
        column_order=tuple(columns),
        column_config=columns,
        height=min(38 + 35 * len(shown), 460),
    )


def inclusion_shares(shares: pd.DataFrame) -> None:
    """I1 as two metrics: women's and transgender people's share of items."""
    words = {"female": "Women", "transgender": "Transgender people"}
    with st.container(horizontal=True, gap="small"):
        for row in shares.to_dict("records"):
            too_small = row["status"] == kpis.N_TOO_SMALL
            census = row["census_share_pct"]
            census_text = "" if is_missing(census) else f"census share {census:.2f}%"
            value = row["share_pct"]
            items = row.get("items_text") or f"{row['items']:,}"
            known = row.get("known_text") or f"{row['known']:,}"
            st.metric(
                f"I1 · {words[row['group']]}'s share of items",
                cards.TOO_SMALL_TEXT
                if too_small
                else (row.get("share_flag") or ("—" if is_missing(value) else f"{value:.1f}%")),
                delta=None if too_small else format_delta(row["change"], "%"),
                delta_description=f"{items} of {known} with known gender"
                + (f" · {census_text}" if census_text else ""),
                help="Items from this group ÷ items whose requester's gender is known "
                "(female, male or transgender), received in the period. "
                f"**Target:** {row['target_text']} ({row['status_text']}).",
                border=True,
            )


def parity_table(table: pd.DataFrame) -> None:
    """I2: the ratios, their sides and statuses."""
    flags = table["ratio_flag"] if "ratio_flag" in table.columns else [""] * len(table)
    shown = table.assign(
        ratio_text=[
            flag
            or (
                cards.TOO_SMALL_TEXT
                if s == kpis.N_TOO_SMALL
                else ("—" if is_missing(r) else f"{r:.2f}")
            )
            for r, s, flag in zip(table["ratio"], table["status"], flags, strict=True)
        ]
    )
    labels = {"group_n": "n (group)", "reference_n": "n (compared with)"}
    n_columns = {k: st.column_config.NumberColumn(v, format="%d") for k, v in labels.items()}
    for key, label in labels.items():  # a published table's n as text ("<5")
        if f"{key}_text" in table.columns:
            shown[key] = shown[f"{key}_text"]
            n_columns[key] = st.column_config.TextColumn(label)
    st.dataframe(
        shown,
        hide_index=True,
        column_order=(
            "comparison",
            "measure",
            "ratio_text",
            "status_text",
            "group_value",
            "group_n",
            "reference_value",
            "reference_n",
        ),
        column_config={
            "comparison": st.column_config.TextColumn("Comparison", pinned=True),
            "measure": "Measure",
            "ratio_text": "Ratio (1.0 = parity)",
            "status_text": "Status",
            "group_value": st.column_config.NumberColumn("Group", format="%.1f"),
            "group_n": n_columns["group_n"],
            "reference_value": st.column_config.NumberColumn("Compared with", format="%.1f"),
            "reference_n": n_columns["reference_n"],
        },
    )


def coverage(c: inclusion.Coverage) -> None:
    """I3 as a metric with the districts in each state."""
    st.metric(
        "I3 · Districts meeting the R7 target",
        f"{c.value} of {c.of}",
        delta_description=f"target {c.target_text}",
        help="Districts whose R7 (district acknowledgement within 24 h) is on its target "
        "this period. Districts with too few referrals due to judge, or none, do not count "
        "as meeting it.",
        border=True,
    )
    badge(c.status, c.status_text or "judged for the whole province only")
    groups = (
        ("Meeting", c.meeting),
        ("Below target", c.below),
        ("n too small", c.too_small),
        ("No referral due", c.no_data),
        *((("Withheld (disclosure rule)", c.withheld),) if c.withheld else ()),
    )
    st.caption("  \n".join(f"**{name}:** {', '.join(ds) or '—'}" for name, ds in groups))
