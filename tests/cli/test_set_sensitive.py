"""A value refused for a sensitive data field (``wfengine:sensitive``) is not shown: ``--set``
and ``run --answers`` name the field and the type expected, as the engine does ("got a str
(not shown: sensitive)"), since a command's error goes to terminals, CI logs and captured
output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder

_SECRET = "12345x6789"


def _sensitive(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    pb.data_field("shared_pin", "INTEGER", extended={"wfengine:sensitive": "true"})
    p = pb.process("main")
    p.participant("clerk")
    p.data_field("pin", "INTEGER", name="Pin", extended={"wfengine:sensitive": "true"})
    p.data_field("amt", "FLOAT", extended={"wfengine:sensitive": "true"})
    p.data_field("days", "INTEGER")
    p.activity("review", performer="clerk")
    return write(tmp_path, pb)


def test_a_refused_set_value_of_a_sensitive_field_is_not_shown(tmp_path: Path) -> None:
    xpdl = _sensitive(tmp_path)
    for given in (f"pin={_SECRET}", f"Pin={_SECRET}", f"shared_pin={_SECRET}", "amt=1e999"):
        out = cli("run", xpdl, "--set", given)
        assert out.exit_code == 2, out.output
        name = given.partition("=")[0]
        assert f"{name}=***: data field " in out.output
        assert _SECRET not in out.output and "1e999" not in out.output
    out = cli("run", xpdl, "--set", f"pin={_SECRET}")
    assert "(INTEGER): expected INTEGER, got a str (not shown: sensitive)" in out.output


def test_a_field_not_sensitive_still_shows_the_value_refused(tmp_path: Path) -> None:
    out = cli("run", _sensitive(tmp_path), "--set", f"days={_SECRET}")
    assert out.exit_code == 2 and f"days={_SECRET}: " in out.output
    assert f"got str '{_SECRET}'" in out.output


def test_a_refused_answer_for_a_sensitive_field_is_not_shown(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"review": [{"pin": _SECRET}]}))
    out = cli("run", _sensitive(tmp_path), "--answers", str(answers))
    assert out.exit_code == 2, out.output
    assert "pin: data field 'pin' (INTEGER): expected INTEGER" in out.output
    assert _SECRET not in out.output and "not shown: sensitive" in out.output
