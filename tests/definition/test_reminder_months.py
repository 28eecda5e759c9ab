"""A reminder or escalation interval in months or years is refused saying why.

``wfengine:reminder-after`` ``P1M`` was refused as "no duration above zero", though it is an
ISO 8601 duration: people looked for a typo. Months and years have no fixed length, so the
refusal says so and what to write, as a deadline's does."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package
from wfengine.definition.work_rules import REMINDER_DURATIONS
from wfengine.errors import DeployError


def _with_attribute(name: str, value: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk", extended={name: value}).end("e")
    p.sequence("s", "work", "e")
    return pb.build()


@pytest.mark.parametrize("value", ["P1M", "P1Y", "P1Y2M10D", "3 months"])
@pytest.mark.parametrize("name", REMINDER_DURATIONS)
def test_a_reminder_in_months_or_years_is_refused_saying_their_length_varies(
    name: str, value: str
) -> None:
    package = _with_attribute(name, value)
    (finding,) = [d for d in validate(package) if d.severity.value == "error"]
    assert finding.code == "reminder-duration" and finding.element_id == "work"
    assert f"{name} {value!r}, which is a length in months or years" in finding.message
    assert "write days or weeks (P30D, P52W)" in finding.message
    assert "no duration above zero" not in finding.message
    with pytest.raises(DeployError, match="months or years"):
        Engine().deploy(package, strict=True)


@pytest.mark.parametrize("value", ["PT0S", "P0D", "soon"])
def test_what_is_no_duration_above_zero_is_still_called_so(value: str) -> None:
    package = _with_attribute("wfengine:reminder-after", value)
    (finding,) = [d for d in validate(package) if d.severity.value == "error"]
    assert finding.message.endswith("which is no duration above zero")
