"""An administrator's completion (the engine's, or a WAPI session's) with a name the process
does not declare (``ammount`` for ``amount``) is refused as the WAPI's
``assign_process_instance_attribute`` refuses it: a ``NotFoundError`` naming the declared
fields, nothing changed. It wrote the misspelt name as new data before, silently; the host's
own completion (no user) and ``allow_undeclared`` (``workitem complete --allow-undeclared``)
still write it."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotAuthorizedError, NotFoundError, PackageBuilder
from wfengine.wapi import connect


def _started(e: Engine) -> tuple[str, str]:
    """An instance whose first item (activity a, which writes only amount) is offered."""
    pb = PackageBuilder("pkg")
    pb.data_field("amount", "INTEGER", initial="0", name="Amount")
    pb.data_field("note", "STRING", initial="''")
    p = pb.process("p")
    p.activity("a", performer="clerk", writes=["amount"]).activity("b", performer="clerk")
    p.transition("a", "b")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    return iid, item.id


def test_an_administrator_completing_with_an_undeclared_name_is_refused(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, item = _started(e)
    trail = len(e.audit(iid))
    says = r"no data field 'ammount' \(completing work item .*declares amount, note; nothing"
    with pytest.raises(NotFoundError, match=says):
        e.complete_work_item(item, {"amount": 5, "ammount": 5}, user="root")
    with pytest.raises(NotFoundError, match=says):
        connect(e, "root").complete_work_item(item, {"ammount": 5})
    assert dict(e.instance(iid).data) == {"amount": 0, "note": ""}  # nothing changed
    assert e.work_item(item).state.is_open and len(e.audit(iid)) == trail
    # what the process declares, by Id or by Name, an administrator still writes
    e.complete_work_item(item, {"Amount": 5, "note": "checked"}, user="root")
    assert dict(e.instance(iid).data) == {"amount": 5, "note": "checked"}


def test_the_host_and_allow_undeclared_still_write_an_undeclared_name(
    org_engine: Engine,
) -> None:
    e = org_engine
    iid, item = _started(e)
    e.complete_work_item(item, {"extra": 1})  # the host's own code: no user
    assert e.instance(iid).data["extra"] == 1
    (second,) = e.work_items(iid)
    with pytest.raises(NotAuthorizedError, match=r"may not write 'later'"):  # (not theirs)
        e.complete_work_item(second.id, {"later": 2}, user="alice", allow_undeclared=True)
    e.complete_work_item(second.id, {"later": 2}, user="root", allow_undeclared=True)
    assert e.instance(iid).data["later"] == 2


def test_allow_undeclared_is_true_or_false(org_engine: Engine) -> None:
    e = org_engine
    _, item = _started(e)
    with pytest.raises(TypeError, match=r"complete_work_item: allow_undeclared is True or"):
        yes: object = "yes"
        e.complete_work_item(item, {"x": 1}, user="root", allow_undeclared=yes)  # type: ignore[arg-type]
    assert e.work_item(item).state.is_open
