"""``signal send --set`` is checked against exactly the processes the signal reaches now: the
versions with an instance waiting for it, and the process a Signal start event of that name
starts (its version valid now). A process that only catches the signal, with no instance
waiting, takes nothing and does not count."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.cli.event_data import Reading, agreed
from wfengine.definition.model import Package


def _package(catcher_code: str | None) -> Package:
    """'starter' (Signal start event 'sig', STRING ``code``) and 'catcher' (an intermediate
    catch of 'sig'; ``code`` of type ``catcher_code``, or undeclared when None)."""
    pb = PackageBuilder("sg")
    pb.participant("x")
    s = pb.process("starter")
    s.data_field("code", "STRING")
    s.start("ss", signal="sig").activity("w", performer="x").end("e").sequence("ss", "w", "e")
    c = pb.process("catcher")
    if catcher_code is not None:
        c.data_field("code", catcher_code)
    c.start("s0").intermediate("ca", signal="sig").end("e0").sequence("s0", "ca", "e0")
    return pb.build()


def _database(tmp_path: Path, catcher_code: str | None, *, waiting: bool) -> str:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_package(catcher_code))
        if waiting:
            engine.start_process("catcher")
    return url


def _codes(url: str) -> dict[str, list[object]]:
    """Each process's instances' ``code`` (absent: the string 'absent')."""
    found: dict[str, list[object]] = {}
    with Engine(db_url=url) as engine:
        for inst in engine.instances():
            found.setdefault(inst.process_id, []).append(inst.data.get("code", "absent"))
    return found


def test_a_signal_start_process_gets_its_typed_data(tmp_path: Path) -> None:
    """No catcher instance exists: ``code=007`` is read by 'starter' alone, a STRING."""
    url = _database(tmp_path, None, waiting=False)
    sent = cli("signal", "send", "sig", "--db", url, "--set", "code=007")
    assert (sent.exit_code, sent.stdout) == (0, "1 taken\n"), sent.output
    assert _codes(url) == {"starter": ["007"]}


def test_a_catcher_with_no_instance_waiting_does_not_count(tmp_path: Path) -> None:
    """'catcher' declares ``code`` an INTEGER, but nothing of it waits: ``abc`` is refused
    by no process the signal reaches."""
    url = _database(tmp_path, "INTEGER", waiting=False)
    sent = cli("signal", "send", "sig", "--db", url, "--set", "code=abc")
    assert (sent.exit_code, sent.stdout) == (0, "1 taken\n"), sent.output
    assert _codes(url) == {"starter": ["abc"]}


def test_a_waiting_catcher_and_the_started_process_are_both_checked(tmp_path: Path) -> None:
    url = _database(tmp_path, "INTEGER", waiting=True)
    wrong = cli("signal", "send", "sig", "--db", url, "--set", "code=abc")
    assert wrong.exit_code == 2, wrong.output
    assert "signal 'sig' reaches process 'catcher': code=abc" in wrong.stderr
    assert "expected INTEGER" in wrong.stderr
    differ = cli("signal", "send", "sig", "--db", url, "--set", "code=7")
    assert differ.exit_code == 2, differ.output
    assert (
        "signal 'sig' reaches processes 'catcher' and 'starter', which read code differently "
        "(int 7 and str '7')" in differ.stderr
    )
    assert _codes(url) == {"catcher": [None]}  # nothing taken, nothing started


def test_an_undeclared_name_needs_allow_undeclared_for_a_waiting_catcher(
    tmp_path: Path,
) -> None:
    url = _database(tmp_path, None, waiting=True)
    refused = cli("signal", "send", "sig", "--db", url, "--set", "code=12")
    assert refused.exit_code == 2, refused.output
    assert "signal 'sig' reaches process 'catcher': 'code' is not declared" in refused.stderr
    assert "use --allow-undeclared" in refused.stderr
    assert _codes(url) == {"catcher": ["absent"]}


def test_allow_undeclared_gives_the_declared_reading_to_every_taker(tmp_path: Path) -> None:
    """'starter' declares ``code`` a STRING, the waiting 'catcher' does not declare it: one
    value reaches both, as the engine delivers it (converted where declared, kept as given
    where not), so the declared reading '12' is what both hold; ``note``, which neither
    declares, is JSON."""
    url = _database(tmp_path, None, waiting=True)
    args = ("--set", "code=12", "--set", "note=5", "--allow-undeclared")
    sent = cli("signal", "send", "sig", "--db", url, *args)
    assert (sent.exit_code, sent.stdout) == (0, "2 taken\n"), sent.output
    assert _codes(url) == {"catcher": ["12"], "starter": ["12"]}
    with Engine(db_url=url) as engine:
        assert {i.process_id: i.data["note"] for i in engine.instances()} == {
            "catcher": 5,
            "starter": 5,
        }


def test_processes_that_declare_a_name_must_still_agree() -> None:
    """A process not declaring ``code`` does not decide its value, but two that declare it
    must read it the same way; ``exact`` (every reading the same) counts the undeclared
    one too."""

    def fallback() -> dict[str, object]:
        return {}

    text = Reading("a", None, {"code": "7"}, frozenset({"code"}))
    kept = Reading("b", None, {"code": 7}, frozenset())
    number = Reading("c", None, {"code": 7}, frozenset({"code"}))
    assert agreed([kept, text], "signal 'go'", "--set", fallback=fallback) == {"code": "7"}
    with pytest.raises(click.BadParameter, match=r"'a' and 'c', which read code differently"):
        agreed([text, kept, number], "signal 'go'", "--set", fallback=fallback)
    with pytest.raises(click.BadParameter, match=r"\(int 7 and str '7'\)"):
        agreed([kept, text], "signal 'go'", "--set", fallback=fallback, exact=True)
