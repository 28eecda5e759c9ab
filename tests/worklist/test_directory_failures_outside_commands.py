"""A directory whose ``is_admin``/``supervises``/``knows`` fail (an LDAP server timing out),
asked outside the engine's commands: by comments and attachments, worklists and the WAPI's
access rule.

Those let the bare ``TimeoutError`` out, naming no directory, where a work-item command
raised a ``DirectoryError`` naming it and the question. Now every one does.
"""

from __future__ import annotations

import warnings

import pytest

from wfengine import DirectoryError, Engine, PackageBuilder, VirtualClock, connect, notes_for


class _Ldap:
    def __init__(self) -> None:
        self.down = False

    def _ask(self) -> None:
        if self.down:
            raise TimeoutError("ldap.example.com timed out")

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def is_admin(self, user_id: str) -> bool:
        self._ask()
        return user_id == "root"

    def supervises(self, supervisor: str, user_id: str) -> bool:
        self._ask()
        return False

    def knows(self, user_id: str) -> bool:
        self._ask()
        return user_id in ("ann", "bob", "root")


class _OneArgumentLdap(_Ldap):
    def members(self, participant_id: str) -> tuple[str, ...]:  # type: ignore[override]
        return ("ann",)


def _engine(directory: _Ldap) -> tuple[Engine, str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        engine = Engine(clock=VirtualClock(), directory=directory)  # type: ignore[arg-type]
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("ticket")
    [item] = engine.work_items(iid)
    return engine, iid, item.id


def test_notes_name_a_failing_directory() -> None:
    ldap = _Ldap()
    engine, iid, _ = _engine(ldap)
    notes = notes_for(engine)
    comment = notes.add_comment("ann", iid, "hi")
    ldap.down = True
    with pytest.raises(DirectoryError, match=r"_Ldap failed to answer is_admin\('bob'\)"):
        notes.comments("bob", iid)  # raised TimeoutError
    with pytest.raises(DirectoryError, match=r"_Ldap .*TimeoutError: ldap.example.com"):
        notes.delete_comment("bob", comment.id)
    ldap.down = False
    assert [c.id for c in notes.comments("ann", iid)] == [comment.id]  # nothing changed


def test_the_wapi_and_worklists_name_a_failing_directory() -> None:
    ldap = _Ldap()
    engine, _, item = _engine(ldap)
    session = connect(engine, "bob")
    ldap.down = True
    with pytest.raises(DirectoryError, match=r"_Ldap failed to answer knows\('bob'\)"):
        session.open_work_list()  # raised TimeoutError
    from wfengine.worklist.worklists import may_see

    # (it asks first whether the organisation knows them: a leaver may see nothing)
    with pytest.raises(DirectoryError, match=r"knows\('bob'\)"):
        may_see(engine, engine.work_item(item), "bob")


def test_an_adapted_directory_is_named_as_the_hosts() -> None:
    """Not as the engine's wrapper of a one-argument ``members`` (``_OneArgument``)."""
    ldap = _OneArgumentLdap()
    engine, iid, _ = _engine(ldap)
    ldap.down = True
    with pytest.raises(DirectoryError, match=r"the directory _OneArgumentLdap failed"):
        notes_for(engine).comments("bob", iid)
