"""The names in every ``--help`` example are ones the shipped examples really have.

A user copies an example from ``--help`` and runs it on what the project ships
(``examples/*.xpdl``, ``examples/crm_complaint/complaint.xpdl``). Why: examples named a
process ``leave``, a field ``note``, an activity ``enter`` and a message ``reply`` that no
shipped file has, each failing as written; checking only the file names (test_help.py)
let them through. Where no shipped process can show a command (no shipped process catches
a signal or starts by a message), the example's own text says the names are the reader's.
"""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from tests.cli.command_paths import COMMANDS
from tests.cli.documents import EXAMPLES
from wfengine.cli.main import main

SHIPPED = [*sorted(EXAMPLES.glob("*.xpdl")), EXAMPLES / "crm_complaint" / "complaint.xpdl"]

#: names an example uses where no shipped process has one of their kind; the help that
#: shows them must say they are the reader's own
_YOUR_OWN = {"new_order", "item", "price_change", "rate", "inc-9", "to_approval"}


class Shipped:
    """The ids (and Names) the shipped definitions declare, by kind."""

    def __init__(self, files: list[Path]) -> None:
        self.processes: set[str] = set()
        self.activities: set[str] = set()
        self.fields: set[str] = set()
        self.transitions: set[str] = set()
        self.messages: set[str] = set()
        self.signals: set[str] = set()
        self.correlation_keys: set[str] = set()
        for file in files:
            for process in ElementTree.parse(file).getroot().iterfind(".//{*}WorkflowProcess"):
                self._read(process)

    def _read(self, process: ElementTree.Element) -> None:
        self.processes.add(process.get("Id", ""))
        for kind, found in (
            ("Activity", self.activities),
            ("Transition", self.transitions),
            ("DataField", self.fields),
            ("FormalParameter", self.fields),
        ):
            for element in process.iterfind(".//{*}" + kind):
                found |= {v for v in (element.get("Id"), element.get("Name")) if v}
        for message in process.iterfind(".//{*}Message"):
            self.messages |= {v for v in (message.get("Id"), message.get("Name")) if v}
        for signal in process.iterfind(".//{*}TriggerResultSignal"):
            self.signals.add(signal.get("Name", ""))
        for attribute in process.iterfind(".//{*}ExtendedAttribute"):
            if attribute.get("Name") == "wfengine:correlation":
                keys = (k.strip() for k in attribute.get("Value", "").split(","))
                self.correlation_keys |= set(keys)


@cache
def _shipped() -> Shipped:
    return Shipped(SHIPPED)


def _help(command: list[str]) -> str:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _example_lines(help_text: str) -> list[list[str]]:
    """The example command lines (a line ending in ``\\`` goes on on the next), as
    argument lists without the leading ``wfengine``."""
    section = re.split(r"^\s*Examples?:$", help_text, maxsplit=1, flags=re.MULTILINE)[-1]
    joined = re.sub(r"\\\n\s*", "", section)
    return [
        shlex.split(line)[1:]
        for line in (raw.strip() for raw in joined.splitlines())
        if line.startswith("wfengine ")
    ]


def _values(args: list[str], option: str) -> list[str]:
    return [args[i + 1] for i, word in enumerate(args[:-1]) if word == option]


def _named(args: list[str]) -> list[tuple[str, str, set[str]]]:
    """(what, name, the shipped names of its kind) for every name ``args`` uses."""
    shipped = _shipped()
    named = [("process", p, shipped.processes) for p in _values(args, "--process")]
    named += [("activity", a, shipped.activities) for a in _values(args, "--to-activity")]
    named += [("activity", a, shipped.activities) for a in _values(args, "--activity")]
    named += [("transition", t, shipped.transitions) for t in _values(args, "--take")]
    pairs = _values(args, "--set")
    if args[:2] == ["instance", "set"]:
        pairs += [w for w in args[3:] if "=" in w and not w.startswith("-")]
    named += [("data field", p.partition("=")[0], shipped.fields) for p in pairs]
    named += [
        ("correlation key", p.partition("=")[0], shipped.correlation_keys)
        for p in _values(args, "--correlate")
    ]
    if args[:2] == ["message", "send"]:
        named.append(("message", args[2], shipped.messages))
    if args[:2] == ["signal", "send"]:
        named.append(("signal", args[2], shipped.signals))
    return named


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_name_an_example_uses_is_shipped_or_said_to_be_the_readers(
    command: list[str],
) -> None:
    text = _help(command)
    for args in _example_lines(text):
        for what, name, known in _named(args):
            if name in known:
                continue
            line = "wfengine " + shlex.join(args)
            assert name in _YOUR_OWN, f"{line}: no shipped process has the {what} {name!r}"
            assert "your own names" in " ".join(text.split()), (
                f"{line}: say that {name!r} is the reader's own"
            )


def test_the_readers_own_names_are_none_a_shipped_process_has() -> None:
    shipped = _shipped()
    everything = (
        shipped.processes
        | shipped.activities
        | shipped.fields
        | shipped.transitions
        | shipped.messages
        | shipped.signals
    )
    assert not _YOUR_OWN & everything


def test_the_shipped_names_are_read() -> None:
    """The reading above finds what it checks against (a namespace slip would find none)."""
    shipped = _shipped()
    assert {"fulfil_order", "request_leave", "complaint"} <= shipped.processes
    assert {"enter_order", "submit", "approve"} <= shipped.activities
    assert {"order_id", "in_stock", "days", "customer_info"} <= shipped.fields
    assert "customer_reply" in shipped.messages
    assert {"phone", "acceptance_no"} <= shipped.correlation_keys
