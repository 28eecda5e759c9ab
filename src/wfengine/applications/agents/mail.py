"""The e-mail agent: send one message through an SMTP server the host configures.

The application's IN parameters are ``to`` (one address, or a list, or addresses separated
by ``,`` or ``;``), ``subject``, ``body`` and optionally ``cc``. A ``to`` and ``cc`` with no
address between them, or a part of ``to`` or ``cc`` that is not one address (``'@'``,
``'ann@example.org bob@x'``), is a permanent failure naming the parameter and the text: such
a message was reported as sent to nobody, and what followed a ``;`` was dropped. So is a bare
word followed, after a ``,``, by a display name and its ``<address>``:
``'Doe, Ann <ann@example.org>'``, whose display name's comma is not quoted, was sent to a local
mailbox ``Doe`` too (a local mailbox otherwise, ``'root, ann@example.org'``, is sent). A
message for its ``cc`` only keeps a ``to`` naming an empty group
(``undisclosed-recipients:;``) as its To. A parameter given None (a STRING field with no
value) is no text: a ``to`` or ``cc`` without addresses, an empty ``subject`` or ``body``; so
is a None item in a list ``to`` or ``cc`` (an ARRAY of STRING field's unset item), passed over.
A ``subject`` or ``body`` that is not text (an INTEGER field) is written as its text, and a
parameter of another name (``recipient``) is a permanent failure naming it
(:mod:`.mail_inputs`); the agent's signature names what it takes, for the binding check.

The message's ``Message-ID`` is made from the idempotency key, so a message re-sent by a
retry carries the same id and mail systems can drop the duplicate; the engine's keys (an
application call's, an outbox entry's for the notifiers) carry their instance's nonce, so
another message, from another database or a restarted in-memory engine whose ids began again
at ``pi-1``, never gets the same id. Its ``Date`` is when it is handed to the server (RFC
5322 requires one, and a relay need not add it: mail without one was filed as spam or
sorted as sent in 1970). Header values containing line breaks are refused (no header
injection from instance data).

The server's answer decides retrying by its code: 5xx (sender, recipient or message refused)
is a permanent error, 4xx (greylisting, a full mailbox, a local problem) and connection
problems are retried. A message the server takes for some recipients and refuses for others
fails too, never silently: with :class:`RecipientsRefusedError` (permanent) when every refusal
is a 5xx, else with :class:`RecipientsDeferredError`, a temporary failure that is retried; its
text names the first 20 addresses and counts the rest (:mod:`.mail_refusals`). The agent
remembers, by idempotency key (the last :data:`REMEMBERED` keys, in this process), who has the
message already, and a retry sends it to the others only: a greylisted recipient gets it
later, and the ones that took it are not sent it again (after a restart they may be, with the
same Message-ID). The server's answer to QUIT, after the exchange, decides nothing: a message
it took is sent.

The host bounds who a definition may mail: ``allowed_recipients`` (addresses, and domains
written ``corp.example`` or ``@corp.example``) and ``max_recipients`` (how many addresses
``to`` and ``cc`` hold together). A message for an address outside them, or for too many, is a
permanent failure naming the parameter and the first address refused, and is sent to no one.
:func:`email_agent_factory`, the way to the agent for definitions, allows 100 by default;
without ``allowed_recipients`` a definition may mail anyone.
"""

from __future__ import annotations

import re
import smtplib
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as _policy
from email.utils import formatdate, getaddresses
from itertools import pairwise
from types import TracebackType
from typing import Any, cast

import idna  # a dependency of httpx; the URL allow-list (http_policy) converts hosts alike

from wfengine.applications.agents.agent_ports import check_port
from wfengine.applications.agents.agent_timeouts import check_timeout
from wfengine.applications.agents.mail_inputs import (
    given_addresses,
    given_text,
    taken_signature,
    unknown_parameters,
)
from wfengine.applications.agents.mail_refusals import (
    RecipientsDeferredError as RecipientsDeferredError,
)
from wfengine.applications.agents.mail_refusals import (
    RecipientsRefusedError as RecipientsRefusedError,
)
from wfengine.applications.agents.mail_refusals import Refusals, refusal, text_of
from wfengine.applications.agents.mail_settings import check_host_name, check_login
from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.stoppable import stops_itself
from wfengine.applications.unknown_settings import refuse_unknown
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError

