"""An ad-hoc scope's ``AdHocCompletionCondition`` is an expression the engine evaluates after
each of its activities completes, so validation reads it as every other expression.

It went unchecked: a condition that did not parse validated clean (``wfengine validate`` exit
0) and then deploy refused it outside the findings format, and one naming no field got no
warning."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _adhoc(completion: str) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("x").data_field("n", "INTEGER", initial="0").participant("r")
    s = p.activity_set("todo", adhoc="Parallel", completion=completion)
    s.activity("x1", performer="r").activity("x2", performer="r")
    p.start("s").block("b", activity_set="todo").end("e").sequence("s", "b", "e")
    return pb.build()


def _found(package: Package) -> list[tuple[str, str, str | None]]:
    return [(d.severity.value, d.code, d.element_id) for d in validate(package)]


def test_a_completion_condition_that_does_not_parse_is_an_error_and_deploy_refuses_it() -> None:
    package = _adhoc("n >")
    assert _found(package) == [("error", "expression-syntax", "todo")]
    [finding] = validate(package)
    assert "the ad-hoc completion condition of activity set 'todo'" in finding.message
    with Engine() as engine, pytest.raises(DeployError, match="expression-syntax"):
        engine.deploy(package)


def test_a_completion_condition_naming_no_field_is_a_warning() -> None:
    [finding] = validate(_adhoc("nmae > 1"))
    assert (finding.severity, finding.code) == (Severity.WARNING, "expression-unknown-name")
    assert "'nmae'" in finding.message


def test_a_good_completion_condition_is_no_finding_and_ends_the_set() -> None:
    package = _adhoc("n >= 0")
    assert _found(package) == []
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("x")
        first = engine.work_items(iid)[0]
        engine.complete_work_item(first.id)
        assert engine.instance(iid).state.value == "closed.completed"


def test_a_process_that_is_ad_hoc_has_its_completion_condition_checked() -> None:
    pb = PackageBuilder("p")
    pb.process("x").participant("r").activity("a", performer="r")
    package = pb.build()
    [process] = package.workflow_processes
    adhoc = process.model_copy(
        update={"extra_attrs": (("AdHoc", "true"), ("AdHocCompletionCondition", "1 +"))}
    )
    package = package.model_copy(update={"workflow_processes": (adhoc,)})
    assert _found(package) == [("error", "expression-syntax", "x")]
    with Engine() as engine, pytest.raises(DeployError, match="expression-syntax"):
        engine.deploy(package)


def test_a_completion_condition_of_a_set_that_is_not_ad_hoc_is_not_read() -> None:
    package = _adhoc("n >")
    [process] = package.workflow_processes
    [todo] = process.activity_sets
    plain = todo.model_copy(update={"extra_attrs": (("AdHocCompletionCondition", "n >"),)})
    process = process.model_copy(update={"activity_sets": (plain,)})
    package = package.model_copy(update={"workflow_processes": (process,)})
    # not read (no expression-syntax), and said so: a warning naming the set
    assert _found(package) == [("warning", "adhoc-unused", "todo")]
    with Engine() as engine:
        engine.deploy(package)
