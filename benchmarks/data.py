"""Synthetic inputs of the benchmarks: a valid register CSV of any size.

The register is written by DuckDB straight to CSV (``copy ... to``), so
generating 10,000,000 rows takes bounded memory and about a minute; values
are derived from ``hash(row, seed)``, so the same arguments always write the
same file. The distributions follow the cell's register: items over 18
months, first responses minutes to hours after receipt (log-normal), 45 %
referred to the field, 90 % resolved.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core import vocab
from core.config import PROJECT_ROOT
from core.sql import quote_literal
from etl.sources.inquiries import REGISTER_COLUMNS

DISTRICTS_CSV = PROJECT_ROOT / "data/reference/kp_districts.csv"
FORMAT = "%Y-%m-%d %H:%M"


def _list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(quote_literal(v) for v in values) + "]"


def _uniform(k: int) -> str:
    """A deterministic uniform number in [0, 1) for row ``i``, stream ``k``."""
    return f"((hash(i, {k}, $seed) % 1000000) / 1000000.0)"


def _lognormal_minutes(k: int, mu: float, sigma: float) -> str:
    """Box-Muller from two uniform streams, exponentiated: whole minutes."""
    normal = f"sqrt(-2 * ln(1 - {_uniform(k)})) * cos(2 * pi() * {_uniform(k + 1)})"
    return f"cast(floor(exp({mu} + {sigma} * {normal})) as bigint)"


def _pick(values_sql: str, k: int) -> str:
    return f"{values_sql}[1 + cast(floor({_uniform(k)} * len({values_sql})) as integer)]"


def register_sql(districts: list[str]) -> str:
    """The ``select`` of a register of ``$rows`` items with ids ``$prefix || i``."""
    gender = _uniform(7)
    base = f"""
        select i,
               timestamp '2025-01-01 00:00'
                   + to_minutes(cast(floor({_uniform(1)} * 540 * 24 * 60) as bigint)) as received,
               {_uniform(2)} < 0.45 as is_referred,
               {_uniform(3)} < 0.9 as is_resolved,
               {_lognormal_minutes(10, 3.0, 1.2)} + 1 as first_after,
               {_lognormal_minutes(12, 4.0, 1.0)} + 1 as referred_after,
               {_lognormal_minutes(14, 7.0, 1.0)} as resolved_after,
               case when {gender} < 0.15 then 'female' when {gender} < 0.85 then 'male'
                    when {gender} < 0.852 then 'transgender' else 'unknown' end as gender
        from range($rows) t(i)
    """
    values = {
        "inquiry_id": "$prefix || i",
        "received_at": f"strftime(received, '{FORMAT}')",
        "channel": _pick(_list(vocab.CHANNELS), 4),
        "category": _pick(_list(vocab.CATEGORIES), 5),
        "district": _pick(_list(districts), 6),
        "requester_gender": "gender",
        "language": _pick(_list(["Urdu", "Pashto", "English"]), 8),
        "summary": "'benchmark item'",
        "requester_name": "'Name ' || $prefix || i",
        "requester_phone": "'0300-0000000'",
        "priority": "'normal'",
        "first_response_at": f"strftime(received + to_minutes(first_after), '{FORMAT}')",
        "referred_at": (
            f"case when is_referred then strftime(received + to_minutes(referred_after), "
            f"'{FORMAT}') end"
        ),
        "field_ack_at": (
            f"case when is_referred then strftime(received + to_minutes(referred_after) "
            f"+ interval 5 hour, '{FORMAT}') end"
        ),
        "resolved_at": (
            f"case when is_resolved then strftime(received + to_minutes(first_after "
            f"+ resolved_after), '{FORMAT}') end"
        ),
        "status": "case when is_resolved then 'resolved' else 'open' end",
    }
    columns = ",\n".join(
        f"{values.get(name, 'cast(null as varchar)')} as {name}" for name in REGISTER_COLUMNS
    )
    return f"select {columns} from ({base}) order by i"


def write_register(path: Path, rows: int, *, seed: int = 7, prefix: str = "B-") -> None:
    """A valid register CSV of ``rows`` items with ids ``prefix0``, ``prefix1``, …"""
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = true")
        districts = [
            row[0]
            for row in con.execute(
                "select district from read_csv(?) order by district", [str(DISTRICTS_CSV)]
            ).fetchall()
        ]
        sql = register_sql(districts)
        target = quote_literal(str(path))
        con.execute(
            f"copy ({sql}) to {target} (header, delimiter ',')",
            {"rows": rows, "seed": seed, "prefix": prefix},
        )
    finally:
        con.close()
