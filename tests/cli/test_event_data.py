"""``message send``, ``signal send`` and ``run --script`` message steps: the data an event
carries is checked against the processes that take it, as ``instance start --set`` is, and
``--correlate`` values are read by their key field's declared type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine, PackageBuilder


def _package() -> PackageBuilder:
    pb = PackageBuilder("evt")
    p = pb.process("main")
    p.extended_attribute("wfengine:correlation", "order_no")
    p.data_field("order_no", "STRING")
    p.data_field("n", "INTEGER", initial="1")
    p.data_field("ok", "BOOLEAN")
    p.start("s").intermediate("wait_msg", message="reply").intermediate("wait_sig", signal="go")
    p.end("e").sequence("s", "wait_msg", "wait_sig", "e")
    q = pb.process("bymsg")
    q.data_field("item", "STRING")
    q.start("ms", trigger="Message", message="new_order").activity("pack", performer="clerk")
    q.end("qe").sequence("ms", "pack", "qe")
    return pb


@pytest.fixture
def url(tmp_path: Path) -> str:
    db = sqlite_url(tmp_path)
    started = cli(
        "instance", "start", write(tmp_path, _package()), "--db", db, "--set", "order_no=12345"
    )
    assert started.exit_code == 0 and started.stdout == "pi-1\n", started.output
    assert cli("worker", "--db", db, "--until-idle").exit_code == 0  # the catch waits
    return db


def _data(url: str, instance_id: str) -> dict[str, object]:
    with Engine(db_url=url) as engine:
        return engine.instance(instance_id).data


@pytest.mark.parametrize(
    ("assignment", "said"),
    [
        ("n=abc", "n=abc: data field 'n' (INTEGER): expected INTEGER"),
        ("ok=1", "ok=1: data field 'ok' (BOOLEAN)"),
        ("nn=2", "'nn' is not declared by process 'main'; its data fields and formal"),
    ],
)
def test_message_send_refuses_data_its_instance_does_not_declare(
    url: str, assignment: str, said: str
) -> None:
    sent = cli("message", "send", "reply", "--db", url, "--instance", "pi-1", "--set", assignment)
    assert sent.exit_code == 2, sent.output
    assert said in sent.stderr
    assert _data(url, "pi-1") == {"order_no": "12345", "n": 1, "ok": None}  # nothing taken


def test_message_send_converts_to_the_declared_types(url: str) -> None:
    args = ("message", "send", "reply", "--db", url, "--instance", "pi-1")
    sent = cli(*args, "--set", "n=7", "--set", "ok=true", "--set", "order_no=007")
    assert sent.exit_code == 0 and sent.stdout == "pi-1 taken\n", sent.output
    assert _data(url, "pi-1") == {"order_no": "007", "n": 7, "ok": True}


def test_allow_undeclared_lets_other_names_through(url: str) -> None:
    args = ("message", "send", "reply", "--db", url, "--instance", "pi-1", "--set", "note=5")
    assert cli(*args, "--allow-undeclared").exit_code == 0
    assert _data(url, "pi-1")["note"] == 5


def test_a_numeric_looking_correlation_value_finds_a_string_key(url: str) -> None:
    """``--correlate order_no=12345`` is the STRING '12345' the instance holds, not 12345."""
    sent = cli("message", "send", "reply", "--db", url, "--correlate", "order_no=12345")
    assert sent.exit_code == 0 and sent.stdout == "pi-1 taken\n", sent.output


def test_message_send_start_checks_the_started_process(url: str) -> None:
    args = ("message", "send", "new_order", "--db", url, "--start")
    typo = cli(*args, "--set", "itme=kettle")
    assert typo.exit_code == 2 and "'itme' is not declared by process 'bymsg'" in typo.stderr
    with Engine(db_url=url) as engine:
        assert [i.id for i in engine.instance_summaries()] == ["pi-1"]  # none started
    started = cli(*args, "--set", "item=123")
    assert started.exit_code == 0, started.output
    assert _data(url, started.stdout.split()[0]) == {"item": "123"}  # a STRING keeps the text


def test_signal_send_checks_the_processes_that_take_it(url: str) -> None:
    sent = cli("message", "send", "reply", "--db", url, "--instance", "pi-1")
    assert sent.exit_code == 0 and cli("worker", "--db", url, "--until-idle").exit_code == 0
    typo = cli("signal", "send", "go", "--db", url, "--set", "undeclared_typo=5")
    assert typo.exit_code == 2 and "'undeclared_typo' is not declared by process" in typo.stderr
    wrong = cli("signal", "send", "go", "--db", url, "--set", "n=abc")
    assert wrong.exit_code == 2 and "expected INTEGER" in wrong.stderr
    taken = cli("signal", "send", "go", "--db", url, "--set", "n=3")
    assert taken.exit_code == 0 and taken.stdout == "1 taken\n", taken.output
    assert _data(url, "pi-1")["n"] == 3
    lost = cli("signal", "send", "nobody_waits", "--db", url, "--set", "x=1")
    assert lost.exit_code == 0 and lost.stdout == "0 taken\n"  # nothing to check it against


def test_processes_that_read_a_signal_differently_are_named(tmp_path: Path) -> None:
    pb = PackageBuilder("two")
    for process_id, kind in (("a", "INTEGER"), ("b", "STRING")):
        p = pb.process(process_id)
        p.data_field("code", kind)
        p.start("s").intermediate("w", signal="go").end("e").sequence("s", "w", "e")
    url = sqlite_url(tmp_path)
    path = write(tmp_path, pb)
    for process_id in ("a", "b"):
        started = cli("instance", "start", path, "--process", process_id, "--db", url)
        assert started.exit_code == 0, started.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # both catches wait
    sent = cli("signal", "send", "go", "--db", url, "--set", "code=7")
    assert sent.exit_code == 2
    assert "reaches processes 'a' and 'b', which read code differently" in sent.stderr


def _subflow_package() -> PackageBuilder:
    pb = PackageBuilder("sm")
    m = pb.process("main")
    m.start("s").subflow("call", process="child").end("e").sequence("s", "call", "e")
    c = pb.process("child")
    c.data_field("n", "INTEGER")
    c.start("cs").intermediate("w", message="ping").end("ce").sequence("cs", "w", "ce")
    return pb


def test_a_script_message_reaches_the_subflow_that_catches_it(tmp_path: Path) -> None:
    path = write(tmp_path, _subflow_package())
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": "ping", "set": {"n": "4"}}]))
    ran = cli("run", path, "--script", str(script), "--json")
    assert ran.exit_code == 0, ran.output
    out = json.loads(ran.stdout)
    assert out["state"] == "closed.completed" and out["waiting"] == []


def test_a_script_message_is_checked_against_the_process_that_catches_it(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, _subflow_package())
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": "ping", "set": {"n": "four"}}]))
    ran = cli("run", path, "--script", str(script))
    assert ran.exit_code == 2
    assert "step 1 (message 'ping'): n: data field 'n' (INTEGER)" in ran.stderr
