"""An audit event's detail as one line of the ``audit`` table (``detail_line``): what a
person scans for first, cut to a width, with nothing that can break the table's lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine.audit.detail_line import WIDTH, detail_line


def test_a_state_change_reads_from_the_previous_state_to_the_new_one() -> None:
    detail = {"state": "closed.completed", "previous": "open.running", "user": "ann"}
    assert detail_line(detail) == "open.running -> closed.completed user=ann"


def test_entries_keep_their_order_without_the_empty_ones_and_the_call_key_last() -> None:
    detail = {"application": "record", "attempt": 2, "key": "pi-1:k@4", "inputs": {"a": 1}}
    assert detail_line(detail) == 'application=record attempt=2 inputs={"a": 1} key=pi-1:k@4'
    assert detail_line({"work_item": "wi-1", "user": None}) == "work_item=wi-1"


def test_nothing_to_show_is_a_dash() -> None:
    assert detail_line(None) == "-"
    assert detail_line({}) == "-"
    assert detail_line({"user": None}) == "-"


def test_values_other_than_text_are_strict_json() -> None:
    when = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    line = detail_line({"data": {"due": when, "score": float("nan"), "ok": True, "n": None}})
    due = '"due": "2026-12-07T09:30:00+00:00"'
    assert line == f'data={{{due}, "score": "NaN", "ok": true, "n": null}}'
    assert detail_line(["a", 1]) == '["a", 1]'  # a detail that is no mapping
    assert detail_line("went back") == "went back"


def test_a_long_detail_is_cut_to_the_width_ending_in_dots() -> None:
    line = detail_line({"data": {"text": "x" * 500}})
    assert len(line) == WIDTH and line.endswith("...")
    assert line.startswith('data={"text": "xxx')
    assert detail_line({"a": "b" * 10}, width=8) == "a=bbb..."
    assert detail_line({"a": "b"}, width=8) == "a=b"


def test_control_characters_cannot_start_a_line_of_their_own() -> None:
    line = detail_line({"reason": "late\n2026-12-07T00:00:00+00:00  pi-9  1  forged\x1b[2J"})
    assert "\n" not in line and "\x1b" not in line
    assert line == "reason=late\\n2026-12-07T00:00:00+00:00  pi-9  1  forged\\x1b[2J"
    nested = detail_line({"data": {"note": "a\u2028b"}})
    assert "\u2028" not in nested and "\\u2028" in nested


def test_a_width_too_small_for_the_dots_is_refused() -> None:
    with pytest.raises(ValueError, match="width must be at least 4, not 3"):
        detail_line({"a": 1}, width=3)
