"""A department doing its part again (sent back by the next one) may name a further
department: it is queued after the departments waiting for the case. Before, the name was
dropped without a word and the case went back to the coordinator once the waiting one was
done."""

from __future__ import annotations

from tests.examples.test_crm_complaint import Desk, _accepted, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def _turns(desk: Desk, iid: str) -> list[str]:
    """Every further turn, each desk done naming nobody: whose they were."""
    turns = []
    while [w.activity_id for w in desk.engine.work_items(iid)] == ["department"]:
        who = desk.item(iid, "department").assignees[0]
        turns.append(who)
        desk.do(iid, "department", who, dept_outcome="done")
    return turns


def test_a_department_named_while_one_waits_has_its_turn_after_it(desk: Desk) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="back", opinion="need the invoice")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="sales",
            opinion="invoice attached; sales must credit")  # fmt: skip
    assert _turns(desk, iid) == ["fay", "gus"]  # network again, then sales
    assert desk.engine.instance(iid).data["handled_by"] == [
        "billing", "network", "sales"]  # fmt: skip
    desk.item(iid, "coordinate")


def test_named_after_every_department_waiting(desk: Desk) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="sales")
    desk.do(iid, "department", "gus", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="back", opinion="network first")
    desk.do(iid, "department", "fay", dept_outcome="back", opinion="sales first")
    desk.do(iid, "department", "gus", dept_outcome="done", next_department="after_sales")
    assert _turns(desk, iid) == ["fay", "eva", "hal"]
    desk.item(iid, "coordinate")


def test_a_redo_naming_the_department_that_sent_it_back_gives_it_one_turn(desk: Desk) -> None:
    """Billing, sent back by network, redoes its part and names network again (as the first
    time): network has one more turn, then the coordinator. Before, network was queued a
    second time behind itself and had two turns."""
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="back", opinion="need the invoice")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network",
            opinion="invoice attached")  # fmt: skip
    assert _turns(desk, iid) == ["fay"]
    assert desk.engine.instance(iid).data["handled_by"] == ["billing", "network"]
    desk.item(iid, "coordinate")


def test_a_department_naming_itself_while_one_waits_is_not_queued(desk: Desk) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="back", opinion="need the invoice")
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="billing")
    assert _turns(desk, iid) == ["fay"]
    desk.item(iid, "coordinate")
