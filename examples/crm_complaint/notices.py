"""How the call centre's people hear of their work: the engine's e-mail and SMS notifiers
(:mod:`wfengine.worklist.notifiers`), fed by the outbox, subscribed for the example's
organisation as the call centre's work-order flow has it: a department desk is told of new
work by e-mail (it opens the mail and follows it to the work order), and may be told by SMS,
while the call centre's own people, at their seats, see new work arrive on their worklist;
reminders go to everyone by e-mail and SMS; so do escalations, to the supervisors.

=====================  ========  =====
what happened          e-mail    SMS
=====================  ========  =====
new work (offered)     yes       yes
sent back              yes
withdrawn              yes
a reminder (overdue)   yes       yes
escalated              yes       yes
=====================  ========  =====

Each notification names its complaint by acceptance number first (``complaint 0101-0001:
work item wi-2 (department) overdue``, :class:`CaseNotification`): a desk with several cases
open tells which one the reminder is about, and the customer on the phone gives that number.

New work is not told to the people of :data:`SEATS` (the call centre: agents and
coordinators). Work someone claims for themselves (allocated) and work completed are not
told: the person did it. A notifier reaches those who have an address (e-mail) or a number
(SMS) in the organisation (``organisation.yaml``); the others see their work on their
worklist only.

In production: ``subscribe_people(engine.outbox.handlers, organisation,
email=EmailNotifier(host, sender=...), sms=SmsNotifier(gateway))`` (or ``notifier("email",
{...})``). The demo and the tests use :class:`Recorded`, a mail server and SMS gateway that
keep what they were given, so the day's report can count what people were told.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from email.message import Message
from email.utils import getaddresses
from typing import Any

from wfengine.errors import NotFoundError
from wfengine.runtime.outbox import OutboxHandlers
from wfengine.runtime.outbox_delivery import delivering_engine
from wfengine.worklist.notifiers import (
    EVENTS,
    EmailNotifier,
    Notification,
    NotificationDispatcher,
    Notifier,
    SmsNotifier,
)
from wfengine.worklist.org_model import OrgUser
from wfengine.worklist.organisation import Organisation

#: the events told by e-mail and by SMS (``Notification.event``; see the module notes)
EMAIL_EVENTS = frozenset({"offered", "sent back", "withdrawn", "overdue", "escalated"})
SMS_EVENTS = frozenset({"offered", "overdue", "escalated"})
#: the units whose people work at a seat, their worklist open: new work shows there
SEATS = frozenset({"call_centre"})


class OnlyEvents:
    """A notifier that passes on only the notifications of ``events`` (a channel carries
    what it is meant for: no SMS for work withdrawn), and new work (``offered``) only to
    people outside the units of ``seats``."""

    def __init__(
        self, events: Iterable[str], notifier: Notifier, *, seats: Iterable[str] = ()
    ) -> None:
        self.events, self.notifier, self.seats = frozenset(events), notifier, frozenset(seats)

    def notify(self, notification: Notification, users: list[OrgUser]) -> None:
        if notification.event not in self.events:
            return
        notification = named(notification)
        if notification.event == "offered":
            users = [u for u in users if not self.seats.intersection(u.units)]
        if users:
            self.notifier.notify(notification, users)


@dataclass(frozen=True, slots=True)
class CaseNotification(Notification):
    """A notification whose subject names its complaint by acceptance number first (the
    e-mail's subject, the SMS's text: see the module notes)."""

    acceptance_no: str = ""

    @property
    def subject(self) -> str:
        return f"complaint {self.acceptance_no}: {super(CaseNotification, self).subject}"


def named(notification: Notification) -> Notification:
    """``notification`` naming its case's acceptance number, read from the engine delivering
    it; as it is outside a delivery, or for a case not (yet) numbered or gone."""
    engine: Any = delivering_engine()
    if engine is None or isinstance(notification, CaseNotification):
        return notification
    try:
        number = engine.instance(notification.instance_id).data.get("acceptance_no")
    except NotFoundError:
        return notification
    if not number:
        return notification
    given = {f.name: getattr(notification, f.name) for f in fields(Notification)}
    return CaseNotification(**given, acceptance_no=str(number))


def subscribe_people(
    handlers: OutboxHandlers,
    organisation: Organisation | None,
    *,
    email: Notifier | None = None,
    sms: Notifier | None = None,
    seats: Iterable[str] = SEATS,
) -> NotificationDispatcher:
    """Tell ``organisation``'s people of their work: ``email`` for :data:`EMAIL_EVENTS`,
    ``sms`` for :data:`SMS_EVENTS`, new work only to those outside the units of ``seats``
    (``handlers``: an engine's ``engine.outbox.handlers``, or a worker's
    ``subscribe(outbox)`` argument; ``organisation`` None: the people of the delivering
    engine's organisation, as a worker's after ``wfengine org load``). Only the outbox kinds
    of those events are subscribed: the others are skipped in bulk rather than delivered to
    no one."""
    notifiers: list[Notifier] = []
    told: set[str] = set()
    for events, notifier in ((EMAIL_EVENTS, email), (SMS_EVENTS, sms)):
        if notifier is not None:
            notifiers.append(OnlyEvents(events, notifier, seats=seats))
            told |= events
    dispatcher = NotificationDispatcher(organisation, notifiers)
    kinds = [kind for kind, (event, _) in EVENTS.items() if event in told]
    if kinds:
        handlers.subscribe(dispatcher, kinds)
    return dispatcher


@dataclass
class Recorded:
    """The demo's mail server and SMS gateway: they deliver nothing and keep everything."""

    sender: str = "workflow@callcentre.example"
    mails: list[Message] = field(default_factory=list)
    #: one ``{"phone", "text", "key"}`` per text message
    texts: list[dict[str, str]] = field(default_factory=list)

    def email(self) -> EmailNotifier:
        """The engine's e-mail notifier, sending through :meth:`smtp_class`."""
        return EmailNotifier("recorded", sender=self.sender, smtp_class=self.smtp_class())

    def sms(self) -> SmsNotifier:
        """The engine's SMS notifier, with this object as its gateway."""
        return SmsNotifier(self)

    def send_sms(self, phone: str, text: str, key: str) -> None:
        self.texts.append({"phone": phone, "text": text, "key": key})

    def smtp_class(self) -> type[smtplib.SMTP]:
        """An SMTP client class that connects nowhere and keeps what it is given in
        :attr:`mails` (for ``email_agent(smtp_class=...)``)."""
        mails = self.mails

        class RecordingSmtp(smtplib.SMTP):
            def __init__(self, host: str = "", port: int = 0, **options: Any) -> None:
                super().__init__(timeout=options.get("timeout", 30.0))  # (no connection)

            def send_message(
                self,
                msg: Message,
                from_addr: str | None = None,
                to_addrs: str | Sequence[str] | None = None,
                mail_options: Sequence[str] = (),
                rcpt_options: Sequence[str] = (),
            ) -> dict[str, tuple[int, bytes]]:
                mails.append(msg)
                return {}

        return RecordingSmtp

    def counts(self) -> dict[str, Counter[str]]:
        """People told per channel (``"e-mail"``, ``"SMS"``) and event (``"offered"``,
        ``"overdue"``, ...), read back from their subjects: a recipient each, in both
        channels (one mail to a unit's three desks is three people told, as its three texts
        are), so the two counts compare."""
        mails: Counter[str] = Counter()
        for m in self.mails:
            heads = [str(v) for h in ("To", "Cc", "Bcc") for v in m.get_all(h, [])]
            mails[_event(str(m["Subject"]))] += len([a for _, a in getaddresses(heads) if a])
        return {"e-mail": mails, "SMS": Counter(_event(t["text"]) for t in self.texts)}


def _event(subject: str) -> str:
    """The event a notification's subject names (``complaint 0101-0001: work item wi-3
    (department) offered``)."""
    return subject.rpartition(") ")[2]
