"""Staging and marts from raw: the models, what each reads, and the rebuild.

A load appends rows to raw tables; the models (``etl/sql/<schema>_<table>.sql``)
turn raw into staging and marts. Rebuilding every model after every load
costs what the warehouse holds, not what the file brought: a 100-row
register took seconds in a 1M-item warehouse, against a fraction of one in
an empty one. So a build does only what the write touched:

* a model none of whose inputs changed is left as it is (its inputs are
  read from its SQL: every ``from``/``join`` of a ``raw``, ``staging``,
  ``marts`` or ``ref`` table);
* the inquiry models, whose rows each depend on one inquiry only, are
  rebuilt for the keys the new loads carry: their rows are deleted and
  selected again from raw by the same SQL file as the full build, where
  ``/*@changed*/`` marks the place of the key filter (so there is one
  definition of each model, not a second incremental one);
* any other model whose inputs changed is rebuilt whole (the social and
  media marts: their rows span many source rows, and they are small);
* everything is rebuilt when the models' SQL, the reference tables or the
  schema differ from those the file's marts were built with (a fingerprint
  in ``meta.model_state``), and whenever the write did more than append
  loads (a rollback, a purge, a file read again under a new recipe: rows
  left raw, and which keys they held is not recorded).

``Changes`` is how a write says what it did; no ``Changes`` means "rebuild
everything", the safe default for any writer that does not say.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Models in dependency order (each reads only raw, ref and models above it).
MODELS: tuple[str, ...] = (
    "staging_inquiries",
    "staging_inquiry_steps",
    "marts_inquiries",
    "staging_social_posts",
    "staging_social_account_daily",
    "marts_social_post_snapshots",
    "marts_social_posts",
    "marts_social_account_daily",
    "marts_social_audience",
    # The media cell's other registers (etl/sources/registers_media).
    "staging_media_mentions",
    "staging_media_queries",
    "staging_incidents",
    "staging_outputs",
    "staging_output_plan",
    "staging_outreach_events",
    "marts_media_mentions",
    "marts_media_queries",
    "marts_incidents",
    "marts_outputs",
    "marts_output_plan",
    "marts_outreach_events",
)
CHANGED_MARK = "/*@changed*/"
_CREATE = re.compile(r"^\s*create\s+or\s+replace\s+table\s+(\w+\.\w+)\s+as\s", re.I | re.M)
_INPUT = re.compile(r"\b(?:from|join)\s+((?:raw|staging|marts|ref)\.\w+)", re.I)


@dataclass(frozen=True)
class KeyedModel:
    """A model whose rows each depend on one key only: rebuilt per key.

    ``keys``: the columns naming a row; ``changed``: the temporary table
    of changed keys (see ``_changed_keys``) the filter reads."""

    keys: tuple[str, ...]
    changed: str

    def filter_sql(self) -> str:
        columns = ", ".join(self.keys)
        return f"and ({columns}) in (select {columns} from {self.changed})"


KEYED: dict[str, KeyedModel] = {
    "staging_inquiries": KeyedModel(("source", "inquiry_id"), "changed_register_keys"),
    "staging_inquiry_steps": KeyedModel(("inquiry_id",), "changed_event_ids"),
    "marts_inquiries": KeyedModel(("source", "inquiry_id"), "changed_item_keys"),
}


@dataclass
class Changes:
    """What a write did to raw, so that a build redoes only that.

    ``appended``: raw table -> ids of the loads that appended rows to it.
    ``everything``: the write did something else too (deleted or edited
    raw rows): every model is rebuilt."""

    appended: dict[str, set[str]] = field(default_factory=dict)
    everything: bool = False

    def append(self, raw_table: str, load_id: str) -> None:
        self.appended.setdefault(raw_table, set()).add(load_id)

    def rebuild_everything(self) -> None:
        self.everything = True


@dataclass(frozen=True)
class Model:
    name: str
    table: str  # schema.table it builds
    select: str  # its SELECT (the statement without ``create or replace table ... as``)
    inputs: frozenset[str]

    def full_sql(self) -> str:
        return f"create or replace table {self.table} as {self.select}"


@cache
def models() -> tuple[Model, ...]:
    """Every model, parsed once per process from its SQL file."""
    parsed = []
    for name in MODELS:
        text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
        create = _CREATE.search(text)
        if create is None:
            raise RuntimeError(f"{name}.sql does not start with 'create or replace table … as'")
        body = text[create.end() :]
        inputs = frozenset(t.lower() for t in _INPUT.findall(body))
        if name in KEYED and CHANGED_MARK not in body:
            raise RuntimeError(f"{name}.sql lacks {CHANGED_MARK}, where its key filter goes")
        parsed.append(Model(name, create.group(1).lower(), body, inputs))
    return tuple(parsed)


def fingerprint(reference: str, schema_version: int) -> str:
    """What the marts are built with: the models' SQL, the reference tables
    (``reference``: their content hash) and the schema version."""
    digest = hashlib.sha256()
    for model in models():
        digest.update(model.name.encode() + b"\0" + model.select.encode() + b"\0")
    digest.update(f"{reference}\0{schema_version}".encode())
    return digest.hexdigest()


def built_with(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint the file's marts were last built with (None: never)."""
    rows = con.execute("select fingerprint from meta.model_state").fetchall()
    return rows[0][0] if rows else None


