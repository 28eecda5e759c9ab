"""The subprocess agent: run a program, IN parameters as JSON on stdin, OUT as JSON on stdout.

Off unless the host enables it. The argv is a list given by the host and is never passed to a
shell; a definition can only pick one of the host's commands by name
(:func:`subprocess_agent_factory`, setting ``wfengine:command``), never give a program or
arguments. The idempotency key is in the environment variable ``WFENGINE_IDEMPOTENCY_KEY``.

Its stdin is strict JSON, written as the HTTP agent writes a body (a Decimal as a number, a
timedelta as an ISO 8601 duration: :func:`~wfengine.applications.agents.http_json.json_default`):
a parameter holding NaN or an infinity, or a value JSON cannot carry, is a permanent error
naming it, and the program is not run
(:func:`~wfengine.applications.agents.http_json.json_inputs`).
The program must print one JSON object in UTF-8 (or nothing: no outputs) and exit 0, whatever
the locale. A non-zero exit raises :class:`ProcessFailedError` (retried while retries remain),
its message ending with the end of the program's stderr (bytes that are not UTF-8 shown as
U+FFFD; stderr is never a reason to fail); output that is not a JSON object in UTF-8 is a
permanent error, whose message gives the output's size and where reading it as JSON failed,
never its text: the answer may hold the value of a sensitive OUT parameter, and the agent
is not told which parameters are sensitive (the failure goes into the append-only audit
trail and the incident); at ``timeout`` the program is killed and the call raises
:class:`~wfengine.errors.ApplicationTimeoutError`. A binding's timeout (``register(...,
timeout=)``, ``wfengine:timeout``) shorter than the agent's own is the one the program is
killed at (:mod:`wfengine.applications.stoppable`), and the call fails only once the program
has exited: it does not finish its side effect after the call was recorded as failed, and a
retry never runs beside it. (Only the program itself is killed, not programs it started and
left running.) The program stays in the calling process's process group (it is given no
session of its own), so when ``wfengine worker`` stops a job (``--job-timeout``, ``--grace``,
a worker process that died mid-job) the program is stopped with it, and does not finish its
side effect after the job became an incident.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from wfengine.applications.agents.agent_timeouts import check_timeout
from wfengine.applications.agents.http_json import json_inputs, unreadable
from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.stoppable import stops_itself
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError

KEY_VARIABLE = "WFENGINE_IDEMPOTENCY_KEY"


class ProcessFailedError(ApplicationError):
    """The program exited with a non-zero status."""

    def __init__(self, message: str, returncode: int) -> None:
        super().__init__(message)
        self.returncode = returncode


def subprocess_agent(
    argv: Sequence[str],
    *,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> ApplicationFunc:
    """A callable running ``argv`` once per call (see the module doc).

    ``env`` replaces the inherited environment when given (the key variable is added).
    """
    if isinstance(argv, str | bytes):
        raise TypeError(
            f"subprocess_agent: argv must be a list (program, then its arguments; never run "
            f"through a shell), not the text {argv!r} (write [{argv!r}])"
        )
    command = [str(a) for a in argv]
    if not command:
        raise ValueError("subprocess_agent needs a program to run")
    check_timeout("subprocess_agent", timeout)
    base = dict(env) if env is not None else None
    return _runner(command, timeout, base, cwd)


def _runner(
    command: list[str], timeout: float, base: dict[str, str] | None, cwd: str | None
) -> ApplicationFunc:
    """The callable running ``command``, killing it at ``timeout``; marked as stopping its own
    work, so a binding's shorter timeout rebuilds it with that one."""

    def call(*, idempotency_key: str | None = None, **inputs: Any) -> Mapping[str, Any] | None:
        environment = dict(base if base is not None else os.environ)
        if idempotency_key is not None:
            environment[KEY_VARIABLE] = idempotency_key
        try:
            # bytes, not text: what the program prints is decoded below by the rules of JSON
            # (UTF-8), never by the locale's codec, and its stderr, read only for a message,
            # cannot make the call fail (``text=True`` failed a program that had succeeded
            # for one Latin-1 byte in a warning, and the call was run again)
            done = subprocess.run(
                command,
                input=json_inputs(inputs, command[0]).encode("ascii"),
                capture_output=True,
                timeout=timeout,
                env=environment,
                cwd=cwd,
                shell=False,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ApplicationTimeoutError(
                f"{command[0]}: no answer within {timeout:g} s; the program was killed"
            ) from exc
        except OSError as exc:
            raise ApplicationError(f"{command[0]}: cannot run: {exc}") from exc
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", errors="replace").strip()[-300:]
            raise ProcessFailedError(
                f"{command[0]} exited with status {done.returncode}: {tail}", done.returncode
            )
        try:  # JSON is UTF-8 (RFC 8259); a byte order mark before it is allowed and dropped
            out = done.stdout.decode("utf-8-sig").strip()
        except UnicodeDecodeError as exc:
            raise PermanentApplicationError(
                f"{command[0]} printed output that is not UTF-8 (byte {exc.object[exc.start]:#04x}"
                f" at {exc.start}); the answer must be a JSON object in UTF-8"
            ) from exc
        if not out:
            return None
        try:
            answer = json.loads(out)
        except (ValueError, RecursionError) as exc:
            raise PermanentApplicationError(
                f"{command[0]} printed non-JSON ({unreadable(out, exc)}); the answer must be "
                "one JSON object (what it printed is not shown: it may hold a secret)"
            ) from None  # (a JSONDecodeError keeps the whole text as its .doc)
        if not isinstance(answer, dict):
            raise PermanentApplicationError(
                f"{command[0]} printed a JSON {type(answer).__name__}, expected an object"
            )
        return answer

    call.__name__ = f"subprocess_{os.path.basename(command[0])}"
    return stops_itself(call, lambda seconds: _runner(command, min(timeout, seconds), base, cwd))


def subprocess_agent_factory(
    commands: Mapping[str, Sequence[str]], *, timeout: float = 60.0
) -> AgentFactory:
    """A factory for ``registry.allow_agent("subprocess", ...)``: a definition names one of
    ``commands`` with ``wfengine:command``; the argv comes from the host's table only."""
    for name, argv in commands.items():
        if isinstance(argv, str | bytes):
            raise TypeError(
                f"subprocess_agent_factory: command {name!r} must be a list (program, then its "
                f"arguments), not the text {argv!r} (write [{argv!r}])"
            )
    check_timeout("subprocess_agent_factory", timeout)
    table = {name: tuple(argv) for name, argv in commands.items()}

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        name = settings.get("command", "")
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise ValueError(f"wfengine:command {name!r} is not offered (offered: {known})")
        return subprocess_agent(table[name], timeout=timeout)

    return factory
