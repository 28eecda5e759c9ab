"""What every notifier is told, and how messages name a notifier.

Apart from :mod:`.notifiers` (the dispatcher and the built-in e-mail and webhook notifiers)
so that a notifier kept in a module of its own (:mod:`.sms_notifier`) shares these without
importing the dispatcher, which makes it by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wfengine.one_line import one_line
from wfengine.worklist.org_model import OrgUser

#: how many entries a dispatcher remembers a partial delivery of (the oldest are forgotten:
#: entries another worker settled, or given up on, are never delivered here again)
REMEMBERED = 10_000


@dataclass(frozen=True, slots=True)
class Notification:
    """One thing to tell ``recipients`` about a work item; ``key`` is the outbox entry's
    (the same on every retry: the idempotency key)."""

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


class Notifier(Protocol):
    """Delivers a notification to the users it concerns; raising makes the outbox try again
    later with the same notification."""

    def notify(self, notification: Notification, users: list[OrgUser]) -> None: ...


def describe(notifier: object) -> str:
    """A notifier as messages name it: its own ``repr`` when it has one, else its class."""
    if type(notifier).__repr__ is object.__repr__:
        return type(notifier).__qualname__
    return repr(notifier)
