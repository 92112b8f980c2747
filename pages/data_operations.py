"""Data: load exports, see every load, fix quarantined rows, check freshness.

For the media-cell staff who feed the dashboard, not for engineers. Four tabs:

- **Load files**: upload CSV, XLSX or YouTube Studio zip files; for each,
  the kind recognised, the dates it covers, a preview (personal data
  masked), the Great Expectations checks in plain words and what loading
  would do (new, updated, unchanged, already loaded, quarantined rows).
  Nothing is written until the one Load button is pressed.
- **Load history**: every load, a validation report per load, and rollback
  with a confirmation step.
- **Quarantine**: rows kept aside, by source and check, downloadable as
  CSV with personal data masked.
- **Freshness**: per source, the latest date covered and the last load.

Thin by design: what the warehouse holds is read through ``metrics``
(``loads``, ``quarantine``, ``freshness``, ``validation``) and the cached
``ui.queries``; staging uploads is ``etl.uploads``. The ETL proper (checking
files: ``etl.previews``, loading: ``etl.load``, rolling back:
``etl.rollback``) brings Great Expectations with it (about 2 s), so it is
imported inside the handlers that run when a person uploads files or presses
Load or Roll back, never while the page draws.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import asdict
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from auth import audit, policy
from core import csv_safety
from core.config import MAX_FILE_BYTES, warehouse_path
from core.errors import EtlError, FileRejected, LoadBusy
from etl import uploads
from metrics import freshness, loads, quarantine, validation
from ui import frame, login, serve
from ui.filters import today_pkt
from ui.format import PKT, PKT_LABEL, to_pkt
from ui.freshness import stale_notice
from ui.queries import query, snapshot, uncached

if TYPE_CHECKING:
    from etl.previews import FilePreview

log = logging.getLogger(__name__)

LIMIT_MB = MAX_FILE_BYTES // 2**20
KEY_UPLOADS = "data_uploads"  # counter: a new key empties the file uploader
KEY_BATCH = "data_batch"  # the uploaded files' previews, keyed by what they depend on
# The Meta platforms a file may be stated to be (as etl load --platform).
META_PLATFORMS: tuple[str, ...] = ("Facebook", "Instagram")
KEY_REPORT = "data_last_report"
KEY_ROLLBACK = "data_rollback_pending"
KEY_DONE = "data_done_message"
QUARANTINE_SHOWN = 500
WHEN = "D MMM YYYY, HH:mm"


# ---------------------------------------------------------------------------
# Load files
# ---------------------------------------------------------------------------


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>$~|#"})


def _md(text: object) -> str:
    """Text from a file (its name, values in a message) shown literally in Markdown."""
    return str(text).translate(_MARKDOWN)


def _period_text(start: object, end: object) -> str:
    if start is None or pd.isna(start):
        return "no dates (no row passed the checks)"
    # Daily social figures cover calendar dates (no zone): shown as they are.
    first, last = (
        stamp.tz_convert(PKT) if stamp.tzinfo else stamp
        for stamp in (pd.Timestamp(v) for v in (start, end))
    )
    if first.date() == last.date():
        return f"{first.day} {first:%b %Y}"
    return f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"


def _options() -> tuple[str, int | None, str | None, str | None]:
    left, right = st.columns([1, 1])
    # Loads and rollbacks are recorded as the logged-in user, never a typed name.
    name = login.loader_name()
    left.caption(f":material/person: Loads are recorded as **{name}**.")
    with right.expander("Options for some social exports"):
        year = st.number_input(
            "Year of dates written without a year (older TikTok overview)",
            min_value=2015,
            max_value=today_pkt().year,
            value=None,
            step=1,
            key="data_year",
        )
        account = st.text_input(
            "Account, for exports that do not name it (Meta Insights daily files)",
            key="data_account",
            placeholder="the settings' default account",
        )
        # As the CLI's --platform: Meta files whose titles name no platform.
        platform = st.selectbox(
            "Platform, for Meta exports that do not name it (per-metric Insights, Audience.csv)",
            META_PLATFORMS,
            index=None,
            key="data_platform",
            placeholder="as the file says",
        )
    return name, (int(year) if year else None), (account.strip() or None), platform


def _drop_batch() -> None:
    batch = st.session_state.pop(KEY_BATCH, None)
    if batch:
        shutil.rmtree(batch["folder"], ignore_errors=True)


def _previews(
    files: list, year: int | None, account: str | None, platform: str | None = None
) -> list[FilePreview]:
    """Stage the uploads in a private temporary folder and check them, once per
    set of files, options and warehouse version (reruns reuse the result)."""
    # Imported here, when files are uploaded: the checks bring Great Expectations.
    from etl.load import make_context
    from etl.previews import FilePreview, preview_files

    signature = (
        tuple((f.file_id, f.name, f.size) for f in files),
        year,
        account,
        platform,
        snapshot()[1],
    )
    batch = st.session_state.get(KEY_BATCH)
    if batch and batch["signature"] == signature:
        return batch["previews"]
    _drop_batch()
    st.session_state.pop(KEY_REPORT, None)
    folder = serve.session_upload_folder()  # removed when the session ends
    staged, previews = [], []
    for index, upload in enumerate(files):
        try:
            staged.append(uploads.stage_upload(folder, index, upload.name, upload.getbuffer()))
        except FileRejected as error:
            previews.append(FilePreview(upload.name, folder, error=error.one_line()))
    bar = st.progress(0.0, text="Reading and checking the files…")
    try:
        previews += preview_files(
            staged,
            warehouse=warehouse_path(),
            context=make_context(year=year, account=account, platform=platform),
            workdir=folder / "unpacked",
            progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m),
        )
    except Exception as error:  # one line for the person; the log keeps the traceback
        log.exception("checking uploaded files failed")
        shutil.rmtree(folder, ignore_errors=True)
        st.error(
            f"The files could not be checked ({type(error).__name__}: {_md(error)}). "
            "Nothing was loaded.",
            icon=":material/block:",
        )
        return []
    finally:
        bar.empty()
    st.session_state[KEY_BATCH] = {
        "signature": signature,
        "folder": str(folder),
        "previews": previews,
    }
    return previews


def _plan_metrics(preview: FilePreview) -> None:
    plan = preview.plan
    if plan is None:
        st.caption("What loading would change cannot be told before the load.")
        return
    if preview.already_loaded:
        st.info(
            "Already loaded (the very same file, perhaps under another name): loading it "
            "again changes nothing.",
            icon=":material/done_all:",
        )
        return
    with st.container(horizontal=True):
        st.metric("New rows", f"{plan['insert']:,}", border=True)
        st.metric("Updated rows", f"{plan['update']:,}", border=True)
        st.metric("Unchanged rows", f"{plan['same']:,}", border=True)
        st.metric("To quarantine", f"{preview.quarantined:,}", border=True)


def _results_table(results: pd.DataFrame, quarantined: int | None = None) -> None:
    """The checks of one file; ``quarantined`` is given before a load, None after."""
    failing = results[~results["passed"]]
    if failing.empty:
        st.markdown(f":material/check_circle: All {len(results)} checks passed.")
    elif quarantined is not None:
        st.markdown(
            f":material/error: {len(failing)} of {len(results)} checks failed: the "
            f"{quarantined:,} row{'s' if quarantined != 1 else ''} failing them will go to "
            "quarantine, the rest will load."
        )
    else:
        st.markdown(
            f":material/error: {len(failing)} of {len(results)} checks failed: the rows "
            "failing them went to quarantine, the rest loaded."
        )
    st.dataframe(
        csv_safety.formula_safe(results),
        hide_index=True,
        height=min(38 + 35 * len(results), 300) if failing.empty else "auto",
        column_order=("check", "passed", "rows_failing", "examples", "column"),
        column_config={
            "check": st.column_config.TextColumn("Check", width="large"),
            "passed": st.column_config.CheckboxColumn("Passed"),
            "rows_failing": st.column_config.NumberColumn("Rows failing", format="%d"),
            "examples": st.column_config.TextColumn("Examples", width="large"),
            "column": "Column",
        },
    )


def _draw_preview(preview: FilePreview) -> None:
    with st.container(border=True):
        if preview.error:
            st.markdown(f"**{_md(preview.name)}**: rejected, nothing from it will load")
            st.error(_md(preview.error), icon=":material/block:")
            st.markdown(f"**What to do:** {preview.advice}")
            return
        st.markdown(f"**{_md(preview.name)}** · {_md(preview.kind)}")
        st.caption(
            f"{preview.rows_read:,} rows · covers "
            f"{_period_text(preview.covers_from, preview.covers_to)} ({PKT_LABEL})"
        )
        _plan_metrics(preview)
        for note in preview.notes:
            st.caption(_md(note))
        with st.expander("Checks (Great Expectations)", expanded=preview.quarantined > 0):
            _results_table(validation.results_frame(preview.results), preview.quarantined)
        with st.expander("Preview: the first rows (personal data masked)"):
            st.dataframe(csv_safety.formula_safe(preview.preview), height=250)


def _load(
    previews: list[FilePreview],
    name: str,
    year: int | None,
    account: str | None,
    platform: str | None = None,
) -> None:
    # Imported here, when Load is pressed: the loader brings Great Expectations.
    from etl.load import load_paths, make_context

    files = list(dict.fromkeys(p.upload for p in previews if p.loadable))
    bar = st.progress(0.0, text="Starting…")
    try:
        report = load_paths(
            files,
            warehouse=warehouse_path(),
            progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m),
            loaded_by=name,
            context=make_context(year=year, account=account, platform=platform),
        )
        login.audit_event(audit.LOAD, "; ".join(f.line() for f in report.files))
    except LoadBusy as error:
        st.error(f"{_md(error)}. Nothing was loaded.", icon=":material/hourglass:")
        return
    except EtlError as error:
        st.error(f"{_md(error)}. Nothing was loaded.", icon=":material/block:")
        return
    except Exception as error:  # shown in one line; the log keeps the traceback
        log.exception("load from the Data page failed")
        st.error(
            f"The load failed and the warehouse is unchanged ({type(error).__name__}: "
            f"{_md(error)}).",
            icon=":material/block:",
        )
        return
    st.session_state[KEY_REPORT] = {
        "files": [asdict(f) | {"line": f.line()} for f in report.files],
        "swapped": report.swapped,
        "seconds": report.seconds,
    }
    _drop_batch()
    st.session_state[KEY_UPLOADS] = st.session_state.get(KEY_UPLOADS, 0) + 1
    st.rerun()


def _last_report() -> None:
    report = st.session_state.get(KEY_REPORT)
    if not report:
        return
    with st.container(border=True):
        if report["swapped"]:
            st.success(
                f"Loaded in {report['seconds']:.1f} s: every page shows the new data now.",
                icon=":material/task_alt:",
            )
        else:
            st.info("Nothing new was loaded: the warehouse is unchanged.", icon=":material/info:")
        for result in report["files"]:
            if result["outcome"] == "rejected":
                st.error(_md(result["line"]), icon=":material/block:")
                st.caption(f"What to do: {uploads.advice_for(result['message'])}")
            else:
                st.markdown(f"- {_md(result['line'])}")


def load_tab() -> None:
    _last_report()
    name, year, account, platform = _options()
    files = st.file_uploader(
        "Export files",
        accept_multiple_files=True,
        max_upload_size=LIMIT_MB,
        key=f"data_upload_{st.session_state.get(KEY_UPLOADS, 0)}",
        help=(
            "CSV or XLSX exports and registers, or the YouTube Studio zip; several at once. "
            f"Up to {LIMIT_MB} MB per file. Each file is recognised from its columns, "
            "never its name."
        ),
    )
    if not files:
        _drop_batch()  # files taken off the list leave the temporary folder too
        st.caption(
            f"Choose or drop files (CSV, XLSX, zip; up to {LIMIT_MB} MB each). They are "
            "checked first; nothing is loaded until you press Load."
        )
        return
    previews = _previews(files, year, account, platform)
    for preview in previews:
        _draw_preview(preview)
    loadable = [p for p in previews if p.loadable]
    to_load = list(dict.fromkeys(p.upload for p in loadable))
    rejected = len(previews) - len(loadable)
    st.caption(
        f"{len(to_load)} file(s) will load in one step: the dashboard shows either the old "
        "data or all of the new."
        + (f" {rejected} rejected file(s) will not load." if rejected else "")
    )
    if st.button(
        f"Load {len(to_load)} file(s)",
        type="primary",
        disabled=not to_load,
        icon=":material/upload:",
        key="data_load",
    ):
        _load(previews, name, year, account, platform)


# ---------------------------------------------------------------------------
# Load history, validation report, rollback
# ---------------------------------------------------------------------------


def _history_columns() -> dict[str, object]:
    return {
        "file_name": st.column_config.TextColumn("File", pinned=True, width="medium"),
        "kind": "Kind",
        "sha256_short": st.column_config.TextColumn("sha256", help="First 12 hex digits"),
        "loaded_by": "Who",
        "started_at": st.column_config.DatetimeColumn(f"When ({PKT_LABEL})", format=WHEN),
        "rows_read": st.column_config.NumberColumn("Read", format="%d"),
        "rows_inserted": st.column_config.NumberColumn("Inserted", format="%d"),
        "rows_updated": st.column_config.NumberColumn("Updated", format="%d"),
        "rows_unchanged": st.column_config.NumberColumn("Unchanged", format="%d"),
        "rows_quarantined": st.column_config.NumberColumn("Quarantined", format="%d"),
        "rows_still_quarantined": st.column_config.NumberColumn("Still in quarantine", format="%d"),
        "duration_seconds": st.column_config.NumberColumn("Duration (s)", format="%.2f"),
        "outcome": "Outcome",
        "covers_from": st.column_config.DatetimeColumn("Covers from", format="D MMM YYYY"),
        "covers_to": st.column_config.DatetimeColumn("Covers to", format="D MMM YYYY"),
        "message": "Note",
        "load_id": "Load id",
    }


def _load_label(history: pd.DataFrame):
    by_id = history.set_index("load_id")

    def label(load_id: str) -> str:
        row = by_id.loc[load_id]
        when = pd.Timestamp(row["started_at"]).tz_convert(PKT)
        return f"{row['file_name']} · {when.day} {when:%b %Y, %H:%M} · {row['outcome']}"

    return label


def _rollback(history: pd.DataFrame) -> None:
    st.subheader("Roll back a load", anchor=False)
    loaded = history[history["outcome"] == "loaded"]
    pending = st.session_state.get(KEY_ROLLBACK)
    if pending is None:
        choice = st.selectbox(
            "Load to roll back",
            loaded["load_id"].tolist(),
            index=None,
            format_func=_load_label(history),
            placeholder="Choose a load",
            key="data_rollback_choice",
        )
        if st.button("Roll back…", disabled=choice is None, key="data_rollback"):
            st.session_state[KEY_ROLLBACK] = choice
            st.rerun()
        return
    row = history.set_index("load_id").loc[pending]
    st.warning(
        f"Roll back **{_md(row['file_name'])}** ({pending})? Its rows leave the warehouse, "
        "quarantined rows it cleared come back, and every page is rebuilt without it. "
        "The file can be loaded again later.",
        icon=":material/undo:",
    )
    yes, no = st.columns([1, 4])
    if yes.button("Yes, roll back", type="primary", key="data_rollback_yes"):
        st.session_state.pop(KEY_ROLLBACK, None)
        # Imported here, when the rollback is confirmed: it rebuilds the marts.
        from etl.rollback import rollback

        try:
            name = rollback(
                pending,
                warehouse=warehouse_path(),
                by=login.loader_name(),
            )
            login.audit_event(audit.ROLLBACK, f"load {pending}")
        except EtlError as error:
            st.error(_md(error), icon=":material/block:")
            return
        st.session_state[KEY_DONE] = f"Rolled back {_md(name)} ({pending})."
        st.rerun()
    if no.button("Cancel", key="data_rollback_no"):
        st.session_state.pop(KEY_ROLLBACK, None)
        st.rerun()


def _validation(history: pd.DataFrame) -> None:
    st.subheader("Validation report", anchor=False)
    # No key: a new load changes the options, and the newest load is then chosen.
    load_id = st.selectbox("Load", history["load_id"].tolist(), format_func=_load_label(history))
    if load_id is None:
        return
    report = query(validation.validation_report, load_id)
    if report.empty:
        st.caption("No checks were recorded for this load.")
        return
    _results_table(report)


def history_tab() -> None:
    done = st.session_state.pop(KEY_DONE, None)
    if done:
        st.success(done, icon=":material/undo:")
    history = query(loads.load_history)
    if history.empty:
        st.info("Nothing has been loaded yet.", icon=":material/info:")
        return
    st.caption(
        f"Every load, newest first. Times in {PKT_LABEL}. A file loaded twice is recorded "
        "once: the second time changes nothing."
    )
    shown = history.assign(
        started_at=to_pkt(history["started_at"]),
        covers_from=to_pkt(history["covers_from"]),
        covers_to=to_pkt(history["covers_to"]),
    )
    st.dataframe(
        csv_safety.formula_safe(shown),
        hide_index=True,
        height=min(38 + 35 * len(shown), 420),
        column_config=_history_columns(),
        column_order=tuple(_history_columns()),
        key="data_history",
    )
    left, right = st.columns(2)
    with left:
        _validation(history)
    with right:
        _rollback(history)


# ---------------------------------------------------------------------------
# Quarantine
# ---------------------------------------------------------------------------


def quarantine_tab() -> None:
    summary = query(quarantine.quarantine_summary)
    total = int(summary["n_rows"].sum()) if not summary.empty else 0
    st.markdown(f"**{total:,} {'row waits' if total == 1 else 'rows wait'} in quarantine**")
    st.caption(
        "Rows that failed a check, kept aside with the reason; the rest of their file "
        "loaded. Fix them in the original file (it has the names and numbers this page "
        "masks) and load that file again: the fixed rows load and leave quarantine."
    )
    if total:
        st.dataframe(
            csv_safety.formula_safe(summary),
            hide_index=True,
            column_order=("kind", "check", "n_rows"),
            column_config={
                "kind": "Source",
                "check": st.column_config.TextColumn("Check failed", width="large"),
                "n_rows": st.column_config.NumberColumn("Rows", format="%d"),
            },
        )
    checks = dict(zip(summary["check_key"], summary["kind"] + ": " + summary["check"], strict=True))
    left, middle, right = st.columns([2, 3, 1])
    sources = left.multiselect(
        "Source",
        sorted(set(query(loads.load_history)["source"])),
        key="data_quarantine_sources",
        placeholder="All sources",
    )
    chosen = middle.multiselect(
        "Check failed",
        list(checks),
        format_func=lambda key: checks.get(key, key),
        key="data_quarantine_checks",
        placeholder="All checks",
    )
    cleared = right.toggle("Include fixed rows", key="data_quarantine_cleared")
    filters = {
        "sources": tuple(sorted(sources)),
        "checks": tuple(sorted(chosen)),
        "include_cleared": cleared,
    }
    rows = query(quarantine.quarantine_rows, **filters, limit=QUARANTINE_SHOWN)
    if rows.empty:
        st.success("No rows in quarantine for this choice.", icon=":material/task_alt:")
        return
    st.dataframe(
        csv_safety.formula_safe(
            rows.drop(columns="original").assign(quarantined_at=to_pkt(rows["quarantined_at"]))
        ),
        hide_index=True,
        height=min(38 + 35 * len(rows), 420),
        column_order=(
            "source_file",
            "source_row",
            "record_id",
            "reason",
            "row_as_read",
            "quarantined_at",
            "cleared_by_load_id",
        ),
        column_config={
            "source_file": st.column_config.TextColumn("File", pinned=True),
            "source_row": st.column_config.NumberColumn("Row", format="%d"),
            "record_id": "Id",
            "reason": st.column_config.TextColumn("Problem", width="large"),
            "row_as_read": st.column_config.TextColumn(
                "Row as read (personal data masked)", width="large"
            ),
            "quarantined_at": st.column_config.DatetimeColumn(
                f"Quarantined ({PKT_LABEL})", format=WHEN
            ),
            "cleared_by_load_id": "Fixed by load",
        },
    )
    st.download_button(
        "Download these rows (CSV, personal data masked)",
        # Built when clicked, not cached: it can be large and is asked for once.
        data=login.audited_download(
            "quarantine CSV", lambda: uncached(quarantine.quarantine_csv, **filters)
        ),
        file_name=f"quarantine_{today_pkt():%Y%m%d}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="data_quarantine_csv",
    )
    if policy.sees_personal_data(login.current_role()):
        _unmasked_row(rows)


def _unmasked_row(rows: pd.DataFrame) -> None:
    """One quarantined row unmasked, for correcting it: only roles with
    personal-data rights get here; each showing is audited (VIEW_PERSONAL)
    and read around the query cache."""
    with st.expander("Show one row unmasked (recorded in the audit log)"):
        labels = {
            i: f"{r.source_file} · row {r.source_row} · {r.record_id}"
            for i, r in enumerate(rows.itertuples(index=False))
        }
        chosen = st.selectbox(
            "Row", list(labels), format_func=labels.get, key="data_quarantine_unmask_row"
        )
        if not st.button("Show unmasked", key="data_quarantine_unmask"):
            return
        row = rows.iloc[int(chosen)]
        login.audit_event(
            audit.VIEW_PERSONAL,
            f"quarantined row {row['source_file']} row {row['source_row']} (load {row['load_id']})",
        )
        original = uncached(
            quarantine.quarantine_original,
            load_id=str(row["load_id"]),
            source=str(row["source"]),
            source_row=int(row["source_row"]),
        )
        table = pd.DataFrame(
            {
                "column": list(original),
                "value": [str(v) if v is not None else "" for v in original.values()],
            }
        )
        st.dataframe(csv_safety.formula_safe(table), hide_index=True)


# ---------------------------------------------------------------------------
# Freshness
# ---------------------------------------------------------------------------


def freshness_tab() -> None:
    fresh = query(freshness.freshness, today_pkt())
    if fresh.empty:
        st.info("Nothing has been loaded yet.", icon=":material/info:")
        return
    thresholds = freshness.load_thresholds()
    stale = set(freshness.stale_sources(fresh, thresholds)["source"])
    shown = fresh.assign(
        threshold_days=[
            thresholds.days_for(s, k) for s, k in zip(fresh["source"], fresh["kind"], strict=True)
        ],
        stale=fresh["source"].isin(stale),
        last_loaded_at=to_pkt(fresh["last_loaded_at"]),
    )
    st.caption(
        "Per source: the latest date any loaded file covers, how many days ago that is, "
        "and when the source was last loaded. A source is stale past its threshold "
        "(data/config/freshness.yaml); pages that use it then say so."
    )
    st.dataframe(
        csv_safety.formula_safe(shown),
        hide_index=True,
        column_order=(
            "kind",
            "source",
            "latest_covered_date",
            "days_behind",
            "threshold_days",
            "stale",
            "last_loaded_at",
            "n_loads",
            "n_quarantined",
        ),
        column_config={
            "kind": st.column_config.TextColumn("Source", pinned=True),
            "source": "Name",
            "latest_covered_date": st.column_config.DateColumn("Data up to", format="D MMM YYYY"),
            "days_behind": st.column_config.NumberColumn("Days behind", format="%d"),
            "threshold_days": st.column_config.NumberColumn("Stale after (days)", format="%d"),
            "stale": st.column_config.CheckboxColumn("Stale"),
            "last_loaded_at": st.column_config.DatetimeColumn(
                f"Last loaded ({PKT_LABEL})", format=WHEN
            ),
            "n_loads": st.column_config.NumberColumn("Loads", format="%d"),
            "n_quarantined": st.column_config.NumberColumn("In quarantine", format="%d"),
        },
    )


def main() -> None:
    if frame.page_filters() is None:  # no warehouse to read: the frame has said why
        return
    st.title("Data", anchor=False)
    st.caption(
        "Load the cell's exports, see what was loaded and by whom, fix rows kept in "
        f"quarantine, and check how current each source is. Times in {PKT_LABEL}."
    )
    stale_notice()
    loading, history, quarantine, fresh = st.tabs(
        ["Load files", "Load history", "Quarantine", "Freshness"], key="data_tabs"
    )
    with loading:
        load_tab()
    with history:
        history_tab()
    with quarantine:
        quarantine_tab()
    with fresh:
        freshness_tab()


main()
