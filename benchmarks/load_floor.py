"""The least a register load can cost here: the floor under the ``load`` figure.

``python -m benchmarks.load_floor WAREHOUSE FILE...`` writes the files' rows
into a new version of ``WAREHOUSE`` doing only what the warehouse's design
requires of any load, and nothing the loader adds to it:

- read the CSV (DuckDB's ``read_csv``, every column as text);
- type the times (a plain cast, read in Asia/Karachi) and add the lineage
  every raw row carries (file, sha256 placeholder, row, load, content hash
  by ``md5``: the loader's own hash);
- insert them into ``raw.inquiry_register`` of a copy of the live file;
- build every model (``etl.models``: ``staging.inquiries``, ``marts.inquiries``
  with its business-time durations and due times, the rest), check the
  invariants, checkpoint, fsync and swap (``etl.warehouse.new_version``).

No checks of any kind (no Excel damage, no day/month proof, no id shapes,
no district matching, no Great Expectations, no quarantine, no report):
a file with bad rows would be stored as it is. It is a measuring device,
not a loader, and is never run on real data. ``python -m benchmarks``
runs it on the same files as the ``load`` part, so "load ÷ read_csv"
can be read against "floor ÷ read_csv" measured in the same run.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from etl.sources.inquiries import REGISTER_COLUMNS, TIMESTAMPS
from etl.warehouse import new_version

LOAD_ID = "floor"


def _insert_sql() -> str:
    """Every register column (times typed), its lineage and content hash."""
    values = [
        f"timezone('Asia/Karachi', try_cast({c} as timestamp)) as {c}" if c in TIMESTAMPS else c
        for c in REGISTER_COLUMNS
    ]
    hashed = ", ".join(f"coalesce(cast({c} as varchar), '\x00')" for c in REGISTER_COLUMNS)
    columns = ", ".join(REGISTER_COLUMNS)
    return f"""
        insert into raw.inquiry_register (
            source, {columns}, district_original,
            _row_hash, _source_file, _source_sha256, _source_row,
            _load_id, _load_seq, _loaded_at
        )
        select 'register', {columns}, district,
               md5(concat_ws('\x1f', {hashed})), $file, 'not hashed', _row,
               $load_id, $seq, $loaded_at
        from (
            select row_number() over () as _row, {", ".join(values)}
            from read_csv($file, header = true, all_varchar = true)
        )
    """


def load(warehouse: Path, files: list[Path]) -> None:
    """The files' rows into a new version of ``warehouse`` (every model rebuilt)."""
    with new_version(warehouse) as con:
        for seq, path in enumerate(files, start=1):
            con.execute(
                _insert_sql(),
                {
                    "file": str(path),
                    "load_id": f"{LOAD_ID}-{seq}",
                    "seq": seq,
                    "loaded_at": datetime.now(UTC),
                },
            )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m benchmarks.load_floor WAREHOUSE FILE...")
    load(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
