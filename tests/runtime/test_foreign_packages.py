"""Packages written by other tools: foreign script languages, unset deadlines, the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import conformance_root
from tests.runtime.conftest import complete_all, run
from wfengine.cli.run_cmd import run as run_cmd
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _with_initial(script: str | None) -> PackageBuilder:
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("main")
    p.data_field("where", "STRING", initial="B").data_field("n", "INTEGER", initial="2 + 1")
    p.data_field("quoted", "STRING", initial='"A"')
    p.activity("a")
    return pb


def test_foreign_package_takes_bare_string_initial_values_literally(engine: Engine) -> None:
    iid = run(engine, _with_initial("text/javascript"))
    assert engine.instance(iid).data == {"where": "B", "n": 3, "quoted": "A"}


def test_native_package_reads_string_initial_values_as_text_too(engine: Engine) -> None:
    # a STRING's bare text is the text itself in every package; numbers are still expressions
    iid = run(engine, _with_initial(None))
    assert engine.instance(iid).data == {"where": "B", "n": 3, "quoted": "A"}


def test_an_initial_value_naming_no_earlier_field_refuses_the_process(engine: Engine) -> None:
    from wfengine.errors import DeployError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="m + 1").data_field("m", "INTEGER", initial="1")
    p.activity("a")
    with pytest.raises(DeployError, match="no data field declared before it"):
        engine.deploy(pb.build())


def test_deadline_with_empty_duration_is_no_deadline(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity(
        "wait", performer="clerk", deadlines=[deadline("", "late"), deadline("None", "late")]
    )
    iid = run(engine, pb)
    assert engine.timers(iid) == []
    assert complete_all(engine, iid) == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def _corpus() -> list[Path]:
    root = conformance_root()
    return sorted((root / "xpdl").rglob("*.xpdl")) if root else []


@pytest.mark.skipif(not _corpus(), reason="conformance corpus not found at ../shared/conformance")
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_runs_or_says_why_not(path: Path) -> None:
    """`wfengine run` never crashes on a real file: it completes, waits (3), or explains (1)."""
    result = CliRunner().invoke(run_cmd, [str(path), "--json"])
    if result.exit_code == 2:  # a repository package: nothing to run
        assert "has no workflow process" in result.output
        return
    assert result.exit_code in (0, 1, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    if result.exit_code in (0, 3):
        out = json.loads(result.stdout)
        assert out["state"].startswith("closed.completed" if result.exit_code == 0 else "open.")
