"""``wfengine run --script``: ``set`` belongs to the steps that take data (complete, message,
signal, add_instance); on an advance, cancel or terminate step it was checked and then dropped,
so a run went on without the data its author wrote. It is now a usage error naming the step,
and a step is named as the file wrote it (not ``advance datetime.timedelta(seconds=600)``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_run_script import _review, _run
from wfengine.cli.script_steps import read_steps


@pytest.mark.parametrize(
    "step",
    [
        {"advance": "PT10M", "set": {"note": "late"}},
        {"advance": 600, "set": {"no_such_field": 1}},
        {"cancel": "check", "set": {"note": "x"}},
        {"terminate": True, "set": {}},
    ],
)
def test_a_set_on_a_step_that_takes_no_data_is_a_usage_error_naming_it(
    tmp_path: Path, step: dict[str, Any]
) -> None:
    result = _run(tmp_path, _review(), [{"complete": "check"}, step])
    assert result.exit_code == 2, result.output
    action = next(k for k in step if k != "set")
    assert 'step 2: "set" goes only with complete, message, signal, add_instance' in (result.output)
    assert f"{action!r} takes no data" in result.output


def test_a_step_is_named_as_the_file_wrote_it(tmp_path: Path) -> None:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"advance": "PT10M"}, {"advance": 600}, {"terminate": True}]))
    assert [str(s) for s in read_steps(str(script))] == [
        "step 1 (advance 'PT10M')",
        "step 2 (advance 600)",
        "step 3 (terminate true)",
    ]


def test_terminating_an_ended_instance_is_exit_1_naming_the_step(tmp_path: Path) -> None:
    result = _run(tmp_path, _review(), [{"terminate": True}, {"terminate": True}])
    assert result.exit_code == 1
    assert "step 2 (terminate true): cannot terminate" in result.output
