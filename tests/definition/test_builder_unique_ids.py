"""Ids the builder refuses to share, where the model or XPDL 2.2's keys want them apart."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder
from wfengine.definition.builder import BuildError


def test_a_formal_parameter_and_a_data_field_of_other_types_may_not_share_an_id() -> None:
    pb = PackageBuilder("p")
    p = pb.process("m", params=[("x", "IN", "INTEGER")])
    p.data_field("x", "STRING", initial="'abc'")
    with pytest.raises(BuildError) as caught:
        pb.build()
    assert str(caught.value).startswith(
        "'x' in process 'm' is a formal parameter of type INTEGER and a data field of type STRING"
    )


def test_an_array_and_a_single_value_differ() -> None:
    pb = PackageBuilder("p")
    pb.process("m", params=[("x", "IN", "STRING")]).data_field("x", "STRING", is_array=True)
    with pytest.raises(BuildError, match="type STRING and a data field of type STRING\\[\\]"):
        pb.build()


def test_a_field_of_the_same_type_may_share_a_parameter_id() -> None:
    """How a parameter gets a field's extras (a secret marking, a default): documented."""
    pb = PackageBuilder("p")
    pb.process("m", params=[("x", "IN", "INTEGER")]).data_field("x", "integer", initial="1")
    process = pb.build().process("m")
    assert [p.id for p in process.formal_parameters] == [f.id for f in process.data_fields]


def test_a_transition_may_not_take_an_activitys_id() -> None:
    pb = PackageBuilder("p")
    pb.process("m").start("s").end("e").transition("s", "e", id="s")
    with pytest.raises(BuildError) as caught:
        pb.build()
    assert str(caught.value).startswith(
        "transition 's' -> 'e' in process 'm' has id 's', which is an activity's"
    )


def test_an_activity_set_may_not_take_a_process_id() -> None:
    pb = PackageBuilder("p")
    pb.process("other")
    p = pb.process("m")
    p.activity_set("other").activity("q")
    with pytest.raises(BuildError) as caught:
        pb.build()
    assert str(caught.value).startswith(
        "activity set 'other' of process 'm' has the id of process 'other'"
    )


def test_an_empty_transition_id_is_generated() -> None:
    pb = PackageBuilder("p")
    p = pb.process("m").start("s").activity("a").end("e")
    p.transition("s", "a", id="").transition("a", "e", id="")
    ids = [t.id for t in pb.build().process("m").transitions]
    assert ids == ["t1", "t2"]
