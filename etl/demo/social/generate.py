"""The social demo from start to end: the accounts, then every vendor's exports.

Each account draws from its own generator (``[seed, account number]``),
the ids from ``[seed, 100]`` and each exporter from ``[seed, 200 + k]``:
the same ``seed``, ``end_date`` and ``months`` give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from etl.demo.calendar import DEMO_SEED, Progress, default_end_date
from etl.demo.social.accounts import Account, give_ids, make_account
from etl.demo.social.insights import insights_exports
from etl.demo.social.meta import facebook_exports, instagram_exports
from etl.demo.social.period import Period, make_period
from etl.demo.social.profiles import FACEBOOK, FACEBOOK_2, INSTAGRAM, TIKTOK, YOUTUBE, X
from etl.demo.social.tiktok import tiktok_exports
from etl.demo.social.x import x_content_exports, x_overview
from etl.demo.social.youtube import youtube_zip
from etl.demo.writers import write_files

SOCIAL_DIR = "social"
# Account key -> (profile, caption style), in the order their generators are numbered.
ACCOUNTS = {"facebook": (FACEBOOK, "meta"), "facebook_2": (FACEBOOK_2, "meta"),
            "instagram": (INSTAGRAM, "meta"), "x": (X, "x"), "tiktok": (TIKTOK, "tiktok"),
            "youtube": (YOUTUBE, "youtube")}  # fmt: skip

Exporter = Callable[[np.random.Generator], dict[str, bytes]]


def generate_social_demo(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """The social demo exports in memory: path under ``social/`` -> file content."""
    if months < 2:
        raise ValueError("months must be at least 2")
    say = progress or (lambda fraction, message: None)
    period = make_period(end_date or default_end_date(), months)
    say(0.05, "Sampling social posts")
    accounts = {}
    for number, (key, (profile, style)) in enumerate(ACCOUNTS.items()):
        rng = np.random.default_rng([seed, number])
        accounts[key] = make_account(rng, period, profile, style)
    give_ids(np.random.default_rng([seed, 100]), period, accounts)
    files: dict[str, bytes] = {}
    steps = _exporters(period, accounts)
    for number, (message, build) in enumerate(steps):
        say(0.1 + 0.85 * number / len(steps), f"Writing {message}")
        files.update(build(np.random.default_rng([seed, 200 + number])))
    posts = sum(len(a.text) for a in accounts.values())
    say(1.0, f"Social demo exports ready: {posts:,} posts in {len(files)} files")
    return files


def _exporters(period: Period, accounts: dict[str, Account]) -> tuple[tuple[str, Exporter], ...]:
    """(progress message, exporter) in the order their generators are numbered."""
    return (
        ("Meta post exports", lambda r: facebook_exports(r, period, accounts["facebook"],
                                                         accounts["facebook_2"])),
        ("Instagram post exports", lambda r: instagram_exports(r, period, accounts["instagram"])),
        ("Meta Insights files", lambda r: insights_exports(r, period, accounts["facebook"],
                                                           accounts["instagram"])),
        ("X exports", lambda r: {**x_content_exports(r, period, accounts["x"]),
                                 **x_overview(r, period, accounts["x"])}),
        ("YouTube Studio zip", lambda r: youtube_zip(period, accounts["youtube"])),
        ("TikTok exports", lambda r: tiktok_exports(r, period, accounts["tiktok"])),
    )  # fmt: skip


def write_social_demo_files(
    out_dir: Path,
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the social demo exports into ``out_dir / "social"`` and return their paths.

    ``end_date`` (default: today in Asia/Karachi) is the day of the last
    download; the data cover the ``months`` months before it. The folder
    belongs to the generator: files of an earlier run that this run does not
    write are removed, so a stale export is never loaded beside new ones.
    """
    files = generate_social_demo(end_date=end_date, months=months, seed=seed, progress=progress)
    root = Path(out_dir) / SOCIAL_DIR
    wanted = {root / name for name in files}
    if root.exists():
        for stale in sorted(root.rglob("*")):
            if stale.is_file() and stale not in wanted:
                stale.unlink()
    paths = write_files(root, files)
    for folder in sorted(root.rglob("*"), reverse=True):  # empty folders of an earlier run
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return paths
