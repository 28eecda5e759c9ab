"""An organisation file with a section written twice (``users:`` pasted a second time) was
loaded with only the last one: ``org load`` said "loaded 1 users" and the people of the first
section were gone from the stored organisation. Both readers now refuse a repeated key."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import load_organisation
from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import parse_organisation

TWICE_YAML = "users:\n  - id: alice\n  - id: bob\nunits: []\nusers:\n  - id: carol\n"


def test_a_yaml_section_written_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(TWICE_YAML)
    with pytest.raises(OrganisationError) as caught:
        load_organisation(path)
    assert str(caught.value) == (
        f"{path}:5: 'users' is written twice (first on line 1); YAML would keep only the "
        "last: give it once"
    )


def test_a_key_written_twice_inside_a_user_is_refused() -> None:
    text = "users:\n  - id: alice\n    roles: [clerk]\n    roles: [boss]\n"
    with pytest.raises(OrganisationError, match=r"org\.yaml:4: 'roles' is written twice"):
        parse_organisation(text, "org.yaml")


def test_a_json_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_text('{"users": [{"id": "alice"}], "users": [{"id": "carol"}]}')
    with pytest.raises(OrganisationError, match=r"'users' is written twice in one object"):
        load_organisation(path)


def test_yaml_merge_keys_still_override() -> None:
    """``<<`` merges a mapping whose keys the mapping may then override: not a repetition."""
    text = "users:\n  - &a {id: alice, roles: [clerk]}\n  - <<: *a\n    id: bob\n"
    assert parse_organisation(text, "org.yaml").members("clerk") == ("alice", "bob")


def test_the_documents_text_instead_of_a_path_says_what_to_call() -> None:
    """It was an OSError quoting the whole document as a file name."""
    with pytest.raises(TypeError, match=r"this text is an organisation document, not a path"):
        load_organisation("users:\n  - id: bob\n")
