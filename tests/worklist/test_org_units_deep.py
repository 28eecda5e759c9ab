"""A deep hierarchy of units, and a file with one mistake repeated many times.

Before, the check for units that are their own parents walked each unit's chain of parents to
the top against a list of the chain so far (a chain of 1,500 units took 46 seconds to load),
and a refused file's message named every problem on one line (20,000 users in an unlisted
unit made 1.5 MB of it).
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from wfengine import Organisation
from wfengine.worklist.org_model import MAX_SHOWN, OrgUnit, _parent_cycle


class Counted(str):
    """An id that counts how often it is hashed or compared (the cycle check's steps)."""

    steps = 0

    def __hash__(self) -> int:
        Counted.steps += 1
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        Counted.steps += 1
        return str.__eq__(self, other)


def chain(depth: int) -> list[dict[str, Any]]:
    """Units n0 (listed first) -> its parent n1 -> ... -> n<depth-1> at the top."""
    return [
        {"id": f"n{k}", **({"parent": f"n{k + 1}"} if k + 1 < depth else {})} for k in range(depth)
    ]


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        Organisation.from_data(data)
    return str(caught.value)


def test_cycle_check_visits_each_unit_once() -> None:
    depth = 300
    units = tuple(
        OrgUnit.model_construct(
            id=Counted(f"n{k}"), parent=Counted(f"n{k + 1}") if k + 1 < depth else None
        )
        for k in range(depth)
    )
    Counted.steps = 0
    assert _parent_cycle(units) == []
    # a few look-ups per unit (before: every unit's walk to the top, each step compared
    # with the walk so far: millions here)
    assert Counted.steps <= 10 * depth


def test_a_cycle_at_the_bottom_of_a_deep_chain_is_named() -> None:
    units = chain(2000)
    units[-1]["parent"] = "n1998"  # the top's parent is the unit under it
    message = refusal({"users": [{"id": "u", "units": ["n0"]}], "units": units})
    assert "units are their own parents: n1998 -> n1999 -> n1998 [" in message


def test_a_mistake_repeated_is_named_a_few_times_and_counted() -> None:
    users = [{"id": f"u{k}", "units": ["nope"]} for k in range(3000)]
    message = refusal({"users": users})
    first = [
        f"users[{k}] ('u{k}') belongs to the unit 'nope', which units does not list"
        for k in range(MAX_SHOWN)
    ]
    more = f"and {3000 - MAX_SHOWN:,} more problems (fix these and load again)"
    assert "; ".join([*first, more]) in message
    assert "u20'" not in message
    assert len(message) < 3000


def test_a_long_cycle_names_its_first_units() -> None:
    units = chain(1000)
    units[-1]["parent"] = "n0"
    message = refusal({"users": [{"id": "u"}], "units": units})
    shown = " -> ".join(f"n{k}" for k in range(MAX_SHOWN))
    assert f"units are their own parents: {shown} -> ... -> n0 (a cycle of 1,000 units)" in (
        message
    )
    assert len(message) < 1000


def test_a_few_problems_are_all_named_as_before() -> None:
    users = [{"id": "u0", "units": ["nope"]}, {"id": "u1", "units": ["gone"]}]
    message = refusal({"users": users, "units": [*chain(3)[:2], {"id": "n2", "parent": "n0"}]})
    assert (
        "users[0] ('u0') belongs to the unit 'nope', which units does not list; "
        "users[1] ('u1') belongs to the unit 'gone', which units does not list; "
        "units are their own parents: n0 -> n1 -> n2 -> n0 ["
    ) in message
    assert "more problem" not in message
