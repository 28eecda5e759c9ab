"""Each unit's members (its own and those of the units below it), built once per unit.

Before, building an organisation walked every unit's whole subtree (units x depth steps) and
ordered each unit's members by scanning every user (units x users steps): a chain of 1,500
units took 1.7 s to load. Now the members are gathered bottom-up, each unit from its children,
and ordered by each user's place in the file; a look-up is ordered the same way, costing its
members rather than the organisation's size. The members and their order are as before.
"""

from __future__ import annotations

import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wfengine.definition.model import Participant, ParticipantKind
from wfengine.worklist.org_model import OrgDocument, OrgRole, OrgUnit, OrgUser
from wfengine.worklist.organisation import Organisation

#: ids units and roles are drawn from (shared, so a role and a unit may have the same id)
GROUP_IDS = [f"g{k}" for k in range(8)]
NAMES = ["Sales", "Desk"]


class Counted(str):
    """An id that counts how often it is hashed or compared: the steps of a build."""

    steps = 0

    def __hash__(self) -> int:
        Counted.steps += 1
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        Counted.steps += 1
        return str.__eq__(self, other)


@st.composite
def organisations(draw: st.DrawFn) -> dict[str, Any]:
    """A valid organisation file: units in a random forest listed in a random order, users in
    random units and roles, roles sharing ids and names with units now and then."""
    unit_ids = draw(st.lists(st.sampled_from(GROUP_IDS), unique=True, max_size=8))
    units = []
    for k, unit_id in enumerate(unit_ids):  # a parent from the units before: no cycles
        parent = draw(st.none() | st.sampled_from(unit_ids[:k])) if k else None
        name = draw(st.none() | st.sampled_from(NAMES))
        units.append(
            {
                "id": unit_id,
                **({"parent": parent} if parent else {}),
                **({"name": name} if name else {}),
            }
        )
    role_ids = draw(st.lists(st.sampled_from(GROUP_IDS), unique=True, max_size=4))
    roles = [{"id": r, "name": draw(st.sampled_from(NAMES))} for r in role_ids]
    user_count = draw(st.integers(1, 10))
    users = [
        {
            "id": f"u{k}",
            "units": draw(st.lists(st.sampled_from(unit_ids), unique=True)) if unit_ids else [],
            "roles": draw(st.lists(st.sampled_from([*role_ids, "extra"]), unique=True)),
        }
        for k in draw(st.permutations(range(user_count)))
    ]
    return {"users": users, "units": draw(st.permutations(units)), "roles": roles}


def _reference_unit_members(data: dict[str, Any], unit_id: str) -> list[str]:
    """The naive answer: users with a unit that has ``unit_id`` at or above it, in file order."""
    parent = {u["id"]: u.get("parent") for u in data["units"]}

    def under(unit: str | None) -> bool:
        while unit is not None:
            if unit == unit_id:
                return True
            unit = parent[unit]
        return False

    return [u["id"] for u in data["users"] if any(under(x) for x in u["units"])]


def _reference_group(data: dict[str, Any], key: str) -> list[str]:
    """A role's members and a unit's (with those below it), in file order."""
    unit = set(_reference_unit_members(data, key)) if key in _unit_ids(data) else set()
    return [u["id"] for u in data["users"] if u["id"] in unit or key in u["roles"]]


def _unit_ids(data: dict[str, Any]) -> set[str]:
    return {u["id"] for u in data["units"]}


@given(organisations())
def test_members_are_those_of_the_unit_and_below_in_file_order(data: dict[str, Any]) -> None:
    org = Organisation.from_data(data)
    for unit in data["units"]:
        assert org.unit_members(unit["id"]) == tuple(_reference_unit_members(data, unit["id"]))
    groups = {*_unit_ids(data), *(r["id"] for r in data["roles"]), "extra"}
    for key in groups:
        assert org.members(key) == tuple(_reference_group(data, key))
    for name in NAMES:  # a performer found by its declared Name: every group of that name
        named = {g["id"] for g in [*data["units"], *data["roles"]] if g.get("name") == name}
        wanted = {m for key in named for m in _reference_group(data, key)}
        expected = tuple(u["id"] for u in data["users"] if u["id"] in wanted)
        declared = Participant(id="nobody", name=name, type=ParticipantKind.ROLE)
        assert org.members("nobody", declared) == expected


def _counted_chain(depth: int, users_at_top: int) -> OrgDocument:
    """Units n0 (the top) <- n1 <- ... <- n<depth-1>, with ``users_at_top`` users in n0 and
    one in the bottom unit; every id :class:`Counted`."""
    units = tuple(
        OrgUnit.model_construct(id=Counted(f"n{k}"), parent=Counted(f"n{k - 1}") if k else None)
        for k in range(depth)
    )
    at_top = [
        OrgUser.model_construct(id=Counted(f"u{k}"), units=(Counted("n0"),), roles=())
        for k in range(users_at_top)
    ]
    bottom = OrgUser.model_construct(
        id=Counted("bottom"), units=(Counted(f"n{depth - 1}"),), roles=(Counted("r"),)
    )
    users = (*at_top, bottom)
    return OrgDocument.model_construct(
        users=users, units=units, roles=(OrgRole.model_construct(id=Counted("r")),), admins=()
    )


def test_building_takes_steps_in_proportion_to_units_users_and_members() -> None:
    depth, people = 300, 300
    document = _counted_chain(depth, people)
    Counted.steps = 0
    org = Organisation(document)
    # a few look-ups per unit, user and member (n0 has them all, the rest "bottom"); before,
    # every unit's subtree walked and every user scanned per unit: over 100,000 here
    assert Counted.steps <= 20 * (depth + people + people + depth)
    assert org.unit_members("n0") == (*(f"u{k}" for k in range(people)), "bottom")
    assert org.unit_members("n1") == ("bottom",)


def test_a_look_up_costs_its_members_not_the_organisations_size() -> None:
    org = Organisation(_counted_chain(10, 2000))
    Counted.steps = 0
    assert org.members("r") == ("bottom",)
    assert Counted.steps <= 20  # (before: a scan of all 2,001 users)


def test_a_chain_deeper_than_the_recursion_limit_loads() -> None:
    depth = sys.getrecursionlimit() + 500
    units = [{"id": f"n{k}", **({"parent": f"n{k - 1}"} if k else {})} for k in range(depth)]
    data = {"users": [{"id": "u", "units": [f"n{depth - 1}"]}, {"id": "v"}], "units": units}
    org = Organisation.from_data(data)
    assert org.unit_members("n0") == ("u",)
    assert org.members(
        "nobody", Participant(id="x", name=f"n{depth // 2}", type=ParticipantKind.ROLE)
    ) == ("u",)
