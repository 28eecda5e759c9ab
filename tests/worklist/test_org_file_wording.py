"""An organisation file of the wrong shape is told in its author's words: YAML and JSON have
lists, mappings and text, not the model's tuples and classes (pydantic's "Input should be a
valid tuple", "... instance of OrgUser"), and the message says what the file holds there."""

from __future__ import annotations

import pytest

from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import organisation_from_data, parse_organisation


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("users:\n  - {id: a, roles: r1}\n", "users[0].roles: should be a list, not the text 'r1'"),
        ("users:\n  - a\n", "users[0]: should be a mapping (key: value), not the text 'a'"),
        ("users:\n  - {id: a}\nadmins: a\n", "admins: should be a list, not the text 'a'"),
        ("users: {a: 1}\n", "users: should be a list, not a mapping"),
        ("users:\n  - {id: a}\nunits: 5\n", "units: should be a list, not the number 5"),
        (
            "users:\n  - {id: a, roles: [r1, {x: 1}]}\n",
            "users[0].roles[1]: should be text, not a mapping",
        ),
        ("users:\n  - {id: a, roles: true}\n", "users[0].roles: should be a list, not true"),
    ],
)
def test_the_wrong_shape_is_named_as_the_file_writes_it(text: str, told: str) -> None:
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(text, "org.yaml")
    assert told in str(caught.value)
    assert "tuple" not in str(caught.value) and "OrgUser" not in str(caught.value)


def test_long_text_is_cut_in_the_message() -> None:
    with pytest.raises(OrganisationError, match=r"not the text 'x{40}'\.\.\.$"):
        organisation_from_data({"users": [{"id": "a"}], "admins": "x" * 100}, "org")


def test_other_problems_keep_their_own_words() -> None:
    with pytest.raises(OrganisationError, match=r"users\[0\]\.id"):
        organisation_from_data({"users": [{"name": "no id"}]}, "org")
