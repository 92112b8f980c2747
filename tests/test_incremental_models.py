"""A load rebuilds only what its rows touch, and gets the same warehouse as a full rebuild.

The loads below exercise every way an item changes between loads: new
items, a newer version of an item (status and district changed), an item
becoming spam (it leaves the mart), events arriving for items loaded
earlier, a social export and a media register (models rebuilt whole). After
each load, the warehouse's staging and marts tables must equal, row for
row, what a full rebuild of the same raw rows gives. The full rebuild is the
reference because it is the definition the marts had before loads became
incremental (every model's SQL over all of raw).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.load import load_paths
from etl.warehouse import new_version
from tests.etl_helpers import read_warehouse, register_row, write_register

MODEL_TABLES_SQL = """
    select table_schema || '.' || table_name from information_schema.tables
    where table_schema in ('staging', 'marts') order by 1
"""


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every staging and marts table, rows in a fixed order (all columns sorted)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        names = [row[0] for row in con.execute(MODEL_TABLES_SQL).fetchall()]
        tables = {}
        for name in names:
            frame = con.execute(f"select * from {name}").df()
            columns = list(frame.columns)
            tables[name] = (
                frame.astype(str).sort_values(columns, kind="stable").reset_index(drop=True)
            )
        return tables
    finally:
        con.close()


def _fully_rebuilt(live: Path, folder: Path) -> dict[str, pd.DataFrame]:
    """The same raw rows with every model rebuilt (no ``changes``: everything)."""
    copy = folder / "full" / live.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(live, copy)
    with new_version(copy):
        pass
    return _tables(copy)


def assert_same_as_full_rebuild(live: Path, folder: Path) -> None:
    incremental, full = _tables(live), _fully_rebuilt(live, folder)
    assert sorted(incremental) == sorted(full)
    for name in full:
        pd.testing.assert_frame_equal(incremental[name], full[name], obj=name)


def _events(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    pd.DataFrame(
        [{"inquiry_id": i, "event": e, "at": at, "actor": "desk"} for i, e, at in rows]
    ).to_csv(path, index=False)
    return path


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "live" / "warehouse.duckdb"


def test_each_load_gives_the_marts_a_full_rebuild_gives(tmp_path: Path, warehouse: Path) -> None:
    first = write_register(
        tmp_path / "register_march.csv",
        [
            register_row("M-1", "2025-03-03 10:00"),
            register_row("M-2", "2025-03-03 11:00", district="Swat"),
            register_row("M-3", "2025-03-04 09:00", category="complaint"),
            register_row("M-4", "2025-03-04 12:00"),
        ],
    )
    load_paths([first], warehouse=warehouse)
    assert_same_as_full_rebuild(warehouse, tmp_path / "after_first")

    # A newer export: M-2 resolved and moved district, M-4 found to be spam,
    # M-5 new; M-1 and M-3 unchanged.
    second = write_register(
        tmp_path / "register_march_v2.csv",
        [
            register_row("M-1", "2025-03-03 10:00"),
            register_row(
                "M-2",
                "2025-03-03 11:00",
                district="Mardan",
                status="resolved",
                first_response_at="2025-03-03 11:30",
                resolved_at="2025-03-05 10:00",
            ),
            register_row("M-3", "2025-03-04 09:00", category="complaint"),
            register_row("M-4", "2025-03-04 12:00", status="spam"),
            register_row("M-5", "2025-03-05 08:00", channel="X"),
        ],
    )
    report = load_paths([second], warehouse=warehouse)
    assert [f.updated for f in report.files] == [2]
    assert_same_as_full_rebuild(warehouse, tmp_path / "after_second")
    items = read_warehouse(warehouse, "select inquiry_id, district from marts.inquiries")
    assert set(items["inquiry_id"]) == {"M-1", "M-2", "M-3", "M-5"}  # spam left
    assert dict(zip(items["inquiry_id"], items["district"], strict=True))["M-2"] == "Mardan"

    # Events for items of earlier loads change their mart rows.
    events = _events(
        tmp_path / "events.csv",
        [
            ("M-1", "first_response", "2025-03-03 10:45"),
            ("M-3", "referred", "2025-03-04 10:00"),
            ("M-3", "resolved", "2025-03-06 16:00"),
        ],
    )
    load_paths([events], warehouse=warehouse)
    assert_same_as_full_rebuild(warehouse, tmp_path / "after_events")
    m1 = read_warehouse(
        warehouse, "select first_response_minutes from marts.inquiries where inquiry_id = 'M-1'"
    )
    assert m1.iloc[0, 0] == 45.0


def test_a_later_load_leaves_untouched_items_as_they_were(tmp_path: Path, warehouse: Path) -> None:
    """The rows of items a load does not carry are not rebuilt: they keep
    the load id and source row of the load that last carried them."""
    first = write_register(
        tmp_path / "first.csv",
        [register_row("A-1", "2025-04-01 10:00"), register_row("A-2", "2025-04-01 11:00")],
    )
    second = write_register(tmp_path / "second.csv", [register_row("A-3", "2025-04-02 10:00")])
    load_paths([first], warehouse=warehouse)
    before = read_warehouse(
        warehouse, "select inquiry_id, load_id from marts.inquiries order by inquiry_id"
    )
    load_paths([second], warehouse=warehouse)
    after = read_warehouse(
        warehouse, "select inquiry_id, load_id from marts.inquiries order by inquiry_id"
    )
    assert list(after["inquiry_id"]) == ["A-1", "A-2", "A-3"]
    pd.testing.assert_frame_equal(after.iloc[:2], before)
    assert after.loc[2, "load_id"] != before.loc[0, "load_id"]
    assert_same_as_full_rebuild(warehouse, tmp_path / "full")


def test_changed_models_or_reference_rebuild_everything(tmp_path: Path, warehouse: Path) -> None:
    """A warehouse whose marts were built with other SQL or reference tables
    (the fingerprint differs) is rebuilt whole by the next load, so a
    change of the models' SQL or of the settings never leaves old rows."""
    first = write_register(tmp_path / "first.csv", [register_row("B-1", "2025-05-05 10:00")])
    load_paths([first], warehouse=warehouse)
    # Damage a mart row the next load does not carry, and forget the
    # fingerprint: only a full rebuild repairs the row.
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.inquiries set district = 'nowhere' where inquiry_id = 'B-1'")
    con.execute("update meta.model_state set fingerprint = 'built with other SQL'")
    con.close()
    second = write_register(tmp_path / "second.csv", [register_row("B-2", "2025-05-06 10:00")])
    load_paths([second], warehouse=warehouse)
    districts = read_warehouse(
        warehouse, "select inquiry_id, district from marts.inquiries order by inquiry_id"
    )
    assert list(districts["district"]) == ["Peshawar", "Peshawar"]


