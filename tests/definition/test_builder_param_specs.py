"""``params=`` given to the builder, and messages that name what was being built.

One ``(id, mode, type)`` tuple where a list belongs used to be read item by item (a string
unpacks into characters), ending in "unknown parameter mode 'm'" that named nothing."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder
from wfengine.definition.builder import BuildError


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda pb: pb.application("app", params=("amt", "IN", "FLOAT")),
            "application 'app': params= is a list of formal parameters, not one bare tuple",
        ),
        (
            lambda pb: pb.process("m", params=("amt", "IN", "FLOAT")),
            "process 'm': params= is a list of formal parameters, not one bare tuple",
        ),
        (lambda pb: pb.process("m", params="amt"), "process 'm': params= is a list"),
        (
            lambda pb: pb.application("app", params=["amt"]),
            "application 'app': a formal parameter is (id, mode, type)",
        ),
    ],
)
def test_one_parameter_where_a_list_belongs_is_refused(make, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BuildError) as caught:
        make(PackageBuilder("p"))
    assert str(caught.value).startswith(says)


def test_a_message_mentioning_the_id_in_passing_still_names_the_process() -> None:
    with pytest.raises(BuildError) as caught:
        PackageBuilder("p").process("m", params=[("x", "m", "FLOAT")])
    assert str(caught.value).startswith("process 'm': unknown parameter mode 'm'")


def test_a_message_already_naming_the_event_is_not_named_twice() -> None:
    with pytest.raises(BuildError) as caught:
        PackageBuilder("p").process("m").intermediate("x", timer="PT1H", message="y")
    assert str(caught.value).startswith("event 'x': give one of")


def test_a_list_of_parameters_still_builds() -> None:
    pkg = PackageBuilder("p").process("m", params=[("amt", "IN", "FLOAT")]).build()
    assert [p.id for p in pkg.process("m").formal_parameters] == ["amt"]
