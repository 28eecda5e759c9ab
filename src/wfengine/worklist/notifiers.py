"""Telling people about their work: notifiers fed by the outbox.

A :class:`NotificationDispatcher` is an outbox handler (subscribe it with :func:`subscribe`):
for each work-item entry the engine committed it makes one :class:`Notification` (who, what,
the entry's key; a second, ``taken from you``, for those the work was taken from) and hands it
to every notifier. Because delivery goes through the outbox, a crash never loses a
notification (the entry is delivered after restart), and a failing notifier never blocks or
rolls back an engine command: it runs after the commit, outside it.

Each notifier is on its own: one that fails (a webhook whose server is down) neither keeps the
others from being called nor makes them repeat. The dispatcher calls every notifier, remembers
which have the entry, and fails the delivery naming those that raised; the outbox's retry
(same key) calls only those again, until they succeed or the entry is given up on. When every
one that raised failed for good (a :class:`~wfengine.errors.PermanentApplicationError`: the
e-mail notifier's server refusing the recipients, 5xx; the webhook's receiver answering a 4xx
other than 408, 425 and 429, or a redirect, :mod:`.webhook_notifier`; the SMS gateway
refusing numbers so), the entry is given up on at once; when a failing notifier's service
asked for quiet (a webhook's 429 or 503 with ``Retry-After``), the retry waits for the
longest asked. What the dispatcher remembers is its process's: after a restart, or when another
worker delivers the retry, a notifier that had it may be called again, with the same key (so
the receiving side can drop a repeat: the e-mail's Message-ID, the webhook's
``X-Wfengine-Key``, the SMS's ``key``).
The e-mail and SMS notifiers remember whom they told, so their retry tells only the rest; the
e-mail notifier sends a notification in messages of at most 50 recipients, each under its own
Message-ID, so a role of thousands is told in one delivery (:mod:`.email_notifier`); each SMS
has its own key, ``<entry key>/<user id>``, and a recipient the SMS gateway fails for does not
keep the others from their text (a number refused for good is passed over; one failing for
now stops the attempt and is texted after the others by the retry: :mod:`.sms_notifier`).

Events and who hears of them:

* ``offered`` (``work_item.offered``): everyone the item is offered to (again when its holder
  released it, or an escalation took it from its holder: then all but those it was escalated
  to, whom the escalation tells);
* ``allocated`` (``work_item.assigned``: claimed, delegated, reassigned): the new holder;
* ``sent back`` (``work_item.sent_back``): who has the earlier activity's work again (its
  earlier performer, else those it is offered to), with the reason in the text;
* ``completed`` (``work_item.completed``) and ``withdrawn`` (``work_item.cancelled``): those it
  was offered to, and whoever held it and the owner who delegated it (someone it was
  reassigned or delegated to need not be one of those it is offered to), each once;
* ``overdue`` (``reminder.due``): its holder, else those it is offered to;
* ``escalated`` (``work_item.escalated``): the people it was escalated to;
* ``taken from you`` (:data:`TAKEN_FROM`, a notification of its own, keyed ``<entry
  key>/taken-from``): whoever a reassignment took the item from (its holder, the owner who
  delegated it: the ``work_item.assigned`` entry's ``taken_from``), and whoever an escalation
  took it from who is not offered it again and so hears no ``offered`` (a delegate under
  ``wfengine:delegation-confirm``, whose item goes back to its owner), each once.

Who the recipients are is decided when the entry is written (the item's assignees then); their
addresses (e-mail, phone) are looked up when it is delivered, first in the directory of the
engine delivering it (:func:`~wfengine.runtime.outbox_delivery.delivering_engine`: after
``engine.directory = new_organisation`` or a ``wfengine org load`` a worker took up, the new
people are found), then in the organisation given to :func:`subscribe` (an Organisation or
any object whose ``user(user_id)`` gives the person with their addresses, a host's own
directory too; a callable returning the current one; or None to rely on the engine's alone).
A recipient found in neither is logged on ``wfengine.notifications`` and not told: retrying
would not find them.

Notifiers are plug-ins: :data:`NOTIFIERS` maps a name to a factory, the built-in ``email``
(SMTP), ``webhook`` (an HTTP POST signed with HMAC-SHA256) and ``sms-file`` (an SMS gateway
adapter writing one JSON line per message), and packages add theirs under the entry-point
group ``wfengine_notifiers``; :func:`notifier` makes one by name.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import entry_points
from os import PathLike
from typing import Any, Protocol, cast

from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.call_shapes import unfit_signature
from wfengine.runtime.outbox import OutboxHandlers, OutboxKind, OutboxRecord
from wfengine.runtime.outbox_delivery import delivering_engine, delivery_progress
from wfengine.worklist.email_notifier import PER_MESSAGE as PER_MESSAGE  # (re-exported)
from wfengine.worklist.email_notifier import EmailNotifier as EmailNotifier
from wfengine.worklist.notification import REMEMBERED as REMEMBERED
from wfengine.worklist.notification import TAKEN_FROM as TAKEN_FROM
from wfengine.worklist.notification import Notification as Notification
from wfengine.worklist.notification import Notifier as Notifier
from wfengine.worklist.notification import Person as Person
from wfengine.worklist.notification import audiences
from wfengine.worklist.notification import describe as describe
from wfengine.worklist.organisation import Organisation
from wfengine.worklist.sms_notifier import FileSmsGateway as FileSmsGateway
from wfengine.worklist.sms_notifier import SmsGateway as SmsGateway
from wfengine.worklist.sms_notifier import SmsNotifier as SmsNotifier
from wfengine.worklist.sms_notifier import sms_file
from wfengine.worklist.webhook_notifier import WebhookNotifier as WebhookNotifier
from wfengine.worklist.webhook_notifier import key_header as key_header
from wfengine.worklist.webhook_notifier import signature as signature

#: the entry-point group where packages register notifier factories
ENTRY_POINT_GROUP = "wfengine_notifiers"

_log = logging.getLogger("wfengine.notifications")


class People(Protocol):
    """What a dispatcher looks recipients up in: an :class:`Organisation`, or a host's own
    directory that has the same ``user(user_id)`` (the person, with the e-mail and phone
    notifiers need, or None for one it does not know): a :class:`Person`, the organisation's
    ``OrgUser`` or the host's own person object."""

    def user(self, user_id: str) -> Person | None: ...


