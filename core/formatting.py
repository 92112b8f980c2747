"""Small facts about shown values that the pages and the report share."""

from __future__ import annotations

import math

import pandas as pd


def is_missing(value: object) -> bool:
    """None, pandas' NA/NaT, or a float NaN: nothing to show."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def minutes_text(minutes: float) -> str:
    """``14 min`` under 1.5 hours, else ``2.3 h``: what a reader can compare at a glance."""
    if abs(minutes) < 90:
        return f"{minutes:,.0f} min"
    return f"{minutes / 60:,.1f} h"
