"""``wfengine message send --no-keep``: a message no catch event waits for now is not kept,
nothing changes, and the command prints ``ID not taken``; ``--keep`` (the default) keeps it
as before. Before, the command always kept it, so a customer's note sent while nothing asked
answered the next question, one the customer never saw (``send_message(keep=False)`` is what
the CRM example's own ``customer_reply`` uses to prevent that)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.io import dump_xpdl


def _waiting_for_hello(tmp_path: Path) -> tuple[str, str]:
    """An instance waiting for message ``hello``; message ``reply`` is caught after it."""
    pb = PackageBuilder("calls")
    p = pb.process("call").extended_attribute("wfengine:correlation", "phone")
    p.data_field("phone", "STRING")
    p.data_field("note", "STRING")
    p.start("s").intermediate("hello", message="hello").intermediate("reply", message="reply")
    p.end("e").sequence("s", "hello", "reply", "e")
    path = tmp_path / "calls.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", str(path), "--db", url, "--set", "phone=13800000101")
    assert started.exit_code == 0, started.output
    _work(url)
    return url, started.stdout.strip()


def _work(url: str) -> None:
    worked = cli("worker", "--db", url, "--until-idle")
    assert worked.exit_code == 0, worked.output


def _send(url: str, name: str, *options: str) -> tuple[int, str, str]:
    sent = cli("message", "send", name, "--db", url, "--correlate", "phone=13800000101",
               "--set", f"note={name}", *options)  # fmt: skip
    return sent.exit_code, sent.stdout, sent.stderr


def _state_and_note(url: str, pid: str) -> tuple[str, object]:
    with Engine(db_url=url) as engine:
        snap = engine.instance(pid)
        return snap.state.value, snap.data.get("note")


def test_no_keep_leaves_a_message_nothing_waits_for_untaken(tmp_path: Path) -> None:
    url, pid = _waiting_for_hello(tmp_path)
    code, out, err = _send(url, "reply", "--no-keep")
    assert (code, out) == (0, f"{pid} not taken\n")
    assert "with --no-keep it is not kept: nothing was changed" in err
    assert _state_and_note(url, pid) == ("open.running", None)
    assert _send(url, "hello")[:2] == (0, f"{pid} taken\n")
    _work(url)
    # the catch of "reply" now waits: the earlier reply did not answer it
    assert _state_and_note(url, pid) == ("open.running", "hello")
    assert _send(url, "reply", "--no-keep")[:2] == (0, f"{pid} taken\n")
    _work(url)
    assert _state_and_note(url, pid) == ("closed.completed", "reply")


@pytest.mark.parametrize("options", [(), ("--keep",)])
def test_keep_is_the_default_and_keeps_it_for_the_next_catch(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    url, pid = _waiting_for_hello(tmp_path)
    assert _send(url, "reply", *options)[:2] == (0, f"{pid} kept\n")
    assert _send(url, "hello")[:2] == (0, f"{pid} taken\n")
    _work(url)
    assert _state_and_note(url, pid)[0] == "closed.completed"


def test_no_keep_with_start_is_a_usage_error(tmp_path: Path) -> None:
    refused = cli("message", "send", "hello", "--db", sqlite_url(tmp_path), "--start",
                  "--no-keep")  # fmt: skip
    assert refused.exit_code == 2 and "no --no-keep" in refused.stderr


def test_help_names_both_flags() -> None:
    shown = cli("message", "send", "--help")
    assert "--keep / --no-keep" in shown.stdout
