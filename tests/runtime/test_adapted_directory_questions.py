"""A directory the engine adapts (``members(participant_id)``, the older one-argument form,
or ``members(participant_id, *, participant=None)``) still answers its other questions.

The wrapper exposed ``members`` only: the directory's administrators were refused, its
supervisors could not reassign, and its ``supervisors_of`` was never asked. Now every other
attribute is the directory's own, and what it answers is decided by its class, not by the
wrapper's (which all adapted directories share).
"""

from __future__ import annotations

import warnings

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Participant
from wfengine.errors import NotAuthorizedError
from wfengine.runtime.directory import Supervisors, answers
from wfengine.runtime.work_rules import supervision_of


class _LegacyOrg:
    def members(self, participant_id: str) -> tuple[str, ...]:
        return ("ann",)

    def is_admin(self, user_id: str) -> bool:
        return user_id == "root"

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return supervisor == "boss"

    def knows(self, user_id: str) -> bool:
        return user_id in ("ann", "bob", "boss", "root")

    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        return ("boss",)


class _KeywordOrg(_LegacyOrg):
    def members(  # type: ignore[override]
        self, participant_id: str, *, participant: Participant | None = None
    ) -> tuple[str, ...]:
        return ("ann",)


class _MembersOnly:
    def members(self, participant_id: str) -> tuple[str, ...]:
        return ("ann",)


def _engine(directory: object) -> tuple[Engine, str]:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        engine = Engine(directory=directory)  # type: ignore[arg-type]
    engine.deploy(pb.build())
    [item] = engine.work_items(engine.start_process("ticket"))
    return engine, item.id


@pytest.mark.parametrize("org", [_LegacyOrg, _KeywordOrg])
def test_an_adapted_directorys_administrator_may_complete(org: type) -> None:
    engine, item = _engine(org())
    engine.complete_work_item(item, user="root")  # refused: "it is not offered to them"
    assert engine.work_item(item).state.value == "completed"


@pytest.mark.parametrize("org", [_LegacyOrg, _KeywordOrg])
def test_an_adapted_directorys_supervisor_may_reassign(org: type) -> None:
    engine, item = _engine(org())
    engine.reassign_work_item(item, user="boss", to="bob")  # refused: only a supervisor...
    assert engine.work_item(item).holder == "bob"
    with pytest.raises(NotAuthorizedError, match="not a user of the organisation"):
        engine.reassign_work_item(item, user="boss", to="carl")  # (knows is asked too)


def test_an_adapted_directory_answers_as_its_own_class_does() -> None:
    """Decided per class of the host's directory: the first adapted directory's answer is
    not every later one's."""
    full, bare = _engine(_LegacyOrg())[0], _engine(_MembersOnly())[0]
    assert answers(full.directory, Supervisors)
    assert full.directory.supervisors_of("ann") == ("boss",)  # type: ignore[attr-defined]
    assert supervision_of(full.directory) is not None
    assert not answers(bare.directory, Supervisors)
    assert supervision_of(bare.directory) is None
