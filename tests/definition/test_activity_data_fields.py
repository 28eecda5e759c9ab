"""An activity's own DataFields (XPDL 2.2) are the error ``activity-data-field``.

The engine keeps no data local to an activity: it neither declares nor initialises such a
field, so a script ``n = local + 1`` reading one validated clean, deployed, and then stopped
with "unknown variable 'local'". Validation (and so deploy) now refuses the definition and
says to declare the field at process level; the activity's own loop counter, which the engine
does write, stays accepted. The model, reader and writer keep the fields as before.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl
from wfengine.definition.builder import standard_loop
from wfengine.definition.model import (
    Activity,
    BasicType,
    BasicTypeKind,
    DataField,
    Package,
    TaskImplementation,
    TaskKind,
)
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

INTEGER = BasicType(type=BasicTypeKind.INTEGER)


def _package(*, local: str = "local", counter: str | None = None) -> Package:
    b = PackageBuilder("p", script="text/python")
    p = b.process("main").data_field("n", "INTEGER", initial="0")
    p.start("s")
    loop = standard_loop("n < 3", counter=counter) if counter is not None else None
    p.add_activity(
        Activity(
            id="a",
            body=TaskImplementation(task=TaskKind.SCRIPT, script=f"n = {local} + 1"),
            data_fields=(DataField(id=local, data_type=INTEGER, initial_value="41"),),
            loop=loop,
        )
    )
    p.end("e").sequence("s", "a", "e")
    return b.build()


def test_an_activity_data_field_is_an_error_saying_to_declare_it_at_process_level() -> None:
    found = [(d.severity.value, d.code, d.element_id) for d in validate(_package())]
    assert ("error", "activity-data-field", "local") in found
    # the script reading it is told the name is no field the engine provides
    assert ("warning", "expression-unknown-name", "a") in found
    [finding] = [d for d in validate(_package()) if d.code == "activity-data-field"]
    message = finding.message
    assert "activity 'a' in process 'main' declares its own data field 'local'" in message
    assert "the engine does not provide" in message
    assert "declare 'local' among the DataFields of process 'main'" in message


def test_deploy_refuses_it_rather_than_running_into_an_unknown_variable() -> None:
    with (
        Engine(clock=VirtualClock()) as engine,
        pytest.raises(DeployError, match="activity-data-field"),
    ):
        engine.deploy(_package())


def test_read_from_xpdl_it_is_refused_with_its_line_and_kept_on_the_round_trip() -> None:
    text = dump_xpdl(_package())
    package = load_xpdl(text)
    [activity] = [a for a in package.workflow_processes[0].activities if a.id == "a"]
    assert [f.id for f in activity.data_fields] == ["local"]
    [finding] = [d for d in validate(package) if d.code == "activity-data-field"]
    assert finding.line is not None


def test_the_activity_s_own_loop_counter_is_accepted_and_counts() -> None:
    # the engine writes the count into the field the loop names, as instance data
    package = _package(local="k", counter="k")
    assert [d.code for d in validate(package) if d.severity.value == "error"] == []
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(package)
        data = engine.instance(engine.start_process("main")).data
    assert data["n"] == 3 and data["k"] == 2
