"""``and-join-after-xor`` through branches that hold gateways: decided by dominators."""

from __future__ import annotations

from tests.definition.test_validation import act, field, one, pkg, proc, tr
from wfengine.definition.model import ConditionType, GatewayType, Join, Split
from wfengine.definition.validation import validate

XOR = Split(type=GatewayType.EXCLUSIVE)
AND = Split(type=GatewayType.PARALLEL)
OTHER = ConditionType.OTHERWISE


def _nested(inner_split: Split, upstream_and: bool = False) -> list[str]:
    """g chooses a or b; b splits (by ``inner_split``) into c and d, which meet at m; a and m
    meet at the Parallel join j. With ``upstream_and`` a Parallel split sends two tokens to g."""
    activities = [
        act("g", split=XOR),
        act("a"),
        act("b", split=inner_split),
        act("c"),
        act("d"),
        act("m", join=Join(type=GatewayType.EXCLUSIVE)),
        act("j", join=Join(type=GatewayType.PARALLEL)),
        act("e"),
    ]
    transitions = [
        tr("1", "g", "a", "v"),
        tr("2", "g", "b", kind=OTHER),
        tr("3", "b", "c", "v" if inner_split is XOR else None),
        tr("4", "b", "d", kind=OTHER if inner_split is XOR else None),
        tr("5", "c", "m"),
        tr("6", "d", "m"),
        tr("7", "a", "j"),
        tr("8", "m", "j"),
        tr("9", "j", "e"),
    ]
    if upstream_and:
        activities += [act("s", split=AND), act("p"), act("q")]
        transitions += [tr("s1", "s", "p"), tr("s2", "s", "q"), tr("p1", "p", "g")]
        transitions += [tr("q1", "q", "g")]
    process = proc("p", tuple(activities), tuple(transitions), data_fields=(field("v"),))
    return [d.code for d in validate(pkg(process))]


def test_branch_with_a_nested_exclusive_choice_still_deadlocks_the_and_join() -> None:
    process_codes = _nested(XOR)
    assert process_codes.count("and-join-after-xor") == 1


def test_nested_message_names_the_join_and_the_split() -> None:
    activities = (act("g", split=XOR), act("a"), act("b", split=XOR), act("c"), act("d"))
    activities += (act("m"), act("j", join=Join(type=GatewayType.PARALLEL)))
    transitions = (
        tr("1", "g", "a", "v"),
        tr("2", "g", "b", kind=OTHER),
        tr("3", "b", "c", "v"),
        tr("4", "b", "d", kind=OTHER),
        tr("5", "c", "m"),
        tr("6", "d", "m"),
        tr("7", "a", "j"),
        tr("8", "m", "j"),
    )
    process = proc("p", activities, transitions, data_fields=(field("v"),))
    d = one(validate(pkg(process)), "and-join-after-xor")
    assert d.element_id == "j" and "'g'" in d.message


def test_parallel_split_inside_a_branch_is_not_reported() -> None:
    assert "and-join-after-xor" not in _nested(AND)


def test_split_reached_by_two_parallel_tokens_is_not_reported() -> None:
    assert "and-join-after-xor" not in _nested(XOR, upstream_and=True)