#: how many idempotency keys an agent remembers the recipients that have their message of
REMEMBERED = 4096
#: how many addresses (``to`` and ``cc`` together) a definition's message may have, unless
#: the host gives :func:`email_agent_factory` another ``max_recipients``
MAX_RECIPIENTS = 100

SmtpFactory = Callable[..., smtplib.SMTP]


class _Delivered:
    """Who has the message of each idempotency key (the last :data:`REMEMBERED` keys); shared
    by an agent and the copies a binding's timeout makes of it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, frozenset[str]] = {}

    def get(self, key: str | None) -> frozenset[str]:
        if key is None:
            return frozenset()
        with self._lock:
            return self._by_key.get(key, frozenset())

    def add(self, key: str | None, recipients: list[str]) -> None:
        if key is None or not recipients:
            return
        with self._lock:
            by_key = self._by_key
            by_key[key] = by_key.pop(key, frozenset()).union(recipients)
            while len(by_key) > REMEMBERED:
                del by_key[next(iter(by_key))]


def email_agent(
    host: str,
    port: int | str = 25,
    *,
    sender: str,
    smtp_class: SmtpFactory = smtplib.SMTP,
    starttls: bool = False,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
    allowed_recipients: Collection[str] | None = None,
    max_recipients: int | None = None,
) -> ApplicationFunc:
    """A callable sending one message per call from ``sender`` via ``host:port``.

    ``timeout`` bounds connecting and each exchange with the server; a binding's shorter
    timeout takes its place (:mod:`wfengine.applications.stoppable`). ``allowed_recipients``
    (None: anyone) and ``max_recipients`` (None: any number) bound whom a call may mail
    (:class:`_Bounds`); :func:`email_agent_factory` limits the number by default."""
    check_timeout("email_agent", timeout)
    _check_server("email_agent", host, sender)
    port = check_port("email_agent", port)
    check_login("email_agent", starttls, username, password, smtp_class)
    bounds = _Bounds.of("email_agent", allowed_recipients, max_recipients)
    server = _Server(host, port, sender, smtp_class, starttls, username, password, bounds)
    return _mailer(server, timeout, _Delivered())


@dataclass(frozen=True)
class _Bounds:
    """Whom the host lets a call mail: ``addresses`` and ``domains`` (lower-case, the domains
    in ASCII), None for anyone, and at most ``most`` addresses (None: any number).

    Why: a definition may be untrusted, and the agent sent whatever its ``to`` and ``cc``
    named (20,000 addresses in one call). An address is compared without regard to case (mail
    systems take ``Ann@`` and ``ann@`` for one mailbox) and its domain as IDNA (``bücher.de``
    is ``xn--bcher-kva.de``); a domain allows its addresses, not its subdomains'."""

    addresses: frozenset[str] | None = None
    domains: frozenset[str] | None = None
    most: int | None = None

    @classmethod
    def of(cls, what: str, allowed: Collection[str] | None, most: int | None) -> _Bounds:
        """The bounds of the host's settings, refused now (naming ``what``) when they are not
        such, rather than at a definition's first call."""
        if most is not None and (type(most) is not int or most < 1):
            raise ValueError(f"{what}: max_recipients must be a whole number >= 1, not {most!r}")
        if allowed is None:
            return cls(most=most)
        if isinstance(allowed, str) or not allowed:
            raise ValueError(
                f"{what}: allowed_recipients must be a non-empty list of addresses and domains "
                f"(['ann@corp.example', 'corp.example']), or None for anyone; not {allowed!r}"
            )
        keys = [_entry_key(what, entry) for entry in allowed]
        domains = frozenset(key[1:] for key in keys if key.startswith("@"))
        return cls(frozenset(k for k in keys if not k.startswith("@")), domains, most)

    def check(self, given: Sequence[tuple[str, list[str]]]) -> None:
        """Refuse a message for an address outside the bounds or for too many, with a
        :class:`PermanentApplicationError` naming the parameter (``to`` or ``cc``) and the
        first address refused. ``given``: each parameter's addresses, in order."""
        first_in: dict[str, str] = {}  # each address, once, -> the parameter naming it first
        for param, addresses in given:
            for address in filter(None, addresses):  # ('': an empty group)
                first_in.setdefault(address, param)
        listed = list(first_in.items())
        if self.most is not None and len(listed) > self.most:
            address, param = listed[self.most]
            raise PermanentApplicationError(
                f"{param}: {address!r:.200} is past the most addresses the host allows in one "
                f"message: to and cc hold {len(listed)}, at most {self.most} (max_recipients); "
                "nothing was sent"
            )
        if self.addresses is None or self.domains is None:
            return
        for address, param in listed:
            key = _address_key(address)
            if key is None or (key not in self.addresses and _domain(key) not in self.domains):
                raise PermanentApplicationError(
                    f"{param}: {address!r:.200} is not among the recipients the host allows "
                    "(allowed_recipients); nothing was sent"
                )


