"""``wfengine org load|show``: the contract (messages, statuses, the JSON shape), and the
engines the CLI opens offering work by the loaded organisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.cli.databases import UNREACHABLE, cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.worklist.org_model import OrgDocument

EXAMPLE = REPO_ROOT / "examples" / "organisation.yaml"


def _every_key(document: object) -> object:
    """``document`` as ``org show --json`` prints it: every key of the file's shape present,
    null or [] when the file leaves it out."""
    return OrgDocument.model_validate(document).model_dump(mode="json")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


def test_load_then_show_gives_the_file_back(url: str) -> None:
    loaded = cli("org", "load", str(EXAMPLE), "--db", url)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.splitlines() == [
        f"loaded 5 users, 4 units, 2 roles and 1 administrator from {EXAMPLE}",
        "re-offered 0 open work items by the new organisation",  # (nothing open)
    ]
    shown = cli("org", "show", "--db", url, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == _every_key(yaml.safe_load(EXAMPLE.read_text()))
    text = cli("org", "show", "--db", url).stdout.splitlines()
    assert text[0] == (
        "user alice  (Alice Martin)  e-mail: alice@example.com  roles: employee  units: sales"
    )
    assert "unit sales  (Sales)  supervisor: carol  parent: operations" in text
    assert text[-1] == "admin root"


def test_the_shown_json_loads_again(url: str, tmp_path: Path) -> None:
    assert cli("org", "load", str(EXAMPLE), "--db", url).exit_code == 0
    again = tmp_path / "again.json"
    again.write_text(cli("org", "show", "--db", url, "--json").stdout)
    (tmp_path / "other").mkdir()
    other = sqlite_url(tmp_path / "other")
    assert cli("org", "load", str(again), "--db", other).exit_code == 0
    assert (
        cli("org", "show", "--db", other, "--json").stdout
        == cli("org", "show", "--db", url, "--json").stdout
    )


def test_refusals_and_their_statuses(url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("users:\n  - {id: a, units: [nope]}\n")
    refused = cli("org", "load", str(bad), "--db", url)
    assert refused.exit_code == 1
    assert "bad.yaml: users[0] ('a') belongs to the unit 'nope'" in refused.stderr
    missing = cli("org", "load", str(tmp_path / "none.yaml"), "--db", url)
    assert missing.exit_code == 2 and "none.yaml" in missing.stderr
    no_file = cli("org", "show", "--db", url)  # the refused loads created nothing
    assert no_file.exit_code == 2 and "no database at" in no_file.stderr
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    nothing = cli("org", "show", "--db", url)
    assert nothing.exit_code == 2 and "wfengine org load" in nothing.stderr
    assert cli("org", "load", str(EXAMPLE), "--db", UNREACHABLE).exit_code == 2
    assert cli("org", "load", str(EXAMPLE), "--db", "memory://").exit_code == 2
    assert cli("org", "load", str(EXAMPLE)).exit_code == 2  # --db is required
    # a refused load keeps what was stored
    assert cli("org", "load", str(EXAMPLE), "--db", url).exit_code == 0
    assert cli("org", "load", str(bad), "--db", url).exit_code == 1
    assert json.loads(cli("org", "show", "--db", url, "--json").stdout)["admins"] == ["root"]


def test_instances_started_afterwards_offer_work_to_the_members(url: str, tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("sales", name="Sales")
    pb.participant("approver", name="manager")
    p = pb.process("p")
    p.activity("quote", performer="sales").activity("approve", performer="approver")
    p.transition("quote", "approve")
    xpdl = write(tmp_path, pb)
    assert cli("org", "load", str(EXAMPLE), "--db", url).exit_code == 0
    started = cli("instance", "start", xpdl, "--db", url)
    assert started.exit_code == 0, started.output
    iid = started.stdout.strip()
    ran = cli("worker", "--db", url, "--until-idle")
    assert ran.exit_code == 0, ran.output
    with Engine(db_url=url) as engine:
        (item,) = engine.work_items(iid)
        assert item.assignees == ("alice",)


def test_load_reads_standard_input_for_a_dash(url: str) -> None:
    loaded = CliRunner().invoke(main, ["org", "load", "-", "--db", url], input=EXAMPLE.read_text())
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.splitlines()[0].endswith("1 administrator from <stdin>")
    shown = cli("org", "show", "--db", url, "--json")
    assert json.loads(shown.stdout) == _every_key(yaml.safe_load(EXAMPLE.read_text()))
    bad = CliRunner().invoke(
        main, ["org", "load", "-", "--db", url], input="users: [{id: a, units: [x]}]"
    )
    assert bad.exit_code == 1 and "<stdin>: users[0] ('a') belongs to the unit 'x'" in bad.stderr


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_an_id_or_text_no_store_keeps_exits_1_alike_on_every_store(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A role id over the 200 characters an id column holds, a NUL in an e-mail address:
    PostgreSQL refused the insert with a traceback where SQLite took the file."""
    db = request.getfixturevalue("pg_url") if store == "postgres" else sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE), "--db", db).exit_code == 0
    for user, said in [
        ({"id": "alice", "roles": ["r" * 201]}, "users[0].roles[0]: String should have at most"),
        ({"id": "alice", "roles": ["a\x00b"]}, "users[0].roles[0]: holds a NUL character"),
        ({"id": "alice", "email": "a\x00@x"}, "users[0].email: holds a NUL character"),
    ]:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"users": [user]}))
        refused = cli("org", "load", str(bad), "--db", db)
        assert refused.exit_code == 1, refused.output
        assert f"{bad}: {said}" in refused.stderr
        assert "Traceback" not in refused.output
    assert json.loads(cli("org", "show", "--db", db, "--json").stdout)["admins"] == ["root"]


def test_a_new_organisation_offers_the_open_work_to_its_members(url: str, tmp_path: Path) -> None:
    """carol leaves and mia takes her role: the approval offered to carol was left with her
    (mia could neither claim nor reassign it, carol could still complete it)."""
    pb = PackageBuilder("pkg")
    pb.process("p").activity("approve", performer="manager")
    xpdl = write(tmp_path, pb)
    before = tmp_path / "before.yaml"
    before.write_text("users:\n  - {id: carol, roles: [manager]}\n  - {id: root}\nadmins: [root]\n")
    after = tmp_path / "after.yaml"
    after.write_text("users:\n  - {id: mia, roles: [manager]}\n  - {id: root}\nadmins: [root]\n")
    assert cli("org", "load", str(before), "--db", url).exit_code == 0
    iid = cli("instance", "start", xpdl, "--db", url).stdout.strip()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    loaded = cli("org", "load", str(after), "--db", url)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.splitlines()[1] == "re-offered 1 open work item by the new organisation"
    assert json.loads(cli("worklist", "--db", url, "--user", "carol", "--json").stdout) == []
    (item,) = json.loads(cli("worklist", "--db", url, "--user", "mia", "--json").stdout)
    assert (item["instance_id"], item["offered_to"]) == (iid, ["mia"])
    assert cli("workitem", "claim", item["id"], "--db", url, "--user", "mia").exit_code == 0
    again = cli("org", "load", str(after), "--db", url)  # nothing left to re-offer
    # the second line is there with 0 (README: "A second line says how many"); it was
    # left out, and a script reading the count found no line
    assert again.exit_code == 0
    assert again.stdout.splitlines()[1:] == ["re-offered 0 open work items by the new organisation"]
