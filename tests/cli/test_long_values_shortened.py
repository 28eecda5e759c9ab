"""A refused value of thousands of characters is named shortened, as ``--set`` and JSON
numbers name theirs (``9999999999...(5000 characters)``): a script's ``{"advance":
"P999...9D"}``, a definition's ``wfengine:retries`` or ``wfengine:timeout``, an MI count or a
deadline's seconds past every limit were echoed whole, burying what the message said."""

from __future__ import annotations

import click
import pytest

from tests.runtime.test_huge_integer_counts import HUGE, _incidents, _package
from wfengine import deadline, multi_instance
from wfengine.cli.script_steps import _duration
from wfengine.definition.application_settings import read_retries, read_seconds

NINES = "9" * 5000


def test_a_long_advance_is_named_shortened() -> None:
    with pytest.raises(click.UsageError) as caught:
        _duration(f"P{NINES}D", "--script s.json, step 1")
    message = caught.value.message
    assert message.startswith("--script s.json, step 1: 'P999999999...(5002 characters)' is ")
    assert len(message) < 200


def test_long_application_settings_are_named_shortened() -> None:
    with pytest.raises(ValueError, match=r"not '9999999999\.\.\.\(5000 characters\)'$"):
        read_retries(NINES)
    with pytest.raises(ValueError, match=r"above 0, not '9999999999\.\.\.\(400 characters\)'$"):
        read_seconds("9" * 400, "timeout", positive=True)
    with pytest.raises(ValueError, match=r"not 'abc'$"):  # (a short one whole)
        read_retries("abc")


def test_a_huge_count_or_wait_is_named_shortened() -> None:
    (count,) = _incidents(_package(loop=multi_instance("n")), HUGE)
    (wait,) = _incidents(_package(performer="r", deadlines=[deadline("n", "x")]), HUGE)
    shown = "1" + "0" * 29 + "...(401 characters)"
    assert f"gave {shown}, more instances than RuntimeLimits.max_mi_instances" in count
    assert f"deadline gave {shown} seconds; expected 0 to" in wait
