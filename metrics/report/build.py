"""Both files of a report from its ``ReportData``: charts once, then PDF and XLSX.

Used by the command line, the page's download buttons and the benchmark,
so the three make exactly the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from metrics.report import charts
from metrics.report.model import ReportData
from metrics.report.pdf import render_pdf
from metrics.report.xlsx import render_xlsx


@dataclass(frozen=True)
class ReportFiles:
    pdf: bytes
    xlsx: bytes
    generated_at: datetime


def file_stem(data: ReportData) -> str:
    """``kp-police-outreach-report-2026-10``."""
    return f"kp-police-outreach-report-{data.period.code}"


def pdf_bytes(data: ReportData, *, generated_at: datetime | None = None) -> bytes:
    """The PDF alone (its charts rendered with one kaleido browser)."""
    images = charts.render_png(charts.figures(data))
    return render_pdf(data, images, charts.captions(data), generated_at=generated_at)


def xlsx_bytes(data: ReportData, *, generated_at: datetime | None = None) -> bytes:
    """The XLSX alone (no charts: its figures are numbers)."""
    return render_xlsx(data, generated_at=generated_at)


def build_files(data: ReportData, *, progress: Callable[[str], None] | None = None) -> ReportFiles:
    """The PDF and the XLSX, stamped with one generation time."""
    say = progress or (lambda message: None)
    generated_at = datetime.now(UTC)
    say("charts: rendering images with kaleido (one browser for all)")
    images = charts.render_png(charts.figures(data))
    say("PDF")
    pdf = render_pdf(data, images, charts.captions(data), generated_at=generated_at)
    say("XLSX")
    xlsx = render_xlsx(data, generated_at=generated_at)
    return ReportFiles(pdf, xlsx, generated_at)


def write_files(files: ReportFiles, data: ReportData, out_dir: Path) -> tuple[Path, Path]:
    """Write both files into ``out_dir`` (created); each written whole, then
    renamed into place, so a reader never opens half a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, content in ((".pdf", files.pdf), (".xlsx", files.xlsx)):
        target = out_dir / f"{file_stem(data)}{suffix}"
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)
        paths.append(target)
    return paths[0], paths[1]
