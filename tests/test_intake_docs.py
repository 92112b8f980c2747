"""docs/operations.md says what the ETL does (issue 8).

The register's reference is generated from the vocabularies and must match
them; the worked example of a many-rows-per-case export loads exactly as the
text describes it (values read off the example by hand).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd

from core import vocab
from etl import register_docs
from etl.load import load_paths, make_context
from tests.etl_helpers import read_warehouse

DOC = register_docs.DOC.read_text(encoding="utf-8")


def test_the_register_reference_is_generated_from_the_vocabularies():
    block = register_docs.current_block(DOC)
    assert block is not None, "docs/operations.md lost its generated-reference markers"
    assert block == register_docs.register_reference(), (
        "docs/operations.md is out of date: run .venv/bin/python -m etl.register_docs"
    )


def test_the_reference_lists_every_value_and_spelling():
    block = register_docs.current_block(DOC)
    for column, (values, aliases) in vocab.REGISTER_VOCABULARIES.items():
        assert f"**`{column}`**" in block
        for value in values:
            assert f"| `{value}` |" in block
        for alias in aliases:
            if alias:
                assert f"`{alias}`" in block, (column, alias)
    for placeholder in vocab.PLACEHOLDERS:
        assert f"`{placeholder}`" in block


def _example(kind: str) -> str:
    """The ``kind`` code block of the worked many-rows-per-case example."""
    section = DOC[DOC.index("### Several rows per case") :]
    section = section[: section.index("\n### ", 5)]
    (block,) = re.findall(rf"```{kind}\n(.*?)```", section, flags=re.S)
    return block


def test_the_worked_example_loads_as_the_docs_say(tmp_path, monkeypatch):
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "complaints.yaml").write_text(_example("yaml"), encoding="utf-8")
    monkeypatch.setenv("KP_MAPPINGS_DIR", str(folder))
    export = tmp_path / "complaints.csv"
    export.write_text(_example("text"), encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    context = make_context(now=datetime(2026, 6, 1, tzinfo=UTC))
    result = load_paths([export], warehouse=warehouse, context=context).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 2, 0)
    assert result.notes[0].startswith("4 rows read as 2 items, one per complaint_no (")
    mart = read_warehouse(warehouse, "select * from marts.inquiries order by inquiry_id").set_index(
        "inquiry_id"
    )
    # C-101: received 5 Jan 2026 10:00 PKT (05:00 UTC), resolved 28 Jan 09:00
    # PKT (04:00 UTC), priority high, Peshawar; C-102 in Mardan.
    assert mart.loc["C-101", "received_at"] == pd.Timestamp("2026-01-05 05:00", tz="UTC")
    assert mart.loc["C-101", "resolved_at"] == pd.Timestamp("2026-01-28 04:00", tz="UTC")
    assert mart.loc["C-101", "priority"] == "high"
    assert mart["district"].to_dict() == {"C-101": "Peshawar", "C-102": "Mardan"}
    assert set(mart["status"]) == {"resolved"}
    assert set(mart["channel"]) == {"Unknown"}
    assert not mart["first_response_recorded"].any()
