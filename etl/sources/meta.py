"""Loaders for meta exports (to be written)."""

from __future__ import annotations

from etl.sources.base import Source

SOURCES: list[Source] = []
