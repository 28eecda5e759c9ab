"""A name a work item may read or write (``reads=`` / ``writes=``, ``wfengine:reads`` /
``wfengine:writes``, JaWE's ``VariableToProcess_VIEW`` / ``_UPDATE``) that no data field or
formal parameter has is ``undefined-data-field``, a warning naming the activity, the attribute
and the name (and the field it may have meant).

Before, ``activity("enter", writes=["amout"])`` validated clean, and completing its item with
the field meant (``{"amount": 12.5}``) was refused at run time."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import ExtendedAttribute, Package


def _package(**access: list[str]) -> Package:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    p = pb.process("m")
    p.data_field("amount", "FLOAT")
    p.param("customer", "IN", "STRING")
    p.start("s").activity("enter", performer="clerk", **access).end("e")  # type: ignore[arg-type]
    p.sequence("s", "enter", "e")
    return pb.build()


def _undefined(package: Package) -> list[tuple[Severity, str | None, str]]:
    return [
        (d.severity, d.element_id, d.message)
        for d in validate(package)
        if d.code == "undefined-data-field"
    ]


@pytest.mark.parametrize(
    ("access", "attribute", "verb"),
    [
        ({"writes": ["amout"]}, "wfengine:writes", "write"),
        ({"reads": ["amout"]}, "wfengine:reads", "read"),
    ],
)
def test_a_misspelt_field_a_work_item_may_use_is_a_warning_naming_it(
    access: dict[str, list[str]], attribute: str, verb: str
) -> None:
    package = _package(**access)
    for checked in (package, load_xpdl(dump_xpdl(package))):  # and in the file written
        [(severity, element_id, message)] = _undefined(checked)
        assert (severity, element_id) == (Severity.WARNING, "enter")
        assert f"activity 'enter' in process 'm' lets its work item {verb} 'amout'" in message
        assert attribute in message and "did you mean 'amount'?" in message
    Engine(clock=VirtualClock()).deploy(package)  # a warning: it still deploys


def test_jawes_variable_to_process_lists_are_checked_too() -> None:
    package = _package()
    [process] = package.workflow_processes
    enter = process.activity("enter")
    attributes = (
        ExtendedAttribute(name="VariableToProcess_VIEW", value="amount"),
        ExtendedAttribute(name="VariableToProcess_UPDATE", value="ammount"),
    )
    changed = enter.model_copy(update={"extended_attributes": attributes})
    process = process.model_copy(
        update={"activities": tuple(changed if a.id == "enter" else a for a in process.activities)}
    )
    package = package.model_copy(update={"workflow_processes": (process,)})
    [(_, _, message)] = _undefined(package)
    assert "write 'ammount' (VariableToProcess_UPDATE)" in message


def test_declared_fields_and_formal_parameters_are_not_reported() -> None:
    assert _undefined(_package(reads=["customer"], writes=["amount"])) == []
