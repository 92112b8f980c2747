"""Recognise what kind of export a file is from its content, never its name."""

from __future__ import annotations

from etl.errors import FileRejected
from etl.readers import RawTable, reject_embedded_headers
from etl.sources import meta, tiktok, x_twitter, youtube
from etl.sources.base import Source
from etl.sources.events import ResponseEvents
from etl.sources.inquiries import InquiryRegister
from etl.sources.mapped import load_mappings


def known_sources() -> list[Source]:
    """Every kind the ETL reads, most specific signature first: platform
    exports, then column mappings, then the cell's own registers."""
    platforms = [*meta.SOURCES, *x_twitter.SOURCES, *youtube.SOURCES, *tiktok.SOURCES]
    return [*platforms, *load_mappings(), ResponseEvents(), InquiryRegister()]


def detect(table: RawTable) -> Source:
    """The source whose header signature the file's header matches."""
    for source in known_sources():
        if source.matches(table):
            reject_embedded_headers(table, source, known_sources())
            return source
    shown = ", ".join(table.headers[:8]) + (", …" if len(table.headers) > 8 else "")
    kinds = ", ".join(s.kind for s in known_sources())
    raise FileRejected(
        table.path.name,
        f"the columns ({shown}) match no export this dashboard reads ({kinds})",
        row=table.header_row,
    )