#: what a dispatcher looks recipients up in besides the delivering engine's directory: an
#: organisation (any :class:`People`), a callable giving the current one, or None (the
#: engine's alone)
OrganisationSource = People | Callable[[], People | None] | None

#: outbox kind -> (event name, who hears of it: "assignees", "holder", "current" (the holder,
#: else the assignees), "involved" (the assignees, the holder and the owner, each once) or
#: "escalated_to")
EVENTS: dict[str, tuple[str, str]] = {
    OutboxKind.WORK_ITEM_OFFERED: ("offered", "assignees"),
    OutboxKind.WORK_ITEM_ASSIGNED: ("allocated", "holder"),
    OutboxKind.WORK_ITEM_COMPLETED: ("completed", "involved"),
    OutboxKind.WORK_ITEM_CANCELLED: ("withdrawn", "involved"),
    OutboxKind.REMINDER_DUE: ("overdue", "current"),
    OutboxKind.WORK_ITEM_ESCALATED: ("escalated", "escalated_to"),
    OutboxKind.WORK_ITEM_SENT_BACK: ("sent back", "current"),
}


class NotificationError(ApplicationError):
    """Some notifiers failed to deliver a notification (the others, if any, delivered it:
    the message says which)."""


class PermanentNotificationError(NotificationError, PermanentApplicationError):
    """Every notifier that failed did so for good (raised a
    :class:`~wfengine.errors.PermanentApplicationError`, as the e-mail notifier does when the
    server refuses the recipients, 5xx): the outbox does not retry the entry."""


