"""Text no UTF-8 output can hold, at the command line. A public STRING field holding a lone
surrogate (half an emoji a web form cut) ended ``wfengine status ID --brief`` in a
``UnicodeEncodeError`` traceback, while the detailed text and ``--json`` coped: it is U+FFFD
now, as in the ``audit`` table. And a ``--set`` VALUE holding a byte that is not UTF-8
(``café`` typed in a Latin-1 terminal, ``'caf\\udce9'`` to Python) was stored silently while
ids holding one are refused: it is a usage error now, and nothing is started."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine, PackageBuilder


def _notes() -> PackageBuilder:
    pb = PackageBuilder("crm")
    p = pb.process("complaint")
    p.participant("clerk")
    p.data_field("note", "STRING", extended={"wfengine:public": "true"})
    p.start("s0").activity("w", performer="clerk").end("e0").sequence("s0", "w", "e0")
    return pb


def test_brief_text_shows_a_lone_surrogate_as_the_replacement_character(
    tmp_path: Path,
) -> None:
    db = sqlite_url(tmp_path)
    engine = Engine(db_url=db)
    try:
        engine.deploy(_notes().build())
        iid = engine.start_process("complaint", {"note": "Thanks \ud83d"})
    finally:
        engine.close()
    text = cli("status", iid, "--db", db, "--brief")
    assert text.exit_code == 0, text.output
    assert "  note: Thanks \ufffd" in text.stdout
    brief = cli("status", iid, "--db", db, "--brief", "--json")  # (lossless, as before)
    assert json.loads(brief.stdout)["fields"]["note"] == "Thanks \ud83d"


def test_a_set_value_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    result = cli("run", write(tmp_path, _notes()), "--db", db, "--set", "note=caf\udce9")
    assert result.exit_code == 2, result.output
    assert "note: its value holds a byte 0xE9 that is not UTF-8 (at character 4" in result.output
    assert "caf" not in result.output  # (the value itself is never shown: it may be secret)
    assert "Invalid value for --set" in result.output
    listed = cli("instances", "--db", db, "--json")
    assert listed.exit_code != 0 or json.loads(listed.stdout) == []  # (nothing started)
