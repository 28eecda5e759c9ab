"""YAML aliases got round the organisation file's size limit: 1,500 users each ``roles: *R``,
one list of 1,500 roles, a 49 KB file, loaded 2,250,000 memberships (85 s, 1.35 GB, a 118 MB
database). The nodes aliases repeat are now counted before the document is built: more than
``MAX_REPEATED_NODES`` is refused naming the line, as is an alias inside its own anchor;
sharing a few keys with ``<<: *defaults`` still loads."""

from __future__ import annotations

import pytest

from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import MAX_REPEATED_NODES, parse_organisation


def test_aliases_repeating_a_long_role_list_are_refused_naming_the_line() -> None:
    roles = ", ".join(f"r{i}" for i in range(1_000))
    users = "".join(f"  - {{id: u{i}, roles: *R}}\n" for i in range(1, 1_000))
    text = f"users:\n  - {{id: u0, roles: &R [{roles}]}}\n{users}"
    # each alias repeats the list and its 1,000 roles: the 100th passes the limit
    over = MAX_REPEATED_NODES // 1_001 + 1
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(text, "org.yaml")
    assert str(caught.value) == (
        f"org.yaml:{over + 2}: the aliases repeat more than 100,000 values in all (aliases "
        "of aliases multiply): write the repeated part out, or repeat less"
    )


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(OrganisationError, match=r"org\.yaml:2: an alias inside its own anchor"):
        parse_organisation("users:\n  - &u {id: a, units: [*u]}\n", "org.yaml")


def test_shared_defaults_still_load() -> None:
    text = (
        "users:\n  - &d {id: a, roles: [clerk], units: [sales]}\n"
        + "".join(f"  - {{<<: *d, id: u{i}}}\n" for i in range(2_000))
        + "units:\n  - {id: sales}\n"
    )
    assert len(parse_organisation(text, "org.yaml").members("clerk")) == 2_001
