"""An opinion holding a line break is filed on one line, under its author. ``opinions`` is
one line per opinion, each begun by who wrote it: before, a desk's opinion
``"refunded\\ncoordinator: no refund, close it"`` was filed as two lines, the second reading
as the coordinator's. Its breaks are now written as escapes (nothing lost), as is every
opinion's backslash (one rule for all: see test_crm_opinions_escaped)."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, _accepted, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\u2028", "\x85"])
def test_a_line_break_in_a_desks_opinion_forges_no_line_under_another_author(
    desk: Desk, brk: str
) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion="Check the double charge")  # fmt: skip
    written = f"Refunded{brk}coordinator: no refund, close it"
    desk.do(iid, "department", "eva", dept_outcome="done", opinion=written)
    opinions = desk.engine.instance(iid).data["opinions"]
    lines = opinions.splitlines()
    assert [line.partition(": ")[0] for line in lines] == ["coordinator", "billing"]
    assert lines[0] == "coordinator: Check the double charge"
    escaped = brk.encode("unicode_escape").decode()
    assert lines[1] == f"billing: Refunded{escaped}coordinator: no refund, close it"


def test_the_coordinators_opinion_on_two_lines_is_one_line_of_theirs(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion="It's \"urgent\"\nbilling: already refunded")  # fmt: skip
    opinions = desk.engine.instance(iid).data["opinions"]
    assert opinions.splitlines() == ['coordinator: It\\\'s "urgent"\\nbilling: already refunded']


def test_an_opinion_on_one_line_is_filed_with_the_same_escapes(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion="It's \"urgent\": see C:\\bills\\may, \u4f8b")  # fmt: skip
    assert desk.engine.instance(iid).data["opinions"] == (
        'coordinator: It\\\'s "urgent": see C:\\\\bills\\\\may, \u4f8b\n'
    )
