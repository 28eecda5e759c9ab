"""The SMS notifier: a short text to each recipient with a phone number, through a gateway.

Each recipient is texted on their own, under their own key (``<entry key>/<user id>``), and
whom it texted is remembered (for the last :data:`~.notification.REMEMBERED` keys), so the
outbox's retry texts only the rest. A recipient the gateway fails for does not keep the
others from being texted: the notifier goes on to them and then fails naming whom it could
not text, for good (a :class:`~wfengine.errors.PermanentApplicationError`, so the outbox
gives the entry up at once) when the gateway refused every one of them for good.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Protocol

from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox_delivery import delivery_progress
from wfengine.worklist.notification import REMEMBERED, Notification, describe
from wfengine.worklist.org_model import OrgUser


class SmsGateway(Protocol):
    """Sends one text message to a phone number."""

    def send_sms(self, phone: str, text: str, key: str) -> None:
        """``key`` is this message's, the same on its retry: a gateway can drop a repeat.
        Raising a :class:`~wfengine.errors.PermanentApplicationError` says the number is
        refused for good (retrying would not text it); anything else, that a retry may."""


class FileSmsGateway:
    """An SMS gateway adapter that appends one JSON line per message to a file (for tests,
    demos, and gateways that pick messages up from a spool file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"sms-file {self.path}"

    def send_sms(self, phone: str, text: str, key: str) -> None:
        line = json.dumps({"key": key, "phone": phone, "text": text}, sort_keys=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


class SmsNotifier:
    """A short text per notification to each recipient that has a phone number, keyed
    ``<entry key>/<user id>``. Whom it texted is remembered: the outbox's retry after the
    gateway failed for one texts only the rest (it texted all again, under one shared key).
    One the gateway fails for is passed over, and the others texted, before it fails naming
    them: one refused number stopped the texts to everyone after it, for good when the
    refusal was."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway
        #: notification key -> the ids of the users texted (the last REMEMBERED keys)
        self._texted: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"sms via {describe(self.gateway)}"

    def notify(self, notification: Notification, users: list[OrgUser]) -> None:
        key = notification.key
        with self._lock:  # (the newest key last: the oldest is forgotten first)
            texted = self._texted[key] = self._texted.pop(key, set())
            while len(self._texted) > REMEMBERED:
                del self._texted[next(iter(self._texted))]
        failed: dict[str, Exception] = {}  # user id -> what the gateway raised
        for user in users:
            delivery_progress()  # (many slow texts in a row are not a gateway hung for good)
            if user.phone and user.id not in texted:
                try:
                    self.gateway.send_sms(user.phone, notification.subject, f"{key}/{user.id}")
                except Exception as exc:  # (the rest are texted all the same)
                    failed[user.id] = exc
                    continue
                with self._lock:  # (one that raised stays untexted: the retry texts it)
                    texted.add(user.id)
        if failed:
            raise _not_texted(failed)


def _not_texted(failed: dict[str, Exception]) -> ApplicationError:
    """The error naming the recipients not texted and why: permanent when the gateway refused
    each of them for good (a retry would be refused again), else one the outbox retries
    (texting those alone)."""
    each = "; ".join(f"{uid}: {type(exc).__name__}: {exc}" for uid, exc in failed.items())
    if all(isinstance(exc, PermanentApplicationError) for exc in failed.values()):
        return PermanentApplicationError(
            f"not texted, refused for good: {each} (the other recipients were texted)"
        )
    return ApplicationError(
        f"not texted: {each} (the other recipients were texted; a retry texts only those "
        "not texted yet)"
    )


def sms_file(path: str | Path) -> SmsNotifier:
    """The ``sms-file`` notifier: SMS lines appended to the file at ``path``.

    A named function rather than a lambda, so a mistaken setting is refused naming it and
    the setting it takes (``path``)."""
    return SmsNotifier(FileSmsGateway(path))
