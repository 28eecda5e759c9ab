"""The SMS notifier: a short text to each recipient with a phone number, through a gateway.

Each recipient is texted on their own, under their own key (``<entry key>/<user id>``), and
whom it texted, or the gateway refused for good, is remembered (for the last
:data:`~.notification.REMEMBERED` keys, in the notifier: its process's), so the outbox's retry
texts only the rest. A number the gateway refuses for good (a
:class:`~wfengine.errors.PermanentApplicationError`) does not keep the others from being
texted: the notifier goes on to them, then gives the entry up naming it. Any other failure (a
gateway down or timing out) stops the attempt there and is raised for the outbox to retry:
the next recipient would most likely wait out the same timeout, and every retry with it. Whom
it failed for is remembered too (with the texted), and the retry texts first those it has
not failed for, then those it has, the least recently failed first: a number that keeps
failing for now (its carrier unreachable) is tried after everyone else, so it delays the
others by one attempt at most instead of keeping them from their text until the outbox gives
the entry up; a gateway down still costs one call per attempt.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox_delivery import delivery_progress
from wfengine.worklist.notification import REMEMBERED, Notification, Person, describe

_T = TypeVar("_T")

_log = logging.getLogger("wfengine.notifications")


class PerKey(Generic[_T]):
    """What a notifier remembers of each notification key, so that the outbox's retry tells
    only those not told yet: for the last :data:`~.notification.REMEMBERED` keys, the least
    recently notified forgotten first (an entry another worker settled, or the outbox gave up
    on, is not notified here again). Not locked: the notifier's lock guards it and what it
    holds. Shared by the SMS and e-mail notifiers (:mod:`.email_notifier`)."""

    def __init__(self, new: Callable[[], _T]) -> None:
        self._new = new
        self._by_key: dict[str, _T] = {}

    def of(self, key: str) -> _T:
        """What is remembered of ``key`` (a new one when nothing is), now the newest."""
        value = self._by_key.pop(key) if key in self._by_key else self._new()
        self._by_key[key] = value
        while len(self._by_key) > REMEMBERED:
            del self._by_key[next(iter(self._by_key))]
        return value

    def forget(self, key: str) -> None:
        """Forget ``key``: every one of its recipients told, nothing is left for a retry."""
        self._by_key.pop(key, None)

    def values(self) -> list[_T]:
        """What is remembered, the least recently notified first."""
        return list(self._by_key.values())


class SmsGateway(Protocol):
    """Sends one text message to a phone number."""

    def send_sms(self, phone: str, text: str, key: str) -> None:
        """``key`` is this message's, the same on its retry: a gateway can drop a repeat.
        Raising a :class:`~wfengine.errors.PermanentApplicationError` says the number is
        refused for good (retrying would not text it); anything else, that a retry may."""


class FileSmsGateway:
    """An SMS gateway adapter that appends one JSON line per message to a file (for tests,
    demos, and gateways that pick messages up from a spool file).

    A ``path`` that can never be a file to append to is refused when it is made (see
    :func:`_file_path`); one whose directory does not exist yet is taken, with a warning: a
    spool directory may be made, or mounted, after the engine starts."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = _file_path(path)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"sms-file {self.path}"

    def send_sms(self, phone: str, text: str, key: str) -> None:
        line = json.dumps({"key": key, "phone": phone, "text": text}, sort_keys=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


def _file_path(path: object) -> Path:
    """``path`` as the file an ``sms-file`` gateway appends to; a ``TypeError`` or
    ``ValueError`` naming the notifier and the setting when it can never be one: no path, an
    empty one (the current directory), one ending in a separator or naming an existing
    directory, one holding NUL, one under a file. Each was taken, and every text then failed,
    20 attempts an entry ("IsADirectoryError: '.'"). A directory missing yet is logged on
    ``wfengine.notifications`` (the texts fail until it exists)."""
    given = os.fspath(path) if isinstance(path, str | PathLike) else path
    if not isinstance(given, str):
        kind = type(given).__name__
        raise TypeError(f"sms-file notifier: path must be a file's path (text), not {kind}")
    if not given.strip():
        raise ValueError(
            f"sms-file notifier: path is empty ({given!r}, the current directory when opened); "
            "give the file to append the texts to (sms.jsonl)"
        )
    if "\0" in given:
        raise ValueError(f"sms-file notifier: path {given!r:.200} holds a NUL character")
    found = Path(given)
    seps = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if given.endswith(seps) or found.is_dir():
        raise ValueError(
            f"sms-file notifier: path {given!r:.200} names a directory; give a file in it to "
            "append the texts to (sms.jsonl)"
        )
    above = next((p for p in found.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise ValueError(
            f"sms-file notifier: path {given!r:.200} is under {str(above)!r:.200}, a file, "
            "not a directory"
        )
    if above != found.absolute().parent:
        _log.warning(
            "sms-file notifier: the directory of %r does not exist (yet): texts fail until it does",
            given,
        )
    return found


@dataclass(slots=True)
class _Settled:
    """One entry's recipients the gateway is done with: texted, or refused for good (user id
    -> the refusal, as the error names it). Neither is texted again by a retry. And those it
    failed for (for now), the least recently failed first: the order a retry tries them in,
    after everyone else (one settled since is passed over as any settled one is)."""

    texted: set[str] = field(default_factory=set)
    #: user id -> the number the gateway refused for good and why: a user whose number the
    #: organisation has changed since is texted again (the operator's retry after the fix)
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)
    failed: dict[str, None] = field(default_factory=dict)

    def settles(self, user: Person) -> bool:
        """Whether ``user`` is done with: texted, or their number as it is refused."""
        return user.id in self.texted or self.refused.get(user.id, ("", ""))[0] == user.phone

    def reasons(self) -> dict[str, str]:
        """User id -> why the gateway refused their number for good, as errors name it."""
        return {user_id: why for user_id, (_, why) in self.refused.items()}

    def refuse(self, user: Person, reason: str) -> None:
        self.refused[user.id] = (user.phone or "", reason)

    def text(self, user: Person) -> None:
        self.texted.add(user.id)
        self.refused.pop(user.id, None)

    def in_turn(self, users: list[Person]) -> list[Person]:
        """Those of ``users`` with a phone not settled yet, in the order to text them: first
        those the gateway has not failed for (in the order given), then those it has, the
        least recently failed first. Stopping at a failure, in the order given, kept those
        after a number failing on every attempt from their text for good."""
        turn = {user_id: i for i, user_id in enumerate(self.failed)}
        due = [u for u in users if u.phone and not self.settles(u)]
        return sorted(due, key=lambda u: turn.get(u.id, -1))  # (stable: the order given)

    def failed_now(self, user_id: str) -> None:
        """``user_id`` is the most recently failed: the last the retry tries."""
        self.failed.pop(user_id, None)
        self.failed[user_id] = None


class SmsNotifier:
    """A short text per notification to each recipient that has a phone number, keyed
    ``<entry key>/<user id>``. Whom it texted, and whose number the gateway refused for good,
    is remembered: the outbox's retry texts only the rest (it texted all again, under one
    shared key, and a refused number again on every retry). A refused number is passed over
    and the others texted before the entry is given up on naming it (one refused number
    stopped the texts to everyone after it); a gateway failing otherwise stops the attempt at
    once (trying every recipient held the outbox worker one gateway timeout per recipient,
    on every retry), and the retry texts the one it failed for after the others (retried
    first, a number failing on every attempt kept everyone after it from their text)."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway
        #: notification key -> the recipients settled
        self._settled = PerKey(_Settled)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"sms via {describe(self.gateway)}"

    def notify(self, notification: Notification, users: list[Person]) -> None:
        key = notification.key
        with self._lock:
            settled = self._settled.of(key)
            due = settled.in_turn(users)
        for i, user in enumerate(due):
            delivery_progress()  # (many slow texts in a row are not a gateway hung for good)
            try:
                self.gateway.send_sms(user.phone or "", notification.subject, f"{key}/{user.id}")
            except PermanentApplicationError as exc:  # (the rest are texted all the same)
                with self._lock:
                    settled.refuse(user, f"{type(exc).__name__}: {exc}")
                continue
            except Exception as exc:  # (the retry's, with those after it: it last)
                with self._lock:
                    settled.failed_now(user.id)
                raise _not_texted_yet(user.id, exc, len(due) - i - 1, settled) from exc
            with self._lock:
                settled.text(user)
        if settled.refused:
            raise PermanentApplicationError(
                f"not texted, refused for good: {_listed(settled.reasons())} (the other "
                "recipients were texted)"
            )


#: how many recipients an error names one by one (the rest are counted)
NAMED = 5


def _listed(errors: dict[str, str]) -> str:
    """``user: error; ...`` for the first :data:`NAMED`, then how many more: an entry
    offered to a whole role must not make an error of thousands of lines."""
    each = [f"{uid}: {error}" for uid, error in list(errors.items())[:NAMED]]
    more = len(errors) - NAMED
    return "; ".join(each) + (f"; and {more} more" if more > 0 else "")


def _not_texted_yet(
    user_id: str, exc: Exception, after: int, settled: _Settled
) -> ApplicationError:
    """The error the outbox retries: whom the gateway failed for, and what the retry texts
    (the ``after`` others not texted yet first, then ``user_id``)."""
    waiting = f"the {after} other recipients not texted yet, then " if after else ""
    refused = f"; refused for good: {_listed(settled.reasons())}" if settled.refused else ""
    return ApplicationError(
        f"not texted: {user_id}: {type(exc).__name__}: {exc} (a retry texts {waiting}"
        f"{user_id}; {len(settled.texted)} texted{refused})"
    )


def sms_file(path: str | PathLike[str]) -> SmsNotifier:
    """The ``sms-file`` notifier: SMS lines appended to the file at ``path``.

    A named function rather than a lambda, so a mistaken setting is refused naming it and
    the setting it takes (``path``)."""
    return SmsNotifier(FileSmsGateway(path))
