"""A host's directory answering a user id no store can hold (a lone surrogate, a NUL, over
200 characters): the offer is the same incident on every store, naming the directory, the
participant and the id.

Before: the memory store took it; SQLite failed the offer's commit with a bare
``UnicodeEncodeError`` naming no directory (a worker's job: an incident saying nothing of
the directory, and every retry failed the same way).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder


class _Directory:
    """Every participant's members: ``ok`` and the id ``bad``."""

    def __init__(self, bad: str) -> None:
        self.bad = bad

    def members(self, participant_id: str, participant: object = None) -> Sequence[str]:
        return ["ok", self.bad]


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


@pytest.mark.parametrize(
    ("bad", "shown", "problem"),
    [
        ("a\ud800", r"'a\ud800'", "holds a lone surrogate"),
        ("n\x00ul", r"'n\x00ul'", "holds a NUL character"),
        ("x" * 201, f"'{'x' * 40}'...", "is 201 characters long, more than the 200"),
    ],
    ids=["surrogate", "nul", "too-long"],
)
def test_the_offer_is_an_incident_naming_the_directory_and_the_id(
    url: str | None, bad: str, shown: str, problem: str
) -> None:
    directory = _Directory(bad)
    with Engine(db_url=url, directory=directory) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")

        (incident,) = e.incidents(iid)
        assert incident.activity_id == "answer"
        assert (
            f"asked for the members of 'clerk', the directory _Directory answered {shown} "
            f"among them, a user id that {problem}"
        ) in incident.message
        assert [w for w in e.work_items(iid) if w.state.is_open] == []

        directory.bad = "bob"  # corrected in the directory: the retry offers the work
        e.retry_incident(incident.id)
        (item,) = [w for w in e.work_items(iid) if w.state.is_open]
        assert item.assignees == ("ok", "bob")


def test_a_tuple_answer_is_checked_as_a_list_is() -> None:
    class _Tuples(_Directory):
        def members(self, participant_id: str, participant: object = None) -> Sequence[str]:
            return ("ok", self.bad)

    with Engine(directory=_Tuples("a\ud800")) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("ticket")
        (incident,) = e.incidents(iid)
        assert r"answered 'a\ud800' among them" in incident.message
