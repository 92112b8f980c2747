"""The report as a PDF for UNDP and the EU, with reportlab.

Why reportlab (of the three measured in ../shared/libraries.md): its
Platypus layer flows tables across pages with their header row repeated,
wraps text inside cells, keeps a chart with its caption, and draws "Page x
of y" on every page; it is pure Python (no system libraries to install, as
weasyprint needs pango) and the most widely used of the three, so the
report keeps working on a plain server. fpdf2 is smaller but has no table
that splits across pages with a repeated header.

Text uses DejaVu Sans (Debian's fonts-dejavu) for the signs the
catalogue's targets use (≥, ≤, −, ÷), else reportlab's bundled Bitstream
Vera, DejaVu's ancestor. The PDF draws ``ReportData`` and computes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from metrics.report.model import DASH, PublishedTable, ReportData, pkt, value_text

TITLE = "Police outreach and responsiveness"
SUBTITLE = "Report to UNDP and the European Union"
ORGANISATION = "Khyber Pakhtunkhwa Police · Directorate of Public Relations, media cell"
PAGE = A4
MARGIN = 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN

NAVY = colors.HexColor("#1F4E79")
GRID = colors.HexColor("#B8C4D0")
STRIPE = colors.HexColor("#F3F6F9")
STATUS_COLOURS = {
    "on_target": colors.HexColor("#2E7D32"),
    "near_target": colors.HexColor("#B26A00"),
    "off_target": colors.HexColor("#C62828"),
    "n_too_small": colors.HexColor("#666666"),
}
STATUS_WORDS = {
    "on_target": "On target",
    "near_target": "Near target",
    "off_target": "Off target",
    "n_too_small": "n too small",
}

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_VERA = Path(reportlab.__file__).parent / "fonts"


def _register_fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once."""
    if "ReportSans" in pdfmetrics.getRegisteredFontNames():
        return "ReportSans", "ReportSans-Bold"
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        regular, bold = _VERA / "Vera.ttf", _VERA / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
    pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily("ReportSans", normal="ReportSans", bold="ReportSans-Bold")
    return "ReportSans", "ReportSans-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _register_fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, spaceAfter=2),
        # An introduction that stays on the page of what it introduces.
        "lead": ParagraphStyle(
            "lead", parent=base, fontSize=8, leading=10.5, spaceAfter=4, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "num": ParagraphStyle(
            "num", parent=base, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=bold, fontSize=7.5, leading=9.5, textColor=colors.white
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=bold,
            fontSize=15,
            leading=19,
            spaceBefore=6,
            spaceAfter=8,
            textColor=NAVY,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=5,
            textColor=NAVY,
            keepWithNext=1,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=bold,
            fontSize=9,
            leading=12,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=bold,
            fontSize=26,
            leading=32,
            textColor=NAVY,
            spaceAfter=10,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=15, leading=20, textColor=NAVY, spaceAfter=24
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=5
        ),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


class _NumberedCanvas(canvas.Canvas):
    """Draws "Page x of y" and the running header once the page count is known."""

    header = ""
    footer = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        regular, _ = _register_fonts()
        self.setFont(regular, 7.5)
        self.setFillColor(colors.HexColor("#555555"))
        width, height = PAGE
        if self._pageNumber > 1:
            self.drawString(MARGIN, height - 11 * mm, self.header)
            self.setStrokeColor(GRID)
            self.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
        self.drawString(MARGIN, 9 * mm, self.footer)
        self.drawRightString(width - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")


def _grid_style(n_rows: int, *, first_col_left: bool = True) -> TableStyle:
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for row in range(2, n_rows, 2):
        commands.append(("BACKGROUND", (0, row), (-1, row), STRIPE))
    return TableStyle(commands)


def _table(header: list[str], rows: list[list[object]], widths: list[float], s) -> Table:
    """A table whose header repeats on every page it spans; numbers right-aligned."""
    body = [[_p(h, s["head"]) for h in header]]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if isinstance(cell, Paragraph):
                cells.append(cell)
            else:
                cells.append(_p(cell, s["cell"] if i == 0 else s["num"]))
        body.append(cells)
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style(len(body)))
    return table


# Sections -----------------------------------------------------------------------


def _cover(data: ReportData, generated_at: datetime, s) -> list:
    status = (
        "Complete period."
        if data.complete
        else "The period has not ended: figures will change as data arrive."
    )
    facts = [
        ["Period", data.period.label],
        ["Scope", data.scope_text],
        ["Generated", f"{pkt(generated_at)} PKT"],
        ["Built from", data.warehouse_snapshot],
        ["Open items judged at", f"{pkt(data.judged_at)} PKT"],
        ["Status of the period", status],
    ]
    rows = [[_p(k, s["cell"]), _p(v, s["cell"])] for k, v in facts]
    table = Table(rows, colWidths=[40 * mm, WIDTH - 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [
        Spacer(1, 40 * mm),
        _p(TITLE, s["title"]),
        _p(f"{SUBTITLE} · {data.period.label}", s["subtitle"]),
        _p(ORGANISATION, s["body"]),
        Spacer(1, 10 * mm),
        table,
        Spacer(1, 12 * mm),
        _p(
            "Safe to share outside the police: the report holds aggregate figures only, no "
            "row-level data and no text written by members of the public. Small counts are "
            'withheld (shown as "<5", "<10" or "suppressed") under the disclosure rule in '
            "the methodology annex.",
            s["small"],
        ),
        PageBreak(),
    ]


def _summary(data: ReportData, s) -> list:
    out = [_p("1. Executive summary", s["h1"])]
    out.extend(_p(sentence, s["bullet"]) for sentence in data.summary)
    for paragraph in out[1:]:
        paragraph.bulletText = "•"
    return out


def _status_cell(status: object, words: object, s) -> Paragraph:
    if not isinstance(status, str):
        text = "Withheld" if str(words) == "suppressed" else DASH
        return _p(text, s["cell"])
    colour = STATUS_COLOURS.get(status, colors.black).hexval()[2:]
    label = STATUS_WORDS.get(status, str(words))
    return Paragraph(f'<font color="#{colour}"><b>{escape(label)}</b></font>', s["cell"])


def _indicators(data: ReportData, s) -> list:
    frame = data.indicators
    header = [
        "Indicator",
        "Baseline",
        "Target",
        "This period",
        "Fiscal year to date",
        "Same period last year",
        "Status",
    ]
    rows = []
    for row in frame.to_dict("records"):
        unit = str(row["unit"])
        name = f"{row['kpi_id']} · {row['indicator']}"
        rows.append(
            [
                _p(name, s["cell"]),
                value_text(row["baseline"], unit),
                _p(row["target_text"], s["cell"]),
                value_text(row["this_period"], unit, row["this_period_flag"]),
                value_text(row["fiscal_ytd"], unit, row["fiscal_ytd_flag"]),
                value_text(row["last_year"], unit, row["last_year_flag"]),
                _status_cell(row["status"], row["status_text"], s),
            ]
        )
    widths = [x * mm for x in (44, 16, 35, 19, 19, 19, 22)]
    last_year = data.period.last_year().short_label
    return [
        _p("2. Indicators", s["h1"]),
        _p(
            f"This period: {data.period.label}. Fiscal year to date: 1 July to the period's "
            f"end. Same period last year: {last_year}. Durations are medians (P50); status "
            "compares this period with the target in effect on its last day (n too small: "
            "fewer items than the targets file's minimum). The previous period and the "
            "numbers of items behind each figure are in the XLSX.",
            s["lead"],
        ),
        _table(header, rows, widths, s),
    ]


def _published(table: PublishedTable, s) -> Table:
    columns = list(table.values.columns)
    header = [table.index_label, *(table.labels[c] for c in columns)]
    rows = []
    for group in table.values.index:
        cells: list[object] = [_p(group, s["cell"])]
        for c in columns:
            cells.append(
                value_text(table.values.at[group, c], table.units[c], table.flags.at[group, c])
            )
        rows.append(cells)
    first = 32 * mm
    widths = [first, *([(WIDTH - first) / len(columns)] * len(columns))]
    grid = _table(header, rows, widths, s)
    grid.setStyle(TableStyle([("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.8, NAVY)]))
    return grid


def _image(png: bytes, caption: str, s) -> list:
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = WIDTH, WIDTH * ratio
    return [_p(caption, s["caption"]), image]


def _opened(heading: list, blocks: list[list]) -> list:
    """Each block kept on one page, the section's heading with the first:
    a heading never ends a page alone."""
    if not blocks:
        return [KeepTogether(heading)]
    return [KeepTogether(heading + blocks[0]), *(KeepTogether(b) for b in blocks[1:])]


def _disaggregation(
    data: ReportData, images: Mapping[str, bytes], captions: Mapping[str, str], s
) -> list:
    heading = [
        _p("3. Disaggregation", s["h1"]),
        _p(
            "The same KPIs for each requester gender, police region and for merged against "
            "settled districts; the Total row is the indicator table's figure. Durations are "
            'medians in business minutes. "<5"/"<10": a small count withheld; '
            '"suppressed": withheld because it rests on a withheld count or would reveal one.',
            s["lead"],
        ),
    ]
    blocks = []
    for key in ("gender", "region", "merged"):
        table = data.table(key)
        if table is None:
            continue
        block = [_p(table.title, s["h2"]), _published(table, s)]
        block.extend(_p(note, s["small"]) for note in table.notes)
        blocks.append(block)
        name = f"group_{key}"
        if name in images:
            blocks.append(_image(images[name], captions[name], s))
    return _opened(heading, blocks)


def _trends(data: ReportData, images: Mapping[str, bytes], captions: Mapping[str, str], s) -> list:
    blocks = [_image(images[n], captions[n], s) for n in ("monthly", "weekly") if n in images]
    return _opened([_p("4. Trends", s["h1"])], blocks)


def _social(data: ReportData, s) -> list:
    out = [_p("5. Social media", s["h1"])]
    frame = data.social
    if frame.empty:
        return [*out, _p("No social media data in the period.", s["body"])]
    header = [
        "Platform",
        "Posts",
        "Impressions",
        "Reach (sum)",
        "Engagements",
        "Engagement rate P50",
        "Rate basis",
        "Follower growth",
    ]
    rows = [
        [
            _p(r["platform"], s["cell"]),
            value_text(r["posts"], "count"),
            value_text(r["impressions"], "count"),
            value_text(r["reach"], "count"),
            value_text(r["engagements"], "count"),
            value_text(r["engagement_rate_p50_pct"], "%"),
            _p(
                r["engagement_rate_basis"] if isinstance(r["engagement_rate_basis"], str) else DASH,
                s["cell"],
            ),
            value_text(r["follower_growth_pct"], "%"),
        ]
        for r in frame.to_dict("records")
    ]
    widths = [x * mm for x in (28, 16, 24, 24, 22, 22, 22, 16)]
    return [
        *out,
        _p(
            "The cell's own public posts published in the period (latest lifetime counts). "
            "Reach is a sum of post reaches, not unique people; engagement rates are compared "
            "within a platform only, as each platform rates on its own basis.",
            s["lead"],
        ),
        _table(header, rows, widths, s),
    ]


def _outreach(data: ReportData, s) -> list:
    out = [_p("6. Community outreach", s["h1"]), _p(data.outreach_note, s["body"])]
    for key in ("outreach_region", "outreach_merged"):
        table = data.table(key)
        if table is not None:
            out.append(KeepTogether([_p(table.title, s["h2"]), _published(table, s)]))
            out.extend(_p(note, s["small"]) for note in table.notes)
    return out


def _date(value: object) -> str:
    if value is None or pd.isna(value):
        return DASH
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def _quality(data: ReportData, s) -> list:
    dq = data.quality
    out = [_p("7. Data quality", s["h1"])]
    out.append(
        _p(
            "Sources behind the report: files of each source covering part of the period, the "
            "span all its files cover, the days of the period they cover, rows read from those "
            "files and rows a check set aside (quarantined), and how many days behind today "
            "the source's latest data is.",
            s["lead"],
        )
    )
    rows = [
        [
            _p(f"{r['kind']} ({r['source']})", s["cell"]),
            str(r["files"]),
            f"{_date(r['covers_from'])} to {_date(r['covers_to'])}",
            f"{r['days_covered']} of {r['days_in_period']}",
            value_text(r["rows_read"], "count"),
            value_text(r["rows_quarantined"], "count"),
            value_text(r["still_quarantined"], "count"),
            DASH if pd.isna(r["days_behind"]) else str(int(r["days_behind"])),
        ]
        for r in dq.sources.to_dict("records")
    ]
    header = [
        "Source",
        "Files",
        "All its files cover",
        "Days covered",
        "Rows read",
        "Rows set aside",
        "Still set aside",
        "Days behind",
    ]
    widths = [x * mm for x in (44, 12, 40, 17, 17, 16, 15, 13)]
    out.append(_table(header, rows, widths, s))
    out.append(_p("Completeness of the period's items", s["h2"]))
    for r in dq.completeness.to_dict("records"):
        out.append(
            _p(
                f"{r['measure']}: {value_text(r['value'], '%')} of {r['n']:,} items. {r['note']}",
                s["body"],
            )
        )
    out.append(_p("Rows in quarantine (all loads of these sources)", s["h2"]))
    if dq.quarantine.empty:
        out.append(_p("No row is waiting in quarantine.", s["body"]))
    else:
        q_rows = [
            [
                _p(r["source"], s["cell"]),
                _p(r["check"], s["cell"]),
                value_text(r["n_rows"], "count"),
            ]
            for r in dq.quarantine.to_dict("records")
        ]
        out.append(
            _table(
                ["Source", "Check failed", "Rows"], q_rows, [30 * mm, WIDTH - 50 * mm, 20 * mm], s
            )
        )
    gaps = [_p(g, s["bullet"]) for g in dq.gaps] or [_p("None known.", s["body"])]
    for paragraph in gaps:
        paragraph.bulletText = "•"
    built = _p(
        f"Built from {data.warehouse_snapshot}. The XLSX lists every load id it was built from.",
        s["small"],
    )
    out.append(KeepTogether([_p("Known gaps", s["h2"]), *gaps, built]))
    return out


def _annex(data: ReportData, s) -> list:
    out = [PageBreak(), _p("Annex: methodology", s["h1"]), _p("Conventions", s["h2"])]
    conventions = [_p(c, s["bullet"]) for c in data.conventions]
    for paragraph in conventions:
        paragraph.bulletText = "•"
    out.extend(conventions)
    out.append(_p("Disclosure control", s["h2"]))
    out.append(_p(data.disclosure_rule, s["body"]))
    out.append(_p("Indicators", s["h2"]))
    for entry in data.annex:
        out.append(
            KeepTogether(
                [
                    Paragraph(f"<b>{escape(entry.kpi_id)} · {escape(entry.name)}</b>", s["body"]),
                    _p(entry.definition, s["small"]),
                    _p(
                        f"Unit: {entry.unit}. Better: {entry.direction}. Cohort: {entry.cohort}. "
                        f"Target: {entry.target_text} (from {entry.target_from}). "
                        f"Owner: {entry.owner}.",
                        s["small"],
                    ),
                    Spacer(1, 3),
                ]
            )
        )
    return out


def render_pdf(
    data: ReportData,
    images: Mapping[str, bytes],
    captions: Mapping[str, str],
    *,
    generated_at: datetime | None = None,
) -> bytes:
    """The report as PDF bytes; ``images`` from ``charts.render_png``."""
    generated_at = generated_at or datetime.now(UTC)
    s = _styles()
    story = [
        *_cover(data, generated_at, s),
        *_summary(data, s),
        *_indicators(data, s),
        *_disaggregation(data, images, captions, s),
        *_trends(data, images, captions, s),
        *_social(data, s),
        *_outreach(data, s),
        *_quality(data, s),
        *_annex(data, s),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{TITLE}: {data.period.label}",
        author=ORGANISATION,
        subject=SUBTITLE,
        creator="python -m metrics.report",
    )
    header = f"{TITLE} · {data.period.label} · {data.scope_text}"
    footer = f"Generated {pkt(generated_at)} PKT · aggregate figures only; small counts withheld"

    def maker(*args, **kwargs) -> _NumberedCanvas:
        made = _NumberedCanvas(*args, **kwargs)
        made.header, made.footer = header, footer
        return made

    doc.build(story, canvasmaker=maker)
    return buffer.getvalue()
