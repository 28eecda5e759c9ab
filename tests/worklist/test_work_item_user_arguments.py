"""The work-item commands need a user to act (and delegate and reassign someone to give the
item to): ``None`` there once left an item allocated to nobody, on no worklist and beyond
release, and a list as ``to`` failed as a bare "unhashable type". Now the command is refused
before it runs, naming the argument, and the item is as it was. Completing without a user
stays the host's own code acting."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import Engine, PackageBuilder, WorkItemState


def _item(e: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    e.deploy(pb.build())
    (item,) = e.work_items(e.start_process("p"))
    return item.id


_Command = Callable[[Engine, str], None]

REFUSED: list[tuple[str, _Command, type[Exception], str]] = [
    ("claim None", lambda e, i: e.claim_work_item(i, None), ValueError, "claim_work_item: user"),  # type: ignore[arg-type]
    ("claim ''", lambda e, i: e.claim_work_item(i, ""), ValueError, "claim_work_item: user"),
    ("claim 123", lambda e, i: e.claim_work_item(i, 123), TypeError, "claim_work_item: user"),  # type: ignore[arg-type]
    ("start None", lambda e, i: e.start_work_item(i, None), ValueError, "start_work_item: user"),  # type: ignore[arg-type]
    (
        "delegate to None",
        lambda e, i: e.delegate_work_item(i, "root", None),  # type: ignore[arg-type]
        ValueError,
        "delegate_work_item: to",
    ),
    (
        "delegate to a list",
        lambda e, i: e.delegate_work_item(i, "root", ["bob"]),  # type: ignore[arg-type]
        TypeError,
        "delegate_work_item: to",
    ),
    (
        "reassign to None",
        lambda e, i: e.reassign_work_item(i, "carol", None),  # type: ignore[arg-type]
        ValueError,
        "reassign_work_item: to",
    ),
    (
        "reassign by None",
        lambda e, i: e.reassign_work_item(i, None, "bob"),  # type: ignore[arg-type]
        ValueError,
        "reassign_work_item: user",
    ),
    (
        "complete by ''",
        lambda e, i: e.complete_work_item(i, user=""),
        ValueError,
        "complete_work_item: user",
    ),
]


@pytest.mark.parametrize(
    ("command", "error", "named"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_a_command_without_a_user_is_refused_and_changes_nothing(
    org_engine: Engine, command: _Command, error: type[Exception], named: str
) -> None:
    item_id = _item(org_engine)
    with pytest.raises(error, match=named):
        command(org_engine, item_id)
    item = org_engine.work_item(item_id)
    assert (item.state, item.holder, item.owner) == (WorkItemState.OFFERED, None, None)
    assert [w.id for w in org_engine.work_items_of("alice")] == [item_id]


def test_a_delegation_to_nobody_leaves_the_item_with_its_holder(org_engine: Engine) -> None:
    item_id = _item(org_engine)
    org_engine.claim_work_item(item_id, "alice")
    with pytest.raises(ValueError, match="delegate_work_item: to"):
        org_engine.delegate_work_item(item_id, "alice", None)  # type: ignore[arg-type]
    item = org_engine.work_item(item_id)
    assert (item.state, item.holder, item.owner) == (WorkItemState.ALLOCATED, "alice", None)
    org_engine.release_work_item(item_id, "alice")  # still hers to give back


def test_the_host_completes_without_a_user(org_engine: Engine) -> None:
    item_id = _item(org_engine)
    org_engine.complete_work_item(item_id)
    assert org_engine.work_items() == []


def test_send_back_without_a_reason_as_text_is_a_type_error(org_engine: Engine) -> None:
    """``reason=None`` raised a bare ``AttributeError`` from inside the engine."""
    with pytest.raises(TypeError, match="send_back_work_item: reason is text, not NoneType"):
        org_engine.send_back_work_item("wi-1", "bob", "a", None)  # type: ignore[arg-type]
