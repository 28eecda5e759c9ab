"""A new instance document format comes with a schema revision of its own, so a wfengine that
cannot read it refuses the database when it opens it (it does not know the revision), instead
of failing instance by instance on the documents it cannot read.

The tie is :data:`~wfengine.runtime.sql.document_format.FORMAT_REVISIONS`: the current format
must be in it, each format's revision must say ``document_format = <the format>`` (so it was
made for the format: no revision released before says so), and later formats' revisions come
later in the migrations."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pytest
from alembic.script import ScriptDirectory

from wfengine.runtime.sql import migrate
from wfengine.runtime.sql.document_format import CURRENT_FORMAT, FORMAT_REVISIONS


def _chain() -> list[tuple[str, int | None]]:
    """Every revision, oldest first, with the format it says it came with."""
    script = ScriptDirectory.from_config(migrate._config())
    return [
        (r.revision, getattr(r.module, "document_format", None))
        for r in reversed(list(script.walk_revisions()))
    ]


def format_revision_problems(
    current: int, marked: Mapping[int, str], chain: Sequence[tuple[str, int | None]]
) -> list[str]:
    """What is wrong with the tie between the document formats and the schema revisions."""
    position = {revision: n for n, (revision, _) in enumerate(chain)}
    declared = {f: revision for revision, f in chain if f is not None}
    problems = []
    if current not in marked:
        problems.append(
            f"document format {current} has no schema revision in FORMAT_REVISIONS: add a "
            f"revision saying document_format = {current} (its upgrade may do nothing) and "
            "name it there"
        )
    if declared != dict(marked):
        problems.append(
            f"FORMAT_REVISIONS {dict(marked)} and the revisions' document_format {declared} "
            "disagree"
        )
    known = sorted(f for f in marked if marked[f] in position)
    problems.extend(
        f"format {f}'s revision {marked[f]!r} is no migration" for f in marked if f not in known
    )
    problems.extend(
        f"format {b}'s revision {marked[b]!r} does not come after format {a}'s {marked[a]!r}"
        for a, b in itertools.pairwise(known)
        if position[marked[b]] <= position[marked[a]]
    )
    return problems


def test_the_current_document_format_has_a_schema_revision_of_its_own() -> None:
    assert format_revision_problems(CURRENT_FORMAT, FORMAT_REVISIONS, _chain()) == []


@pytest.mark.parametrize(
    ("current", "marked", "said"),
    [
        # the format raised and nothing else: the suite fails naming what to do
        (6, {5: "0020"}, "document format 6 has no schema revision"),
        # an older revision named for it, which does not say so
        (6, {5: "0020", 6: "0019"}, "disagree"),
    ],
)
def test_a_format_raised_without_its_revision_is_found(
    current: int, marked: dict[int, str], said: str
) -> None:
    assert any(said in p for p in format_revision_problems(current, marked, _chain()))


def test_formats_must_come_in_the_order_of_their_revisions() -> None:
    chain = [("0001", None), ("0002", 7), ("0003", 6)]
    [problem] = format_revision_problems(7, {6: "0003", 7: "0002"}, chain)
    assert "format 7's revision '0002' does not come after format 6's '0003'" in problem
