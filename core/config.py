"""Where things live and the settings the Directorate edits.

Paths can be overridden by environment variables so tests, benchmarks and
a second deployment never touch the live warehouse by accident.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.errors import EtlError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
CONFIG_DIR = DATA_DIR / "config"
MAPPINGS_DIR = PROJECT_ROOT / "etl" / "mappings"

# How numeric dates in the cell's registers are read (settings: date_order).
DATE_ORDERS: tuple[str, ...] = ("day-first", "month-first")
DEFAULT_DATE_ORDER = "day-first"

# What an inquiry id may look like (settings: inquiry_id_pattern): a letter
# or digit, then letters, digits and - _ / . ; 1-64 characters in all.
DEFAULT_INQUIRY_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_/.\-]{0,63}"

# How people log in (settings: login): the password form, single sign-on
# through an OpenID Connect provider configured in the secrets' [auth]
# section (auth/oidc.py), or both. "both" offers the password form alone
# until a provider is configured.
LOGIN_MODES: tuple[str, ...] = ("password", "oidc", "both")
DEFAULT_LOGIN = "both"

# Upload and read limits, stated in every message that enforces them.
MAX_FILE_BYTES = 200 * 1024 * 1024


def warehouse_path() -> Path:
    """The live warehouse: ``KP_WAREHOUSE`` or ``data/warehouse.duckdb``."""
    return Path(os.environ.get("KP_WAREHOUSE", DATA_DIR / "warehouse.duckdb")).resolve()


def demo_dir() -> Path:
    """Where ``python -m etl demo`` writes the demo exports."""
    return Path(os.environ.get("KP_DEMO_DIR", DATA_DIR / "demo")).resolve()


def settings_path() -> Path:
    return Path(os.environ.get("KP_SETTINGS", CONFIG_DIR / "settings.yaml"))


@dataclass(frozen=True)
class Settings:
    """Parsed ``settings.yaml``; see the comments in that file."""

    timezone: str
    business_hours: dict[str, str | None]
    holiday_country: str
    extra_holidays: tuple[tuple[str, str], ...]
    not_holidays: tuple[str, ...]
    sla: dict[str, Any]
    plausible_from: str
    social: dict[str, Any]
    date_order: str | None = DEFAULT_DATE_ORDER
    """How the cell's registers write numeric dates: ``day-first``
    (``03/04/2026`` is 3 April, the default in Pakistan), ``month-first``, or
    ``None`` (no order set: only files whose dates prove their order load)."""
    inquiry_id_pattern: str = DEFAULT_INQUIRY_ID_PATTERN
    """A regular expression every whole inquiry id matches (``etl.sources.inquiries``)."""
    login: str = DEFAULT_LOGIN
    """``password``, ``oidc`` or ``both`` (``LOGIN_MODES``; ``ui.login``)."""

    def resolution_working_days(self, category: str) -> int:
        return int(self.sla["resolution_working_days"][category])


@lru_cache(maxsize=8)
def _load_settings(path: str, mtime_ns: int) -> Settings:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    holidays = raw.get("holidays") or {}
    extra = tuple(
        (str(item["date"]), str(item.get("name", "Holiday")))
        for item in holidays.get("extra") or []
    )
    return Settings(
        timezone=raw.get("timezone", "Asia/Karachi"),
        business_hours=dict(raw["business_hours"]),
        holiday_country=holidays.get("country", "PK"),
        extra_holidays=extra,
        not_holidays=tuple(str(d) for d in holidays.get("not_holidays") or []),
        sla=dict(raw["sla"]),
        plausible_from=str(raw.get("plausible_from", "2015-01-01")),
        social=dict(raw.get("social") or {"default_account": "KP Police"}),
        date_order=_date_order(raw.get("date_order", DEFAULT_DATE_ORDER), path),
        inquiry_id_pattern=_id_pattern(raw.get("inquiry_id_pattern"), path),
        login=_login_mode(raw.get("login"), path),
    )


def _login_mode(value: object, path: str) -> str:
    """``login`` as written (blank: ``DEFAULT_LOGIN``); refused, naming the
    file, when it is not one of ``LOGIN_MODES``."""
    if value is None or not str(value).strip():
        return DEFAULT_LOGIN
    text = str(value).strip().lower()
    if text not in LOGIN_MODES:
        raise EtlError(f"{Path(path).name}: login is '{value}'; write password, oidc or both")
    return text


def _id_pattern(value: object, path: str) -> str:
    """``inquiry_id_pattern`` as written (blank: the default); refused if it is
    not a regular expression, naming the file."""
    if value is None or not str(value).strip():
        return DEFAULT_INQUIRY_ID_PATTERN
    text = str(value).strip()
    try:
        re.compile(text)
    except re.error as exc:
        raise EtlError(
            f"{Path(path).name}: inquiry_id_pattern '{text}' is not a regular expression ({exc})"
        ) from None
    return text


def _date_order(value: object, path: str) -> str | None:
    """``date_order`` as written: day-first, month-first, or none/null (no order set)."""
    if value is None or str(value).strip().lower() in ("", "none", "null", "unset"):
        return None
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    if text not in DATE_ORDERS:
        raise EtlError(
            f"{Path(path).name}: date_order is '{value}'; write day-first, month-first or none"
        )
    return text


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (re-read when it changes on disk)."""
    path = path or settings_path()
    return _load_settings(str(path), path.stat().st_mtime_ns)
