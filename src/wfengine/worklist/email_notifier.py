"""The e-mail notifier: each notification e-mailed, in messages of a bounded number of
recipients, through the e-mail agent (:mod:`wfengine.applications.agents.mail`).

Apart from :mod:`.notifiers` (which makes it by name, ``notifier("email", ...)``) as the SMS
notifier is: see :class:`EmailNotifier` for why a notification goes in parts and what a
part's failure does.
"""

from __future__ import annotations

import logging
from typing import Any

from wfengine.applications.agents.mail import email_agent, readable_recipients
from wfengine.applications.agents.mail_refusals import (
    RecipientsDeferredError,
    RecipientsRefusedError,
)
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox_delivery import delivery_progress
from wfengine.worklist.notification import Notification
from wfengine.worklist.org_model import OrgUser

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
    stops the attempt. The agent remembers who has each part's message, so the outbox's retry
    sends only to those without it: parts delivered whole open no connection again.

    A recipient whose address is not one the e-mail agent reads (``@``, ``bob at example``) is
    logged on ``wfengine.notifications`` and not told by e-mail, as one not in the
    organisation is: the agent refuses a whole message for one such part."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        per_message: int = PER_MESSAGE,
        **options: Any,
    ) -> None:
        _check_text("email", "host", host)
        _check_text("email", "sender", sender)  # (None failed every delivery, in the agent)
        if type(per_message) is not int or per_message < 1:
            raise ValueError(
                f"email notifier: per_message must be a whole number >= 1, not {per_message!r}"
            )
        self._send = email_agent(host, port, sender=sender, **options)
        self._per_message = min(per_message, options.get("max_recipients") or per_message)
        self._server = f"{host}:{port}"

    def __repr__(self) -> str:
        return f"email via {self._server}"

    def notify(self, notification: Notification, users: list[OrgUser]) -> None:
        to = _addresses(notification.key, users)
        size = self._per_message
        parts = [to[at : at + size] for at in range(0, len(to), size)]
        refused: list[tuple[int, ApplicationError]] = []
        for n, part in enumerate(parts, 1):
            delivery_progress()  # (a role's many messages in a row are not a server hung)
            try:
                self._send(
                    to=part,
                    subject=notification.subject,
                    body=notification.text,
                    idempotency_key=notification.key if n == 1 else f"{notification.key}/part-{n}",
                )
            except Exception as exc:
                if len(parts) == 1:
                    raise  # (one message: the agent's own error, as ever)
                if not isinstance(exc, RecipientsRefusedError | RecipientsDeferredError):
                    raise _not_mailed(refused, len(parts), (n, exc)) from exc
                refused.append((n, exc))  # (the server is there: the next part may be taken)
        if refused:
            raise _not_mailed(refused, len(parts), None)


def _addresses(key: str, users: list[OrgUser]) -> list[str]:
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
    refused: list[tuple[int, ApplicationError]], parts: int, stopped: tuple[int, Exception] | None
) -> ApplicationError:
    """The error for the parts not (wholly) delivered: those whose recipients the server
    refused, and ``stopped``, the part whose failure ended the attempt (the later ones not
    sent). Permanent when every failure is; its text bounded, however large the role."""
    failed = [*refused, *([stopped] if stopped else [])]
    each = [f"part {n} of {parts}: {type(e).__name__}: {e}" for n, e in failed[:_NAMED_PARTS]]
    more = len(failed) - _NAMED_PARTS
    text = "; ".join(each) + (f"; and {more} more parts failed" if more > 0 else "")
    if stopped is not None and stopped[0] < parts:
        text += f" (the attempt stopped at part {stopped[0]}: the later ones were not sent yet)"
    text += "; a retry sends only to the recipients without it"
    error = (
        PermanentApplicationError
        if all(isinstance(e, PermanentApplicationError) for _, e in failed)
        else ApplicationError
    )
    return error(f"e-mail not delivered to every recipient: {text}")


def _check_text(notifier: str, setting: str, value: object) -> None:
    """Refuse a setting that must be text and is not, or is blank, naming the notifier and the
    setting: one read from an unset environment variable (None) was taken, and then failed
    every delivery for eight hours with a bare error."""
    if not isinstance(value, str):
        raise TypeError(f"{notifier} notifier: {setting} must be text, not {value!r}")
    if not value.strip():
        raise ValueError(f"{notifier} notifier: {setting} is empty")
