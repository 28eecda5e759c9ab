"""First-day mistakes in what a host passes to the engine are refused with an error naming
the argument and saying what to pass, before anything changes, instead of a bare
``AttributeError`` from deep inside (``'str' object has no attribute 'workflow_processes'``,
``'list' object has no attribute 'items'``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, load_xpdl
from wfengine.wapi import connect

EXAMPLE = Path(__file__).parents[2] / "examples" / "leave_request.xpdl"
PAIRS = [("s", "x")]  # a list of pairs where a dict belongs


def _package() -> PackageBuilder:
    b = PackageBuilder("t")
    p = b.process("p")
    p.data_field("s", "STRING")
    p.start("st")
    p.activity("h", performer="c")
    p.end("e")
    p.sequence("st", "h", "e")
    return b


@pytest.fixture
def engine() -> Engine:
    engine = Engine()
    engine.deploy(_package().build())
    return engine


@pytest.mark.parametrize(
    "given",
    [str(EXAMPLE), EXAMPLE, EXAMPLE.read_bytes(), _package()],
    ids=["path text", "Path", "XPDL bytes", "a PackageBuilder not built"],
)
def test_deploy_refuses_what_is_not_a_package_saying_to_load_it(given: Any) -> None:
    engine = Engine()
    with pytest.raises(TypeError, match=r"deploy: package must be a Package.*load_xpdl"):
        engine.deploy(given)
    assert engine.store.deployed_process_ids() == []
    # what the message says to do works
    assert [d.process_id for d in engine.deploy(load_xpdl(EXAMPLE))]


@pytest.mark.parametrize("given", [PAIRS, "s=x", 7])
def test_start_and_create_refuse_data_that_is_not_a_mapping(engine: Engine, given: Any) -> None:
    with pytest.raises(TypeError, match=r"start_process: data must be a mapping"):
        engine.start_process("p", given)
    with pytest.raises(TypeError, match=r"create_instance: data must be a mapping"):
        engine.create_instance("p", given)
    with pytest.raises(TypeError, match=r"create_instance: data must be a mapping"):
        connect(engine, "ann").create_process_instance("p", given)
    assert engine.instances() == []


def test_any_mapping_is_data(engine: Engine) -> None:
    iid = engine.start_process("p", MappingProxyType({"s": "x"}))
    assert engine.instance(iid).data["s"] == "x"


def test_set_data_refuses_values_that_are_not_a_mapping(engine: Engine) -> None:
    iid = engine.start_process("p", {"s": "before"})
    for given in (PAIRS, None):
        with pytest.raises(TypeError, match=r"set_data: values must be a mapping"):
            engine.set_data(iid, given)
    assert engine.instance(iid).data["s"] == "before"


COMMANDS: dict[str, Callable[[Engine], object]] = {
    "send_message: data": lambda e: e.send_message("m", PAIRS, instance_id="pi-9"),
    "send_message: correlation": lambda e: e.send_message("m", correlation=PAIRS),
    "start_by_message: data": lambda e: e.start_by_message("m", PAIRS),
    "broadcast_signal: data": lambda e: e.broadcast_signal("sig", PAIRS),
    "correlated_instance: correlation": lambda e: e.correlated_instance(PAIRS),
    "add_mi_instance: data": lambda e: e.add_mi_instance("pi-9:ai-1", PAIRS),
}


@pytest.mark.parametrize("named", list(COMMANDS))
def test_message_signal_and_multi_instance_data_must_be_a_mapping(
    engine: Engine, named: str
) -> None:
    with pytest.raises(TypeError, match=rf"^{named} must be a mapping"):
        COMMANDS[named](engine)
