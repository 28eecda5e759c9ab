"""A builder flag given as text is refused, not read by its truth.

A flag read from a configuration file or the environment arrives as ``"false"``, a true string:
``end(terminate="false")`` made a Terminate end that ended the whole instance, and
``transition(otherwise="false")`` an Otherwise transition. Each flag takes True or False only,
as ``throw=`` always did, and the error names what was being built.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import BuildError, PackageBuilder, ProcessBuilder

Call = Callable[[ProcessBuilder], object]

CASES: list[tuple[str, Call, str]] = [
    ("end terminate", lambda p: p.end("quick", terminate="false"), "end event 'quick'"),
    ("otherwise", lambda p: p.transition("a", "z", otherwise="false"), "'a' -> 'z'"),
    (
        "default_exception",
        lambda p: p.transition("a", "z", default_exception="no"),
        "'a' -> 'z'",
    ),
    ("start interrupting", lambda p: p.start("s", interrupting="false"), "start event 's'"),
    (
        "boundary interrupting",
        lambda p: p.intermediate("b", attached_to="a", timer="PT1H", interrupting="false"),
        "intermediate event 'b'",
    ),
    ("data field is_array", lambda p: p.data_field("f", "STRING", is_array="false"), "'f'"),
    ("data field read_only", lambda p: p.data_field("f", "STRING", read_only=1), "'f'"),
    ("throw", lambda p: p.intermediate("m", message="go", throw="false"), "event 'm'"),
]


@pytest.mark.parametrize(("call", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_flag_given_as_text_is_refused_naming_what_was_built(call: Call, names: str) -> None:
    p = PackageBuilder("pk").process("main")
    with pytest.raises(BuildError, match=r"is True or False, not") as caught:
        call(p)
    assert names in str(caught.value)


def test_terminate_false_as_a_bool_still_makes_a_plain_end() -> None:
    b = PackageBuilder("pk")
    p = b.process("main")
    p.start("a").end("z", terminate=False).end("t", terminate=True)
    p.sequence("a", "z").transition("a", "t", condition="false")
    process = b.build().process("main")
    assert process.activity("z").body.trigger == "None"  # type: ignore[union-attr]
    assert process.activity("t").body.trigger == "Terminate"  # type: ignore[union-attr]


def test_otherwise_false_as_a_bool_adds_no_condition() -> None:
    b = PackageBuilder("pk")
    p = b.process("main")
    p.start("a").end("z").transition("a", "z", otherwise=False)
    assert b.build().process("main").transitions[0].condition is None
