"""An application's IN arguments are copies, and the instance keeps copies of its answers.

An application that tidies a record it was given (``customer.pop("iban")``) or sorts a list
changed the instance's data itself: unaudited, even when the call then failed (committed on a
database too), and the call's retry saw the changed value. On the memory store the answer was
kept by reference as well: a host that later changed the dict its application returned (a
cache's) changed the instance. Every store alike, synchronous and asynchronous calls alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import BasicType, BasicTypeKind, RecordType
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

CUSTOMER = {"name": "ACME", "iban": "DE89", "lines": [3, 1, 2]}


def _deploy(engine: Engine, mode: str = "IN") -> None:
    pb = PackageBuilder("copies")
    pb.type_declaration("Customer", RecordType(members=(BasicType(type=BasicTypeKind.STRING),)))
    pb.application("check", params=[("customer", mode, "Customer")])
    pb.application("lookup", params=[("found", "OUT", "Customer")])
    p = pb.process("p")
    p.data_field("customer", "Customer")
    p.data_field("found", "Customer")
    p.start("s")
    p.activity("call", tool="check", args=["customer"])
    p.activity("call2", tool="lookup", args=["found"])
    p.activity("wait", performer="clerk")
    p.end("e")
    p.sequence("s", "call", "call2", "wait", "e")
    engine.deploy(pb.build())


def _tidy(customer: dict[str, Any]) -> None:
    """What an application may do to its argument before it fails."""
    customer.pop("iban", None)
    customer["status"] = "checked"
    customer["lines"].sort()


def _fresh() -> dict[str, Any]:
    return {"name": "ACME", "iban": "DE89", "lines": [3, 1, 2]}


def test_a_failed_call_that_changed_its_argument_leaves_the_data_alone(engine: Engine) -> None:
    seen: list[dict[str, Any]] = []

    def check(customer: dict[str, Any]) -> None:
        seen.append(dict(customer, lines=list(customer["lines"])))
        _tidy(customer)
        raise RuntimeError("downstream unavailable")

    engine.applications.register("check", check)
    engine.applications.register("lookup", lambda: {"found": {"name": "x"}})
    _deploy(engine)
    iid = engine.start_process("p", {"customer": _fresh()})
    [incident] = engine.incidents(iid)
    assert engine.instance(iid).data["customer"] == CUSTOMER
    engine.retry_incident(incident.id)
    assert seen == [CUSTOMER, CUSTOMER]  # the retry is given the data, not the tidied copy
    assert engine.instance(iid).data["customer"] == CUSTOMER


def test_retries_of_one_call_are_each_given_the_arguments_as_they_were(engine: Engine) -> None:
    engine.applications = ApplicationRegistry(sleep=lambda seconds: None)
    seen: list[Any] = []

    def check(customer: dict[str, Any]) -> None:
        seen.append(dict(customer, lines=list(customer["lines"])))
        _tidy(customer)
        if len(seen) < 3:
            raise RuntimeError("try again")

    engine.applications.register("check", check, retries=2)
    engine.applications.register("lookup", lambda: {"found": None})
    _deploy(engine)
    iid = engine.start_process("p", {"customer": _fresh()})
    assert engine.incidents(iid) == []
    assert seen == [CUSTOMER] * 3
    assert engine.instance(iid).data["customer"] == CUSTOMER  # an IN argument, changed or not


def test_an_inout_argument_changed_in_place_counts_only_as_returned(engine: Engine) -> None:
    def check(customer: dict[str, Any]) -> dict[str, Any]:
        _tidy(customer)  # the copy it was given
        return {"customer": {"name": "ACME", "status": "new"}}

    engine.applications.register("check", check)
    engine.applications.register("lookup", lambda: {"found": None})
    _deploy(engine, "INOUT")
    iid = engine.start_process("p", {"customer": _fresh()})
    assert engine.instance(iid).data["customer"] == {"name": "ACME", "status": "new"}


def test_the_instance_keeps_a_copy_of_what_an_application_returned(engine: Engine) -> None:
    cache = {"name": "ACME", "tags": ["a"]}
    engine.applications.register("check", lambda customer: None)
    engine.applications.register("lookup", lambda: {"found": cache})
    _deploy(engine)
    iid = engine.start_process("p", {"customer": _fresh()})
    cache["name"] = "changed by the host"
    cache["tags"].append("b")  # type: ignore[attr-defined]
    assert engine.instance(iid).data["found"] == {"name": "ACME", "tags": ["a"]}
    assert [w.activity_id for w in engine.work_items(iid)] == ["wait"]


def test_an_inout_answer_that_is_the_argument_itself_is_kept(engine: Engine) -> None:
    def check(customer: dict[str, Any]) -> dict[str, Any]:
        customer["status"] = "checked"
        return {"customer": customer}  # the copy, changed: the answer

    engine.applications.register("check", check)
    engine.applications.register("lookup", lambda: {"found": None})
    _deploy(engine, "INOUT")
    iid = engine.start_process("p", {"customer": _fresh()})
    assert engine.instance(iid).data["customer"] == {**CUSTOMER, "status": "checked"}


def test_an_asynchronous_call_is_given_copies_at_every_attempt(engine: Engine) -> None:
    seen: list[Any] = []
    returned = {"name": "found", "tags": ["a"]}

    def check(customer: dict[str, Any]) -> None:
        seen.append(dict(customer, lines=list(customer["lines"])))
        _tidy(customer)
        if len(seen) == 1:
            raise RuntimeError("try again")

    engine.applications.register("check", check, retries=1, backoff=0.0, asynchronous=True)
    engine.applications.register("lookup", lambda: {"found": returned}, asynchronous=True)
    _deploy(engine)
    iid = engine.start_process("p", {"customer": _fresh()})
    for _ in range(4):
        engine.run_due_jobs()
        engine.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert engine.incidents(iid) == []
    assert seen == [CUSTOMER, CUSTOMER]
    returned["tags"].append("b")  # type: ignore[attr-defined]
    inst = engine.instance(iid)
    assert inst.state is ProcessState.RUNNING
    assert inst.data == {"customer": CUSTOMER, "found": {"name": "found", "tags": ["a"]}}
