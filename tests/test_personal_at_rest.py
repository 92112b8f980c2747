"""Personal data at rest: nothing CNIC-, phone- or email-shaped is stored
outside ``raw`` and ``meta.quarantine.original`` (issue 14), and the
retention command blanks raw personal data older than its period."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from auth import audit
from core import masking, privacy
from etl.load import load_paths
from etl.purge import purge_personal
from tests.etl_helpers import file_digest, read_warehouse, register_row, write_register

# Independent of core.privacy's scanner: the planted numbers' digits, in any
# spelling (separators dropped, Urdu digits made ASCII), and '@'.
PLANTED_DIGITS = ("1234567", "7654321", "1730112345671")

CNIC = "17301-1234567-1"
PHONE = "0300-1234567"
EMAIL = "zainab.bibi@example.org"
NAME = "Zainab Bibi"


def _personal_register(path: Path) -> Path:
    rows = [
        register_row("P-1", "2025-03-04 10:00", summary=f"my CNIC is {CNIC}, call {PHONE}"),
        # A name and number typed into the channel column: quarantined.
        register_row("P-2", "2025-03-04 11:00", channel=f"{NAME} {PHONE}"),
        register_row("P-3", "2025-03-04 12:00", channel=f"{EMAIL}"),
        register_row("P-4", "2025-03-04 13:00", channel=f"cnic {CNIC}", district=f"{PHONE}"),
        # Urdu digits in the summary and in a bad channel.
        register_row("P-5", "2025-03-04 14:00", summary="فون ۰۳۰۰۱۲۳۴۵۶۷ پر کال کریں"),
        register_row("P-6", "2025-03-04 15:00", channel="۰۳۳۳۷۶۵۴۳۲۱ علی"),
    ]
    for row in rows:
        row.update(requester_name=NAME, requester_phone=PHONE, requester_cnic=CNIC)
        row["requester_email"] = EMAIL
    return write_register(path, rows)


def _stored_text(warehouse: Path) -> dict[str, str]:
    """'schema.table.column' -> every value as text, for every column outside
    raw and meta.quarantine.original."""
    columns = read_warehouse(
        warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema not in ('raw', 'information_schema', 'pg_catalog')",
    )
    stored: dict[str, str] = {}
    for schema, table, column in columns.itertuples(index=False):
        if (schema, table, column) == ("meta", "quarantine", "original"):
            continue
        values = read_warehouse(
            warehouse, f'select cast("{column}" as varchar) as v from "{schema}"."{table}"'
        )["v"]
        stored[f"{schema}.{table}.{column}"] = "\n".join(str(v) for v in values if v is not None)
    return stored


def test_no_personal_value_is_stored_outside_raw(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    report = load_paths([_personal_register(tmp_path / "register.csv")], warehouse=warehouse)
    assert report.files[0].quarantined >= 4  # the bad rows went to quarantine
    stored = _stored_text(warehouse)
    assert "meta.quarantine.reason" in stored and "meta.validation_results.examples" in stored
    assert "channel" in stored["meta.quarantine.reason"]  # reasons are still there
    for where, text in stored.items():
        assert not privacy.find_personal(text), (where, privacy.find_personal(text)[:1])
        assert "@" not in text, where
        digits = re.sub(r"[\s\-]", "", privacy.ascii_digits(text))
        assert not any(fragment in digits for fragment in PLANTED_DIGITS), where
        assert NAME not in text, where  # the name beside the number went with it
    # The originals are kept for correction.
    original = read_warehouse(
        warehouse, "select cast(original as varchar) as o from meta.quarantine"
    )
    assert any(PHONE in o and NAME in o for o in original["o"])


def test_a_quoted_value_with_a_number_is_removed_whole() -> None:
    reason = f"channel '{NAME} {PHONE}' is not one of: Facebook, 'WhatsApp'"
    safe = privacy.redact_message(reason)
    assert NAME not in safe and "1234567" not in safe
    assert safe.startswith("channel '") and "'WhatsApp'" in safe


def test_scrub_text_uses_the_one_scanner() -> None:
    # Urdu digits are found only by core.privacy's scanner.
    assert "۰۳۰۰" not in masking.scrub_text("فون ۰۳۰۰۱۲۳۴۵۶۷")
    assert masking.scrub_text("post 1896545432123456789") == "post 1896545432123456789"


# ---------------------------------------------------------------------------
# Retention: python -m etl purge-personal
# ---------------------------------------------------------------------------

PERSONAL = ("summary", "requester_name", "requester_phone", "requester_cnic", "requester_email")


def _raw(warehouse: Path) -> pd.DataFrame:
    return read_warehouse(
        warehouse,
        "select inquiry_id, _source_file, " + ", ".join(PERSONAL) + " from raw.inquiry_register "
        "order by inquiry_id",
    )


def test_purge_blanks_only_rows_older_than_the_period(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KP_USERS_DB", str(tmp_path / "users.sqlite"))
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    load_paths([_personal_register(tmp_path / "old.csv")], warehouse=warehouse)
    between = datetime.now(UTC)  # after the first load, before the second
    newer = [register_row("N-1", "2025-03-05 10:00", requester_name="Kept Person")]
    load_paths([write_register(tmp_path / "new.csv", newer)], warehouse=warehouse)
    mart_before = read_warehouse(warehouse, "select * from marts.inquiries order by inquiry_id")
    old_rows = int((_raw(warehouse)["_source_file"] == "old.csv").sum())
    quarantined = int(read_warehouse(warehouse, "select count(*) n from meta.quarantine")["n"][0])
    assert old_rows > 0 and quarantined > 0
    digest = file_digest(warehouse)

    # The dry run counts and writes nothing.
    dry = purge_personal(older_than_days=0, now=between, warehouse=warehouse, dry_run=True)
    assert dry.raw_rows["raw.inquiry_register"] == old_rows
    assert dry.quarantine_rows == quarantined
    assert file_digest(warehouse) == digest

    # 10 days of retention, counted from 10 days after `between`: same cut-off.
    done = purge_personal(older_than_days=10, now=between + timedelta(days=10), warehouse=warehouse)
    assert (done.raw_rows["raw.inquiry_register"], done.quarantine_rows) == (old_rows, quarantined)
    raw = _raw(warehouse)
    old = raw[raw["_source_file"] == "old.csv"]
    assert old[list(PERSONAL)].isna().all().all()
    kept = raw[raw["_source_file"] == "new.csv"].iloc[0]
    assert kept["requester_name"] == "Kept Person" and kept["requester_cnic"] == "00000-0000000-0"
    originals = read_warehouse(
        warehouse, "select cast(original as varchar) o, record_id from meta.quarantine"
    )
    for text in originals["o"]:
        assert NAME not in text and "1234567" not in text and "@" not in text, text
        assert '"channel"' in text  # the rest of the row is still there to correct
    # Figures are the same; the purge went through a rebuilt, swapped file.
    mart_after = read_warehouse(warehouse, "select * from marts.inquiries order by inquiry_id")
    pd.testing.assert_frame_equal(mart_before, mart_after)

    # Idempotent: a second run finds nothing.
    again = purge_personal(older_than_days=0, now=between, warehouse=warehouse)
    assert again.total == 0


def test_purge_command_help_dry_run_and_audit(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    load_paths([_personal_register(tmp_path / "old.csv")], warehouse=warehouse)
    env = {**os.environ, "KP_USERS_DB": str(tmp_path / "users.sqlite")}
    base = [sys.executable, "-m", "etl", "--warehouse", str(warehouse), "purge-personal"]
    helped = subprocess.run([*base, "--help"], capture_output=True, text=True, env=env)
    assert helped.returncode == 0 and "--older-than" in helped.stdout
    later = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    dry = subprocess.run(
        [*base, "--dry-run", "--now", later], capture_output=True, text=True, env=env
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would blank") and "rows of raw.inquiry_register" in dry.stdout
    assert not audit.entries(action=audit.PURGE, path=tmp_path / "users.sqlite")
    # Default period from the settings (365 days): 400 days later, everything is old.
    run = subprocess.run([*base, "--now", later], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("blanked")
    assert _raw(warehouse)[list(PERSONAL)].isna().all().all()
    logged = audit.entries(action=audit.PURGE, path=tmp_path / "users.sqlite")
    assert len(logged) == 1 and "older than 365 days" in logged[0].what
    # Too recent for a year's retention: nothing to do.
    soon = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    second = subprocess.run([*base, "--now", soon], capture_output=True, text=True, env=env)
    assert "nothing" in second.stdout
