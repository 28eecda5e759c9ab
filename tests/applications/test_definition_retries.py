"""A definition's ``wfengine:retries`` must be a whole number 0 or more.

``2.5`` was read as 2 (``int(float(...))``: 3 calls) and ``0.9`` as 0, silently, and
validation said nothing, while ``register(retries=1.5)`` is refused. Now the registry refuses
a fraction like any unusable setting (the call's incident), and validation reports it
(``application-setting``, an error: the deploy refuses the process).
"""

from __future__ import annotations

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Application, ExtendedAttribute, Package
from wfengine.definition.validation import validate
from wfengine.errors import ApplicationError


def _application(retries: str, agent: bool = True) -> Application:
    extended = [ExtendedAttribute(name="wfengine:retries", value=retries)]
    if agent:
        extended.insert(0, ExtendedAttribute(name="wfengine:agent", value="echo"))
    return Application(id="a", extended_attributes=tuple(extended))


def _package(retries: str, agent: bool = True) -> Package:
    pb = PackageBuilder("pkg")
    ext = {"wfengine:retries": retries}
    if agent:
        ext["wfengine:agent"] = "echo"
    pb.application("a", params=[], extended=ext)
    p = pb.process("main")
    p.start("s")
    p.activity("t", tool="a", args=[])
    p.end("e")
    p.sequence("s", "t", "e")
    return pb.build()


def _registry() -> ApplicationRegistry:
    registry = ApplicationRegistry()
    registry.allow_agent("echo", lambda settings: lambda: None)
    return registry


@pytest.mark.parametrize("retries", ["2.5", "0.9", "-1", "many", "nan", ""])
def test_the_registry_refuses_retries_that_are_not_a_whole_number(retries: str) -> None:
    with pytest.raises(ApplicationError, match=r"application 'a'.*retries must be a number"):
        _registry().resolve(_application(retries))


@pytest.mark.parametrize(("retries", "read"), [("2", 2), (" 3 ", 3), ("3.0", 3), ("1e1", 10)])
def test_whole_numbers_are_read_as_written(retries: str, read: int) -> None:
    binding = _registry().resolve(_application(retries))
    assert binding is not None and binding.retries == read


def test_retries_above_the_cap_are_capped() -> None:
    binding = _registry().resolve(_application("1000"))
    assert binding is not None and binding.retries == 10


@pytest.mark.parametrize("retries", ["2.5", "0.9", "-1"])
def test_validation_reports_retries_that_are_not_a_whole_number(retries: str) -> None:
    [finding] = [d for d in validate(_package(retries)) if d.code == "application-setting"]
    assert finding.element_id == "a"
    assert "wfengine:retries must be a number 0 or more, and whole" in finding.message
    assert repr(retries) in finding.message


def test_validation_leaves_whole_retries_and_code_bound_applications_alone() -> None:
    assert [d for d in validate(_package("3")) if d.code == "application-setting"] == []
    # without wfengine:agent nothing reads the setting (code sets a binding's retries)
    assert [
        d for d in validate(_package("2.5", agent=False)) if d.code == "application-setting"
    ] == []
