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


# r20b: the name reading went into members(id, None), which a Performer written in the
# definition that no participant declares goes through too: ``performer="clerk"`` (a typo, or
# a role nobody holds) was offered to every unit called 'clerk', and reoffer_work offered
# stored work to them. Only a performer expression's value is read by name now.

STATIC_ORG = """
users:
  - {id: ceo, units: [hq]}
  - {id: alice, units: [emea]}
units:
  - {id: hq, name: clerk}
  - {id: emea, name: Sales EMEA, parent: hq}
"""


def test_a_written_performer_no_participant_declares_is_not_read_by_name(tmp_path: Path) -> None:
    b = PackageBuilder("p")
    proc = b.process("proc")
    proc.start("s").activity("answer", performer="clerk").end("e")
    proc.transition("s", "answer").transition("answer", "e")
    engine = Engine(
        db_url=f"sqlite:///{tmp_path}/wf.db", directory=parse_organisation(STATIC_ORG, "o.yaml")
    )
    engine.deploy(b.build())
    iid = engine.start_process("proc")
    assert [tuple(i.assignees) for i in engine.work_items(iid)] == [()]  # (nobody, as before)
    engine.reoffer_work()
    assert [tuple(i.assignees) for i in engine.work_items(iid)] == [()]


def test_the_organisation_reads_a_name_only_for_a_run_time_value() -> None:
    org = parse_organisation(STATIC_ORG, "o.yaml")
    assert org.members("Sales EMEA") == ()
    assert org.members_of_value("Sales EMEA") == ("alice",)
    assert org.members_of_value("emea") == ("alice",)  # an id first
    assert org.members_of_value("ceo") == ("ceo",)


def test_a_value_naming_a_role_with_no_members_yet_reaches_nobody() -> None:
    # the role 'auditor' matched by id, but has no members: the work went to unit 'sales',
    # named "auditor", as if nothing had matched
    org = parse_organisation(
        "users:\n  - {id: ann, units: [sales]}\nunits:\n  - {id: sales, name: auditor}\n"
        "roles:\n  - {id: auditor}\n",
        "o.yaml",
    )
    assert org.members_of_value("auditor") == ()
    assert org.members_of_value("sales") == ("ann",)
