"""The districts the demo draws from: names, police regions, merged districts, weights.

Read from ``data/reference`` (the same files the warehouse loads), so the
demo never names a district the ETL does not know, except where a planted
bad row does on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.config import REFERENCE_DIR


@dataclass(frozen=True)
class Districts:
    """The 36 districts in reference order, with what the generator needs of each."""

    names: tuple[str, ...]
    regions: tuple[str, ...]
    merged: np.ndarray
    """True for the districts merged from the former tribal areas (FATA)."""
    weights: np.ndarray
    """Share of the population (census 2023; a shared census unit split evenly)."""
    aliases: dict[str, tuple[str, ...]]


def load_districts() -> Districts:
    """The districts of ``kp_districts.csv`` weighted by ``kp_census_2023.csv``."""
    raw = pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str, keep_default_na=False)
    census = pd.read_csv(REFERENCE_DIR / "kp_census_2023.csv", dtype={"census_unit": str})
    population = census.set_index("census_unit")["population"].astype(float)
    per_unit = raw["census_unit"].map(raw["census_unit"].value_counts())
    weights = raw["census_unit"].map(population).to_numpy(float) / per_unit.to_numpy(float)
    aliases = {
        row.district: tuple(a.strip() for a in row.aliases.split(";") if a.strip())
        for row in raw.itertuples(index=False)
    }
    return Districts(
        names=tuple(raw["district"]),
        regions=tuple(raw["police_region"]),
        merged=raw["merged_district"].str.lower().eq("yes").to_numpy(),
        weights=weights / weights.sum(),
        aliases=aliases,
    )
