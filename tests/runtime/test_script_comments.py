"""Comments in a script task's script are comments, as its package's language writes them
(``//`` and ``/* */`` in Java and JavaScript, ``#`` in the native language): what they hold is
never run, and a line that is only a comment is no statement. Before, a ``;`` inside a comment
cut it, so a commented-out ``approved = true`` ran; a comment line made the script unsupported
(an incident); an apostrophe in a ``//`` comment swallowed the next line."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, validate
from wfengine.definition.scripts import parse_assignments, split_statements
from wfengine.expressions import Language

JS = "text/javascript"


def _run(script: str, language: str | None) -> tuple[list[str], ProcessState, dict[str, object]]:
    pb = PackageBuilder("pkg", script=language)
    p = pb.process("main")
    p.data_field("total", "FLOAT").data_field("price", "FLOAT", initial="2.5")
    p.data_field("qty", "INTEGER", initial="4").data_field("approved", "BOOLEAN", initial="false")
    p.activity("calc", script=script)
    package = pb.build()
    found = [f.code for f in validate(package)]
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        inst = engine.instance(iid)
        return found, inst.state, dict(inst.data)


@pytest.mark.parametrize(
    ("language", "script", "approved"),
    [
        (JS, "total = price * qty // disabled: total = 0; approved = true", False),
        (None, "total = price * qty  # disabled: ; approved = True", False),
        (JS, "// compute the total\ntotal = price * qty;", False),
        (None, "# the total\ntotal = price * qty", False),
        (JS, "/* approved = true; */ total = price * qty", False),
        ("java", "/** the total;\n  of the order */\ntotal = price * qty", False),
        (JS, "total = price * qty // it's the net\napproved = true", True),
    ],
)
def test_what_a_comment_holds_is_never_run(
    language: str | None, script: str, approved: bool
) -> None:
    found, state, data = _run(script, language)
    assert found == []
    assert state is ProcessState.COMPLETED
    assert (data["total"], data["approved"]) == (10.0, approved)


def test_a_script_of_comments_only_assigns_nothing() -> None:
    found, state, data = _run("// nothing to do yet", JS)
    assert (found, state, data["total"]) == ([], ProcessState.COMPLETED, None)


@pytest.mark.parametrize(
    ("language", "text", "statements"),
    [
        # '//' is the native language's floor division, '#' is no comment in JavaScript
        (Language.NATIVE, "a = b // 2; c = '#x' # d = 1", ["a = b // 2", "c = '#x'"]),
        (Language.JAVASCRIPT, 'a = "x//y"; b = "#"', ['a = "x//y"', 'b = "#"']),
        # a block comment over lines ends a statement, as a new line does
        (Language.JAVASCRIPT, "a = 1 /* x\n y */ b = 2", ["a = 1", "b = 2"]),
        (Language.JAVASCRIPT, "z = f(1, // one\n 2)", ["z = f(1, \n 2)"]),
        # one left open is kept for the expression reader to refuse
        (Language.JAVASCRIPT, "a = 1 /* open; b = 2", ["a = 1 /* open; b = 2"]),
        (None, "a = 1 # x", ["a = 1 # x"]),
    ],
)
def test_statements_split_outside_comments(
    language: Language | None, text: str, statements: list[str]
) -> None:
    assert split_statements(text, language) == statements


def test_a_blank_script_is_still_no_assignments() -> None:
    assert parse_assignments("  \n ", Language.JAVASCRIPT) is None
    assert parse_assignments("/* only */", Language.JAVASCRIPT) == []


def test_a_native_triple_quoted_string_holding_an_apostrophe_and_a_hash_is_one_string() -> None:
    """``msg = '''it's #1'''`` was cut at the '#' (the apostrophe closed the string it read
    as ''+'), so deploy refused a script that had run."""
    quoted = "'" * 3 + "it's #1 on the list" + "'" * 3
    assert split_statements(f"msg = {quoted}; n = 1", Language.NATIVE) == [
        f"msg = {quoted}",
        "n = 1",
    ]
    assert parse_assignments(
        f"note = {quoted.replace(chr(39) * 3, chr(34) * 3)}", Language.NATIVE
    ) == [("note", quoted.replace("'" * 3, '"' * 3))]
