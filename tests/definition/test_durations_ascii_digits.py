"""A duration is written in ASCII digits. A regex's ``\\d`` matches every Unicode digit and
``float`` reads them, so ``{"advance": "P１D"}`` (a full-width 1) advanced a script's clock a
day, and a definition's deadline ``P１D`` waited one, where every other reader sees no ISO
8601 duration. Now both are refused as any malformed duration is, saying why."""

from __future__ import annotations

import click
import pytest

from wfengine import PackageBuilder, validate
from wfengine.cli.script_steps import _duration
from wfengine.definition.durations import counts_months_or_years, parse_duration
from wfengine.definition.event_texts import Timer, timer_of
from wfengine.definition.reading import ReadKind, UnreadDurationError, read_duration
from wfengine.expressions import Language

FULL_WIDTH_1 = "\uff11"
ARABIC_INDIC_3 = "\u0663"


@pytest.mark.parametrize(
    "text",
    [
        f"P{FULL_WIDTH_1}D",
        f"PT1.{FULL_WIDTH_1}H",
        f"{FULL_WIDTH_1} day",
        f"{ARABIC_INDIC_3} hours",
        "PT1\u017f",  # (a long s, which case-folds to S)
    ],
)
def test_a_duration_with_other_digits_is_none(text: str) -> None:
    assert parse_duration(text) is None
    assert parse_duration(text.translate({0xFF11: "1", 0x0663: "3", 0x17F: "S"})) is not None


def test_months_are_counted_in_ascii_digits_only() -> None:
    assert counts_months_or_years("P1M")
    assert not counts_months_or_years(f"P{FULL_WIDTH_1}M")


def test_a_deadline_in_full_width_digits_is_refused_saying_why() -> None:
    reading = read_duration(f"P{FULL_WIDTH_1}D", Language.NATIVE)
    assert reading.kind is ReadKind.UNPARSEABLE and reading.refused
    assert isinstance(reading.error, UnreadDurationError)
    assert "a digit is none of 0-9" in reading.error.message


def test_a_script_advance_in_full_width_digits_is_refused() -> None:
    with pytest.raises(click.UsageError, match="is not an ISO 8601 duration"):
        _duration(f"P{FULL_WIDTH_1}D", "--script s.json, step 1")


def test_a_timer_cycle_counted_in_full_width_digits_is_refused() -> None:
    b = PackageBuilder("pk")
    p = b.process("p")
    p.start("st")
    p.intermediate("t", timer=f"R{FULL_WIDTH_1}/PT1H")  # (it repeated once)
    p.end("e")
    p.sequence("st", "t", "e")
    package = b.build()
    event = package.workflow_processes[0].activity("t").event
    assert event is not None
    assert timer_of(event) == Timer(text=f"R{FULL_WIDTH_1}/PT1H")  # (no count read from it)
    assert "expression-syntax" in [d.code for d in validate(package)]