def test_a_duplicate_from_an_incremental_build_stops_the_swap(
    tmp_path: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an incremental build only the rebuilt items are checked for
    duplicates: a model that writes one of them twice still stops the swap,
    and the live warehouse stays as it was."""
    from dataclasses import replace

    from etl import models
    from tests.etl_helpers import file_digest

    first = write_register(tmp_path / "first.csv", [register_row("D-1", "2025-06-01 10:00")])
    second = write_register(tmp_path / "second.csv", [register_row("D-2", "2025-06-02 10:00")])
    load_paths([first], warehouse=warehouse)
    before = file_digest(warehouse)
    (fingerprint,) = read_warehouse(warehouse, "select fingerprint from meta.model_state").iloc[0]
    doubled = tuple(
        replace(m, select=f"select o.* from ({m.select}) o cross join range(2)")
        if m.name == "marts_inquiries"
        else m
        for m in models.models()
    )
    # The same fingerprint: the build stays incremental, with the faulty SQL.
    monkeypatch.setattr(models, "models", lambda: doubled)
    monkeypatch.setattr(models, "fingerprint", lambda reference, version: fingerprint)
    with pytest.raises(RuntimeError, match="1 inquiries appear twice"):
        load_paths([second], warehouse=warehouse)
    assert file_digest(warehouse) == before
