"""YAML aliases got round the organisation file's size limit: 1,500 users each ``roles: *R``,
one list of 1,500 roles, a 49 KB file, loaded 2,250,000 memberships (85 s, 1.35 GB, a 118 MB
database). The nodes aliases repeat are now counted before the document is built: more than
``MAX_REPEATED_NODES`` is refused naming the line, as is an alias inside its own anchor;
sharing a few keys with ``<<: *defaults`` still loads.

r20b: that fixed 100,000 refused ordinary files from 11,112 users sharing defaults (``{<<: *d,
id: uN}``, 289 KB at 12,000 users), and the message blamed aliases of aliases where none
were: the allowance is now ``ALIAS_GROWTH`` times the values the file writes itself (at least
``MAX_REPEATED_NODES``), and the message says aliases multiply only when they do."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.errors import OrganisationError
from wfengine.worklist.org_files import MAX_REPEATED_NODES, load_organisation, parse_organisation


def test_aliases_repeating_a_long_role_list_are_refused_naming_the_line() -> None:
    roles = ", ".join(f"r{i}" for i in range(1_000))
    users = "".join(f"  - {{id: u{i}, roles: *R}}\n" for i in range(1, 1_000))
    text = f"users:\n  - {{id: u0, roles: &R [{roles}]}}\n{users}"
    # each alias repeats the list and its 1,000 roles: the 100th passes the limit
    over = MAX_REPEATED_NODES // 1_001 + 1
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(text, "org.yaml")
    assert str(caught.value) == (
        f"org.yaml:{over + 2}: the aliases repeat more than 100,000 values in all (10 times "
        "the 5,004 the file writes itself, at least 100,000 and at most 2,000,000): write the "
        "repeated part out, or repeat less"
    )


def test_the_first_attack_is_still_refused_on_a_line_near_its_top(tmp_path: Path) -> None:
    """1,500 users each ``roles: *R`` (1,500 roles): a 49 KB file of 2,250,000 memberships."""
    roles = ", ".join(f"r{i}" for i in range(1_500))
    users = "".join(f"  - {{id: u{i}, roles: *R}}\n" for i in range(1, 1_500))
    path = tmp_path / "org.yaml"
    path.write_text(f"users:\n  - {{id: u0, roles: &R [{roles}]}}\n{users}")
    with pytest.raises(
        OrganisationError, match=r"org\.yaml:69: the aliases repeat more than 100,000"
    ):
        load_organisation(path)


def test_aliases_of_aliases_are_named_only_when_an_alias_repeats_aliases() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcd", "bcde", strict=True)
    )
    with pytest.raises(OrganisationError) as caught:
        parse_organisation(text, "org.yaml")
    assert "), and aliases inside a repeated value multiply: write" in str(caught.value)


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


def test_many_users_sharing_defaults_load() -> None:
    """12,000 users each ``{<<: *d, id: uN}`` repeat 108,000 values (9 for each), 3 times the
    36,000 the file writes: refused from 11,112 users before (not 20,000 here: PyYAML reads
    about 4,000 such lines a second)."""
    text = (
        "users:\n  - &d {id: a, roles: [clerk], units: [sales]}\n"
        + "".join(f"  - {{<<: *d, id: u{i}}}\n" for i in range(12_000))
        + "units:\n  - {id: sales}\n"
    )
    assert len(parse_organisation(text, "org.yaml").members("sales")) == 12_001


def test_the_allowance_stops_at_its_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    # the allowance grew with the file without end: a 16 MiB file could repeat 80 million
    # values, ten times what any file written out within the size limit holds
    import wfengine.worklist.org_files as org_files

    roles = ", ".join(f"r{i}" for i in range(50))
    users = "".join(
        f"  - {{id: u{i}, name: User {i}, email: u{i}@x.org, roles: *R}}\n" for i in range(1, 2_200)
    )
    text = f"users:\n  - {{id: u0, roles: &R [{roles}]}}\n{users}"
    assert len(parse_organisation(text, "org.yaml").document.users) == 2_200
    monkeypatch.setattr(org_files, "MAX_REPEATED_CEILING", MAX_REPEATED_NODES)
    with pytest.raises(OrganisationError, match="at most 100,000"):
        parse_organisation(text, "org.yaml")
