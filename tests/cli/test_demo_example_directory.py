"""Where ``wfengine demo crm`` finds the example when installed from a wheel (which holds no
``examples/``): under the current directory, as at the top of a source checkout. Before, the
default was computed from the installed package's path only, so the README's demo line failed
even inside a checkout, and the message said to "run from a source checkout".

An installed wheel is simulated by pointing the checkout's default at a directory that does not
exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine.cli import demo_cmd

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_cmd, "CHECKOUT_EXAMPLE", tmp_path / "site-packages" / "nowhere")


@pytest.mark.usefixtures("installed")
def test_an_installed_wfengine_runs_the_example_of_the_checkout_it_is_run_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPOSITORY)
    result = cli("demo", "crm", "--complaints", "2", "--db", sqlite_url(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"the example at {REPOSITORY / 'examples' / 'crm_complaint'}" in result.stderr
    assert "The day's trail" in result.stdout


@pytest.mark.usefixtures("installed")
def test_elsewhere_it_says_where_to_run_it_or_what_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("demo", "crm", "--complaints", "1")
    assert result.exit_code == 2, result.output
    assert "not installed with wfengine (a wheel holds no examples)" in result.stderr
    assert str(tmp_path / "examples" / "crm_complaint") in result.stderr
    assert "--example path/to/examples/crm_complaint" in result.stderr


def test_an_example_option_without_the_example_is_named(tmp_path: Path) -> None:
    result = cli("demo", "crm", "--complaints", "1", "--example", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert f"--example {tmp_path}: no CRM example there (no day.py)" in result.stderr


@pytest.mark.usefixtures("installed")
def test_a_database_refusal_stays_the_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line naming the example comes once the day can run, after what refuses it."""
    monkeypatch.chdir(REPOSITORY)
    result = cli("demo", "crm", "--complaints", "1", "--db", "nosuchdb://x")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: unsupported database")
    assert "the example at" not in result.stderr
