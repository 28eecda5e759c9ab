"""``wfengine org show --json``: every key of the organisation file's shape is present, null
or [] when empty, so a script may read ``unit["parent"]`` or ``user["email"]`` without
guessing. Before, empty keys were left out (a unit with no parent had no ``parent`` key; a
user with no roles no ``roles``). The output still loads back with ``org load`` unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "organisation.yaml"
USER_KEYS = {"id", "name", "email", "phone", "roles", "units"}
UNIT_KEYS = {"id", "name", "supervisor", "parent"}
ROLE_KEYS = {"id", "name"}


def _shown(url: str) -> str:
    shown = cli("org", "show", "--db", url, "--json")
    assert shown.exit_code == 0, shown.output
    return shown.stdout


def test_every_key_is_present_when_empty(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE), "--db", url).exit_code == 0
    doc = json.loads(_shown(url))
    assert set(doc) == {"users", "units", "roles", "admins"}
    assert all(set(user) == USER_KEYS for user in doc["users"])
    assert all(set(unit) == UNIT_KEYS for unit in doc["units"])
    assert all(set(role) == ROLE_KEYS for role in doc["roles"])
    root = next(u for u in doc["users"] if u["id"] == "root")
    assert root == {
        "id": "root",
        "name": "Administrator",
        "email": None,
        "phone": None,
        "roles": [],
        "units": [],
    }
    operations = next(u for u in doc["units"] if u["id"] == "operations")
    assert operations["parent"] is None and operations["supervisor"] == "carol"


def test_a_minimal_organisation_shows_every_top_level_key(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    minimal = tmp_path / "org.yaml"
    minimal.write_text("users:\n  - {id: a}\n")
    assert cli("org", "load", str(minimal), "--db", url).exit_code == 0
    assert json.loads(_shown(url)) == {
        "users": [
            {"id": "a", "name": None, "email": None, "phone": None, "roles": [], "units": []}
        ],
        "units": [],
        "roles": [],
        "admins": [],
    }


def test_the_shown_json_loads_back_identical(tmp_path: Path) -> None:
    first = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE), "--db", first).exit_code == 0
    shown = tmp_path / "shown.json"
    shown.write_text(_shown(first))
    (tmp_path / "other").mkdir()
    second = sqlite_url(tmp_path / "other")
    loaded = cli("org", "load", str(shown), "--db", second)
    assert loaded.exit_code == 0, loaded.output
    assert _shown(second) == shown.read_text()
