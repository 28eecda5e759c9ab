"""A failed correlation lookup does not show a sensitive key's value: ``pin=***``, as the type
error for that key (and the audit trail) shows it. Before, ``correlated_instance({"pin":
4712})`` and ``message send --correlate pin=4712`` said ``no open process instance
"pin=4712"``, a PIN in clear in an error a host logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import NotFoundError


def _package(*, pin_sensitive: bool) -> Package:
    """``main``, correlated by ``ref`` and ``pin`` (``pin`` sensitive or not), waiting for
    message ``reply``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "ref, pin")
    p.data_field("ref", "STRING")
    marked = {"wfengine:sensitive": "true"} if pin_sensitive else {}
    p.data_field("pin", "INTEGER", extended=marked)
    p.start("s").intermediate("c", message="reply").end("e").sequence("s", "c", "e")
    return pb.build()


def test_a_sensitive_keys_value_is_not_shown(engine: Engine) -> None:
    engine.deploy(_package(pin_sensitive=True))
    engine.start_process("main", {"ref": "A-17", "pin": 4711})
    with pytest.raises(NotFoundError) as raised:
        engine.correlated_instance({"ref": "A-17", "pin": 4712}, message="reply")
    assert "ref='A-17', pin=***" in str(raised.value)
    assert "4712" not in str(raised.value)


def test_sensitive_in_any_version_is_enough(engine: Engine) -> None:
    engine.deploy(_package(pin_sensitive=False))
    engine.start_process("main", {"ref": "A-17", "pin": 4711})
    engine.deploy(_package(pin_sensitive=True))
    with pytest.raises(NotFoundError) as raised:
        engine.correlated_instance({"pin": 4712})
    assert "pin=***" in str(raised.value) and "4712" not in str(raised.value)


def test_a_key_not_sensitive_is_shown_as_before(engine: Engine) -> None:
    engine.deploy(_package(pin_sensitive=False))
    shown = r"no open process instance with correlation 'pin=4712'"
    with pytest.raises(NotFoundError, match=shown):
        engine.correlated_instance({"pin": 4712})


def test_message_send_does_not_show_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_package(pin_sensitive=True))
        engine.start_process("main", {"ref": "A-17", "pin": 4711})
    sent = cli("message", "send", "reply", "--db", url, "--correlate", "pin=4712")
    assert sent.exit_code == 1, sent.output
    said = "no open process instance with correlation 'pin=***' (for message 'reply')"
    assert said in sent.stderr
    assert "4712" not in sent.output
