"""Recognise what kind of export a file is from its content, never its name."""

from __future__ import annotations

from core import sources as core_sources
from core.errors import FileRejected
from etl.readers import RawTable, reject_embedded_headers
from etl.sources import meta, tiktok, x_twitter, youtube
from etl.sources.base import Source
from etl.sources.events import ResponseEvents
from etl.sources.inquiries import InquiryRegister
from etl.sources.mapped import load_mappings
from etl.sources.registers_media import SOURCES as MEDIA_REGISTERS


def known_sources() -> list[Source]:
    """Every kind the ETL reads, most specific signature first: platform
    exports, then column mappings, then the cell's own registers."""
    platforms = [*meta.SOURCES, *x_twitter.SOURCES, *youtube.SOURCES, *tiktok.SOURCES]
    return [*platforms, *load_mappings(), *MEDIA_REGISTERS, ResponseEvents(), InquiryRegister()]


# The first columns of the Data page's quarantine download (a worklist with
# personal data masked): recognised so that it is never loaded as data.
WORKLIST_COLUMNS = core_sources.WORKLIST_COLUMNS  # one definition, shared with the read side


def detect(table: RawTable) -> Source:
    """The source whose header signature the file's header matches."""
    if [h.strip().lstrip("'") for h in table.headers[:4]] == list(WORKLIST_COLUMNS[:4]):
        raise FileRejected(
            table.path.name,
            "this is a quarantine worklist downloaded from the Data page; its personal data "
            "is masked, so it cannot be loaded: fix the rows it lists in the original "
            "register (or the template) and load that file",
            row=table.header_row,
        )
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
