"""A desk ending its turn ``done`` and naming its own department as the next one: the
department's turn is over, and it names none. Before, with no other department waiting, the
case went to the same desk again (and again, for as long as the desk kept naming itself),
never back to the coordinator; while others waited the name was already ignored."""

from __future__ import annotations

from tests.examples.test_crm_complaint import Desk, _accepted, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def _open(desk: Desk, iid: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(w.activity_id, w.assignees) for w in desk.engine.work_items(iid)]


def test_done_naming_its_own_department_goes_back_to_the_coordinator(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="billing",
            opinion="Refunded")  # fmt: skip
    assert _open(desk, iid) == [("coordinate", ("cora",))]  # not billing's desk again
    data = desk.engine.instance(iid).data
    assert data["handled_by"] == ["billing"] and data["waiting"] == []
    assert data["opinions"] == "billing: Refunded\n"
    told = {m["milestone"] for m in desk.crm.told_milestones()}
    assert "Handled by a department" in told  # the turn ended done: handled


def test_after_a_send_back_the_redoing_desk_naming_itself_hands_on_to_the_one_waiting(
    desk: Desk,
) -> None:
    """billing, then network, which sends it back; billing redoes its part naming itself:
    network (waiting) has its turn, then the coordinator; billing has no third turn."""
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="back")
    assert _open(desk, iid) == [("department", ("eva",))]
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="billing")
    assert _open(desk, iid) == [("department", ("fay",))]
    desk.do(iid, "department", "fay", dept_outcome="done", next_department="network")
    assert _open(desk, iid) == [("coordinate", ("cora",))]
