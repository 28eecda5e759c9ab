"""An incident for a Name two data fields carry says which fields share it.

A script using 'amount', the Name of data fields '_u1' and '_u2', stopped with "unknown
variable 'amount'", and the operator hunted for a missing field.
"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, VirtualClock


def _incidents(second_name: str) -> list[str]:
    engine = Engine(clock=VirtualClock())
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("_u1", "INTEGER", initial="1", name="amount")
    p.data_field("_u2", "INTEGER", initial="5", name=second_name)
    p.data_field("res", "INTEGER")
    p.activity("s", script="res = amount + 1")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    return [i.message for i in engine.incidents(iid)]


def test_the_incident_names_the_fields_sharing_the_name() -> None:
    [message] = _incidents("amount")
    assert "unknown variable 'amount'" in message
    assert "'_u1', '_u2' are all named 'amount'" in message


def test_a_name_one_field_carries_stands_for_it() -> None:
    assert _incidents("total") == []


def _timer_incidents(second_name: str) -> list[str]:
    """A timer waiting until ``due``, the Name of data fields '_u1' and (or not) '_u2'."""
    engine = Engine(clock=VirtualClock())
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("_u1", "DATETIME", initial="2030-01-01T00:00:00Z", name="due")
    p.data_field("_u2", "DATETIME", initial="2030-01-02T00:00:00Z", name=second_name)
    p.intermediate("wait", at="due").activity("z")
    p.sequence("wait", "z")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    return [i.message for i in engine.incidents(iid)]


def test_a_timer_date_using_a_shared_name_names_the_fields_sharing_it() -> None:
    [message] = _timer_incidents("due")  # before: the bare "unknown variable 'due'"
    assert "timer date: unknown variable 'due'" in message
    assert "'_u1', '_u2' are all named 'due'" in message


def test_a_timer_date_using_a_name_one_field_carries_waits_for_it() -> None:
    assert _timer_incidents("other") == []
