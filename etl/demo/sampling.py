"""Small random-draw and array helpers the register generator shares.

Every draw takes the generator's one ``numpy.random.Generator``: the order
of the calls is what makes the demo byte-identical run to run, so callers
keep it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from core import vocab


def lognormal(rng: np.random.Generator, median, sigma, n: int) -> np.ndarray:
    """``n`` log-normal delays around ``median`` (a number or one per item)."""
    return np.asarray(median, float) * np.exp(sigma * rng.standard_normal(n))


def pick(rng: np.random.Generator, probs: Sequence[float], n: int) -> np.ndarray:
    """``n`` indices drawn with the (unnormalised) probabilities ``probs``."""
    p = np.asarray(probs, float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def pick_rows(rng: np.random.Generator, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One draw per element of ``rows`` from the probability row ``matrix[rows]``."""
    cum = np.cumsum(matrix, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(rows))
    return np.minimum((u[:, None] > cum[rows]).sum(axis=1), matrix.shape[1] - 1)


def choice(rng: np.random.Generator, options: Sequence[str], n: int) -> np.ndarray:
    """``n`` texts drawn uniformly from ``options``."""
    return np.array(options, dtype=object)[rng.integers(len(options), size=n)]


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Numbers as zero-padded text of ``width`` digits."""
    return np.array([f"{v:0{width}d}" for v in values.tolist()], dtype=object)


def objects(values: object) -> pd.Series:
    """A text column kept as Python objects (cheap to mask, copy and write)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def per_channel(channel: np.ndarray, values: dict[str, float], default: float) -> np.ndarray:
    """``values[channel]`` for each item (``default`` for channels not listed)."""
    table = np.array([values.get(c, default) for c in vocab.CHANNELS], dtype=float)
    codes = pd.Categorical(channel, categories=list(vocab.CHANNELS)).codes
    return np.where(codes >= 0, table[codes], default)
