"""The check every agent makes of the timeout it is given, when it is made.

Its own module so the e-mail agent need not load the HTTP agent (and httpx) to use it.
"""

from __future__ import annotations


def check_timeout(who: str, timeout: object) -> None:
    """Refuse a ``timeout`` that cannot work, naming ``who`` (the agent's maker): a zero,
    negative or NaN timeout would fail every call (or, NaN, never time out), and a text
    ("5") failed at the first call with a bare ``TypeError``, retried into an incident far
    from the line that set it."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"{who}: timeout must be a number of seconds, not {timeout!r}")
    if not 0 < timeout < float("inf"):
        raise ValueError(f"{who}: timeout must be a positive number of seconds, not {timeout!r}")
