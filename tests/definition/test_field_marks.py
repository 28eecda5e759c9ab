"""``field-mark``: a DataField's ``wfengine:public`` or ``wfengine:export`` that is neither
true nor false is an error, as ``sensitive-mark`` is one for ``wfengine:sensitive``.

Found by a QA pass: ``wfengine:public="yes"`` and ``wfengine:export="1"`` were read as no
(only the exact text ``true`` was yes) with no finding, so a field the author marked public
was hidden from customers and left out of the XES log, while ``wfengine:sensitive`` took
``yes`` and ``1`` and refused other words. The three marks now read alike
(:func:`~wfengine.definition.checks.field_marks.mark_flag`), and another word is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO_ROOT
from wfengine import DeployError, Engine, PackageBuilder, load_xpdl, validate
from wfengine.applications.redaction import is_sensitive_field
from wfengine.cli.main import main
from wfengine.definition.checks.field_marks import EXPORT, PUBLIC, mark_flag, marked
from wfengine.definition.checks.sensitive_marks import field_flag
from wfengine.definition.diagnostics import CODES, Severity
from wfengine.definition.model import DataField, ExtendedAttribute, Package

YES = ["true", "TRUE", " true ", "yes", "Yes", "1"]
NO = ["false", "False", "no", "NO", "0"]
NEITHER = ["treu", "on", "y", "public", "2", "  "]


def _package(marks: dict[str, str], *, package_level: bool = False) -> Package:
    b = PackageBuilder("pk")
    if package_level:
        b.data_field("ref", "STRING", extended=marks)
    p = b.process("p")
    if not package_level:
        p.data_field("ref", "STRING", extended=marks)
    p.activity("a")
    return b.build()


def _findings(package: Package) -> list[tuple[str, Severity, str | None, str]]:
    return [
        (d.code, d.severity, d.element_id, d.message)
        for d in validate(package)
        if d.code in {"field-mark", "sensitive-mark"}
    ]


@pytest.mark.parametrize("package_level", [False, True], ids=["process", "package"])
@pytest.mark.parametrize("name", [PUBLIC, EXPORT])
@pytest.mark.parametrize("value", NEITHER)
def test_a_value_that_is_neither_true_nor_false_is_an_error_the_deploy_refuses(
    name: str, value: str, package_level: bool
) -> None:
    package = _package({name: value}, package_level=package_level)
    [(code, severity, element, message)] = _findings(package)
    assert (code, severity, element) == ("field-mark", Severity.ERROR, "ref")
    assert f"{name} {value!r}" in message
    assert "true/false, yes/no or 1/0" in message
    with pytest.raises(DeployError, match="field-mark"):
        Engine().deploy(package)


@pytest.mark.parametrize("name", [PUBLIC, EXPORT])
@pytest.mark.parametrize("value", YES + NO)
def test_yes_no_words_are_no_finding(name: str, value: str) -> None:
    assert _findings(_package({name: value})) == []


def test_the_code_is_as_severe_as_sensitive_mark() -> None:
    assert CODES["field-mark"][0] is CODES["sensitive-mark"][0] is Severity.ERROR


@pytest.mark.parametrize("value", YES + NO + NEITHER)
def test_the_three_marks_read_alike(value: str) -> None:
    """Each word means the same on ``wfengine:sensitive``, ``public`` and ``export``; the
    fallback for a word validation refuses (a definition deployed before the check) is the
    safe one for each: hidden (sensitive), not shown, not exported."""
    read = mark_flag(ExtendedAttribute(name=PUBLIC, value=value))
    assert field_flag(ExtendedAttribute(name="wfengine:sensitive", value=value)) is read
    marks = {n: value for n in ("wfengine:sensitive", PUBLIC, EXPORT)}
    field = _field(tuple(ExtendedAttribute(name=n, value=v) for n, v in marks.items()))
    assert marked(field, PUBLIC) is marked(field, EXPORT) is (read is True)
    assert is_sensitive_field(field) is (read is not False)


def _field(marks: tuple[ExtendedAttribute, ...]) -> DataField:
    [built] = _package({}).workflow_processes[0].data_fields
    return built.model_copy(update={"extended_attributes": marks})


@pytest.mark.parametrize("value", [None, ""], ids=["absent", "empty"])
def test_a_mark_with_no_value_is_yes_for_sensitive_and_refused_for_public_and_export(
    value: str | None,
) -> None:
    """A bare ``wfengine:sensitive`` hides the field (it always did: a bare mark hides more,
    never less); a bare ``public`` or ``export`` would show a value to outsiders or write it
    into a log that leaves the engine, so it takes a word said on purpose: refused, and
    read as no where an earlier wfengine stored it."""
    bare = (
        ExtendedAttribute(name=PUBLIC, value=value),
        ExtendedAttribute(name=EXPORT, value=value),
    )
    field = _field((*bare, ExtendedAttribute(name="wfengine:sensitive", value=value)))
    assert not marked(field, PUBLIC) and not marked(field, EXPORT)
    assert is_sensitive_field(field)
    for name in (PUBLIC, EXPORT):
        [(code, _, element, message)] = _findings(_package({name: value or ""}))
        assert (code, element) == ("field-mark", "ref")
        assert f"{name} with no value, which is neither true nor false" in message


def test_validate_reports_the_qa_file_at_the_marks_line(tmp_path: Path) -> None:
    """The QA pass's file (r3_public_export_yes.sh): ``yes`` and ``1`` pass; ``on`` is an
    error line of ``wfengine validate``, exit 1, at the attribute's line."""
    src = (REPO_ROOT / "examples" / "leave_request.xpdl").read_text(encoding="utf-8")
    field = '<DataField Id="employee_name" Name="Employee name">'
    assert field in src
    marks = (
        '<ExtendedAttributes><ExtendedAttribute Name="wfengine:public" Value="yes"/>'
        '<ExtendedAttribute Name="wfengine:export" Value="1"/>'
        '<ExtendedAttribute Name="wfengine:sensitive" Value="no"/></ExtendedAttributes>'
    )
    good = tmp_path / "good.xpdl"
    good.write_text(src.replace(field, field + "\n" + marks), encoding="utf-8")
    assert [d for d in validate(load_xpdl(good)) if d.code == "field-mark"] == []
    bad = tmp_path / "bad.xpdl"
    bad.write_text(
        src.replace(field, field + "\n\n" + marks.replace('Value="1"', 'Value="on"')),
        encoding="utf-8",
    )
    line = src[: src.index(field)].count("\n") + 3
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert (
        f"{bad}:{line}: error field-mark: DataField 'employee_name' has wfengine:export 'on'"
        in (result.stdout)
    )
