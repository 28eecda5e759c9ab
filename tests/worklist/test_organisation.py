"""The organisation: the file's shape and its checks, how performers resolve, supervisors,
and the engine offering work by it on every store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, StaticDirectory
from wfengine.definition.model import Participant, ParticipantKind
from wfengine.errors import OrganisationError
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.org_files import MAX_ORG_FILE_BYTES, load_organisation, parse_organisation
from wfengine.worklist.org_store import read_organisation, save_organisation
from wfengine.worklist.organisation import Organisation

ORG: dict[str, Any] = {
    "users": [
        {"id": "alice", "name": "Alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "bob", "roles": ["clerk", "checker"], "units": ["north"]},
        {"id": "carol", "roles": ["manager"], "units": ["sales"]},
        {"id": "dan", "units": ["south"]},
        {"id": "root"},
    ],
    "units": [
        {"id": "sales", "name": "Sales department", "supervisor": "carol"},
        {"id": "north", "parent": "sales"},
        {"id": "south", "parent": "north", "supervisor": "bob"},
    ],
    "roles": [{"id": "clerk", "name": "Desk clerk"}, {"id": "auditor"}],
    "admins": ["root"],
}


@pytest.fixture
def org() -> Organisation:
    return Organisation.from_data(ORG)


def _declared(pid: str, name: str | None = None, kind: str = "ROLE") -> Participant:
    return Participant(id=pid, name=name, type=ParticipantKind(kind))


# --------------------------------------------------------------------------- resolution


def test_a_role_id_is_offered_to_its_members_in_file_order(org: Organisation) -> None:
    assert org.members("clerk") == ("alice", "bob")
    assert org.members("checker", _declared("checker")) == ("bob",)
    assert org.members("auditor") == ()  # listed, nobody has it


def test_a_unit_includes_the_units_below_it(org: Organisation) -> None:
    assert org.members("sales") == ("alice", "bob", "carol", "dan")
    assert org.members("north") == ("bob", "dan")
    assert org.members("south") == ("dan",)


def test_a_user_id_is_that_user(org: Organisation) -> None:
    assert org.members("alice", _declared("alice", kind="HUMAN")) == ("alice",)
    assert org.members("dan") == ("dan",)  # a performer no Participant declares


def test_the_name_counts_only_when_no_id_matches(org: Organisation) -> None:
    # the Participant's Name is a role id
    assert org.members("p1", _declared("p1", name="manager")) == ("carol",)
    # ... or a role's or unit's name
    assert org.members("p2", _declared("p2", name="Desk clerk")) == ("alice", "bob")
    assert org.members("p3", _declared("p3", name="Sales department"))[0] == "alice"
    # an Id that matches wins over the Name
    assert org.members("checker", _declared("checker", name="manager")) == ("bob",)


def test_nothing_matching_is_nobody(org: Organisation) -> None:
    assert org.members("typo") == ()
    assert org.members("typo", _declared("typo", name="also a typo")) == ()


def test_a_role_and_a_unit_of_the_same_id_are_both() -> None:
    org = Organisation.from_data(
        {
            "users": [{"id": "a", "roles": ["x"]}, {"id": "b", "units": ["x"]}],
            "units": [{"id": "x"}],
        }
    )
    assert org.members("x") == ("a", "b")


def test_supervisors_nearest_first_and_never_oneself(org: Organisation) -> None:
    assert org.supervisors_of("dan") == ("bob", "carol")  # south's, then sales' (north has none)
    assert org.supervisors_of("bob") == ("carol",)
    assert org.supervisors_of("carol") == ()  # supervises sales herself
    assert org.supervisors_of("nobody") == ()
    assert org.supervises("carol", "dan") and not org.supervises("dan", "carol")
    assert org.is_admin("root") and not org.is_admin("carol")


def test_the_units_above_a_unit_are_it_and_its_parents_nearest_first(org: Organisation) -> None:
    assert [u.id for u in org.units_above("south")] == ["south", "north", "sales"]
    assert [u.id for u in org.units_above("sales")] == ["sales"]
    assert org.units_above("nope") == []


# --------------------------------------------------------------------------- the file


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"users": [{"id": "a", "units": ["nope"]}]}, "users[0] ('a') belongs to the unit 'nope'"),
        (
            {"users": [{"id": "a"}], "units": [{"id": "u", "supervisor": "z"}]},
            "units[0] ('u') has the supervisor 'z'",
        ),
        (
            {"users": [{"id": "a"}], "units": [{"id": "u", "parent": "v"}]},
            "units[0] ('u') has the parent 'v'",
        ),
        ({"users": [{"id": "a"}, {"id": "a"}]}, "users[1]: the id 'a' is listed twice"),
        ({"users": [{"id": "a"}], "admins": ["b"]}, "admins[0] ('b') is not among the users"),
        (
            {
                "users": [{"id": "a"}],
                "units": [{"id": "u", "parent": "v"}, {"id": "v", "parent": "u"}],
            },
            "units are their own parents: u -> v -> u",
        ),
        (
            {"users": [{"id": "a", "role": ["x"]}]},
            "users[0]: unknown key 'role' (a user has: id, name, email, phone, roles, units)",
        ),
        ({"users": [{"id": ""}]}, "users[0].id"),
        ({"units": []}, "users: Field required"),
        # stored, no users would read as no organisation: work to participant ids again
        ({"users": []}, "users: lists nobody"),
        # the store keeps each membership once: a repeat was a database error (a traceback)
        (
            {"users": [{"id": "a", "roles": ["clerk", "clerk"]}]},
            "users[0].roles[1]: the id 'clerk' is listed twice",
        ),
        (
            {"users": [{"id": "a", "units": ["u", "u"]}], "units": [{"id": "u"}]},
            "users[0].units[1]: the id 'u' is listed twice",
        ),
        ({"users": [{"id": "a"}], "admins": ["a", "a"]}, "admins[1]: the id 'a' is listed twice"),
    ],
)
def test_an_inconsistent_file_is_refused_naming_the_place(
    change: dict[str, Any], said: str
) -> None:
    with pytest.raises(OrganisationError) as raised:
        parse_organisation(json.dumps(change), "org.json", json_text=True)
    assert str(raised.value).startswith("org.json: ")
    assert said in str(raised.value)


#: every id and text field of the file, each with the longest id or a NUL
_STORABLE_CASES = [
    (
        {"users": [{"id": "a", "roles": ["r" * 201]}]},
        "users[0].roles[0]: String should have at most 200",
    ),
    ({"users": [{"id": "a" * 201}]}, "users[0].id: String should have at most 200"),
    ({"users": [{"id": "a", "roles": ["a\x00b"]}]}, "users[0].roles[0]: holds a NUL character"),
    ({"users": [{"id": "a\x00"}]}, "users[0].id: holds a NUL character"),
    ({"users": [{"id": "a", "name": "A\x00"}]}, "users[0].name: holds a NUL character"),
    ({"users": [{"id": "a", "email": "a\x00@x"}]}, "users[0].email: holds a NUL character"),
    ({"users": [{"id": "a", "phone": "\x00"}]}, "users[0].phone: holds a NUL character"),
    (
        {"users": [{"id": "a", "units": ["u" * 201]}], "units": [{"id": "u" * 201}]},
        "users[0].units[0]: String should have at most 200",
    ),
    ({"users": [{"id": "a"}], "units": [{"id": "u\x00"}]}, "units[0].id: holds a NUL"),
    ({"users": [{"id": "a"}], "units": [{"id": "u", "name": "\x00"}]}, "units[0].name: holds"),
    (
        {"users": [{"id": "a"}], "units": [{"id": "u", "supervisor": "s" * 201}]},
        "units[0].supervisor: String should have at most 200",
    ),
    (
        {"users": [{"id": "a"}], "units": [{"id": "u", "parent": "p\x00"}]},
        "units[0].parent: holds a NUL",
    ),
    ({"users": [{"id": "a"}], "roles": [{"id": "r" * 201}]}, "roles[0].id: String should have"),
    ({"users": [{"id": "a"}], "roles": [{"id": "r", "name": "\x00"}]}, "roles[0].name: holds"),
    ({"users": [{"id": "a"}], "admins": ["a\x00"]}, "admins[0]: holds a NUL character"),
]


@pytest.mark.parametrize(("data", "said"), _STORABLE_CASES)
def test_what_a_store_cannot_keep_is_refused_before_anything_is_written(
    data: dict[str, Any], said: str
) -> None:
    """An id longer than the store's 200 characters, or any text with NUL (PostgreSQL's
    text refuses it): refused naming the place, the same whatever the store."""
    with pytest.raises(OrganisationError) as raised:
        parse_organisation(json.dumps(data), "org.json", json_text=True)
    assert str(raised.value).startswith("org.json: ")
    assert said in str(raised.value)


def test_the_longest_ids_and_long_names_are_kept(tmp_path: Path) -> None:
    longest = "r" * 200
    org = Organisation.from_data(
        {"users": [{"id": "a", "name": "N" * 5000, "roles": [longest]}], "roles": [{"id": longest}]}
    )
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        save_organisation(store, org)
        assert read_organisation(store).document == org.document  # type: ignore[union-attr]
    finally:
        store.close()


def test_yaml_and_json_files_read_alike(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "org.json").write_text(json.dumps(ORG))
    (tmp_path / "org.yaml").write_text(yaml.safe_dump(ORG))
    (tmp_path / "org.txt").write_text(json.dumps(ORG))  # any other suffix: YAML reads JSON
    documents = {
        load_organisation(tmp_path / n).document for n in ("org.json", "org.yaml", "org.txt")
    }
    assert len(documents) == 1


def test_unreadable_files_say_where(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "org.yaml"
    bad_yaml.write_text("users:\n  - id: a\n  - [unclosed\n")
    with pytest.raises(OrganisationError, match=r"org.yaml:\d+: not YAML"):
        load_organisation(bad_yaml)
    bad_json = tmp_path / "org.json"
    bad_json.write_text('{"users": [}')
    with pytest.raises(OrganisationError, match=r"org.json:1: not JSON"):
        load_organisation(bad_json)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(OrganisationError, match="expected a mapping with 'users', found list"):
        load_organisation(listing)
    objects = tmp_path / "objects.yaml"
    objects.write_text("users: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(OrganisationError, match="not YAML"):
        load_organisation(objects)  # the safe loader builds no Python objects
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b" " * (MAX_ORG_FILE_BYTES + 1))
    with pytest.raises(OrganisationError, match="larger than"):
        load_organisation(huge)
    with pytest.raises(OSError):
        load_organisation(tmp_path / "missing.yaml")


# --------------------------------------------------------------------------- stores and engine


def test_a_sql_store_keeps_the_organisation_whole(tmp_path: Path, org: Organisation) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        assert read_organisation(store) is None
        save_organisation(store, org)
        assert read_organisation(store).document == org.document  # type: ignore[union-attr]
        smaller = Organisation.from_data({"users": [{"id": "zed", "roles": ["clerk"]}]})
        save_organisation(store, smaller)  # replaces, does not merge
        again = read_organisation(store)
        assert again is not None and again.document == smaller.document
        assert again.members("clerk") == ("zed",)
    finally:
        store.close()


def test_a_failed_save_keeps_the_organisation_stored(tmp_path: Path, org: Organisation) -> None:
    """Replacing the organisation is one transaction: a failure after its deletes (here the
    database refusing the memberships' insert) leaves the one stored before, whole."""
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        save_organisation(store, org)

        def refuse(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
            if statement.startswith("INSERT INTO org_memberships"):
                raise RuntimeError("disk full")

        sa.event.listen(store.sa_engine, "before_cursor_execute", refuse)
        smaller = Organisation.from_data({"users": [{"id": "zed", "roles": ["clerk"]}]})
        with pytest.raises(RuntimeError, match="disk full"):
            save_organisation(store, smaller)
        sa.event.remove(store.sa_engine, "before_cursor_execute", refuse)
        assert read_organisation(store).document == org.document  # type: ignore[union-attr]
    finally:
        store.close()


def _package() -> Any:
    pb = PackageBuilder("pkg")
    pb.participant("desk", name="Desk clerk")
    p = pb.process("p")
    p.activity("intake", performer="desk").activity("check", performer="manager")
    p.transition("intake", "check")
    return pb.build()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_the_engine_offers_work_to_the_members(
    store: str, tmp_path: Path, org: Organisation
) -> None:
    url = "memory://" if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine.from_url(url, directory=org) as engine:
        engine.deploy(_package())
        iid = engine.start_process("p")
        (item,) = engine.work_items(iid)
        assert item.performers == ("desk",) and item.assignees == ("alice", "bob")  # by Name
        engine.complete_work_item(item.id)
        (item,) = engine.work_items(iid)
        assert item.assignees == ("carol",)


def test_a_directory_written_for_one_argument_still_works() -> None:
    class Old:
        def members(self, participant_id: str) -> tuple[str, ...]:
            return (f"{participant_id}-person",)

    with pytest.warns(DeprecationWarning, match="members\\(participant_id, participant\\)"):
        engine = Engine(directory=Old())  # type: ignore[arg-type]
    with engine:
        engine.deploy(_package())
        (item,) = engine.work_items(engine.start_process("p"))
        assert item.assignees == ("desk-person",)
    assert Engine(directory=StaticDirectory({"desk": ["x"]})).directory.members("desk") == ("x",)
