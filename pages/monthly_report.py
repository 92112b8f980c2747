"""Monthly report: the report for UNDP and the EU, on screen and as PDF and XLSX.

Pick a month or a fiscal quarter; the sidebar's area, channel and source
filters apply (its period does not: the report covers whole months or
quarters). The page shows the executive summary, the indicator table in
the donors' shape, the disaggregation tables and the data-quality
statement, with small counts already withheld ("<5", "<10", "suppressed");
the PDF and the XLSX are built when their button is clicked.

Thin by design: ``metrics.report.data.gather`` through the cached
``ui.queries`` gives every figure; ``metrics.report.build`` makes the files.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.csv_safety import formula_safe
from metrics.filters import Filters
from metrics.report import build
from metrics.report.data import NoDataError, gather
from metrics.report.model import ReportData, indicator_display, table_display
from metrics.report.period import ReportPeriod, recent_periods
from ui import frame, login
from ui.filters import today_pkt
from ui.format import filters_text
from ui.queries import query

KEY_KIND = "monthly_report_kind"
KEY_PERIOD = "monthly_report_period"
KINDS = {"Month": "month", "Fiscal quarter": "quarter"}


def pick_period() -> ReportPeriod:
    today = today_pkt()
    left, right = st.columns([1, 3])
    with left:
        kind = st.segmented_control(
            "Report on", list(KINDS), default="Month", key=KEY_KIND, required=True
        )
    choices = recent_periods(KINDS[kind or "Month"], today)
    # The latest whole period by default; the current one is offered too.
    default = next((i for i, p in enumerate(choices) if p.is_complete(today)), 0)
    with right:
        return st.selectbox(
            "Period",
            choices,
            index=default,
            format_func=lambda p: p.label + ("" if p.is_complete(today) else " (not ended yet)"),
            key=f"{KEY_PERIOD}_{kind}",
        )


def header(f: Filters) -> None:
    st.title("Monthly report", anchor=False)
    st.caption("The monthly report for UNDP and the EU: safe to send outside the police.")
    st.caption(
        f"{filters_text(f)} (the sidebar's area, channel and source filters apply; the period "
        "is chosen here). Figures come from the same functions as the other pages; small "
        'counts are withheld as they are in the files sent ("<5", "<10", "suppressed").'
    )


def downloads(data: ReportData) -> None:
    stem = build.file_stem(data)
    left, right, _ = st.columns([1, 1, 2])
    with left:
        st.download_button(
            "Download PDF",
            data=login.audited_download(
                f"monthly report PDF {stem}", lambda: build.pdf_bytes(data)
            ),
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
        )
    with right:
        st.download_button(
            "Download XLSX",
            data=login.audited_download(
                f"monthly report XLSX {stem}", lambda: build.xlsx_bytes(data)
            ),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            on_click="ignore",
        )


def show(data: ReportData) -> None:
    with st.container(border=True):
        st.subheader(f"Executive summary · {data.period.label}", anchor=False)
        st.markdown("\n".join(f"- {sentence}" for sentence in data.summary))
    st.subheader("Indicators", anchor=False)
    st.dataframe(formula_safe(indicator_display(data)), hide_index=True)
    for table in data.disaggregations:
        st.subheader(table.title, anchor=False)
        st.dataframe(formula_safe(table_display(table)), hide_index=True)
        for note in table.notes:
            st.caption(note)
    if data.outreach_note:
        st.caption(data.outreach_note)
    st.subheader("Data quality", anchor=False)
    st.dataframe(formula_safe(data.quality.sources), hide_index=True)
    st.markdown("\n".join(f"- {gap}" for gap in data.quality.gaps))
    st.caption(f"Built from {data.warehouse_snapshot}.")
    with st.expander("Methodology and disclosure rule"):
        st.markdown(data.disclosure_rule)
        for entry in data.annex:
            st.markdown(f"**{entry.kpi_id} · {entry.name}**: {entry.definition}")


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read: the frame has said why
        return
    header(f)
    period = pick_period()
    base = replace(f, start=period.start, end=period.end)
    try:
        with st.spinner(f"Gathering {period.label}…"):
            data = query(gather, period, base)
    except NoDataError as error:
        st.info(str(error), icon=":material/info:")
        return
    downloads(data)
    show(data)


main()
