"""A ``wfengine:`` extended attribute wfengine does not read where it stands (a misspelt
``wfengine:reminder-afer``, ``wfengine:Reads``, a name read only on another kind of element) is
a warning, ``unknown-extension``, naming the element, the attribute and the closest name read
there: before, validation said nothing and the setting silently did nothing. Every
``"wfengine:..."`` constant in the source is in the catalogue the check reads, so a new
attribute cannot be read by the engine and reported as unknown at once."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT
from wfengine import PackageBuilder, validate
from wfengine.audit.trace_data import DATA_PREFIX
from wfengine.definition.checks.extensions import ALL_KNOWN, PREFIX
from wfengine.definition.diagnostics import Diagnostic, Severity


def _findings(
    *,
    activity: dict[str, str] | None = None,
    process: dict[str, str] | None = None,
    field: dict[str, str] | None = None,
    participant: dict[str, str] | None = None,
    application: dict[str, str] | None = None,
) -> list[Diagnostic]:
    pb = PackageBuilder("desk")
    pb.participant("clerk", extended=participant)
    pb.application("mailer", extended=application)
    p = pb.process("ticket")
    for name, value in (process or {}).items():
        p.extended_attribute(name, value)
    p.data_field("amount", "INTEGER", extended=field)
    p.activity("answer", performer="clerk", extended=activity)
    return [d for d in validate(pb.build()) if d.code == "unknown-extension"]


def test_a_misspelt_activity_attribute_is_a_warning_naming_the_closest() -> None:
    (found,) = _findings(activity={"wfengine:reminder-afer": "PT1H"})
    assert found.severity is Severity.WARNING
    assert found.element_id == "answer"
    assert "'wfengine:reminder-afer'" in found.message
    assert "'wfengine:reminder-after'" in found.message


def test_a_name_in_the_wrong_case_is_reported_with_the_right_one() -> None:
    (found,) = _findings(activity={"wfengine:Reads": "amount"})
    assert "'wfengine:reads'" in found.message


def test_a_name_read_on_another_kind_of_element_says_where() -> None:
    (found,) = _findings(field={"wfengine:milestone": "Paid"})
    assert found.element_id == "amount"
    assert "activities" in found.message


def test_process_participant_and_field_attributes_are_checked() -> None:
    found = _findings(
        process={"wfengine:corelation": "amount"},
        participant={"wfengine:retry": "3"},
        field={"wfengine:sensitve": "true"},
    )
    assert {d.element_id for d in found} == {"ticket", "clerk", "amount"}
    (process,) = (d for d in found if d.element_id == "ticket")
    assert "'wfengine:correlation'" in process.message


def test_the_attributes_wfengine_reads_are_not_reported() -> None:
    assert not _findings(
        activity={
            "wfengine:reminder-after": "PT1H",
            "wfengine:reads": "amount",
            "wfengine:milestone": "Answered",
            "wfengine:cancelRemaining": "true",
        },
        process={"wfengine:correlation": "amount", "wfengine:public-name": "Tickets"},
        field={"wfengine:sensitive": "true", "wfengine:export": "true", "wfengine:public": "1"},
        participant={"Other:anything": "x"},
    )


def test_application_settings_are_an_agents_to_read() -> None:
    assert not _findings(application={"wfengine:agent": "http", "wfengine:url": "https://x"})


def test_every_wfengine_constant_in_the_source_is_in_the_catalogue() -> None:
    """A ``NAME = "wfengine:..."`` constant (or tuple of them) anywhere in ``src`` is an
    attribute something reads; it must be in the catalogue, on its element kind."""
    constant = re.compile(r'^[A-Z_]+(?:, [A-Z_]+)* = (.*"wfengine:.*)$', re.MULTILINE)
    found: set[str] = set()
    for path in (REPO_ROOT / "src" / "wfengine").rglob("*.py"):
        for m in constant.finditer(path.read_text(encoding="utf-8")):
            found.update(re.findall(r'"(wfengine:[^"]+)"', m.group(1)))
    found.discard(PREFIX)  # the application registry's prefix of agent settings
    found.discard(DATA_PREFIX)  # the XES writer's key prefix for exported fields: no attribute
    assert found, "the search found no constant: its pattern no longer fits the source"
    assert found <= ALL_KNOWN, f"read but not catalogued: {sorted(found - ALL_KNOWN)}"
