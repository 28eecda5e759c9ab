"""Who asked for an administrative command, named on the audit events it records.

The process control commands (start, suspend, resume, terminate, abort) record their
``user`` in the payload of the ``instance.state`` event they write. The other commands an
operator gives (cancel an activity, answer an incident, add a multi-instance instance) record
events that navigation writes, several at once (a cancelled activity closes its work item,
its block's activities, its subflow instances). Each such command names its user here, after
navigation, on the events it wrote: every one whose payload has a ``user`` and names none
gets the command's, through the payload class itself (``dataclasses.replace`` then
``detail()``), so what is stored is exactly what the catalogue reads back, and the audit
trail's header (``AuditEvent.user``, the SQL store's ``user_id`` column, ``wfengine audit
--user``) and hash chain see it as they see any user. WfMC's audit data (TC-1015) asks of
every record which user or system caused it; no user (None) is the host or the engine, and
nothing changes, so a command given without one records exactly what it did before.

An event whose payload has no ``user`` (or a marker, which has no payload) is left as it is:
naming someone on it would be a detail its payload class cannot read back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from wfengine.runtime.history import Change, read_payload
from wfengine.runtime.instance import ProcessInstance


def by_user(recorded: Change, user: str | None) -> Change:
    """``recorded`` with ``user`` named in its payload (unchanged for no user, a payload
    that already names one, or one that has no ``user``)."""
    if user is None:
        return recorded
    at, kind, ai_id, act_id, detail = recorded
    payload = read_payload(kind, detail)
    if payload is None or not dataclasses.is_dataclass(payload):
        return recorded
    if "user" not in {f.name for f in dataclasses.fields(payload)}:
        return recorded
    if getattr(payload, "user", None) is not None:
        return recorded
    named = dataclasses.replace(payload, user=user)
    return (at, kind, ai_id, act_id, named.detail())


def name_user(
    instances: Collection[ProcessInstance],
    since: Mapping[str, int],
    kinds: Collection[str],
    user: str | None,
) -> None:
    """Name ``user`` (:func:`by_user`) on the events of ``kinds`` each of ``instances``
    recorded after its first ``since[id]`` changes (all of them for an instance not in
    ``since``: one the command loaded along the way, such as a subflow instance it closed)."""
    if user is None:
        return
    for inst in instances:
        changes = inst.changes
        for n in range(since.get(inst.id, 0), len(changes)):
            if changes[n][1] in kinds:
                changes[n] = by_user(changes[n], user)


__all__ = ["by_user", "name_user"]
