"""The e-mail agent's errors for recipients a server refused, and their text.

Apart from :mod:`.mail` so that a caller sending many messages (the e-mail notifier, one per
part of a large role) can tell a refusal of some recipients, after which the next message
may well be taken, from a server that is down, without the agent's module passing its size
limit. What an error says is stored in the outbox entry and logged, so it names the first
:data:`NAMED` addresses and counts the rest: one refusal of 16,000 recipients made an error
of 822 KB, on every attempt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wfengine.errors import ApplicationError, PermanentApplicationError

#: recipients refused, by address: the server's code and text
Refusals = Mapping[str, tuple[int, bytes | str]]

#: how many addresses a refusal names one by one (the rest are counted)
NAMED = 20


class RecipientsRefusedError(PermanentApplicationError):
    """The server refused recipients for good (5xx). ``refused`` maps each to the server's
    code and text; ``delivered`` lists the recipients that have the message (none when every
    one was refused)."""

    def __init__(self, message: str, refused: Refusals, delivered: tuple[str, ...]) -> None:
        super().__init__(message)
        self.refused = dict(refused)
        self.delivered = delivered


class RecipientsDeferredError(ApplicationError):
    """The server refused some recipients for now (a 4xx among the refusals: a full mailbox,
    greylisting, too many recipients in one message): a retry sends the message to them
    only. ``refused`` and ``delivered`` as :class:`RecipientsRefusedError` has them."""

    def __init__(self, message: str, refused: Refusals, delivered: tuple[str, ...]) -> None:
        super().__init__(message)
        self.refused = dict(refused)
        self.delivered = delivered


def refusal(where: str, refused: Refusals, delivered: tuple[str, ...]) -> ApplicationError:
    """The error for recipients the server refused: permanent when every refusal is (5xx)."""
    each = named([f"{a}: {code} {text_of(text)}" for a, (code, text) in refused.items()], "; ")
    has = (
        f"; {named(list(delivered), ', ')} {'has' if len(delivered) == 1 else 'have'} it"
        if delivered
        else ""
    )
    if all(code >= 500 for code, _ in refused.values()):
        return RecipientsRefusedError(f"{where} refused {each}{has}", refused, delivered)
    again = " (a retry sends it to the refused recipients only)" if delivered else ""
    return RecipientsDeferredError(
        f"{where} refused for now {each}{has}{again}", refused, delivered
    )


def named(items: Sequence[str], separator: str) -> str:
    """The first :data:`NAMED` of ``items`` joined by ``separator``, then how many more."""
    more = len(items) - NAMED
    return separator.join(items[:NAMED]) + (f"{separator}and {more} more" if more > 0 else "")


def text_of(text: bytes | str) -> str:
    """A server's answer as text (smtplib gives bytes)."""
    return text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
