"""Reading or deleting notes as a ``user`` that is not a user id is refused before anything is
read, as ``detailed_status`` and every command's ``user=`` are (``check_acting_user``).

``5``, ``""`` and ``b"alice"`` were recorded in the instance's audit trail as refused readers
(and ``b"alice"`` told apart differently by the stores), and ``["boss"]`` failed as a
``DirectoryError`` blaming the directory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import Engine, PackageBuilder, notes_for


@pytest.mark.parametrize(
    ("user", "error"),
    [(5, TypeError), ("", ValueError), (["boss"], TypeError), (b"alice", TypeError)],
)
def test_a_user_that_is_no_user_id_is_refused_unrecorded(
    org_engine: Engine, user: object, error: type[Exception]
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    org_engine.deploy(pb.build())
    instance_id = org_engine.start_process("p")
    (item,) = org_engine.work_items(instance_id)
    notes = notes_for(org_engine)
    said = notes.add_comment("alice", instance_id, "hi", work_item_id=item.id)
    filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x", work_item_id=item.id)
    calls: dict[str, Callable[[], object]] = {
        "comments": lambda: notes.comments(user, instance_id),  # type: ignore[arg-type]
        "attachments": lambda: notes.attachments(user, instance_id),  # type: ignore[arg-type]
        "download": lambda: notes.download(user, filed.id),  # type: ignore[arg-type]
        "delete_comment": lambda: notes.delete_comment(user, said.id),  # type: ignore[arg-type]
        "delete_attachment": lambda: notes.delete_attachment(user, filed.id),  # type: ignore[arg-type]
    }
    for name, call in calls.items():
        with pytest.raises(error, match=rf"^{name}: user must"):
            call()
    assert org_engine.audit_events(instance_id=instance_id, kind="operation.refused") == []
    assert [c.id for c in notes.comments(None, instance_id)] == [said.id]
    assert [a.id for a in notes.attachments(None, instance_id)] == [filed.id]
