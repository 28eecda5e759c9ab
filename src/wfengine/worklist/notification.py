"""What every notifier is told, and how messages name a notifier.

Apart from :mod:`.notifiers` (the dispatcher and the built-in e-mail and webhook notifiers)
so that a notifier kept in a module of its own (:mod:`.sms_notifier`) shares these without
importing the dispatcher, which makes it by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from wfengine.one_line import one_line

#: how many entries a dispatcher remembers a partial delivery of (the oldest are forgotten:
#: entries another worker settled, or given up on, are never delivered here again)
REMEMBERED = 10_000

#: the event told those a reassignment or an escalation took a work item from (the new holder
#: hears ``allocated``, those it was escalated to ``escalated``), its key the entry's and
#: ``/taken-from``
TAKEN_FROM = "taken from you"


class Person(Protocol):
    """A person as notifiers read them: their user id and addresses. What a directory's
    ``user(user_id)`` gives (:class:`~wfengine.worklist.notifiers.People`): an
    :class:`~wfengine.worklist.org_model.OrgUser` of an :class:`~wfengine.worklist.
    organisation.Organisation`, or a host's own person object with these attributes (plain
    attributes or properties; ``email`` and ``phone`` may be plain ``str``). Why a protocol:
    typed ``OrgUser``, a host's own directory, which README allows, failed the type check."""

    @property
    def id(self) -> str: ...

    @property
    def email(self) -> str | None: ...

    @property
    def phone(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Notification:
    """One thing to tell ``recipients`` about a work item; ``key`` is the outbox entry's
    (the same on every retry: the idempotency key), with ``/taken-from`` for the
    :data:`TAKEN_FROM` notification of the same entry."""

    key: str
    event: str
    work_item_id: str
    instance_id: str
    activity_id: str
    recipients: tuple[str, ...]
    #: why, when the one who acted gave a reason (work sent back)
    reason: str | None = None

    @property
    def subject(self) -> str:
        """One line (an e-mail header cannot hold a line break: an activity Id holding one,
        which a deploy accepts with a warning, made every e-mail of its work unsendable)."""
        return one_line(f"work item {self.work_item_id} ({self.activity_id}) {self.event}")

    @property
    def text(self) -> str:
        why = f" Reason: {self.reason}" if self.reason else ""
        return (
            f"Work item {self.work_item_id}, activity {self.activity_id} of instance "
            f"{self.instance_id}, was {self.event}.{why}"
        )


def audiences(audience: str, payload: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """Who hears of a work-item entry's event (``audience`` as the dispatcher's ``EVENTS``
    names it), and who hears it was :data:`TAKEN_FROM` them: the ``taken_from`` of a
    reassignment, and of an escalation those it does not offer the item again (a delegate
    under delegation-confirm; the others hear the re-offer). Apart, because one notification
    for all told the holder a supervisor took the work from that it was "allocated", as it
    told the new holder: no notifier could tell them it was no longer theirs."""
    holder = payload.get("holder")
    taken: tuple[str, ...] = ()
    if audience == "holder" or (audience == "current" and holder):
        told: tuple[str, ...] = (holder,) if holder else ()
        if audience == "holder":  # (an entry written before it named none: none)
            taken = tuple(payload.get("taken_from", ()))
    elif audience == "involved":  # (an entry written before it named no holder, no owner)
        found = (*payload["assignees"], holder, payload.get("owner"))
        told = tuple(dict.fromkeys(u for u in found if u))
    else:  # an escalation to nobody tells nobody (not the assignees)
        named = payload.get(audience)
        told = tuple(payload["assignees"] if named is None else named)
        if audience == "assignees" and "escalated_to" in payload:
            # on offer again as it was escalated: those it went to hear the escalation
            told = tuple(u for u in told if u not in payload["escalated_to"])
        elif audience == "escalated_to":
            offered = payload["assignees"]
            taken = tuple(u for u in payload.get("taken_from", ()) if u not in offered)
    return told, tuple(u for u in dict.fromkeys(taken) if u not in told)


class Notifier(Protocol):
    """Delivers a notification to the users it concerns; raising makes the outbox try again
    later with the same notification.

    ``users`` are the people the dispatcher's directory gives (:class:`Person`s: an
    Organisation's ``OrgUser``, or a host directory's own objects). Typed ``list[Any]`` so
    that both a notifier written for any :class:`Person` (the built-in ones) and one written
    for an Organisation's ``OrgUser`` (reading its ``units``) are Notifiers."""

    def notify(self, notification: Notification, users: list[Any]) -> None: ...


def describe(notifier: object) -> str:
    """A notifier as messages name it: its own ``repr`` when it has one, else its class."""
    if type(notifier).__repr__ is object.__repr__:
        return type(notifier).__qualname__
    return repr(notifier)
