"""The same ``--set`` field given twice is a usage error naming it (exit 2), as a key written
twice in a JSON value, ``--answers`` or ``--script`` and a ``--correlate`` KEY given twice
are: the later value silently won (``--set days=3 --set days=4`` ran on 4; ``--set
approved=true --set Approved=false``, the field by its id and by its Name, on False)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST
from wfengine.cli.main import main


@pytest.mark.parametrize(
    ("sets", "words"),
    [
        (["days=3", "days=4"], "'days' is given more than once"),
        (
            ["approved=true", "Approved=false", "days=9"],
            "'approved' and 'Approved' both name data field 'approved': give it once",
        ),
    ],
)
def test_a_field_set_twice_is_exit_2_naming_it(sets: list[str], words: str) -> None:
    args = ["run", str(LEAVE_REQUEST), "--json"]
    for assignment in sets:
        args += ["--set", assignment]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and result.stdout == ""


def test_an_undeclared_name_set_twice_is_refused_too() -> None:
    args = ["run", str(LEAVE_REQUEST), "--allow-undeclared", "--set", "x=1", "--set", "x=2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "'x' is given more than once" in result.stderr


def test_fields_set_once_each_still_run() -> None:
    args = ["run", str(LEAVE_REQUEST), "--set", "days=3", "--set", "Approved=true"]
    assert CliRunner().invoke(main, args).exit_code == 0
