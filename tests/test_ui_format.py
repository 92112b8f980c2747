"""How changes against the previous period are written on cards."""

from __future__ import annotations

from ui.format import format_delta


def test_a_change_that_rounds_to_nothing_is_shown_as_no_change() -> None:
    """C1 moved by -0.001: ``-0.00`` in red would say it got worse; 0 is drawn
    grey without an arrow. Real changes keep their sign and unit."""
    assert format_delta(-0.001, None) == 0
    assert format_delta(0.004, None) == 0
    assert format_delta(-0.02, None) == "-0.02"
    assert format_delta(0.04, "%") == 0
    assert format_delta(1.25, "%") == "+1.2 pp"
    assert format_delta(None, None) is None
