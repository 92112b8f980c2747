"""Platform ids as the vendors make them: Meta's increasing numbers, X and TikTok's
time-based ones, YouTube's 11-character ids, Instagram short codes."""

from __future__ import annotations

import numpy as np

from etl.demo.social.period import Period

B64 = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
TWITTER_EPOCH_MS = 1288834974657
PKT_OFFSET_S = 5 * 3600  # Pakistan keeps UTC+5 all year


def random_text(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """Random URL-safe ids (YouTube video ids, Instagram short codes, t.co links)."""
    letters = B64[:62][rng.integers(0, 62, size=(n, width))]
    return np.array(["".join(row) for row in letters], dtype=object)


def ascending_ids(rng: np.random.Generator, base: int, n: int, step: int) -> np.ndarray:
    """Increasing numeric ids (Meta assigns them in order of creation), as text."""
    values = base + np.cumsum(rng.integers(step // 2, step * 2, size=n, dtype=np.int64))
    return values.astype(str).astype(object)


def snowflake_ids(rng: np.random.Generator, period: Period, t: np.ndarray) -> np.ndarray:
    """X post ids: milliseconds since X's epoch shifted by 22 bits (19 digits)."""
    utc_ms = (period.stamp(t).astype(np.int64) - PKT_OFFSET_S) * 1000
    utc_ms = utc_ms + rng.integers(0, 1000, size=len(t))
    low = rng.integers(0, 1 << 22, size=len(t), dtype=np.int64)
    ids = ((utc_ms - TWITTER_EPOCH_MS) << 22) | low
    return ids.astype(str).astype(object)


def tiktok_ids(rng: np.random.Generator, period: Period, t: np.ndarray) -> np.ndarray:
    """TikTok video ids: Unix seconds shifted by 32 bits (19 digits)."""
    utc_s = period.stamp(t).astype(np.int64) - PKT_OFFSET_S
    ids = (utc_s.astype(np.uint64) << np.uint64(32)) | rng.integers(
        0, 1 << 32, size=len(t), dtype=np.uint64
    )
    return ids.astype(str).astype(object)


def youtube_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """11-character video ids; a few start with ``-`` or ``_`` as real ones do."""
    body = B64[rng.integers(0, 64, size=(n, 10))]
    last = np.array(list("AEIMQUYcgkosw048"))[rng.integers(0, 16, size=n)]
    ids = np.array(["".join(row) + end for row, end in zip(body, last, strict=True)], dtype=object)
    for k, lead in enumerate(("-", "_", "-")):
        if k * 7 + 3 < n:
            ids[k * 7 + 3] = lead + ids[k * 7 + 3][1:]
    return ids
