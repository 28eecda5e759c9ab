"""The e-mail agent: send one message through an SMTP server the host configures.

The application's IN parameters are ``to`` (one address, or a list, or comma-separated
addresses), ``subject``, ``body`` and optionally ``cc``. The message's ``Message-ID`` is made
from the idempotency key, so a message re-sent by a retry carries the same id and mail systems
can drop the duplicate; the engine's keys (an application call's, an outbox entry's for the
notifiers) carry their instance's nonce, so another message, from another database or a
restarted in-memory engine whose ids began again at ``pi-1``, never gets the same id. A 5xx
answer from the server (recipient or sender refused) is a permanent error; connection problems
and 4xx answers are retried. Header values containing line breaks are refused (no header
injection from instance data).
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any

from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.stoppable import stops_itself
from wfengine.errors import ApplicationError, PermanentApplicationError

SmtpFactory = Callable[..., smtplib.SMTP]


def email_agent(
    host: str,
    port: int = 25,
    *,
    sender: str,
    smtp_class: SmtpFactory = smtplib.SMTP,
    starttls: bool = False,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
) -> ApplicationFunc:
    """A callable sending one message per call from ``sender`` via ``host:port``.

    ``timeout`` bounds connecting and each exchange with the server; a binding's shorter
    timeout takes its place (:mod:`wfengine.applications.stoppable`)."""

    def call(
        *,
        to: str | list[str],
        subject: str = "",
        body: str = "",
        cc: str | list[str] | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        try:
            message = EmailMessage()
            message["From"] = sender
            message["To"] = _addresses(to)
            if cc:
                message["Cc"] = _addresses(cc)
            message["Subject"] = subject
            if idempotency_key is not None:
                message["Message-ID"] = _message_id(idempotency_key, sender)
            message.set_content(body)
        except ValueError as exc:  # line breaks in a header value
            raise PermanentApplicationError(f"cannot build the message: {exc}") from exc
        try:
            with smtp_class(host, port, timeout=timeout) as smtp:
                if starttls:
                    smtp.starttls()
                if username is not None:
                    smtp.login(username, password or "")
                smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentApplicationError(f"SMTP {host}:{port} refused: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {host}:{port} answered {exc.smtp_code}: {exc.smtp_error!r}"
            if exc.smtp_code >= 500:
                raise PermanentApplicationError(error) from exc
            raise ApplicationError(error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ApplicationError(f"SMTP {host}:{port}: {type(exc).__name__}: {exc}") from exc

    def rebuild(seconds: float) -> ApplicationFunc:
        return email_agent(
            host,
            port,
            sender=sender,
            smtp_class=smtp_class,
            starttls=starttls,
            username=username,
            password=password,
            timeout=min(timeout, seconds),
        )

    return stops_itself(call, rebuild)


def _addresses(value: str | list[str]) -> str:
    if isinstance(value, str):
        return value
    return ", ".join(value)


def _message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "wfengine"
    local = re.sub(r"[^A-Za-z0-9.\-]", ".", key)
    return f"<wfengine.{local}@{domain}>"


def email_agent_factory(host: str, port: int = 25, *, sender: str, **options: Any) -> AgentFactory:
    """A factory for ``registry.allow_agent("email", ...)``: the server and sender are the
    host's; a definition declaring ``wfengine:agent`` ``email`` only gets to send with them."""

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        return email_agent(host, port, sender=sender, **options)

    return factory
