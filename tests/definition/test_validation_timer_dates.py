"""Validation and deploy agree on a timer's ``TimeDate``: validation reads it as the compiler
does (:func:`~wfengine.definition.reading.read_moment`), so a text written as a date that is
no ISO 8601 date (``2030-1-5``, ``2024-13-45``), which deploy refuses, is an
``expression-syntax`` error. It validated clean before, and deploy then refused it."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _waiting_until(at: str, *, boundary: bool) -> Package:
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.data_field("when", "DATETIME", initial="2030-01-05T00:00:00Z")
    if boundary:
        p.start("s").activity("work", performer="clerk").end("e").end("e2")
        p.intermediate("t", at=at, attached_to="work", interrupting=False)
        p.sequence("s", "work", "e").sequence("t", "e2")
    else:
        p.start("s").intermediate("t", at=at).activity("after").end("e")
        p.sequence("s", "t", "after", "e")
    return pb.build()


def _errors(package: Package) -> list[tuple[str, str | None]]:
    return [(d.code, d.element_id) for d in validate(package) if d.severity is Severity.ERROR]


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
    package = _waiting_until(at, boundary=boundary)
    assert _errors(package) == [("expression-syntax", "t")]
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
    package = _waiting_until(at, boundary=boundary)
    assert _errors(package) == []
    with Engine() as engine:
        engine.deploy(package)
