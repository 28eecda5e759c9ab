"""A stand-in for ``smtplib.SMTP`` that sends nothing and records each message it is given,
for the e-mail agent's tests: ``recording_smtp(record)`` makes the class (given to the agent
as its ``smtp_class``) and the list it records ``record(message, to_addrs)`` into;
``recording_agent(record)`` the agent too. :func:`envelope` is what smtplib sends to (the
``to_addrs`` given, else the addresses of To and Cc, as ``send_message`` reads them)."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import getaddresses
from typing import Any, TypeVar

from wfengine import email_agent
from wfengine.applications.registry import ApplicationFunc

T = TypeVar("T")


def whole_message(message: Any, _to_addrs: list[str] | None) -> Any:
    """The message itself."""
    return message


def envelope(message: Any, to_addrs: list[str] | None) -> list[str]:
    """The addresses the message goes to, as smtplib's ``send_message`` takes them."""
    if to_addrs is None:
        fields = [str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])]
        to_addrs = [address for _, address in getaddresses(fields)]
    return list(to_addrs)


def recording_smtp(record: Callable[[Any, list[str] | None], T]) -> tuple[type, list[T]]:
    """A class standing in for ``smtplib.SMTP``, and the list of what ``record`` made of each
    message sent through it."""
    sent: list[T] = []

    class RecordingSmtp:
        def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
            pass

        def __enter__(self) -> RecordingSmtp:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def send_message(self, msg: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
            sent.append(record(msg, to_addrs))
            return {}

    return RecordingSmtp, sent


def recording_agent(
    record: Callable[[Any, list[str] | None], T],
) -> tuple[ApplicationFunc, list[T]]:
    """A host's e-mail agent (``mx``, from wf@example.org) sending through
    :func:`recording_smtp`, and what it recorded."""
    smtp, sent = recording_smtp(record)
    return email_agent("mx", sender="wf@example.org", smtp_class=smtp), sent
