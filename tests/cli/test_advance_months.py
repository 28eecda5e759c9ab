"""``run --script`` with ``{"advance": "P1M"}`` is refused saying months vary in length.

It said "'P1M' is not an ISO 8601 duration such as PT1H30M", which it is: people looked for
a typo. Months and years have no fixed length, so a clock cannot be moved by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.databases import write
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder


@pytest.mark.parametrize("value", ["P1M", "P2Y", "P1Y2M"])
def test_an_advance_in_months_or_years_is_a_usage_error_saying_why(
    tmp_path: Path, value: str
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"advance": value}]))
    result = CliRunner().invoke(main, ["run", write(tmp_path, pb), "--script", str(script)])
    assert result.exit_code == 2
    assert f"step 1: {value!r} is a length in months or years, which varies" in result.output
    assert "write days or weeks (P30D, P52W) or seconds" in result.output
    assert "is not an ISO 8601 duration" not in result.output
