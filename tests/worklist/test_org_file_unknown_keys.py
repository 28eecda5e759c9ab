"""A key an organisation file's shape has no place for is told in the loader's own words:
that it is an unknown key, where, and the keys that entry may have.

Before: pydantic's "users[0].manager: Extra inputs are not permitted", which neither says
the key is unknown to wfengine nor what to write instead (a user's supervisor is its unit's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import load_organisation
from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import parse_organisation


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "users:\n  - {id: alice, manager: carol}\n  - {id: carol}\n",
            "org.yaml: users[0]: unknown key 'manager' (a user has: id, name, email, phone, "
            "roles, units)",
        ),
        (
            "users:\n  - {id: a}\nunits:\n  - {id: u, boss: a}\n",
            "org.yaml: units[0]: unknown key 'boss' (a unit has: id, name, supervisor, parent)",
        ),
        (
            "users:\n  - {id: a}\nroles:\n  - {id: clerk, unit: sales}\n",
            "org.yaml: roles[0]: unknown key 'unit' (a role has: id, name)",
        ),
        (
            "users:\n  - {id: a}\ngroups: []\n",
            "org.yaml: unknown key 'groups' (the file has: users, units, roles, admins)",
        ),
    ],
)
def test_an_unknown_key_is_named_with_the_keys_its_entry_may_have(text: str, told: str) -> None:
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(text, "org.yaml")
    assert str(caught.value) == told
    assert "Extra inputs" not in str(caught.value)


def test_every_unknown_key_of_a_json_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_text('{"users": [{"id": "a", "mail": "a@x"}], "roles": [{"id": "r", "unit": 1}]}')
    with pytest.raises(OrganisationError) as caught:
        load_organisation(path)
    assert str(caught.value) == (
        f"{path}: users[0]: unknown key 'mail' (a user has: id, name, email, phone, roles, "
        "units); roles[0]: unknown key 'unit' (a role has: id, name)"
    )
