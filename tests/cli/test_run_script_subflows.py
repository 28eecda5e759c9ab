"""``wfengine run --script``: the steps act on the run's instance or its subflows (README), on
the memory store and on a database alike.

``cancel`` and ``add_instance`` looked only at the members of the tree some earlier lookup
happened to touch, so an activity of a synchronous subflow was "no open instance" until then;
a ``message`` step passed over a subflow's attached message event waiting for it (only catch
events counted), and the root kept the message for a later catch of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.cli.databases import sqlite_url, write
from wfengine import Engine
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder, multi_instance

STORES = ["memory", "sqlite"]


def _run(tmp_path: Path, pb: PackageBuilder, steps: Any, store: str) -> Result:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps(steps))
    args = ["run", write(tmp_path, pb), "--script", str(script), "--json"]
    if store == "sqlite":
        args += ["--db", sqlite_url(tmp_path)]
    return CliRunner().invoke(main, args)


def _calling() -> tuple[PackageBuilder, Any]:
    """A package whose first process (the one ``run`` starts) ``main`` calls ``child``
    synchronously and then does ``after``; and the builder of ``child``."""
    pb = PackageBuilder("pkg")
    main_process = pb.process("main")
    main_process.subflow("call", process="child").activity("after")
    main_process.transition("call", "after")
    return pb, pb.process("child")


def _child_with_work() -> PackageBuilder:
    pb, c = _calling()
    c.activity("w", performer="clerk").activity("w2", performer="clerk")
    c.transition("w", "w2")
    return pb


def _child_with_mi() -> PackageBuilder:
    pb, c = _calling()
    c.data_field("item", "STRING")
    c.activity("each", performer="clerk", loop=multi_instance("2"))
    return pb


@pytest.mark.parametrize("store", STORES)
def test_a_cancel_step_reaches_an_open_activity_of_a_subflow(tmp_path: Path, store: str) -> None:
    result = _run(tmp_path, _child_with_work(), [{"cancel": "w"}], store)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed" and out["trace"] == ["call", "after"]
    if store == "sqlite":  # the child's w was cancelled (its thread ends there), not done
        engine = Engine.from_url(sqlite_url(tmp_path))
        [child] = [i for i in engine.instances() if i.process_id == "child"]
        states = [(a.activity_id, a.state.value) for a in engine.activity_instances(child.id)]
        assert states == [("w", "closed.aborted")] and engine.trace(child.id) == []


@pytest.mark.parametrize("store", STORES)
def test_an_add_instance_step_grows_a_multi_instance_activity_of_a_subflow(
    tmp_path: Path, store: str
) -> None:
    steps = [{"add_instance": "each", "set": {"item": "third"}}]
    result = _run(tmp_path, _child_with_mi(), steps, store)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "closed.completed"
    if store == "sqlite":
        engine = Engine.from_url(sqlite_url(tmp_path))
        [child] = [i for i in engine.instances() if i.process_id == "child"]
        assert engine.trace(child.id) == ["each", "each", "each"]


def _boundary_in_child() -> PackageBuilder:
    """The child's running ``w`` has an interrupting attached message event ``go``; the
    parent catches ``go`` only after the subflow."""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.subflow("call", process="child").intermediate("pm", message="go").activity("after")
    m.sequence("call", "pm", "after")
    c = pb.process("child")
    c.activity("w", performer="clerk")
    c.intermediate("bm", attached_to="w", message="go")
    c.activity("handler")
    c.transition("bm", "handler")
    return pb


@pytest.mark.parametrize("store", STORES)
def test_a_message_step_goes_to_a_subflows_attached_event_that_waits(
    tmp_path: Path, store: str
) -> None:
    result = _run(tmp_path, _boundary_in_child(), [{"message": "go"}], store)
    # the child's boundary took it (w withdrawn, handler ran); the parent then waits at its
    # own catch of "go", which nothing sent (before: the parent kept the message, its catch
    # took it later, and the child's w was completed by the runner instead)
    assert result.exit_code == 3, result.output
    out = json.loads(result.stdout)
    assert out["trace"] == ["call"]
    assert [(w["kind"], w["activity_id"]) for w in out["waiting"]] == [("message", "pm")]