class NotificationDispatcher:
    """The outbox handler that turns work-item entries into notifications, each notifier
    called once per notification (see the module notes)."""

    def __init__(self, organisation: OrganisationSource, notifiers: Iterable[Notifier]) -> None:
        #: where recipients are looked up after the delivering engine's directory
        self.organisation = _source(organisation)
        self.notifiers = _checked(notifiers)
        #: entry key -> (notification key, notifier) delivered, while some are not; notifiers
        #: by identity, not position: a host removing one from :attr:`notifiers` between
        #: attempts shifted the positions, and the retry skipped one never delivered
        self._delivered: dict[str, list[tuple[str, Notifier]]] = {}
        self._lock = threading.Lock()  # a worker's threads share one dispatcher

    def __repr__(self) -> str:
        return f"notifications ({', '.join(map(describe, self.notifiers))})"

    def __call__(self, record: OutboxRecord) -> None:
        found = EVENTS.get(record.kind)
        if found is None:
            return
        event, audience = found
        payload = record.payload
        told, taken = audiences(audience, payload)
        notifications = [
            Notification(
                key,
                name,
                payload["work_item_id"],
                record.instance_id,
                payload["activity_id"],
                recipients,
                payload.get("reason"),
            )
            for key, name, recipients in (
                (record.key, event, told),
                (f"{record.key}/taken-from", TAKEN_FROM, taken),
            )
            if recipients
        ]
        if notifications:
            self._deliver(record.key, notifications, self._users((*told, *taken), record.key))

    def _deliver(
        self, key: str, notifications: list[Notification], found: dict[str, Person]
    ) -> None:
        """Hand each notification of the entry ``key`` to every notifier that does not have
        it yet (see the module notes), each with those of its recipients ``found``.

        What was delivered is remembered whenever the attempt ends short of all: by failures,
        and by a ``KeyboardInterrupt`` or ``SystemExit`` out of a notifier too (the memory is
        taken out at the start, and was lost then: the next delivery repeated every notifier
        that already had it)."""
        with self._lock:
            done = self._delivered.pop(key, None) or []
        failed: list[tuple[Notifier, str, Exception]] = []
        try:
            for notification in notifications:
                for notifier in list(self.notifiers):
                    if any(k == notification.key and d is notifier for k, d in done):
                        continue
                    try:
                        self._notify(notifier, notification, found)
                    except Exception as exc:
                        what = f" ({notification.event!r})" if notification.key != key else ""
                        failed.append((notifier, what, exc))
                    else:
                        done.append((notification.key, notifier))
        except BaseException:
            self._remember(key, done)
            raise
        if failed:
            self._remember(key, done)
            raise _failure(failed, len(self.notifiers), delivered=bool(done))

    @staticmethod
    def _notify(notifier: Notifier, notification: Notification, found: dict[str, Person]) -> None:
        """Call ``notifier`` with ``notification`` and a list of its recipients ``found`` of
        its own (one list shared by every notifier was emptied for the next by a notifier
        working through it as a queue)."""
        users = [found[u] for u in notification.recipients if u in found]
        delivery_progress()  # (a worker times a delivery from its last progress)
        notify: Callable[..., object] = notifier.notify  # (what it really returns)
        answer = notify(notification, users)
        if inspect.iscoroutine(answer):  # (one returned: never awaited here)
            answer.close()
            raise TypeError("its notify() returned a coroutine, which is not awaited")

    def _remember(self, key: str, done: list[tuple[str, Notifier]]) -> None:
        """Keep what of the entry ``key`` was delivered, for its retry (the newest
        :data:`REMEMBERED` entries)."""
        if not done:
            return
        with self._lock:
            remembered = self._delivered
            remembered[key] = done
            while len(remembered) > REMEMBERED:
                del remembered[next(iter(remembered))]

    def _users(self, recipients: tuple[str, ...], key: str) -> dict[str, Person]:
        """The recipients' users by id, each looked up in the delivering engine's directory, then
        in the dispatcher's organisation (see the module notes: the engine's is current)."""
        places: list[People] = []
        engine = delivering_engine()
        current = getattr(engine, "directory", None)
        if isinstance(current, Organisation):
            places.append(current)
        given = self._given()
        if given is not None and all(given is not p for p in places):
            places.append(given)
        users: dict[str, Person] = {}
        unknown: list[str] = []
        for user_id in recipients:
            found = next((u for p in places if (u := p.user(user_id)) is not None), None)
            if found is None:
                unknown.append(user_id)
            else:
                users[user_id] = found
        if unknown:
            _log.warning(
                "notification %s: %s not in the organisation (no address): not told",
                key,
                ", ".join(unknown),
            )
        return users

    def _given(self) -> People | None:
        """The organisation given to subscribe, or what its callable returns now: any object
        with ``user(user_id)``, else a ``TypeError`` saying what it must be."""
        given = self.organisation
        if given is None or _has_people(given):
            return cast(People | None, given)
        found: object = cast(Callable[[], object], given)()
        if found is not None and not _has_people(found):
            raise TypeError(
                f"the organisation callable given to subscribe returned {describe(found)},"
                " which has no user(user_id) method: it returns the current organisation,"
                f" {_NEEDED}, or None"
            )
        return cast(People | None, found)


