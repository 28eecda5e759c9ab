"""``wfengine validate - -``: standard input is read once, so naming it twice is a usage error
(exit 2), as ``run`` refuses a second standard input, not a second read that comes back
empty and is reported as a malformed document (exit 1)."""

from __future__ import annotations

from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST
from wfengine.cli.main import main


def test_standard_input_named_twice_is_a_usage_error() -> None:
    twice = CliRunner().invoke(main, ["validate", "-", "-"], input=LEAVE_REQUEST.read_bytes())
    assert twice.exit_code == 2, twice.output
    assert "only one FILE can be standard input (-)" in twice.stderr
    assert twice.stdout == ""
    once = CliRunner().invoke(main, ["validate", "-"], input=LEAVE_REQUEST.read_bytes())
    assert once.exit_code == 0, once.output
