"""``-0`` given as text for a FLOAT (``--set f=-0``, a form's field) was 0.0: the text was
read as the integer 0 first, which has no sign. It is -0.0 now, as ``-0.0`` and
``float("-0")`` are; every other integer text converts as before."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine, PackageBuilder
from wfengine.applications.coercion import coerce
from wfengine.definition.model import BasicTypeKind


@pytest.mark.parametrize(
    ("text", "expected"), [("-0", -0.0), (" -00 ", -0.0), ("0", 0.0), ("+0", 0.0), ("-5", -5.0)]
)
def test_integer_text_keeps_its_sign(text: str, expected: float) -> None:
    value = coerce(text, BasicTypeKind.FLOAT)
    assert type(value) is float and value == expected
    assert math.copysign(1.0, value) == math.copysign(1.0, expected)


def test_set_minus_zero_is_stored_with_its_sign(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.data_field("f", "FLOAT")
    p.start("s0").activity("w", performer="clerk").end("e0").sequence("s0", "w", "e0")
    result = cli("instance", "start", write(tmp_path, pb), "--db", db, "--set", "f=-0")
    assert result.exit_code == 0, result.output
    engine = Engine(db_url=db)
    try:
        [inst] = engine.instances()
        assert math.copysign(1.0, inst.data["f"]) == -1.0
    finally:
        engine.close()
