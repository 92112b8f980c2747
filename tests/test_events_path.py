"""Step times given as register columns or as a response-events log give one mart."""

from __future__ import annotations

import pandas as pd

from etl.load import load_paths
from tests.etl_helpers import read_warehouse, register_row, write_register

STEPS = {
    "first_response_at": "2025-03-04 10:20",
    "referred_at": "2025-03-04 11:00",
    "field_ack_at": "2025-03-04 16:00",
    "field_report_at": "2025-03-06 12:00",
    "resolved_at": "2025-03-07 09:30",
}
EVENT_NAMES = {
    "first_response_at": "first_response",
    "referred_at": "referred",
    "field_ack_at": "field_ack",
    "field_report_at": "field_report",
    "resolved_at": "resolved",
}
COMPARED = [
    "inquiry_id",
    "received_at",
    *STEPS,
    "first_response_business_minutes",
    "referral_minutes",
    "resolution_minutes",
    "resolution_business_minutes",
    "field_ack_minutes",
    "field_report_minutes",
    "status",
]


def test_events_log_and_columns_give_the_same_mart(tmp_path):
    with_columns = tmp_path / "columns" / "warehouse.duckdb"
    register = write_register(
        tmp_path / "register_full.csv",
        [
            register_row("K-1", "2025-03-04 10:00", status="resolved", **STEPS),
            register_row("K-2", "2025-03-04 12:00"),
        ],
    )
    load_paths([register], warehouse=with_columns)

    with_events = tmp_path / "events" / "warehouse.duckdb"
    bare = write_register(
        tmp_path / "register_bare.csv",
        [
            register_row("K-1", "2025-03-04 10:00", status="resolved"),
            register_row("K-2", "2025-03-04 12:00"),
        ],
    )
    log = pd.DataFrame(
        [
            {"inquiry_id": "K-1", "event": EVENT_NAMES[c], "at": at, "actor": "cell"}
            for c, at in STEPS.items()
        ]
        # A reopened-and-resolved-again item keeps its latest resolution;
        # an earlier resolution event must not win.
        + [{"inquiry_id": "K-1", "event": "resolved", "at": "2025-03-05 09:00", "actor": "x"}]
    )
    events = tmp_path / "events.csv"
    log.to_csv(events, index=False)
    report = load_paths([bare, events], warehouse=with_events)
    assert [f.kind for f in report.files] == ["inquiry register", "response events"]

    expected = read_warehouse(with_columns, "select * from marts.inquiries order by inquiry_id")
    actual = read_warehouse(with_events, "select * from marts.inquiries order by inquiry_id")
    pd.testing.assert_frame_equal(actual[COMPARED], expected[COMPARED])
    # 10:00 to 09:30 three days later = 71.5 hours.
    assert actual.loc[0, "resolution_minutes"] == 71.5 * 60
