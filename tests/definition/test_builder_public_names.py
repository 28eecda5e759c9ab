"""What the builder's arguments take is public: a host builds loops, deadlines, enumeration
types, pools and activity sets with names imported from ``wfengine`` itself.

``loop=``, ``deadlines=``, ``pool()`` and enumeration fields needed ``standard_loop``,
``multi_instance``, ``deadline``, ``EnumerationType``, ``Pool`` and ``Lane`` from internal
modules (README: "the modules below it are internal and may change")."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

import wfengine
from wfengine import (
    ActivitySetBuilder,
    BuildError,
    EnumerationType,
    Lane,
    PackageBuilder,
    Pool,
    Severity,
    deadline,
    dump_xpdl,
    load_xpdl,
    multi_instance,
    standard_loop,
    validate,
)

NAMES = (
    "ActivitySetBuilder",
    "EnumerationType",
    "Lane",
    "Pool",
    "deadline",
    "multi_instance",
    "standard_loop",
)


def test_the_builders_argument_constructors_are_exported() -> None:
    assert set(NAMES) <= set(wfengine.__all__)


def test_a_package_using_them_builds_from_public_names_only() -> None:
    pb = PackageBuilder("pk")
    pb.type_declaration("Colour", EnumerationType(values=("red", "green")))
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("colour", "Colour", initial="'red'").data_field("n", "INTEGER", initial="0")
    blocks: ActivitySetBuilder = p.activity_set("inner")
    blocks.activity("step")
    p.start("s")
    p.activity("count", script="n = n + 1", loop=standard_loop("n < 3", counter="n"))
    p.activity("each", loop=multi_instance("2"))
    p.activity("ask", performer="clerk", deadlines=[deadline("PT1H", "late")])
    p.block("b", activity_set="inner").end("e").activity("chase", performer="clerk").end("e2")
    p.sequence("s", "count", "each", "ask", "b", "e")
    p.transition("ask", "chase", exception="late").sequence("chase", "e2")
    lane = Lane(id="lane", performers=("clerk",))
    pb.pool(Pool(id="pool", process="main", boundary_visible=True, lanes=(lane,)))
    package = pb.build()
    assert not [d for d in validate(package) if d.severity is Severity.ERROR]
    assert load_xpdl(dump_xpdl(package)) == package


def test_importing_wfengine_still_imports_the_builder_only_when_used() -> None:
    code = (
        "import sys, wfengine; "
        "print('wfengine.definition.builder' in sys.modules, "
        "'wfengine.definition.model' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: standard_loop(5), r"standard_loop\(\): condition: .*given 5"),  # type: ignore[arg-type]
        (lambda: standard_loop("n < 3", maximum="x"), r"standard_loop\(\): maximum: "),  # type: ignore[arg-type]
        (lambda: multi_instance(3), r"multi_instance\(\): mi_condition: .*given 3"),  # type: ignore[arg-type]
        (lambda: deadline(5, "late"), r"deadline\(\): duration: .*given 5"),  # type: ignore[arg-type]
    ],
    ids=["loop-condition", "loop-maximum", "mi-count", "deadline-duration"],
)
def test_the_public_constructors_refuse_a_bad_argument_as_a_build_error(
    make: Callable[[], object], message: str
) -> None:
    """They raised pydantic's bare ValidationError, the builder's tuple forms a BuildError."""
    with pytest.raises(BuildError, match=message):
        make()
