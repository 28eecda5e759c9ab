"""A NAME given to ``--set`` (or in ``--answers``, or a ``--script`` step's ``set``) that the
process declares in a DataField or FormalParameter the reader could not read (a misspelt
BasicType, ``INTEGR``: kept as XML with an ``xpdl-unreadable`` warning) is refused saying so,
with the declaration's line and the reader's reason. Before, it said "'days' is not declared
by process 'request_leave'" though line 60 declares it, sending the author looking for a
declaration that is there. A name declared nowhere is refused as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine import PackageBuilder, dump_xpdl
from wfengine.cli.run_cmd import run

LEAVE_REQUEST = Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl"
_DAYS = (
    '<DataField Id="days" Name="Days requested">\n          <DataType><BasicType Type="INTEGER"/>'
)


def _misspelt(tmp_path: Path) -> tuple[str, int]:
    """The leave request with days' BasicType misspelt, and the line of its DataField."""
    text = LEAVE_REQUEST.read_text(encoding="utf-8")
    assert text.count(_DAYS) == 1
    path = tmp_path / "bad.xpdl"
    path.write_text(text.replace(_DAYS, _DAYS.replace("INTEGER", "INTEGR")), encoding="utf-8")
    return str(path), text[: text.index(_DAYS)].count("\n") + 1


def _refused(*args: str) -> str:
    result = CliRunner().invoke(run, list(args))
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())  # (click wraps nothing here; spaces as one)


def test_set_of_a_field_whose_declaration_could_not_be_read_says_so(tmp_path: Path) -> None:
    path, line = _misspelt(tmp_path)
    said = _refused(path, "--set", "employee_name=Ada", "--set", "days=8")
    assert (
        f"'days' is declared by process 'request_leave' (the data field at line {line}), but "
        "that declaration could not be read (unknown basic type 'INTEGR')"
    ) in said
    assert "--allow-undeclared" in said
    assert "not declared" not in said


@pytest.mark.parametrize(
    ("option", "content", "where"),
    [
        ("--answers", {"submit": [{"days": 8}]}, "answer 1 for 'submit': "),
        ("--script", [{"complete": "submit", "set": {"days": 8}}], "step 1 (complete 'submit'): "),
    ],
)
def test_answers_and_script_steps_say_the_same(
    tmp_path: Path, option: str, content: object, where: str
) -> None:
    path, line = _misspelt(tmp_path)
    given = tmp_path / "given.json"
    given.write_text(json.dumps(content))
    said = _refused(path, "--set", "employee_name=Ada", option, str(given))
    assert (
        f"{where}'days' is declared by process 'request_leave' (the data field at line {line})"
        in said
    )
    assert "(unknown basic type 'INTEGR')" in said


def test_a_name_declared_nowhere_is_still_not_declared(tmp_path: Path) -> None:
    path, _ = _misspelt(tmp_path)
    said = _refused(path, "--set", "dayz=8")
    assert "'dayz' is not declared by process 'request_leave'" in said


def test_allow_undeclared_still_sets_it(tmp_path: Path) -> None:
    path, _ = _misspelt(tmp_path)
    args = [path, "--set", "employee_name=Ada", "--set", "days=8", "--allow-undeclared", "--json"]
    result = CliRunner().invoke(run, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["days"] == 8


def _package_with(tmp_path: Path, *, where: str) -> tuple[str, int]:
    """A package whose package-level data field or process formal parameter ``limit`` has a
    misspelt type, and that element's line."""
    b = PackageBuilder("pkg")
    if where == "package":
        b.data_field("limit", "INTEGER")
    p = b.process("p")
    if where == "process":
        p.param("limit", "IN", "INTEGER")
    p.activity("a")
    text = dump_xpdl(b.build()).decode()
    tag = "<DataField" if where == "package" else "<FormalParameter"
    at = text.index(f'{tag} Id="limit"')
    text = text[:at] + text[at:].replace('Type="INTEGER"', 'Type="INTEGR"', 1)
    path = tmp_path / "p.xpdl"
    path.write_text(text, encoding="utf-8")
    return str(path), text[:at].count("\n") + 1


def test_a_package_field_and_a_formal_parameter_are_told_too(tmp_path: Path) -> None:
    path, line = _package_with(tmp_path, where="package")
    said = _refused(path, "--set", "limit=3")
    assert f"'limit' is declared by package 'pkg' (the data field at line {line}), but" in said
    path, line = _package_with(tmp_path, where="process")
    said = _refused(path, "--set", "limit=3")
    assert f"'limit' is declared by process 'p' (the formal parameter at line {line}), but" in said
    assert "could not be read (unknown basic type 'INTEGR')" in said