@dataclass(frozen=True)
class Built:
    """What a build did. ``item_keys``: where only some items of
    ``marts.inquiries`` were rebuilt, the temporary table of their keys
    (None when every model was rebuilt)."""

    whole: bool
    text: str
    item_keys: str | None = None


def build(con: duckdb.DuckDBPyConnection, changes: Changes | None, fingerprint_now: str) -> Built:
    """Rebuild what ``changes`` touched (everything when None), in one transaction."""
    whole = changes is None or changes.everything or built_with(con) != fingerprint_now
    con.execute("begin")
    if whole:
        for model in models():
            con.execute(model.full_sql())
        built = Built(True, "all models rebuilt")
    else:
        built = _build_changed(con, changes)
    con.execute("delete from meta.model_state")
    con.execute("insert into meta.model_state values (?, now())", [fingerprint_now])
    con.execute("commit")
    return built


def _build_changed(con: duckdb.DuckDBPyConnection, changes: Changes) -> Built:
    changed = {table.lower() for table, loads in changes.appended.items() if loads}
    if not changed:
        return Built(False, "no model changed")
    load_ids = sorted(set().union(*changes.appended.values()))
    _changed_keys(con, load_ids)
    rebuilt, narrowed = [], []
    for model in models():
        if not model.inputs & changed:
            continue
        keyed = KEYED.get(model.name)
        if keyed is None:
            con.execute(model.full_sql())
            rebuilt.append(model.table)
        else:
            columns = ", ".join(keyed.keys)
            con.execute(
                f"delete from {model.table} where ({columns}) in "
                f"(select {columns} from {keyed.changed})"
            )
            select = model.select.replace(CHANGED_MARK, keyed.filter_sql())
            con.execute(f"insert into {model.table} by name {select}")
            narrowed.append(model.table)
        changed.add(model.table)
    parts = []
    if narrowed:
        parts.append(f"{', '.join(narrowed)} for the loaded items")
    if rebuilt:
        parts.append(f"{', '.join(rebuilt)} whole")
    text = "rebuilt " + "; ".join(parts) if parts else "no model changed"
    return Built(False, text, KEYED["marts_inquiries"].changed)


def _changed_keys(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> None:
    """The keys the new loads carry, as temporary tables the keyed models'
    filters read: register items, event-log items, and the items of the
    mart (an event changes the register item of the same id)."""
    con.execute(
        "create or replace temp table changed_register_keys as "
        "select distinct source, inquiry_id from raw.inquiry_register "
        "where _load_id in (select unnest(?))",
        [load_ids],
    )
    con.execute(
        "create or replace temp table changed_event_ids as "
        "select distinct inquiry_id from raw.response_events "
        "where _load_id in (select unnest(?))",
        [load_ids],
    )
    con.execute(
        "create or replace temp table changed_item_keys as "
        "select source, inquiry_id from changed_register_keys "
        "union select 'register', inquiry_id from changed_event_ids"
    )