def _failure(
    failed: list[tuple[Notifier, str, Exception]], total: int, *, delivered: bool
) -> NotificationError:
    """The error of an attempt in which the ``failed`` notifiers raised (each with what it
    failed on, when not the entry's own notification, and its exception), of ``total``;
    ``delivered``: some notifier has delivered some notification of the entry (in this
    attempt or an earlier one)."""
    failing = {id(notifier) for notifier, _, _ in failed}
    # every failure for good (a mail server's 5xx refusal): the outbox gives the entry up
    # at once rather than repeat the refusal until its attempts run out
    transient = any(not isinstance(exc, PermanentApplicationError) for _, _, exc in failed)
    error = NotificationError if transient else PermanentNotificationError
    told = "; ".join(
        f"{describe(notifier)}{what}: {type(exc).__name__}: {exc}" for notifier, what, exc in failed
    )
    raised = error(f"{_who_failed(len(failing), total, delivered=delivered)}: {told}")
    # the longest quiet a failing notifier's service asked for (a webhook's Retry-After):
    # the retry calls it again, so it waits for it
    raised.retry_after = max(
        (
            e.retry_after
            for _, _, e in failed
            if isinstance(e, ApplicationError) and e.retry_after is not None
        ),
        default=None,
    )
    return raised


def _who_failed(failing: int, total: int, *, delivered: bool) -> str:
    """How many of the ``total`` notifiers failed, and who has the notification. Why: the
    message said "the others have it and are not called again" also when there was no
    other notifier, or when every one failed: nobody had been told, and an operator read
    that somebody had."""
    if failing < total:
        others = "the others have it and are not called again"
        return f"{failing} of {total} notifiers failed ({others})"
    failed = "the only notifier failed" if total == 1 else f"all {total} notifiers failed"
    if delivered:  # (one of the entry's two notifications, "taken from you", went out)
        return f"{failed} (a part of it was delivered and is not sent again)"
    return f"{failed} (nothing was delivered)"


#: what an organisation given to subscribe must have, as its refusals say
_NEEDED = (
    "an Organisation or another object whose user(user_id) gives the person with their "
    "e-mail and phone (a Person: an OrgUser, or a host's own person object; or None for "
    "one it does not know)"
)


def _has_people(found: object) -> bool:
    """Whether ``found`` looks recipients up as an Organisation does (``user(user_id)``): a
    host's own directory with that method serves as well as an Organisation (one given by a
    callable did until the callable's result had to be an Organisation)."""
    return callable(getattr(found, "user", None)) and not isinstance(found, type)


def _source(organisation: object) -> OrganisationSource:
    """``organisation`` as :class:`NotificationDispatcher` takes it (an object with
    ``user(user_id)``, a callable returning the current one, or None); anything else is a
    ``TypeError`` naming it, here: a path or a host's own directory without ``user`` was
    taken and failed every delivery for hours. What the dispatcher needs is the people with
    their addresses (``user(user_id)``, a :class:`Person`), which are what notifiers are given:
    ``members``/``knows`` alone do not give them."""
    if organisation is None or _has_people(organisation):
        return cast(People | None, organisation)
    if callable(organisation) and not isinstance(organisation, type):
        return cast(Callable[[], People | None], organisation)
    if isinstance(organisation, str | PathLike):
        hint = f"load it first: load_organisation({str(organisation)!r})"
    elif callable(getattr(organisation, "members", None)):
        hint = (
            "a host's own directory gives no addresses without a user(user_id) method: "
            "give it one, or pass an Organisation holding the people "
            "(Organisation.from_data(...), load_organisation(path))"
        )
    else:
        hint = "or a callable returning the current one, or None"
    raise TypeError(f"subscribe: organisation is {_NEEDED}, not {describe(organisation)}: {hint}")


