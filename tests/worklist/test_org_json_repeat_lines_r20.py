"""A key written twice in a JSON organisation file was refused with no line ("dup2.json: 'id'
is written twice in one object"), though YAML's refusal names both lines and the module
promises them for either form. The JSON refusal now names the repeat's line and the first's."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import load_organisation
from wfengine.errors import OrganisationError
from wfengine.json_text import repeated_key_lines

TWICE = """{
  "users": [
    {"id": "alice", "roles": ["clerk"]},
    {"id": "bob",
     "name": "Bob", "id": "carol"}
  ],
  "admins": ["alice"]
}"""


def test_a_key_written_twice_in_a_json_file_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_text(TWICE)
    with pytest.raises(OrganisationError) as caught:
        load_organisation(path)
    assert str(caught.value) == (
        f"{path}:5: 'id' is written twice in one object (first on line 4); JSON readers keep "
        "only the last: give it once"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"a": 1,\n "a": 2}', ("a", 1, 2)),
        # the object json.loads refuses first: the inner one, which closes first
        ('{"a": 1, "a": {"x": 1,\n"x": 2}}', ("x", 1, 2)),
        # values and list items that look like keys are none
        ('{"a": ["a", "a"], "b": "a",\n "c": {"a": 1}}', None),
        ('{"k\\n": 1, "v": "a\\nb",\n"k\\n": 2}', ("k\n", 1, 2)),
    ],
)
def test_repeated_key_lines_finds_the_key_json_loads_refuses(
    text: str, found: tuple[str, int, int] | None
) -> None:
    assert repeated_key_lines(text) == found
