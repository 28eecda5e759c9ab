"""Every option naming a file (or an ``--apps`` module) refuses an empty name as a usage error
naming the option (exit 2), before the command does anything. ``Path("")`` is the current
directory: ``convert -o ''`` said "cannot write : Is a directory" after the conversion,
``simulate --scenario ''`` ".: cannot read the scenario: Is a directory", ``audit -o ''``
silently wrote to stdout, and ``worker --apps ''`` started a supervisor and a child before
"Empty module name"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import output_file, write_output

EXAMPLES = Path(__file__).parents[2] / "examples"
LEAVE = str(EXAMPLES / "leave_request.xpdl")
COMPLAINT = str(EXAMPLES / "crm_complaint" / "complaint.xpdl")
WHATIF = str(EXAMPLES / "crm_complaint" / "whatif.yaml")


def _refused(args: tuple[str, ...], option: str) -> str:
    out = cli(*args)
    assert out.exit_code == 2, out.output
    assert re.search(rf"Invalid value for {option}: the name is empty \(''\)", out.output), (
        out.output
    )
    return out.output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("convert", LEAVE, "-o", ""), "'-o' / '--output'"),
        (("render", LEAVE, "-o", ""), "'-o' / '--output'"),
        (("render", LEAVE, "-o", "", "--format", "dot"), "'-o' / '--output'"),
        (("simulate", COMPLAINT, "--scenario", ""), "'--scenario'"),
        (("simulate", COMPLAINT, "--scenario", WHATIF, "--compare", ""), "'--compare'"),
        (("simulate", COMPLAINT, "--scenario", WHATIF, "--plot", ""), "'--plot'"),
        (("simulate", COMPLAINT, "--scenario", WHATIF, "--apps", ""), "'--apps'"),
        (("run", LEAVE, "--apps", ""), "'--apps'"),
        (("validate", LEAVE, "--apps", ""), "'--apps'"),
        (("stats", "--plot", ""), "'--plot'"),
        (("stats", "--diagram", ""), "'--diagram'"),
    ],
)
def test_an_empty_file_option_is_a_usage_error_naming_it(
    args: tuple[str, ...], option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _refused(args, option)
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_audit_output_empty_is_refused_not_written_to_stdout(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    _refused(("audit", "--db", url, "-o", ""), "'-o' / '--output'")


def test_worker_apps_empty_is_refused_before_anything_starts(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    output = _refused(("worker", "--db", url, "--apps", "", "--until-idle"), "'--apps'")
    assert "supervising" not in output
    assert not (tmp_path / "wf.db").exists()  # no database made for a run that never began


def test_answers_empty_names_the_option() -> None:
    out = cli("run", LEAVE, "--answers", "")
    assert out.exit_code == 2, out.output
    assert "--answers: cannot read '': the file name is empty" in out.output


def test_output_file_refuses_an_empty_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputOutputError, match=r"cannot write '': the file name is empty"):
        write_output("", b"data")
    with (
        pytest.raises(InputOutputError, match=r"cannot write '': the file name is empty"),
        output_file("", binary=False),
    ):
        pass  # pragma: no cover (never reached)
    assert list(tmp_path.iterdir()) == []
