"""A built package is the package its XPDL file reads back as, whatever space its texts have.

Why: a deployment keeps a version only for an identical process, so a host deploying a built
package and a user deploying the file written from it made a new version each time while the
builder kept ``script="\\nx = 1\\n"`` or ``initial=""`` as given and the reader stripped the
one and read the other as None. Every builder argument the model keeps as an element's text
is tried here with surrounding whitespace, blank and empty.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfengine import (
    Engine,
    PackageBuilder,
    ProcessBuilder,
    VirtualClock,
    deadline,
    dump_xpdl,
    load_xpdl,
    multi_instance,
    standard_loop,
)
from wfengine.definition.model import Package

Use = Callable[[PackageBuilder, ProcessBuilder, str], object]

#: each text-taking builder argument, given the text ``v``
USES: dict[str, Use] = {
    "type_declaration(description=)": lambda b, p, v: b.type_declaration(
        "T", "STRING", description=v
    ),
    "participant(description=)": lambda b, p, v: b.participant("other", description=v),
    "application(description=)": lambda b, p, v: b.application("calc", description=v),
    "data_field(initial=)": lambda b, p, v: p.data_field("d", "STRING", initial=v),
    "data_field(description=)": lambda b, p, v: p.data_field("d", "STRING", description=v),
    "activity(description=)": lambda b, p, v: p.activity("x", description=v),
    "activity(priority=)": lambda b, p, v: p.activity("x", priority=v),
    "activity(limit=)": lambda b, p, v: p.activity("x", limit=v),
    "activity(performer=)": lambda b, p, v: p.activity("x", performer=v),
    "activity(performer=[...])": lambda b, p, v: p.activity("x", performer=["clerk", v]),
    "activity(script=)": lambda b, p, v: p.activity("x", script=v),
    "activity(args=)": lambda b, p, v: p.activity("x", tool="calc", args=["n", v]),
    "activity(tools=)": lambda b, p, v: p.activity("x", tools=[("calc", [v])]),
    "subflow(args=)": lambda b, p, v: p.subflow("x", process="main", args=[v]),
    "standard_loop(condition)": lambda b, p, v: p.activity("x", loop=standard_loop(v)),
    "multi_instance(count)": lambda b, p, v: p.activity("x", loop=multi_instance(v)),
    "multi_instance(complex_flow_condition=)": lambda b, p, v: p.activity(
        "x", loop=multi_instance("2", flow="Complex", complex_flow_condition=v)
    ),
    "deadline(duration)": lambda b, p, v: p.activity("x", deadlines=[deadline(v, "late")]),
    "deadline(exception)": lambda b, p, v: p.activity("x", deadlines=[("PT1H", v)]),
    "intermediate(timer=)": lambda b, p, v: p.intermediate("x", timer=v),
    "intermediate(at=)": lambda b, p, v: p.intermediate("x", at=v),
    "intermediate(condition=)": lambda b, p, v: p.intermediate("x", condition=v),
    "transition(condition=)": lambda b, p, v: p.transition("a", "e", condition=v),
    "transition(exception=)": lambda b, p, v: p.transition("a", "e", exception=v),
    "transition(description=)": lambda b, p, v: p.transition("a", "e", description=v),
}

TEXTS = ("\n    n = 1\n    m = n\n", "  n > 0 ", "", "   ", "\n")


def _built(use: Use, value: str) -> Package:
    b = PackageBuilder("pkg", script="text/python")
    b.participant("clerk")
    p = b.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.data_field("m", "INTEGER", initial="0")
    p.start("s").activity("a").end("e").sequence("s", "a", "e")
    use(b, p, value)
    return b.build()


@pytest.mark.parametrize("value", TEXTS)
@pytest.mark.parametrize("argument", USES)
def test_a_built_text_is_what_its_file_reads_back(argument: str, value: str) -> None:
    built = _built(USES[argument], value)
    assert load_xpdl(dump_xpdl(built)) == built


@settings(max_examples=60, deadline=None)
@given(
    argument=st.sampled_from(sorted(USES)),
    value=st.text(alphabet=" \t\r\nab1=>'", max_size=12),
)
def test_any_spacing_of_any_text_reads_back_the_same(argument: str, value: str) -> None:
    built = _built(USES[argument], value)
    assert load_xpdl(dump_xpdl(built)) == built


def test_a_blank_condition_stays_a_condition() -> None:
    """A blank ``condition=`` is read as ``<Condition Type="CONDITION"/>`` reads: a condition
    with no expression (which validation reports), never an unconditional transition."""
    built = _built(USES["transition(condition=)"], "  ")
    [t] = [t for t in built.process("main").transitions if t.condition is not None]
    assert t.condition is not None and t.condition.expression is None


def test_the_built_package_and_its_file_deploy_as_one_version() -> None:
    """What the report was about: deploying the package, then the file written from it,
    then the package again, kept version 1 (it made versions 1, 2, 3)."""
    b = PackageBuilder("pkg", script="text/python")
    p = b.process("main")
    p.data_field("total", "INTEGER", initial=" 0 ")
    p.start("s").activity("calc", script="\ntotal = total + 1\n").end("e")
    p.sequence("s", "calc", "e")
    built = b.build()
    engine = Engine(clock=VirtualClock())
    versions = [
        engine.deploy(package)[0].version for package in (built, load_xpdl(dump_xpdl(built)), built)
    ]
    assert versions == [1, 1, 1]
