"""A data field declared ``ReadOnly`` is a constant of its process: what the definition itself
writes into one is ``read-only-assigned``, an error (deploy refuses the process), and a work
item that lets a person write one is the same code as a warning (a completion giving a value
for it is refused at run time)."""

from __future__ import annotations

import pytest

from tests.runtime.test_assignments import _assignments
from wfengine import PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.definition.build_arguments import multi_instance
from wfengine.definition.builder import ProcessBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Activity
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine


def _package(write: str, *, read_only: bool = True, formal: bool = False) -> PackageBuilder:
    """Process ``p`` with the read-only FLOAT ``rate`` (``formal``: also an IN formal
    parameter of ``p``) and activity ``w`` writing it as ``write`` says."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("app", params=[("out", "OUT", "FLOAT")])
    pb.application("both", params=[("io", "INOUT", "FLOAT")])
    pb.application("reads", params=[("in", "IN", "FLOAT")])
    called = pb.process("called").param("result", "OUT", "FLOAT")
    called.activity("x", script="result = 2.0")
    p = pb.process("p")
    if formal:
        p.param("rate", "IN", "FLOAT")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=read_only)
    p.data_field("n", "INTEGER")
    _write(p, write)
    return pb


def _write(p: ProcessBuilder, write: str) -> None:
    if write == "script":
        p.activity("w", script="n = 1; rate = 0.2")
    elif write == "out":
        p.activity("w", tool="app", args=["rate"])
    elif write == "inout":
        p.activity("w", tool="both", args=["rate"])
    elif write == "in":
        p.activity("w", tool="reads", args=["rate"])
    elif write == "subflow":
        p.subflow("w", process="called", args=["rate"])
    elif write == "assignment":
        p.add_activity(Activity(id="w", extras=(_assignments(("End", "rate", "0.5")),)))
    elif write == "counter":
        p.activity("w", loop=multi_instance("2", counter="rate"))
    elif write == "person":
        p.activity("w", performer="clerk", writes=["n", "rate"])
    else:
        raise AssertionError(write)


def _found(pb: PackageBuilder) -> list[Diagnostic]:
    return [d for d in validate(pb.build()) if d.code == "read-only-assigned"]


@pytest.mark.parametrize(
    ("write", "how"),
    [
        ("script", "with its script"),
        ("out", "with the OUT parameter 'out' of application 'app'"),
        ("inout", "with the INOUT parameter 'io' of application 'both'"),
        ("subflow", "with the OUT parameter 'result' of process 'called'"),
        ("assignment", "with an Assignment"),
        ("counter", "with its loop counter"),
    ],
)
def test_what_the_definition_writes_into_a_read_only_field_is_an_error(
    write: str, how: str
) -> None:
    [found] = _found(_package(write))
    assert found.severity is Severity.ERROR and found.element_id == "w"
    assert found.message.startswith(f"activity 'w' of process 'p' writes 'rate' {how}, but")
    assert "declared ReadOnly" in found.message
    assert not _found(_package(write, read_only=False))  # a field that is not: nothing


def test_a_person_allowed_to_write_a_read_only_field_is_a_warning() -> None:
    [found] = _found(_package("person"))
    assert found.severity is Severity.WARNING and found.element_id == "w"
    assert "offers 'rate' for writing" in found.message
    assert "a completion that gives a value for it is refused" in found.message


def test_reading_a_read_only_field_is_no_finding() -> None:
    assert not _found(_package("in"))


def test_a_subflow_keeping_its_instance_id_in_a_read_only_field_is_an_error() -> None:
    pb = PackageBuilder("pkg")
    pb.process("called").activity("x")
    p = pb.process("p")
    p.data_field("child", "STRING", read_only=True)
    p.subflow("w", process="called")
    package = pb.build()
    process = package.process("p")
    body = process.activities[0].body.model_copy(update={"instance_data_field": "child"})
    activity = process.activities[0].model_copy(update={"body": body})
    process = process.model_copy(update={"activities": (activity,)})
    processes = (package.process("called"), process)
    package = package.model_copy(update={"workflow_processes": processes})
    [found] = [d for d in validate(package) if d.code == "read-only-assigned"]
    assert "(InstanceDataField)" in found.message and found.severity is Severity.ERROR


def test_the_finding_names_the_line_of_a_file() -> None:
    package = load_xpdl(dump_xpdl(_package("script").build()))
    [found] = [d for d in validate(package) if d.code == "read-only-assigned"]
    assert found.line is not None and found.line > 1


def test_a_read_only_formal_parameter_is_the_callers_to_give() -> None:
    """A field that is also a FormalParameter of its process is given by the caller: it is
    not read-only (and so nothing is said of what writes it)."""
    assert not _found(_package("script", formal=True))


def test_the_process_field_hides_the_packages_read_only_one() -> None:
    pb = PackageBuilder("pkg")
    pb.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p = pb.process("p")
    p.activity("w", script="rate = 0.2")
    [found] = _found(pb)  # the package's constant, written by the process
    assert found.severity is Severity.ERROR
    p.data_field("rate", "FLOAT")  # the process's own, not read-only, hides it
    assert not _found(pb)


def test_deploy_refuses_a_process_that_writes_a_read_only_field() -> None:
    with pytest.raises(DeployError, match=r"read-only-assigned: activity 'w' of process 'p'"):
        Engine().deploy(_package("script").build(), strict=True)
