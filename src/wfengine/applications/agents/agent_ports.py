"""The check of the TCP port a host gives an agent, when the agent is made.

Its own module, beside :mod:`.agent_timeouts`, so that every maker of an SMTP connection (the
e-mail agent, its factory, the work-item e-mail notifier) can refuse a port alike without
loading another agent.
"""

from __future__ import annotations

#: what a port takes, as a refusal says it
PORT_TAKES = "a whole number from 1 to 65535 (25, 465, 587)"


def check_port(who: str, port: object) -> int:
    """``port`` as the TCP port to connect to: a whole number from 1 to 65535, or text of one
    (a settings file's ``"587"``, which worked). Refused otherwise, naming ``who`` (the agent's
    maker) and the setting: ``-1`` failed every call as "Servname not supported", ``25.5`` as
    "Int or String expected" and ``99999`` as "Connection refused", each retried as if the
    server were down, far from the line that set it; 0 is no port either."""
    number = port
    if isinstance(port, str):
        if not (port.strip().isascii() and port.strip().isdigit()):
            raise ValueError(f"{who}: port must be {PORT_TAKES}, not {port!r:.40}")
        number = int(port)
    if type(number) is not int:  # (True is no port; nor is 25.0)
        raise TypeError(f"{who}: port must be {PORT_TAKES}, not {port!r:.40}")
    if not 1 <= number <= 65535:
        raise ValueError(f"{who}: port must be {PORT_TAKES}, not {port!r}")
    return number
