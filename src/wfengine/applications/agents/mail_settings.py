"""The checks of an SMTP connection's settings that could never work, made when the e-mail
agent (:func:`~.mail.email_agent`, its factory) or the work-item e-mail notifier is made.

Why here, for both: the notifier refused these first (a QA pass found each failing every
delivery, 20 attempts an entry), while the agent it wraps, and a host's own agent, took them
and failed every call the same way, retried as a server outage. Each refusal names ``who``
(the agent's maker, or the notifier) and the setting, never a password's value.
"""

from __future__ import annotations


def check_host_name(who: str, host: str) -> None:
    """Refuse a ``host`` (text, not blank: checked by the caller) no server can have: one
    holding a blank or control character (no name resolves with one), or a ``:`` that is
    not an IPv6 address's (a port or a scheme given in it, ``mail:2525``, ``smtp://mail``:
    the agent connects to ``port``, so every call failed to resolve it). One that does not
    resolve now is taken: it may later."""
    if any(c.isspace() or not c.isprintable() for c in host):
        raise ValueError(
            f"{who}: host {host!r:.200} holds a blank or control character; give the mail "
            "server's name or address (mail.example.com)"
        )
    if host.count(":") == 1:
        raise ValueError(
            f"{who}: host {host!r:.200} holds a ':'; give the server's name alone "
            "(mail.example.com) and its port as port"
        )


def check_login(
    who: str, starttls: object, username: object, password: object, smtp: object
) -> None:
    """Refuse the connection settings that could never do what they say: a ``starttls``
    that is not True or False (the text ``"false"`` turned it on), a ``username`` or
    ``password`` that is not text, a blank ``username``, a ``password`` without a
    ``username`` (the agent logs in only with one: it was never used), an ``smtp_class``
    that cannot be called."""
    if not isinstance(starttls, bool):
        raise TypeError(f"{who}: starttls must be True or False, not {starttls!r:.40}")
    if username is not None:
        if not isinstance(username, str):
            raise TypeError(f"{who}: username must be text, not {username!r:.40}")
        if not username.strip():
            raise ValueError(f"{who}: username is empty")
    if password is not None and not isinstance(password, str):  # (never its value)
        raise TypeError(f"{who}: password must be text, not {type(password).__name__}")
    if password is not None and username is None:
        raise ValueError(
            f"{who}: password given without username: the agent logs in only with a "
            "username, so the password would never be used"
        )
    if not callable(smtp):
        raise TypeError(
            f"{who}: smtp_class must make an SMTP connection (smtplib.SMTP), not {smtp!r:.40}"
        )
