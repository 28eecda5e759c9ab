"""Validation and deploy agree on a timer's ``TimeDate``: validation reads it as the compiler
does (:func:`~wfengine.definition.reading.read_moment`), so a text written as a date that is
no ISO 8601 date (``2030-1-5``, ``2024-13-45``), which deploy refuses, is an
``expression-syntax`` error. It validated clean before, and deploy then refused it."""

from __future__ import annotations

import pytest

from tests.definition.timer_packages import errors, waiting_until
from wfengine import Engine, validate
from wfengine.errors import DeployError


@pytest.mark.parametrize("boundary", [False, True], ids=["intermediate", "boundary"])
@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2030-1-5", "write the month and day with two digits: 2030-01-05"),
        ("2024-13-45", "it is no date"),
    ],
)
def test_a_timer_date_that_is_no_iso_date_is_an_error_and_deploy_refuses_it(
    at: str, why: str, boundary: bool
) -> None:
    package = waiting_until(at, boundary=boundary)
    assert errors(package) == [("expression-syntax", "t")]
    [finding] = [d for d in validate(package) if d.code == "expression-syntax"]
    assert f"the timer date of activity 't' in process 'main' is {at!r}" in finding.message
    assert why in finding.message
    with Engine() as engine, pytest.raises(DeployError, match="expression-syntax"):
        engine.deploy(package)


@pytest.mark.parametrize("boundary", [False, True], ids=["intermediate", "boundary"])
@pytest.mark.parametrize(
    "at", ["2030-01-05T09:00:00Z", "2030-01-05", "when + timedelta(days=1)", "datetime(2030, 1, 5)"]
)
def test_a_valid_timer_date_or_an_expression_is_no_error_and_deploys(
    at: str, boundary: bool
) -> None:
    package = waiting_until(at, boundary=boundary)
    assert errors(package) == []
    with Engine() as engine:
        engine.deploy(package)
