"""Builder arguments of the wrong kind: a BuildError at the call, naming what was built.

They used to surface as a bare pydantic ValidationError at ``build()``, far from the call, or
as a TypeError/AttributeError from inside the builder."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import PackageBuilder
from wfengine.definition.builder import BuildError
from wfengine.definition.model import Pool

Make = Callable[[], object]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: PackageBuilder("p").process("m", name=5), "process 'm': name is text, not 5"),
        (lambda: PackageBuilder("p").process(5), "process 5: the id is text"),  # type: ignore[arg-type]
        (
            lambda: PackageBuilder("p").process("m", access_level=5),  # type: ignore[arg-type]
            "process 'm': access_level is text",
        ),
        (lambda: PackageBuilder("p", script=5), "package 'p': script"),  # type: ignore[arg-type]
        (lambda: PackageBuilder(5), "package 5: the id is text"),  # type: ignore[arg-type]
        (
            lambda: PackageBuilder("p").process("m").activity_set("S", name=5),  # type: ignore[arg-type]
            "activity set 'S': name is text",
        ),
        (
            lambda: (
                PackageBuilder("p").process("m").activity_set("S", adhoc="Parallel", completion=5)
            ),  # type: ignore[arg-type]
            "activity set 'S': completion (an expression) is text",
        ),
        (
            lambda: PackageBuilder("p").pool("lane1"),  # type: ignore[arg-type]
            "package 'p': pool() takes a Pool model",
        ),
        (
            lambda: PackageBuilder("p").process("m").intermediate("w", message=5),  # type: ignore[arg-type]
            "event 'w': message= is text, not 5",
        ),
        (
            lambda: PackageBuilder("p").process("m").intermediate("w", throw="yes"),  # type: ignore[arg-type]
            "event 'w': throw= is True or False",
        ),
        (
            lambda: PackageBuilder("p").process("m").add_activity("x"),  # type: ignore[arg-type]
            "process 'm': add_activity() takes an Activity model, not 'x'",
        ),
        (
            lambda: PackageBuilder("p").process("m").add_transition(("a", "b")),  # type: ignore[arg-type]
            "process 'm': add_transition() takes a Transition model",
        ),
    ],
)
def test_a_wrong_argument_is_a_build_error_at_the_call(make: Make, says: str) -> None:
    with pytest.raises(BuildError) as caught:
        make()
    assert str(caught.value).startswith(says)


def test_adhoc_ordering_is_taken_in_any_case() -> None:
    pb = PackageBuilder("p")
    p = pb.process("m")
    p.activity_set("S", adhoc="sequential").activity("a")
    p.start("s").block("b", activity_set="S").end("e").sequence("s", "b", "e")
    assert ("AdHocOrdering", "Sequential") in pb.build().process("m").activity_sets[0].extra_attrs


def test_a_model_refusal_at_build_time_names_the_package() -> None:
    pb = PackageBuilder("p")
    pb.pool(Pool(id="pl", process="m"))
    pb._pools.append("lane1")  # type: ignore[arg-type]  # past every check: the last resort
    with pytest.raises(BuildError, match=r"^package 'p': pools\.1"):
        pb.build()
