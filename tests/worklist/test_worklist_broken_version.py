"""One instance on a stored version that no longer compiles (stored by an earlier wfengine)
does not hide the rest of a user's work: the worklist leaves its items out, a warning naming
the instance, and lists the items of healthy processes; an XES log writes every trace, that
instance's without data. Both raised its DeployError, losing everything."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder
from wfengine.audit import write_xes
from wfengine.cli.main import main
from wfengine.worklist.worklists import worklist


def _fill(url: str) -> tuple[str, str]:
    """An instance of ``desk`` (to be spoiled) and one of ``good``, each offering to clerk."""
    with Engine(db_url=url) as e:
        for pid in ("desk", "good"):
            pb = PackageBuilder(pid)
            pb.participant("clerk")
            proc = pb.process(pid)
            proc.route("begin")  # (a completed activity: XES then asks which ones are loops)
            proc.activity(
                "answer",
                performer="clerk",
                extended={"wfengine:reminder-every": "PT5M"} if pid == "desk" else None,
            )
            e.deploy(pb.build())
        broken, good = e.start_process("desk"), e.start_process("good")
    # a stored process this wfengine cannot compile (a reminder of no duration at all)
    rewrite_stored(url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    return broken, good


def test_a_worklist_leaves_out_an_instance_that_no_longer_compiles(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    broken, good = _fill(url)
    with caplog.at_level(logging.WARNING, logger="wfengine.worklist"), Engine(db_url=url) as e:
        assert [(x.item.instance_id, x.process_id) for x in worklist(e, "clerk")] == [
            (good, "good")
        ]
    assert f"left out the work items of instance {broken!r}" in caplog.text
    assert "does not compile" in caplog.text
    result = CliRunner().invoke(main, ["worklist", "--db", url, "--user", "clerk"])
    assert result.exit_code == 0, result.output
    assert "good/answer" in result.stdout and "desk" not in result.stdout


def test_an_xes_log_writes_every_trace_that_one_without_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    broken, good = _fill(url)
    out = io.BytesIO()
    with caplog.at_level(logging.WARNING, logger="wfengine.audit"), Engine(db_url=url) as e:
        assert write_xes(e, out) > 0
    text = out.getvalue().decode()
    assert f'value="{broken}"' in text and f'value="{good}"' in text
    assert f"instance {broken!r}: its trace is written without instance data" in caplog.text
    result = CliRunner().invoke(main, ["audit", "--db", url, "--format", "xes"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("<trace>") == 2


def test_an_activity_filter_of_a_version_that_no_longer_compiles_is_taken(tmp_path: Path) -> None:
    # (audit --activity answer was refused: "no version of process 'desk' has it", though
    # the version that has it could only not be read)
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    broken, _ = _fill(url)
    for process in (["--process", "desk"], []):
        result = CliRunner().invoke(
            main, ["audit", "--db", url, *process, "--activity", "answer", "--format", "csv"]
        )
        assert result.exit_code == 0, result.output
        assert f"{broken},5," in result.stdout  # its answer's events are listed (after begin's)