def _entry_key(what: str, entry: object) -> str:
    """An ``allowed_recipients`` entry as :func:`_address_key` makes it, a domain's as
    ``@domain``; a ``ValueError`` naming ``what`` and the entry when it is neither."""
    local, _, domain = entry.strip().rpartition("@") if isinstance(entry, str) else ("@", "", "")
    key = _address_key(f"{local}@{domain}") if "@" not in local else None
    if key is None or any(ch in str(entry) for ch in ' <>",;:()[]\\'):
        raise ValueError(
            f"{what}: allowed_recipients entry {entry!r} is no e-mail address or domain "
            "(ann@corp.example, corp.example or @corp.example)"
        )
    return key


def _domain(key: str) -> str:
    return key.rpartition("@")[2]


def _address_key(address: str) -> str | None:
    """``address`` as the bounds compare it: lower-case, its domain as IDNA (ASCII) without a
    trailing dot; None for one without a domain (a local mailbox) or with a domain that is no
    IDNA name, which no bound allows."""
    local, at, domain = address.rpartition("@")
    domain = domain.removesuffix(".")
    if not at or not domain:
        return None
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except UnicodeError:  # idna.IDNAError and its kin
        return None
    return f"{local.lower()}@{ascii_domain.lower()}"


@dataclass(frozen=True)
class _Server:
    """Where and how the agent sends (the host's settings)."""

    host: str
    port: int
    sender: str
    smtp_class: SmtpFactory
    starttls: bool
    username: str | None
    password: str | None = field(repr=False)
    bounds: _Bounds = _Bounds()

    @property
    def where(self) -> str:
        return f"SMTP {self.host}:{self.port}"


