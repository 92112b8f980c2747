"""The functions that compute C1 and I1-I3, for the catalogue (``metrics.kpis``).

They judge with ``metrics.judging`` (targets, statuses); ``metrics.kpis``
adds them to the measured KPIs' functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from metrics import inclusion, scorecard

KPI_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "C1": scorecard.responsiveness_score,
    "I1": inclusion.inclusion_share,
    "I2": inclusion.parity,
    "I3": inclusion.district_coverage,
}
