"""A directory answering some of the supervision questions (``is_admin``, ``supervises``,
``knows``) has each one it answers asked.

It was taken for a directory with none unless it had all three: ``is_admin`` and
``supervises`` without ``knows`` were never asked, its administrators refused and its
supervisors unable to reassign. A question it lacks is answered as a directory with none
answers it: nobody administers, nobody supervises, everyone exists.
"""

from __future__ import annotations

import pytest

from wfengine import DirectoryError, Engine, NotAuthorizedError, PackageBuilder, notes_for
from wfengine.runtime.work_rules import supervision_of


class _AdminsAndBosses:
    """``is_admin`` and ``supervises``, no ``knows``."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def is_admin(self, user_id: str) -> bool:
        return user_id == "root"

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return supervisor == "boss"


class _KnowsOnly:
    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def knows(self, user_id: str) -> bool:
        return user_id in ("ann", "bob")


class _MembersOnly:
    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)


def _items(directory: object, n: int) -> tuple[Engine, list[str]]:
    engine = Engine(directory=directory)  # type: ignore[arg-type]
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine, [engine.work_items(engine.start_process("ticket"))[0].id for _ in range(n)]


def test_is_admin_and_supervises_without_knows_are_asked() -> None:
    engine, (first, second) = _items(_AdminsAndBosses(), 2)
    engine.complete_work_item(first, user="root")  # refused: "it is not offered to them"
    engine.reassign_work_item(second, "boss", "zoe")  # (no knows: everyone exists)
    assert engine.work_item(second).holder == "zoe"
    with pytest.raises(NotAuthorizedError, match="only a supervisor"):
        engine.reassign_work_item(second, "ann", "bob")


def test_knows_alone_is_asked_and_nobody_administers() -> None:
    engine, (item,) = _items(_KnowsOnly(), 1)
    engine.claim_work_item(item, "ann")
    with pytest.raises(NotAuthorizedError, match="'carl' is not a user of the organisation"):
        engine.delegate_work_item(item, "ann", "carl")  # was: delegated to someone unknown
    with pytest.raises(NotAuthorizedError):
        engine.complete_work_item(item, user="root")


def test_a_directory_with_none_of_them_has_no_supervision() -> None:
    assert supervision_of(_MembersOnly()) is None
    assert supervision_of(_AdminsAndBosses()) is not None


def test_a_failing_partial_directory_is_named() -> None:
    class _Down(_AdminsAndBosses):
        def is_admin(self, user_id: str) -> bool:
            raise TimeoutError("ldap timed out")

    engine, _ = _items(_Down(), 1)
    iid = engine.instance_summaries()[0].id
    with pytest.raises(DirectoryError, match=r"_Down failed to answer is_admin\('bob'\)"):
        notes_for(engine).comments("bob", iid)
