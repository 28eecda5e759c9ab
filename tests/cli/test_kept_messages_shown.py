"""What an instance keeps of the messages sent to it before a catch took them: listed by
``engine.instance(id).messages`` and by ``instance show`` (text and ``kept_messages`` in
``--json``), oldest first, and gone once a catch takes them. Before, a kept message showed
only as a ``message.kept`` audit event: nothing said whether it was still waiting."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, KeptMessage, PackageBuilder, VirtualClock
from wfengine.definition.io import dump_xpdl


def _package() -> PackageBuilder:
    """Waits for ``hello``, then for ``reply``."""
    pb = PackageBuilder("calls")
    p = pb.process("call")
    p.data_field("note", "STRING")
    p.start("s").intermediate("hello", message="hello").intermediate("reply", message="reply")
    p.end("e").sequence("s", "hello", "reply", "e")
    return pb


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_the_snapshot_lists_the_messages_kept_until_a_catch_takes_them(
    store: str, tmp_path: Path
) -> None:
    clock = VirtualClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as e:
        e.deploy(_package().build())
        iid = e.start_process("call")
        assert e.instance(iid).messages == ()
        assert e.send_message("reply", {"note": "early"}, instance_id=iid) is False  # kept
        kept = e.instance(iid).messages
        assert kept == (KeptMessage("reply", {"note": "early"}, clock.now()),)
        kept[0].data["note"] = "changed by the reader"  # a copy: the instance keeps its own
        assert e.instance(iid).messages[0].data == {"note": "early"}
        assert e.send_message("hello", {}, instance_id=iid) is True
        # the catch of reply came next and took the kept message: nothing waits any more
        assert e.instance(iid).messages == ()
        assert e.instance(iid).data["note"] == "early"


def test_instance_show_lists_the_kept_messages(tmp_path: Path) -> None:
    path = tmp_path / "calls.xpdl"
    path.write_bytes(dump_xpdl(_package().build()))
    url = sqlite_url(tmp_path)
    [iid] = cli("instance", "start", str(path), "--db", url).stdout.split()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    shown = json.loads(cli("instance", "show", iid, "--db", url, "--json").stdout)
    assert shown["kept_messages"] == []
    sent = cli("message", "send", "reply", "--db", url, "--instance", iid, "--set", "note=a\nb")
    assert sent.stdout.strip() == f"{iid} kept", sent.output
    shown = json.loads(cli("instance", "show", iid, "--db", url, "--json").stdout)
    # added at the end (parent_instance_id came after them)
    assert list(shown)[-3:] == ["version", "kept_messages", "parent_instance_id"]
    [message] = shown["kept_messages"]
    assert message["name"] == "reply" and message["data"] == {"note": "a\nb"}
    assert datetime.fromisoformat(message["kept_at"]).tzinfo is not None
    text = cli("instance", "show", iid, "--db", url).stdout.splitlines()
    at = text.index("kept messages (no catch has taken them yet):")
    # one line per message, its line break escaped
    assert text[at + 1].startswith("  reply\t") and text[at + 1].endswith("{'note': 'a\\nb'}")
    assert len(text) == at + 2
