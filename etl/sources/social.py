"""What every social-platform export shares: canonical columns, parsing, checks.

Three raw tables take social data (``etl/sql/migrations/0002_social.sql``):
post snapshots (lifetime metrics of a post as of one export), daily
account metrics (long form: one metric a row), and audience shares. Each
platform's module (``meta``, ``x_twitter``, ``youtube``, ``tiktok``) maps
its vendor columns onto these with SQL text expressions and calls the
``prepare_*`` function here, so every platform meets one contract.

Free text (a post's text, the account name, the text values kept in
``extra`` such as Meta's custom labels) has every CNIC, phone number and
email redacted here, before anything is written (``core.privacy.redact_column``):
captions are written by the public as often as by the police.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

import pandas as pd

from core.privacy import SUSPECT_RE, redact, redact_column
from core.vocab import fold
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import text_sql
from etl.validate import Check, value_text

PLATFORMS: tuple[str, ...] = ("Facebook", "Instagram", "X", "YouTube", "TikTok")

POST_COLUMNS: tuple[str, ...] = (
    "platform",
    "account",
    "post_id",
    "snapshot_at",
    "published_at",
    "post_type",
    "post_text",
    "permalink",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "link_clicks",
    "video_views",
    "extra",
)
POST_COUNTS: tuple[str, ...] = (
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "link_clicks",
    "video_views",
)
DAILY_COLUMNS: tuple[str, ...] = ("platform", "account", "metric_date", "metric", "value")
DAILY_METRICS: tuple[str, ...] = (
    "followers",
    "new_followers",
    "unfollows",
    "net_followers",
    "reach",
    "impressions",
    "profile_visits",
    "video_views",
    "engagements",
    "link_clicks",
    "likes",
    "comments",
    "shares",
    "watch_hours",
)
# Metrics that may be negative (net change in followers or subscribers).
SIGNED_METRICS: frozenset[str] = frozenset({"net_followers"})
AUDIENCE_COLUMNS: tuple[str, ...] = (
    "platform",
    "account",
    "snapshot_at",
    "dimension",
    "category",
    "gender",
    "share",
)

# Placeholders vendors write for "no value": blank means not applicable.
PLACEHOLDERS: tuple[str, ...] = ("-", "--", "nan", "n/a", "na", "null", "none")
_PLACEHOLDER_SQL = "(" + ", ".join(f"'{p}'" for p in PLACEHOLDERS) + ")"


def number_sql(text: str) -> str:
    """SQL: vendor text to DOUBLE. ``-``, ``--``, ``NAN`` and blank are NULL;
    thousands separators and quotes go; anything else unreadable is NULL
    (and shows in the matching ``__unparsed`` column, see ``numbers_frame``)."""
    cleaned = f"replace(replace(trim({text}), ',', ''), '\"', '')"
    return (
        f"case when {text} is null or lower(trim({text})) in {_PLACEHOLDER_SQL} then null "
        f"else try_cast({cleaned} as double) end"
    )


def placeholder_free_sql(text: str) -> str:
    """SQL: ``text`` with vendor placeholders turned into NULL."""
    return f"case when lower(trim({text})) in {_PLACEHOLDER_SQL} then null else {text} end"


def numeric_columns_with_unparsed(
    table: RawTable, exprs: Mapping[str, str], numeric: tuple[str, ...]
) -> str:
    """SELECT list items: each numeric column plus its ``__unparsed`` text."""
    items = []
    for column in numeric:
        text = exprs.get(column, text_sql(None))
        items.append(f"{number_sql(text)} as {column}")
        items.append(
            f"case when {number_sql(text)} is null then {placeholder_free_sql(text)} end "
            f"as {column}__unparsed"
        )
    return ", ".join(items)


def prepare_posts(
    table: RawTable,
    exprs: Mapping[str, str],
    context: LoadContext,
    *,
    source: str,
    snapshot_at: datetime,
    unmatched: list[str],
    notes: list[str] | None = None,
) -> Prepared:
    """Post snapshots from SQL expressions for ``POST_COLUMNS``.

    ``exprs`` gives TEXT for ``platform``, ``account``, ``post_id``,
    ``post_type``, ``post_text``, ``permalink`` and each count,
    TIMESTAMPTZ for ``published_at`` (NULL when unreadable, with the text
    in ``published_at__text``), and JSON text for ``extra``.
    """
    missing = text_sql(None)
    selects = [
        "_source_row",
        f"{exprs['platform']} as platform",
        f"{exprs['account']} as account",
        f"{exprs['post_id']} as post_id",
        "$snapshot_at::timestamptz as snapshot_at",
        f"{exprs.get('published_at', 'cast(null as timestamptz)')} as published_at",
        f"{exprs.get('published_at__text', missing)} as published_at__text",
        f"{exprs.get('post_type', missing)} as post_type",
        f"{exprs.get('post_text', missing)} as post_text",
        f"{exprs.get('permalink', missing)} as permalink",
        numeric_columns_with_unparsed(table, exprs, POST_COUNTS),
        f"{exprs.get('extra', 'cast(null as varchar)')} as extra",
    ]
    frame = table.con.execute(
        f"select {', '.join(selects)} from {table.name} order by _source_row",
        {"snapshot_at": snapshot_at},
    ).df()
    text = frame.pop("published_at__text")
    frame["published_at__unparsed"] = text.where(frame["published_at"].isna() & text.notna())
    for column in ("account", "post_text"):
        frame[column] = redact_column(frame[column])
    frame["extra"] = redact_extra(frame["extra"])
    return Prepared(
        frame=frame,
        checks=post_checks(context),
        columns=list(POST_COLUMNS),
        record_id="post_id",
        raw_table="raw.social_post_snapshots",
        source=source,
        covers_column="published_at",
        keys=("platform", "account", "post_id", "snapshot_at"),
        unmatched_headers=unmatched,
        notes=notes or [],
    )


def prepare_daily(
    frame: pd.DataFrame,
    context: LoadContext,
    *,
    source: str,
    unmatched: list[str],
    notes: list[str] | None = None,
) -> Prepared:
    """Daily account metrics from a long frame.

    ``frame`` holds ``_source_row``, ``platform``, ``account``,
    ``metric_date`` (datetime64 or date; NaT when unreadable, with the text
    in ``metric_date__unparsed``), ``metric``, ``value`` (float) and
    ``value__unparsed`` (text when the value could not be read).
    """
    frame = frame.copy()
    frame["metric_date"] = pd.to_datetime(frame["metric_date"]).dt.tz_localize(None)
    frame["account"] = redact_column(frame["account"])
    return Prepared(
        frame=frame,
        checks=daily_checks(context),
        columns=list(DAILY_COLUMNS),
        record_id="metric_date",
        raw_table="raw.social_account_daily",
        source=source,
        covers_column="metric_date",
        keys=("platform", "account", "metric_date", "metric"),
        unmatched_headers=unmatched,
        notes=notes or [],
    )


def prepare_audience(
    frame: pd.DataFrame, context: LoadContext, *, source: str, unmatched: list[str]
) -> Prepared:
    """Audience shares from a frame with ``_source_row`` and ``AUDIENCE_COLUMNS``."""
    frame["account"] = redact_column(frame["account"])
    return Prepared(
        frame=frame,
        checks=audience_checks(),
        columns=list(AUDIENCE_COLUMNS),
        record_id="category",
        raw_table="raw.social_audience",
        source=source,
        covers_column="snapshot_at",
        keys=("platform", "account", "snapshot_at", "dimension", "category", "gender"),
        unmatched_headers=unmatched,
    )


_ID_KEY = re.compile(r"(?:^|[\s_])id$")  # "Universal video ID", "tweet_id": ids stay


def redact_extra(values: pd.Series) -> pd.Series:
    """``extra`` JSON texts with every text value ``redact``-ed (Meta's
    custom labels, a data comment); keys, numbers and ids (keys ending in
    "id", kept as text) stay as they are. Only the cells ``SUSPECT_RE``
    picks are parsed."""
    return redact_column(values, redact_one=_redact_json)


def _redact_json(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:  # not JSON: treated as plain text
        return redact(text)
    cleaned = _redact_value(value)
    if cleaned == value:
        return text  # nothing to redact: the exact text is kept
    return json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))


def _redact_value(value: object, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, key) for v in value]
    if isinstance(value, str) and not _ID_KEY.search(fold(key)) and SUSPECT_RE.search(value):
        return redact(value)
    return value


def post_checks(context: LoadContext) -> list[Check]:
    """The contract every post snapshot meets before it is loaded."""
    e = gx.expectations
    earliest = pd.Timestamp(context.settings.plausible_from, tz="UTC")
    latest = pd.Timestamp(context.now + timedelta(minutes=10))
    checks = [
        Check(
            e.ExpectColumnValuesToNotBeNull(column="post_id"),
            lambda r: "post id is blank; it is required",
        ),
        Check(
            e.ExpectCompoundColumnsToBeUnique(
                column_list=["_file_index", "platform", "account", "post_id"]
            ),
            lambda r: f"post {r['post_id']} appears more than once in this file",
        ),
        Check(
            e.ExpectColumnValuesToBeInSet(column="platform", value_set=list(PLATFORMS)),
            lambda r: f"platform '{r['platform']}' is not one of {', '.join(PLATFORMS)}",
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="published_at__unparsed"),
            lambda r: f"publish time '{r['published_at__unparsed']}' is not a readable date",
        ),
        Check(
            e.ExpectColumnValuesToBeBetween(
                column="published_at", min_value=earliest, max_value=latest
            ),
            lambda r: f"publish time {value_text(r['published_at'])} is not plausible",
        ),
    ]
    for column in POST_COUNTS:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _unreadable_number(column),
            )
        )
        checks.append(
            Check(e.ExpectColumnValuesToBeBetween(column=column, min_value=0), _negative(column))
        )
    return checks


def daily_checks(context: LoadContext) -> list[Check]:
    """The contract every daily account metric meets before it is loaded."""
    e = gx.expectations
    earliest = pd.Timestamp(context.settings.plausible_from)
    latest = pd.Timestamp(context.now.date() + timedelta(days=1))
    return [
        Check(
            e.ExpectColumnValuesToNotBeNull(column="metric_date"),
            lambda r: "the date is blank or unreadable",
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="metric_date__unparsed"),
            lambda r: f"date '{r['metric_date__unparsed']}' is not a readable date",
        ),
        Check(
            e.ExpectColumnValuesToBeBetween(
                column="metric_date", min_value=earliest, max_value=latest
            ),
            lambda r: f"date {r['metric_date']} is not plausible",
        ),
        Check(
            e.ExpectColumnValuesToBeInSet(column="metric", value_set=list(DAILY_METRICS)),
            lambda r: f"metric '{r['metric']}' is not known",
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="value__unparsed"),
            lambda r: f"{r.get('metric', 'value')} '{r['value__unparsed']}' is not a number",
            context=("metric", "metric_date"),
        ),
        Check(
            e.ExpectCompoundColumnsToBeUnique(
                column_list=["_file_index", "platform", "account", "metric_date", "metric"]
            ),
            lambda r: f"{r.get('metric')} for {r.get('metric_date')} appears twice in this file",
        ),
    ]


def audience_checks() -> list[Check]:
    e = gx.expectations
    return [
        Check(
            e.ExpectColumnValuesToBeBetween(column="share", min_value=0, max_value=1),
            lambda r: f"audience share {r['share']} is not between 0 and 1",
        ),
        Check(
            e.ExpectColumnValuesToNotBeNull(column="category"),
            lambda r: "audience category is blank",
        ),
    ]


def _unreadable_number(column: str):
    key = f"{column}__unparsed"
    return lambda r: f"{column} '{r[key]}' is not a number"


def _negative(column: str):
    return lambda r: f"{column} {r[column]} is negative; counts cannot be"


_HASHTAG = re.compile(r"#(\w+)", re.UNICODE)


def hashtags(text: str | None) -> list[str]:
    """Hashtags in a post's text, lower-case, in order, without repeats."""
    if not text:
        return []
    return list(dict.fromkeys(tag.lower() for tag in _HASHTAG.findall(text)))
