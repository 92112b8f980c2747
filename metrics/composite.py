"""The functions that compute C1 and I1-I3, for the catalogue (``metrics.kpis``).

They judge with ``metrics.kpis`` (targets, statuses), so ``metrics.kpis``
imports this module only when it first builds a KPI, never at its own import.
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