def _mailer(server: _Server, timeout: float, delivered: _Delivered) -> ApplicationFunc:
    where = server.where

    def call(
        *,
        to: str | list[str | None] | None = None,
        subject: object = "",
        body: object = "",
        cc: str | list[str | None] | None = None,
        idempotency_key: str | None = None,
        **others: object,
    ) -> None:
        if others:  # (kept only to be refused, naming them: see mail_inputs)
            raise unknown_parameters(others)
        # None (a STRING field with no value) is no text: no address, an empty body; it
        # failed with a raw TypeError that was retried, and a message for its cc never went
        given, copies = given_addresses("to", to), given_addresses("cc", cc)
        subject_text, body_text = given_text("subject", subject), given_text("body", body)
        try:
            message = EmailMessage()
            message["From"] = server.sender
            addressed = _recipients("to", given, optional=True)
            copied = _recipients("cc", copies, optional=True) if copies else ""
            if not addressed and not copied:
                raise _no_recipient(to, cc)
            if addressed or (addressed := _empty_groups(given)):  # undisclosed-recipients:;
                message["To"] = addressed
            if copied:
                message["Cc"] = copied
            message["Subject"] = subject_text
            message["Date"] = formatdate(usegmt=True)
            if idempotency_key is not None:
                message["Message-ID"] = _message_id(idempotency_key, server.sender)
            message.set_content(body_text)
        except ValueError as exc:  # line breaks in a header value
            raise PermanentApplicationError(f"cannot build the message: {exc}") from exc
        server.bounds.check([("to", _listed(message, "To")), ("cc", _listed(message, "Cc"))])
        had = delivered.get(idempotency_key)
        listed = _listed(message)
        recipients = list(dict.fromkeys(a for a in listed if a))  # (once each, in order)
        rest = [a for a in recipients if a not in had]
        if not rest:
            return None  # an earlier attempt delivered it to every recipient
        try:
            with _Session(server.smtp_class(server.host, server.port, timeout=timeout)) as smtp:
                if server.starttls:
                    smtp.starttls()
                if server.username is not None:
                    smtp.login(server.username, server.password or "")
                # the others have it (an earlier attempt): only to those who do not; an empty
                # group (To: undisclosed-recipients:;) smtplib would take for the address ''
                if had or "" in listed:
                    refused: Refusals = smtp.send_message(message, to_addrs=rest) or {}
                else:
                    refused = smtp.send_message(message) or {}
        except smtplib.SMTPRecipientsRefused as exc:  # every recipient: nothing was sent
            refused = exc.recipients
            rest = []
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, ...
            error = f"{where} answered {exc.smtp_code}: {text_of(exc.smtp_error)}"
            if exc.smtp_code >= 500:
                raise PermanentApplicationError(error) from exc
            raise ApplicationError(error) from exc
        except TimeoutError as exc:  # (an OSError: first) routed as the other agents' are
            raise ApplicationTimeoutError(
                f"{where}: no answer within {timeout:g} s ({type(exc).__name__}: {exc})"
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ApplicationError(f"{where}: {type(exc).__name__}: {exc}") from exc
        took = [a for a in rest if a not in refused]
        delivered.add(idempotency_key, took)
        if refused:  # (sets: a refusal of thousands was quadratic)
            has = had.union(took)
            raise refusal(where, refused, tuple(a for a in recipients if a in has))
        return None

    def rebuild(seconds: float) -> ApplicationFunc:
        return _mailer(server, min(timeout, seconds), delivered)

    call.__signature__ = taken_signature(call)  # type: ignore[attr-defined]  # (what it takes)
    return stops_itself(call, rebuild)


class _Session:
    """An SMTP connection whose closing (QUIT, then close) never decides the call's outcome.

    Why: ``smtplib.SMTP.__exit__`` raises when the server answers QUIT with other than 221;
    after ``send_message`` returned, the server had the message, yet that error failed the call
    and a retry sent it again (a QUIT 421: one copy per attempt) or a 5xx reported it undelivered
    for good. And when the exchange itself failed, the QUIT error replaced the server's answer
    that did decide it. What the exchange returned or raised is the outcome."""

    def __init__(self, smtp: smtplib.SMTP) -> None:
        self._smtp = smtp

    def __enter__(self) -> smtplib.SMTP:
        return self._smtp.__enter__()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # the message was taken or refused already: QUIT only says goodbye
        with suppress(smtplib.SMTPException, OSError):
            self._smtp.__exit__(kind, error, trace)


def _listed(message: EmailMessage, *headers: str) -> list[str]:
    """The addresses of the message's ``headers`` (To and Cc when none is named), in order, as
    ``send_message`` takes them (``''`` for an empty group such as
    ``undisclosed-recipients:;``)."""
    fields = [str(v) for h in headers or ("To", "Cc") for v in message.get_all(h, [])]
    return [address for _, address in getaddresses(fields)]


def _no_recipient(to: object, cc: object) -> PermanentApplicationError:
    """The error for a message whose ``to`` and ``cc`` hold no address together."""
    shown = f"to={to!r:.200}" + (f" and cc={cc!r:.200}" if cc else "")
    return PermanentApplicationError(
        f"no recipient: {shown} {'hold' if cc else 'holds'} no e-mail address; give at least "
        "one in to or cc (several separated by ',' or ';')"
    )


def _empty_groups(value: str | list[str]) -> str:
    """The header text of the groups without members that ``value`` names
    (``undisclosed-recipients:;``, the usual To of a message sent to its Cc only), or ``''``."""
    groups: list[str] = []
    _parts(value if isinstance(value, str) else ", ".join(value), groups)
    return ", ".join(f"{name}:;" for name in groups if name)


def readable_recipients(text: str) -> bool:
    """Whether the e-mail agent takes ``text`` as a ``to``: one address, or several separated
    by ``,`` or ``;``, and no line break (a header cannot hold one). Why public: the e-mail
    notifier leaves out a user whose address this refuses, since the agent refuses a whole
    message for one part it cannot read, so the two must judge alike."""
    if "\r" in text or "\n" in text:
        return False
    try:
        _recipients("to", text)
    except PermanentApplicationError:
        return False
    return True


def _recipients(field: str, value: str | list[str], optional: bool = False) -> str:
    """The header text of ``value``, the addresses of parameter ``field``: each one as the
    message will carry it, separated by ``, ``. ``;`` separates them as ``,`` does (as many
    mail programs write them); an empty part (``a@x.org,``) is passed over. Raises
    :class:`~wfengine.errors.PermanentApplicationError` naming ``field`` when a part is not
    one address, when one text holds a display name cut at an unquoted comma
    (:func:`_split_name`), or when ``value`` has none and it is not ``optional``.
    Why: an empty ``to`` was sent to no one and reported as sent, and the parser dropped what
    it could not read (everything after a ``;``). A value with a line break is returned as it
    is: setting the header refuses it (no header injection)."""
    text = value if isinstance(value, str) else ", ".join(value)
    if "\r" in text or "\n" in text:
        return text
    shown = f"{field}={value!r:.200}"
    parts: list[str] = []  # each address as the header carries it
    for one in [value] if isinstance(value, str) else value:
        found: list[str] = []  # the address of each part of ``one``
        for part in _parts(one):
            address = _one_address(part)
            if address is None:
                whole = "" if part == text.strip() else f" (in {shown})"
                raise PermanentApplicationError(
                    f"{field}: {part!r:.200} is not one e-mail address{whole}; write "
                    "addresses such as ann@example.org, separated by ',' or ';'"
                )
            found.append(address)
        # 'Doe, Ann <ann@x.org>' (a display name's comma not quoted) was sent to a mailbox
        # 'Doe' too; a list's items are separate values (a host's 'root' beside 'ann@x.org')
        if (split := _split_name(one)) is not None:
            holds = shown if isinstance(value, str) else f"{field} item {one!r:.200}"
            raise PermanentApplicationError(
                f"{field}: {split[0]!r:.200} followed by {split[1]!r:.200} in {holds} reads as "
                "a display name with an unquoted comma, which would also mail a local mailbox "
                f"{split[0]!r:.200}: a display name with a comma must be quoted, as in "
                "'\"Doe, Ann\" <ann@example.org>'; or write each address in full"
            )
        parts += found
    if not parts and not optional:
        raise _no_recipient(value, None)
    return ", ".join(parts)


def _split_name(text: str) -> tuple[str, str] | None:
    """The two parts of ``text`` that are a display name cut at its unquoted comma, or None: a
    bare word (no ``@``, ``<...>``, quotes or comment), then ``,`` and a part with a display
    name and an address in ``<...>`` (``Doe`` and ``Ann <ann@x.org>`` of
    ``Doe, Ann <ann@x.org>``). Why only that: a local mailbox beside full addresses
    (``root, ann@x.org``, ``Ann <ann@x.org>, Ops <ops>``) is sent as it always was."""
    cut: list[tuple[str, str]] = []
    _parts(text, cut=cut)
    for (first, sep), (then, _) in pairwise(cut):
        bare = first and not any(ch in first for ch in '@<"(')
        if bare and sep == "," and "<" in then and getaddresses([then])[0][0]:
            return first, then
    return None


def _parts(
    text: str, groups: list[str] | None = None, cut: list[tuple[str, str]] | None = None
) -> list[str]:
    """``text`` cut at each ``,`` and ``;`` outside quotes, comments, ``<...>`` and domain
    literals (``"Doe, Ann" <ann@x.org>`` is one part); a group's name (``team:`` of
    ``team: a@x.org, b@x.org;``) is left out: its members are the addresses (the names go
    to ``groups``, when given). The parts are stripped; empty ones are left out. ``cut``, when
    given, gets every part, empty ones and group names too, each with the character that ends
    it (``,``, ``;``, ``:``, or ``''`` at the end)."""
    parts: list[str] = []
    start = 0
    quoted = escaped = False
    comment = 0
    closing = ""  # ">" inside <...>, "]" inside a domain literal
    for at, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\" and (quoted or comment):
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif comment:
            comment += {"(": 1, ")": -1}.get(ch, 0)
        elif ch == '"':
            quoted = True
        elif ch == "(":
            comment = 1
        elif closing:
            closing = "" if ch == closing else closing
        elif ch in "<[":
            closing = ">" if ch == "<" else "]"
        elif ch in ",;":
            parts.append(text[start:at])
            if cut is not None:
                cut.append((parts[-1].strip(), ch))
            start = at + 1
        elif ch == ":":
            if groups is not None:
                groups.append(text[start:at].strip())
            if cut is not None:
                cut.append((text[start:at].strip(), ch))
            start = at + 1
    parts.append(text[start:])
    if cut is not None:
        cut.append((parts[-1].strip(), ""))
    return [p for p in (part.strip() for part in parts) if p]


def _one_address(part: str) -> str | None:
    """``part`` as the header will carry it (``Ann <ann@x.org>``) when it is exactly one
    address, else None: nothing (``@``, ``<>``), an address without its local part or domain
    (``ann@``, ``@x.org``), or more than the parser takes as one (``ann@x.org bob@x.org``,
    read as ``ann@x.org`` alone)."""
    try:
        shown = str(_policy.header_factory("To", part))
    except Exception:  # the parser fails on some malformed addresses (ann@: IndexError)
        return None
    taken, read = getaddresses([shown]), getaddresses([part])
    if len(taken) != 1 or len(read) != 1 or not taken[0][1] or taken[0][1] != read[0][1]:
        return None
    local, at, domain = taken[0][1].rpartition("@")
    return None if at and not (local and domain) else shown


def _message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "wfengine"
    local = re.sub(r"[^A-Za-z0-9.\-]", ".", key)
    return f"<wfengine.{local}@{domain}>"


def _check_server(what: str, host: object, sender: object) -> None:
    """Refuse a ``host`` or ``sender`` that is no text now: given None (a setting read from
    an unset environment variable), every call failed later with an ``AttributeError``,
    retried as if the server were down; and a host no server can have
    (:func:`~.mail_settings.check_host_name`)."""
    for name, value in (("host", host), ("sender", sender)):
        if not isinstance(value, str):
            raise TypeError(f"{what}: {name} must be text, not {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"{what}: {name} must not be empty")
    check_host_name(what, cast(str, host))


def email_agent_factory(
    host: str,
    port: int | str = 25,
    *,
    sender: str,
    allowed_recipients: Collection[str] | None = None,
    max_recipients: int | None = MAX_RECIPIENTS,
    **options: Any,
) -> AgentFactory:
    """A factory for ``registry.allow_agent("email", ...)``: the server and sender are the
    host's; a definition declaring ``wfengine:agent`` ``email`` only gets to send with them,
    to ``allowed_recipients`` (None: anyone; see :func:`email_agent`) and to at most
    ``max_recipients`` addresses a message (None: any number)."""
    if "timeout" in options:  # refused now, not at the first call of a definition's
        check_timeout("email_agent_factory", options["timeout"])
    _check_server("email_agent_factory", host, sender)
    port = check_port("email_agent_factory", port)
    _Bounds.of("email_agent_factory", allowed_recipients, max_recipients)
    # made once now, so an option it does not take (or of the wrong kind) is refused here,
    # not as "the definition's settings" at every call of every definition using it
    email_agent(host, port, sender=sender, **options)

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        refuse_unknown("e-mail", settings, ())  # (it reads none of its own: see there)
        return email_agent(
            host,
            port,
            sender=sender,
            allowed_recipients=allowed_recipients,
            max_recipients=max_recipients,
            **options,
        )

    return factory
