"""The e-mail notifier: each notification e-mailed, in messages of a bounded number of
recipients, through the e-mail agent (:mod:`wfengine.applications.agents.mail`).

Apart from :mod:`.notifiers` (which makes it by name, ``notifier("email", ...)``) as the SMS
notifier is: see :class:`EmailNotifier` for why a notification goes in parts and what a
part's failure does.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from email.utils import getaddresses

from wfengine.applications.agents.agent_ports import check_port
from wfengine.applications.agents.agent_timeouts import check_timeout
from wfengine.applications.agents.mail import SmtpFactory, email_agent, readable_recipients
from wfengine.applications.agents.mail_refusals import (
    RecipientsDeferredError,
    RecipientsRefusedError,
)
from wfengine.applications.agents.mail_settings import check_host_name, check_login
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox_delivery import delivery_progress
from wfengine.worklist.notification import Notification, Person
from wfengine.worklist.sms_notifier import PerKey

_log = logging.getLogger("wfengine.notifications")


#: how many recipients one notification e-mail is addressed to at most (a notifier setting)
PER_MESSAGE = 50


class EmailNotifier:
    """E-mails each notification to the recipients that have an address, in messages of at
    most ``per_message`` recipients (and at most the ``max_recipients`` it passes on to the
    agent), each message's Message-ID made from the key and its part (``<key>`` for the first,
    ``<key>/part-<n>`` after), so a mail system that sees a repeat can drop it.

    Why parts: one message to a role of thousands put every address in one To: (shown to
    everyone), took CPU growing faster than the role, and a server taking at most 1,000
    recipients a message (100 at hosted providers) took one outbox retry per 1,000: a role of
    20,000 was never told. Each part is delivered on its own (with
    :func:`~wfengine.runtime.outbox_delivery.delivery_progress`); a part whose recipients the
    server refuses does not keep the parts after it from being sent, while a failure that
    would be the same for every part (the server down or timing out, the sender refused)
    stops the attempt. The notifier remembers the addresses told, per notification (the last
    :data:`~.notification.REMEMBERED`, until every one is told), and the part each was cut
    into (see :class:`_Told`): the outbox's retry sends only to those not told, each under
    its part's Message-ID, so parts delivered whole open no connection again, and a member
    joining or leaving between attempts tells nobody twice. A failed notification's error
    keeps every part's ``refused`` and ``delivered`` when the server refused recipients.

    A recipient whose address is not one the e-mail agent reads (``@``, ``bob at example``) is
    logged on ``wfengine.notifications`` and not told by e-mail, as one not in the
    organisation is: the agent refuses a whole message for one such part."""

    def __init__(
        self,
        host: str,
        port: int | str = 25,
        *,
        sender: str,
        per_message: int = PER_MESSAGE,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        allowed_recipients: Collection[str] | None = None,
        max_recipients: int | None = None,
        smtp_class: SmtpFactory = smtplib.SMTP,
    ) -> None:
        # the e-mail agent's settings, listed (not **options) so that notifier("email", ...)
        # names them when it refuses one, and each refused here when it could never work
        # (it was taken, and failed every delivery, 20 attempts an entry)
        _check_host(host)
        port = check_port("email notifier", port)
        _check_sender(sender)  # (None failed every delivery, in the agent)
        if type(per_message) is not int or per_message < 1:
            raise ValueError(
                f"email notifier: per_message must be a whole number >= 1, not {per_message!r}"
            )
        check_login("email notifier", starttls, username, password, smtp_class)
        check_timeout("email notifier", timeout)
        try:
            self._send = email_agent(
                host,
                port,
                sender=sender,
                smtp_class=smtp_class,
                starttls=starttls,
                username=username,
                password=password,
                timeout=timeout,
                allowed_recipients=allowed_recipients,
                max_recipients=max_recipients,
            )
        except (TypeError, ValueError) as exc:  # (the recipient bounds: named as the agent's)
            told = str(exc).removeprefix("email_agent: ")
            raise type(exc)(f"email notifier: {told}") from None
        self._per_message = min(per_message, max_recipients or per_message)
        self._server = f"{host}:{port}"
        #: notification key -> the addresses told (see :class:`_Told`)
        self._told = PerKey(_Told)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"email via {self._server}"

    def notify(self, notification: Notification, users: list[Person]) -> None:
        key = notification.key
        to = _addresses(key, users)
        with self._lock:
            told = self._told.of(key)
            parts = told.parts(to, self._per_message)
        try:
            self._tell(key, notification, told, parts, to)
        except PermanentApplicationError:  # the outbox gives it up: nothing left to retry
            with self._lock:  # (a role of thousands kept a megabyte a notification)
                self._told.forget(key)
            raise
        with self._lock:  # (every recipient told: the outbox does not retry it)
            self._told.forget(key)

    def _tell(
        self,
        key: str,
        notification: Notification,
        told: _Told,
        parts: list[tuple[int, list[str]]],
        to: list[str],
    ) -> None:
        """Send ``parts``, remembering in ``told`` who has the message; raise as
        :meth:`notify` says when some are not told."""
        of = told.made
        refused: list[tuple[int, ApplicationError]] = []
        for n, part in parts:
            delivery_progress()  # (a role's many messages in a row are not a server hung)
            try:
                self._send(
                    to=part,
                    subject=notification.subject,
                    body=notification.text,
                    idempotency_key=key if n == 1 else f"{key}/part-{n}",
                )
            except Exception as exc:
                self._remember(told, getattr(exc, "delivered", ()))
                if not told.made:
                    raise  # (one message: the agent's own error, as ever)
                if not isinstance(exc, RecipientsRefusedError | RecipientsDeferredError):
                    last = n == parts[-1][0]
                    raise _not_mailed(refused, of, (n, exc, last), told.has(to)) from exc
                refused.append((n, exc))  # (the server is there: the next part may be taken)
            else:
                self._remember(told, part)
        if refused:
            raise _not_mailed(refused, of, None, told.has(to))

    def _remember(self, told: _Told, delivered: Iterable[str]) -> None:
        with self._lock:
            told.delivered.update(delivered)


@dataclass(slots=True)
class _Told:
    """What a notification's messages were: the addresses they were delivered to (the agent
    said so), and the part each address was cut into (none while it went in one message).

    Why the notifier remembers, not only the agent (by each message's key): a role of 5,000
    took 100 of the agent's 4,096 keys, so some 41 such notifications waiting on a retry
    made it forget, and every retry then sent every part again (247,500 copies for 50); and
    parts were cut by position, so an organisation change between attempts moved addresses
    from part to part, and a part already delivered sent a second copy, under another
    Message-ID, to an address it had not had. Now an address is told once, and keeps its
    part (and so its message's Message-ID) on every attempt: a mail system that sees a
    repeat (the notifier's memory lost with its process) can drop it."""

    delivered: set[str] = field(default_factory=set)
    #: address -> the part it was cut into (1 the first); those new since go in new parts
    part_of: dict[str, int] = field(default_factory=dict)
    #: how many parts were made (0: never cut)
    made: int = 0

    def parts(self, to: list[str], size: int) -> list[tuple[int, list[str]]]:
        """The messages to send for ``to`` (each with its part number), at most ``size``
        recipients each. A notification never cut that fits one message is sent whole under
        its key, as ever (the agent sends it only to those without it, its To: and errors
        unchanged); any other goes to the addresses not delivered yet, each in its part."""
        if not self.made and len(to) <= size:
            return [(1, to)] if to else []
        new = [a for a in to if a not in self.part_of]
        for at in range(0, len(new), size):
            self.made += 1
            self.part_of.update(dict.fromkeys(new[at : at + size], self.made))
        due: dict[int, list[str]] = {}
        for a in to:
            if a not in self.delivered:
                due.setdefault(self.part_of[a], []).append(a)
        return sorted(due.items())

    def has(self, to: list[str]) -> tuple[str, ...]:
        """The addresses of ``to`` that have the notification, in order."""
        return tuple(a for a in to if a in self.delivered)


def _addresses(key: str, users: list[Person]) -> list[str]:
    """The e-mail addresses of ``users`` the agent reads, each once, in order; those it cannot
    read are logged (the agent refuses a whole message for one: the others are told)."""
    to = list(dict.fromkeys(u.email for u in users if u.email and readable_recipients(u.email)))
    readable = set(to)  # (a list: a role of 16,000 took seconds here)
    unreadable = [
        f"{u.id} ({u.email!r:.200})" for u in users if u.email and u.email not in readable
    ]
    if unreadable:
        _log.warning(
            "notification %s: the e-mail address of %s is not one e-mail address: not "
            "told by e-mail; correct it in the organisation (wfengine org load)",
            key,
            ", ".join(unreadable),
        )
    return to


#: how many failed parts an e-mail notifier's error names (the rest are counted)
_NAMED_PARTS = 3


def _not_mailed(
    refused: list[tuple[int, ApplicationError]],
    parts: int,
    stopped: tuple[int, Exception, bool] | None,
    delivered: tuple[str, ...],
) -> ApplicationError:
    """The error for the parts not (wholly) delivered: those whose recipients the server
    refused, and ``stopped``, the part whose failure ended the attempt (and whether it was
    the attempt's last part). Permanent when every failure is; its text bounded, however
    large the role. When the server refused recipients, a :class:`RecipientsRefusedError`
    (:class:`RecipientsDeferredError` when not every failure is for good) with every part's
    refusals and ``delivered``, those that have the notification: a host calling
    :meth:`EmailNotifier.notify` reads them as it read one message's."""
    failed = [*refused, *([stopped[:2]] if stopped else [])]
    each = [f"part {n} of {parts}: {type(e).__name__}: {e}" for n, e in failed[:_NAMED_PARTS]]
    more = len(failed) - _NAMED_PARTS
    text = "; ".join(each) + (f"; and {more} more parts failed" if more > 0 else "")
    if stopped is not None and not stopped[2]:
        text += f" (the attempt stopped at part {stopped[0]}: the later ones were not sent yet)"
    text = (
        f"e-mail not delivered to every recipient: {text}; a retry sends only to the "
        "recipients without it"
    )
    permanent = all(isinstance(e, PermanentApplicationError) for _, e in failed)
    refusals = {a: why for _, e in failed for a, why in getattr(e, "refused", {}).items()}
    if refusals:
        error = RecipientsRefusedError if permanent else RecipientsDeferredError
        return error(text, refusals, delivered)
    return PermanentApplicationError(text) if permanent else ApplicationError(text)


def _check_text(notifier: str, setting: str, value: object) -> None:
    """Refuse a setting that must be text and is not, or is blank, naming the notifier and the
    setting: one read from an unset environment variable (None) was taken, and then failed
    every delivery for eight hours with a bare error."""
    if not isinstance(value, str):
        raise TypeError(f"{notifier} notifier: {setting} must be text, not {value!r}")
    if not value.strip():
        raise ValueError(f"{notifier} notifier: {setting} is empty")


def _check_host(host: object) -> None:
    """Refuse a ``host`` that is not text, is blank, or no server can have
    (:func:`~wfengine.applications.agents.mail_settings.check_host_name`)."""
    _check_text("email", "host", host)
    assert isinstance(host, str)  # (checked)
    check_host_name("email notifier", host)


def _check_sender(sender: object) -> None:
    """Refuse a ``sender`` that is not one e-mail address as the agent reads one (no line
    break, no list): a message's From cannot hold a line break, so every message was refused
    when built, every delivery."""
    _check_text("email", "sender", sender)
    assert isinstance(sender, str)  # (checked)
    found = [address for _, address in getaddresses([sender]) if address]
    if not readable_recipients(sender) or len(found) != 1:
        raise ValueError(
            f"email notifier: sender {sender!r:.200} is not one e-mail address; give the "
            "address notifications come from (wf@example.com, or Workflow <wf@example.com>)"
        )