def _checked(notifiers: Iterable[Notifier]) -> list[Notifier]:
    """``notifiers`` as a list, each an object with a plain ``notify(notification, users)``;
    anything else is a ``TypeError`` naming it, here rather than at every delivery for eight
    hours ("'function' object has no attribute 'notify'"). One whose ``notify`` is
    ``async def`` too: the dispatcher calls it as a plain method, so its coroutine never ran
    and the entry was marked delivered, the notification lost without a word."""
    one = hasattr(notifiers, "notify") or isinstance(notifiers, str | bytes | Mapping)
    if one or not isinstance(notifiers, Iterable):  # (one notifier: not iterable, said so)
        raise TypeError(f"notifiers is a list of notifiers ([notifier]), not {describe(notifiers)}")
    found = list(notifiers)
    for n in found:
        if not callable(getattr(n, "notify", None)):
            raise TypeError(
                f"notifier {describe(n)} has no notify(notification, users) method: a "
                "notifier is an object with one (an EmailNotifier, or notifier('webhook', ...))"
            )
        if inspect.iscoroutinefunction(getattr(n, "notify", None)):
            raise TypeError(
                f"notifier {describe(n)}: its notify() is async def, and notifiers are called "
                "as plain methods (the coroutine would never run); give it a plain notify() "
                "(which may run the coroutine itself, asyncio.run(...))"
            )
        _check_arity(n)
    return found


def _check_arity(found: object) -> None:
    """Refuse a notifier whose ``notify`` cannot be called as the dispatcher calls it,
    ``notify(notification, users)``, naming what it takes: one taking only the notification
    was subscribed, then failed every delivery for eight hours. One whose signature Python
    cannot tell is taken as it is."""
    notify = getattr(found, "notify", None)
    taken = unfit_signature(cast(Callable[..., object], notify), (None, []))
    if taken is not None:
        raise TypeError(
            f"notifier {describe(found)}: its notify{taken} cannot be called as "
            "notify(notification, users), as the dispatcher calls it: give it those two "
            "parameters (def notify(self, notification, users))"
        )


def subscribe(
    handlers: OutboxHandlers, organisation: OrganisationSource, notifiers: Iterable[Notifier]
) -> NotificationDispatcher:
    """Subscribe a dispatcher for ``notifiers`` to the work-item kinds of ``handlers`` (an
    engine's ``engine.outbox`` or an ``--apps`` module's ``subscribe(outbox)`` argument).

    Recipients are looked up in the directory of the engine delivering each entry first, so
    a directory replaced later is followed; ``organisation`` (or what a callable given here
    returns at delivery, or nothing for None) serves for recipients that one does not know
    and for a dispatcher called outside a delivery."""
    dispatcher = NotificationDispatcher(organisation, notifiers)
    handlers.subscribe(dispatcher, list(EVENTS))
    return dispatcher


# --------------------------------------------------------------------------- plug-ins

NotifierFactory = Callable[..., Notifier]


#: built-in notifiers by name; :func:`notifier` also finds those of installed packages
NOTIFIERS: dict[str, NotifierFactory] = {
    "email": EmailNotifier,
    "webhook": WebhookNotifier,
    "sms-file": sms_file,
}


