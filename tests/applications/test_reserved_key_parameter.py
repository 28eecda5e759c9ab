"""A formal parameter named ``idempotency_key`` (common in payment APIs) is refused.

Its value replaced the engine's idempotency key: a Python callable naming the keyword got
the data value, the HTTP agent sent it as the ``Idempotency-Key`` header and left it out of
the body (an idempotent server then answered a second charge with the first one's result),
the subprocess agent put it in ``WFENGINE_IDEMPOTENCY_KEY``. The name is reserved for the
engine's key: validation reports such an application (``application-setting``, an error, so
the deploy refuses the process), and a call whose inputs name it is refused, not made.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.applications.calling import ToolFailure, call_application, call_once
from wfengine.applications.registry import make_binding
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine


def _package(formal: str = "idempotency_key", mode: str = "IN") -> Package:
    pb = PackageBuilder("pay")
    pb.application("charge", params=[(formal, mode, "STRING"), ("amount", "IN", "INTEGER")])
    p = pb.process("p")
    p.data_field("ref", "STRING")
    p.data_field("amt", "INTEGER")
    p.start("s")
    p.activity("t", tool="charge", args=["ref", "amt"])
    p.end("e")
    p.sequence("s", "t", "e")
    return pb.build()


@pytest.mark.parametrize("mode", ["IN", "OUT", "INOUT"])
def test_validation_reports_a_formal_parameter_named_idempotency_key(mode: str) -> None:
    [finding] = [d for d in validate(_package(mode=mode)) if d.code == "application-setting"]
    assert finding.severity is Severity.ERROR
    assert finding.element_id == "charge"
    assert "application 'charge'" in finding.message
    assert "'idempotency_key'" in finding.message and "reserved" in finding.message
    assert "idempotency key" in finding.message


def test_another_name_is_not_reported() -> None:
    found = validate(_package(formal="payment_key"))
    assert [d for d in found if d.code == "application-setting"] == []


def test_the_deploy_refuses_the_process() -> None:
    engine = Engine()
    seen: list[Any] = []
    engine.applications.register(
        "charge", lambda amount, idempotency_key: seen.append(idempotency_key)
    )
    with pytest.raises(DeployError, match="reserved for the engine's idempotency key"):
        engine.deploy(_package())
    assert seen == []


def test_a_call_whose_inputs_name_the_key_is_refused_and_not_made() -> None:
    seen: list[Any] = []

    def charge(amount: int, idempotency_key: str) -> None:
        seen.append(idempotency_key)

    binding = make_binding("charge", charge)
    inputs = {"idempotency_key": "ORDER-1", "amount": 5}
    with pytest.raises(ToolFailure, match=r"'charge'.*reserved") as caught:
        call_application(binding, inputs, "pi-1/t/1", sleep=lambda s: None, record=seen.append)
    assert caught.value.exception_name is None  # an incident, not an EXCEPTION transition
    with pytest.raises(ToolFailure, match="reserved"):
        call_once(binding, inputs, "pi-1/t/1")
    assert seen == []  # not called, nothing recorded


def test_a_callable_naming_the_keyword_still_gets_the_engines_key() -> None:
    keys: list[str] = []
    binding = make_binding("charge", lambda amount, idempotency_key: keys.append(idempotency_key))
    events: list[Any] = []
    call_application(binding, {"amount": 5}, "pi-1/t/1", sleep=lambda s: None, record=events.append)
    assert keys == ["pi-1/t/1"]
