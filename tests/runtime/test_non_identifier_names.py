"""Data given under a field's Name that is no plain identifier (``"Days requested"``) is
refused naming the field's Id (:class:`~wfengine.errors.DataTypeError`), rather than stored
under that undeclared key while the field kept its own value (WAPI already refused it).
A Name that is a plain identifier stays an alias of its field, and other undeclared keys
still pass."""

from __future__ import annotations

import dataclasses

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package
from wfengine.definition.non_identifier_names import non_identifier_names
from wfengine.errors import DataTypeError
from wfengine.runtime.compiled import CompiledProcess
from wfengine.runtime.compiler import compile_process


def _package() -> Package:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    pb.data_field("region", "STRING", name="Sales region")  # a package field
    p = pb.process("leave")
    p.data_field("days", "INTEGER", name="Days requested", initial="1")
    p.data_field("reason", "STRING", name="reason_text")  # a plain identifier: an alias
    p.data_field("a1", "STRING", name="Shared name")
    p.data_field("a2", "STRING", name="Shared name")
    p.data_field("b", "STRING", name="b")  # its own Id: nothing to refuse
    p.start("s").activity("a", performer="clerk").end("e").sequence("s", "a", "e")
    return pb.build()


def _compiled() -> CompiledProcess:
    package = _package()
    process = package.workflow_processes[0]
    compiled = compile_process(package, process)
    # (as the compiler fills it: see compile_process)
    return dataclasses.replace(compiled, unusable_names=non_identifier_names(package, process))


def test_the_names_that_are_no_identifier_are_found() -> None:
    package = _package()
    assert non_identifier_names(package, package.workflow_processes[0]) == {
        "Sales region": ("region",),
        "Days requested": ("days",),
        "Shared name": ("a1", "a2"),
    }


def test_data_under_such_a_name_is_refused_naming_the_id() -> None:
    compiled = _compiled()
    with pytest.raises(DataTypeError) as caught:
        compiled.checked({"Days requested": 2}, "a new instance")
    said = str(caught.value)
    assert "'Days requested' is the Name of data field 'days'" in said
    assert "give the Id 'days'" in said
    with pytest.raises(DataTypeError, match="give one of the Ids 'a1', 'a2'"):
        compiled.checked({"Shared name": "x"}, "a new instance")
    with pytest.raises(DataTypeError, match="'Sales region' is the Name of data field 'region'"):
        compiled.checked({"days": 2, "Sales region": "north"}, "a new instance")


def test_ids_aliases_and_other_keys_still_pass() -> None:
    compiled = _compiled()
    data = compiled.checked({"days": "3", "reason_text": "rest", "note": "x"}, "here")
    assert data == {"days": 3, "reason": "rest", "note": "x"}


def test_start_process_and_completing_work_refuse_such_a_name() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package())
    with pytest.raises(DataTypeError, match="give the Id 'days'; nothing was changed"):
        engine.start_process("leave", {"Days requested": 2})
    assert engine.instance_summaries() == []
    started = engine.start_process("leave", {"days": 2})
    [item] = engine.work_items(started)
    with pytest.raises(DataTypeError, match="give the Id 'days'"):
        engine.complete_work_item(item.id, {"Days requested": 4})
    assert engine.instance(started).data["days"] == 2
    assert "Days requested" not in engine.instance(started).data
