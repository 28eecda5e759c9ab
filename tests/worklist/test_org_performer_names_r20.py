"""A performer expression whose value is a unit's or role's Name (``"Sales EMEA"``, the unit
``emea``) reached nobody: the ``offer`` incident said it "names no participant, role, unit or
user that has members", though the unit has members and a declared participant's Name is
matched against role and unit names. A run-time value is now read as an id first and, when
it names nothing, as a role's or unit's name, on memory and SQL stores alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.worklist.org_files import parse_organisation

ORG = """
users:
  - {id: alice, roles: [clerk], units: [sales]}
  - {id: bob, units: [emea]}
  - {id: dan, units: [apac]}
units:
  - {id: sales, name: Sales}
  - {id: emea, name: Sales EMEA, parent: sales}
  - {id: apac, name: Sales Asia}
  - {id: apac2, name: Sales Asia}
roles:
  - {id: clerk, name: Claims clerk}
"""


def _package() -> object:
    b = PackageBuilder("p")
    proc = b.process("proc")
    proc.data_field("dept", "STRING", initial='"nobody"')
    proc.start("s").activity("handle", performer="dept").end("e")
    proc.transition("s", "handle").transition("handle", "e")
    return b.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    org = parse_organisation(ORG, "org.yaml")
    if request.param == "memory":
        return Engine(directory=org)
    return Engine(db_url=f"sqlite:///{tmp_path}/wf.db", directory=org)


@pytest.mark.parametrize(
    ("value", "offered"),
    [
        ("emea", ("bob",)),  # an id, as before
        ("Sales EMEA", ("bob",)),  # a unit's name
        ("Sales", ("alice", "bob")),  # a unit's name: with the units below it
        ("Claims clerk", ("alice",)),  # a role's name
        ("Sales Asia", ("dan",)),  # two units' name: both (as for a declared Name)
        ("alice", ("alice",)),  # a user's id
    ],
)
def test_a_run_time_value_naming_a_role_or_unit_by_name_offers_to_its_members(
    engine: Engine, value: str, offered: tuple[str, ...]
) -> None:
    engine.deploy(_package())
    iid = engine.start_process("proc", {"dept": value})
    assert [(i.activity_id, tuple(i.assignees)) for i in engine.work_items(iid)] == [
        ("handle", offered)
    ]
    assert engine.incidents(iid) == []


def test_a_value_naming_nothing_is_still_an_offer_incident(engine: Engine) -> None:
    engine.deploy(_package())
    iid = engine.start_process("proc", {"dept": "Sales Mars"})
    [incident] = engine.incidents(iid)
    assert incident.operation == "offer"
    assert incident.message.endswith(
        "performer 'dept' of activity 'handle' is 'Sales Mars', which names no participant, "
        "role, unit or user (by id, or a role or unit by name) that has members"
    )