def notifier(name: str, options: Mapping[str, Any] | None = None) -> Notifier:
    """The notifier ``name`` made with ``options`` (keyword arguments of its factory): a
    built-in one, or one a package registers under :data:`ENTRY_POINT_GROUP`."""
    _check_arguments(name, options)
    factory = NOTIFIERS.get(name)
    if factory is None:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name:
                try:
                    factory = ep.load()
                except Exception as exc:  # (a bare ModuleNotFoundError named no plug-in)
                    raise ApplicationError(
                        f"notifier {name!r}: entry point {ep.value!r} of group "
                        f"{ENTRY_POINT_GROUP!r} cannot be loaded: {type(exc).__name__}: {exc}"
                    ) from exc
                break
    if factory is None:
        known = sorted({*NOTIFIERS, *(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))})
        raise KeyError(f"no notifier {name!r} (known: {', '.join(known)})")
    settings = dict(options or {})
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):  # a builtin without one: its own error will have to do
        signature = None
    if signature is not None:
        _check_settings(name, signature, settings)
    try:
        return factory(**settings)
    except (TypeError, ValueError) as exc:  # a setting of the wrong kind, or one passed on
        shown = _settings(signature) if signature is not None else "settings it did not list"
        kind = TypeError if isinstance(exc, TypeError) else ValueError
        raise kind(f"notifier {name!r}: {exc} (it takes {shown})") from exc


def _check_arguments(name: object, options: object) -> None:
    """Refuse a ``name`` that is not text, ``options`` that are not a mapping (or None), and
    a setting's name that is not text, saying what was given and what ``notifier`` takes (the
    arguments swapped, when they are): they failed as "unhashable type: 'dict'", "dictionary
    update sequence element #0" or "'int' object is not iterable", naming neither. What was
    given is shown without the settings' values (a webhook's secret, an e-mail password)."""
    if isinstance(name, str) and (options is None or isinstance(options, Mapping)):
        odd = [k for k in (options or {}) if not isinstance(k, str)]
        if odd:
            raise TypeError(
                f"notifier {name!r}: a setting's name is text (a keyword of the notifier), "
                f"not {odd[0]!r:.40} ({type(odd[0]).__name__})"
            )
        return
    swapped = (name is None or isinstance(name, Mapping)) and isinstance(options, str)
    if swapped:
        problem = "the arguments are swapped"
    elif not isinstance(name, str):
        problem = "the name is not text"
    else:
        problem = "the settings are not a mapping"
    given = f"{_shown_argument(name, name=True)}, {_shown_argument(options, name=swapped)}"
    raise TypeError(
        f"notifier({given}): {problem}: "
        "the order is notifier(name, settings), the name text such as 'email' or 'webhook', "
        "the settings a mapping of the notifier's settings such as {'path': 'sms.log'} "
        "(or None for none)"
    )


def _shown_argument(value: object, *, name: bool) -> str:
    """An argument of :func:`notifier` as its refusal shows it: a mapping by its keys alone,
    text only where it is a name (text given as settings may hold a secret: a webhook URL),
    a number or None as it is, anything else by its type."""
    if isinstance(value, Mapping):
        keys = [repr(k)[:40] for k in list(value)[:5]]
        more = ", ..." if len(value) > 5 else ""
        return "{" + ", ".join(f"{k}: ..." for k in keys) + more + "}"
    if value is None or isinstance(value, int | float) or (name and isinstance(value, str)):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    return f"<{type(value).__name__}>"


def _check_settings(name: str, signature: inspect.Signature, settings: dict[str, Any]) -> None:
    """Refuse settings the factory does not take, or lacking one it needs, naming the
    notifier, what was given and what it takes (the factory's own TypeError names a lambda
    or an ``__init__``, not the notifier the user asked for)."""
    params = signature.parameters.values()
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unknown = (
        [] if any(p.kind is p.VAR_KEYWORD for p in params) else sorted(settings.keys() - named)
    )
    if unknown:
        problem = f"no setting {', '.join(map(repr, unknown))}"
    else:
        try:
            signature.bind(**settings)
            return
        except TypeError as exc:
            problem = str(exc)
    raise TypeError(
        f"notifier {name!r}: {problem}; it takes {_settings(signature)} (given: "
        f"{', '.join(map(repr, settings)) or 'none'})"
    )


def _settings(signature: inspect.Signature) -> str:
    """The settings a factory's signature takes, as a refusal lists them."""
    parts: list[str] = []
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            parts.append(f"further settings passed on (**{p.name})")
        elif p.kind is p.POSITIONAL_ONLY or p.kind is p.VAR_POSITIONAL:
            continue  # settings are given by name
        elif p.default is p.empty:
            parts.append(f"{p.name} (required)")
        else:
            parts.append(f"{p.name} (default {p.default!r})")
    return ", ".join(parts) or "no settings"
