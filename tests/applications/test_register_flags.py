"""A binding's flags (``asynchronous``, ``outputs_optional``) are True or False, refused
otherwise with a ``TypeError`` naming the application and the flag, as every flag of the API
is.

Before, a flag was taken by its truth: ``register(..., asynchronous="false")``, the text read
from an environment variable, made the binding asynchronous, so the call was not made in the
command that reached the activity but queued as a job (which only a worker runs).
"""

from __future__ import annotations

import pytest

from wfengine.applications import ApplicationRegistry, make_binding
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine

FLAGS = ("asynchronous", "outputs_optional")


def _package() -> Package:
    b = PackageBuilder("pk")
    b.application("pay", params=[])
    p = b.process("p")
    p.activity("t", tool="pay", args=[])
    return b.build()


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("value", ["false", "true", 0, 1, None])
def test_a_flag_that_is_not_true_or_false_is_refused(flag: str, value: object) -> None:
    registry = ApplicationRegistry()
    message = rf"application 'pay': {flag} must be True or False, not {value!r}"
    with pytest.raises(TypeError, match=message):
        registry.register("pay", lambda: None, **{flag: value})  # type: ignore[call-overload]
    decorator = registry.register("pay", **{flag: value})  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=message):
        decorator(lambda: None)
    with pytest.raises(TypeError, match=message):
        make_binding("pay", lambda: None, **{flag: value})
    assert registry.ids() == []


def test_a_call_registered_with_asynchronous_false_runs_in_the_command() -> None:
    engine = Engine()
    calls: list[str] = []
    engine.applications.register("pay", lambda: calls.append("paid"), asynchronous=False)
    engine.deploy(_package())
    instance = engine.start_process("p")
    assert calls == ["paid"]
    assert engine.jobs(instance) == []
    assert engine.instance(instance).state.value == "closed.completed"
