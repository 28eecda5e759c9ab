"""A suspended instance takes no signal (a signal is not kept), so its process's declarations
do not refuse a broadcast's data: the running instances of another process take it. Before, a
suspended instance of ``p`` (``n`` an INTEGER) waiting for ``go`` made
``broadcast_signal("go", {"n": "abc"})`` a ``DataTypeError``, and the running ``q`` instance
(``n`` a STRING) never got the signal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model import Package
from wfengine.errors import DataTypeError


def _package() -> Package:
    """``p`` (``n`` INTEGER) and ``q`` (``n`` STRING), each waiting at a catch of ``go``."""
    pb = PackageBuilder("pkg")
    for process_id, kind in (("p", "INTEGER"), ("q", "STRING")):
        p = pb.process(process_id)
        p.data_field("n", kind)
        p.start("s").intermediate("c", signal="go").end("e").sequence("s", "c", "e")
    return pb.build()


def test_a_suspended_instance_does_not_refuse_what_running_ones_take(engine: Engine) -> None:
    engine.deploy(_package())
    suspended, running = engine.start_process("p"), engine.start_process("q")
    engine.suspend(suspended)
    assert engine.broadcast_signal("go", {"n": "abc"}) == 1
    taken = engine.instance(running)
    assert (taken.state, taken.data["n"]) == (ProcessState.COMPLETED, "abc")
    engine.resume(suspended)  # the signal came while it was suspended: lost, as documented
    kept = engine.instance(suspended)
    assert (kept.state, kept.data["n"]) == (ProcessState.RUNNING, None)


def test_a_running_instance_still_refuses_data_it_cannot_take(engine: Engine) -> None:
    engine.deploy(_package())
    waiting, other = engine.start_process("p"), engine.start_process("q")
    with pytest.raises(DataTypeError, match=r"signal 'go' to process 'p' version 1"):
        engine.broadcast_signal("go", {"n": "abc"})
    assert [engine.instance(i).state for i in (waiting, other)] == [ProcessState.RUNNING] * 2


def test_signal_send_reads_the_data_by_the_running_instances_only(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_package())
        suspended, running = engine.start_process("p"), engine.start_process("q")
        engine.suspend(suspended)
    sent = cli("signal", "send", "go", "--db", url, "--set", "n=abc")
    assert sent.exit_code == 0 and sent.stdout == "1 taken\n", sent.output
    with Engine(db_url=url) as engine:
        assert engine.instance(running).data["n"] == "abc"
        assert engine.instance(suspended).state is ProcessState.SUSPENDED
