"""How numbers, periods and times read on the dashboard.

One place for the units a KPI card shows, the period in words with its
fiscal quarter, and timestamps in Pakistan time (the warehouse stores UTC).
Pure functions: no streamlit, so they are easy to test.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pandas as pd

from core.csv_safety import safe_csv as csv_bytes  # noqa: F401  (pages' CSV downloads)
from core.formatting import is_missing, minutes_text  # noqa: F401  (re-exported)
from metrics.filters import Filters, fiscal_quarter, fiscal_year_label

PKT = ZoneInfo("Asia/Karachi")
PKT_LABEL = "PKT"
DASH = "—"


def unit_kind(unit: str | None) -> str:
    """Fold the catalogue's unit spellings onto: count, pct, minutes, hours, other."""
    text = (unit or "").strip().lower()
    if text in {"%", "pct", "percent", "percentage", "share"}:
        return "pct"
    if text.startswith("min") or text.endswith("minutes"):
        return "minutes"
    if text.startswith("hour") or text in {"h", "hrs"}:
        return "hours"
    if text in {"count", "n", "items", "number"}:
        return "count"
    return "other"


def format_value(value: object, unit: str | None) -> str:
    """A KPI value with its unit, or a dash when there is nothing to show."""
    if is_missing(value):
        return DASH
    number = float(value)  # type: ignore[arg-type]
    kind = unit_kind(unit)
    if kind == "pct":
        return f"{number:.1f}%"
    if kind == "minutes":
        return minutes_text(number)
    if kind == "hours":
        return f"{number:,.1f} h"
    if kind == "count":
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def format_delta(delta: object, unit: str | None) -> str | int | None:
    """The change against the previous period, signed, in the KPI's unit.

    Returns ``0`` (a number) when the change rounds to nothing, so that
    ``st.metric`` shows it grey and without an arrow.
    """
    if is_missing(delta):
        return None
    number = float(delta)  # type: ignore[arg-type]
    kind = unit_kind(unit)
    if kind == "pct":
        text = f"{number:+.1f} pp"
    elif kind == "minutes":
        text = ("+" if number >= 0 else "-") + minutes_text(abs(number))
    elif kind == "hours":
        text = f"{number:+,.1f} h"
    elif kind == "count":
        text = f"{number:+,.0f}"
    else:
        text = f"{number:+,.2f}"
    return 0 if text.lstrip("+-").split()[0].strip("0.,") == "" else text


def delta_color(direction: str | None) -> str:
    """``inverse`` where lower is better, ``off`` for KPIs that are only monitored."""
    text = (direction or "").strip().lower()
    if text.startswith("lower") or text in {"down", "decrease", "faster"}:
        return "inverse"
    if text.startswith("higher") or text in {"up", "increase"}:
        return "normal"
    return "off"


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def period_text(start: date, end: date) -> str:
    """``1–31 Oct 2026``, ``15 Sep – 3 Oct 2026``, ``1 Jul 2025 – 27 Nov 2026``."""
    if start == end:
        return day_text(start)
    if start.year != end.year:
        return f"{day_text(start)} – {day_text(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {day_text(end)}"
    return f"{start.day}–{day_text(end)}"


def quarter_text(start: date, end: date) -> str:
    """Fiscal year and quarter(s) of a period, e.g. ``FY2026-27 Q2`` (FY runs July–June)."""
    first = f"{fiscal_year_label(start)} Q{fiscal_quarter(start)}"
    last = f"{fiscal_year_label(end)} Q{fiscal_quarter(end)}"
    if first == last:
        return first
    if fiscal_year_label(start) == fiscal_year_label(end):
        return f"{first}–Q{fiscal_quarter(end)}"
    return f"{first} – {last}"


def filters_text(f: Filters) -> str:
    """The non-period filters in words, e.g. ``Mardan region · WhatsApp``."""
    parts = []
    if f.districts:
        parts.append(", ".join(f.districts))
    elif f.regions:
        parts.append(", ".join(f.regions) + (" region" if len(f.regions) == 1 else " regions"))
    else:
        parts.append("All of Khyber Pakhtunkhwa")
    parts.append(", ".join(f.channels) if f.channels else "all channels")
    return " · ".join(parts)


def to_pkt(values: pd.Series) -> pd.Series:
    """UTC timestamps as Pakistan wall-clock time (still tz-aware)."""
    series = pd.to_datetime(values, utc=True)
    return series.dt.tz_convert(PKT)


def pkt_text(moment: datetime | pd.Timestamp | None) -> str:
    """``27 Nov 2026, 16:42 PKT`` for a tz-aware instant; a dash for none."""
    if is_missing(moment):
        return DASH
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    local = stamp.tz_convert(PKT)
    return f"{local.day} {local:%b %Y, %H:%M} {PKT_LABEL}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")
# Invisible, and breaks a word's run: Streamlit turns some text into links,
# icons and emoji after the Markdown is parsed, on the text itself (so a
# backslash escape does not stop them): ``https://…``, ``www.…`` and
# ``name@host`` become links (GFM autolinks), ``:material/…:`` an icon and
# ``:smile:`` an emoji. A word joiner after each ``:`` and ``@`` and inside
# ``www.`` leaves nothing for them to find.
WORD_JOINER = "\u2060"
_AUTOLINKED = re.compile(r"(:|@|(?i:www)(?=\.))")


def markdown_literal(text: object) -> str:
    """``text`` escaped so Streamlit's Markdown draws it as typed: no links
    (written or bare), emphasis, HTML, ``:material/…:`` icons or emoji from
    a file or a person. Prefer ``st.text`` where the text stands alone."""
    joined = _AUTOLINKED.sub(lambda m: m.group(1) + WORD_JOINER, " ".join(str(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", joined)


def plain(value: object) -> str:
    """A value from a file as safe chart-label text: ``&``, ``<`` and ``>``
    HTML-escaped, since Plotly draws ``<b>``, ``<a href>`` and the like in
    labels and hover text (blank -> dash). Quotes stay as they are: without
    a ``<`` they start nothing, and Plotly would show ``&quot;`` as typed."""
    if is_missing(value):
        return DASH
    return html.escape(str(value), quote=False)


def plains(values: Iterable[object]) -> list[str]:
    """``plain`` of each value, in order."""
    return [plain(v) for v in values]


def web_link(value: object) -> str | None:
    """``value`` when it is an ``http``/``https`` URL with a host, else None:
    only such links may be drawn as links (never ``javascript:`` or ``data:``)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Control characters or spaces would let a browser read the URL otherwise.
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return None
    return text
