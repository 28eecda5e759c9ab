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
left running. One left holding the program's stdout or stderr open keeps the call waiting,
as the answer may still come, until the timeout; once the program has exited, only while
output keeps coming: until its stdout holds a whole JSON value, has ended, or has been quiet
for ``exit_grace`` seconds (:data:`EXIT_GRACE` unless the host sets it), or the program failed
(a non-zero exit status). Its exit status and what it printed are then the answer: an answer a
child prints after the program exited (a shell wrapper) is read, nothing printed is no outputs,
and non-JSON is refused. A wrapper whose child answers later than that should ``wait`` for it,
or the host sets ``exit_grace`` (None: read until the timeout, whose error is then retried).
The timeout comes first: a program that exited having printed nothing by then is no outputs,
but a half-printed answer then is the timeout's error, retried (one still cut short when the
grace ends is refused for good). No pipe or thread of the call outlives it.)
The program stays in the calling process's process group (it is given no
session of its own), so when ``wfengine worker`` stops a job (``--job-timeout``, ``--grace``,
a worker process that died mid-job) the program is stopped with it, and does not finish its
side effect after the job became an incident.

What the program prints is read up to ``max_answer`` bytes (16 MiB, as an HTTP answer:
:data:`~wfengine.applications.agents.http_json.MAX_ANSWER`): a program printing more is killed
at that point and the call fails permanently, saying so; a program printing without end (a
loop, a verbose input) cost the engine's process twice what it printed. Of its stderr only the
last :data:`STDERR_TAIL` bytes are kept, for the message of a failed call.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import selectors
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wfengine.applications.agents.http_json import (
    MAX_ANSWER,
    check_limits,
    json_inputs,
    unreadable,
)
from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.stoppable import stops_itself
from wfengine.applications.unknown_settings import refuse_unknown
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError

KEY_VARIABLE = "WFENGINE_IDEMPOTENCY_KEY"
#: how much of the end of a program's stderr is kept (a failed call's message shows its end)
STDERR_TAIL = 4096
_CHUNK = 65536
#: how often the call looks whether the program has exited while its pipes stay open, and how
#: long its stdout stays quiet, once it has exited, before the call looks whether it is answered
_TICK = 0.05
#: how long (seconds) the call waits by default (``exit_grace=``), once the program has
#: exited, for more of its stdout while a child it started holds the pipe open: the answer may
#: be the child's (a shell wrapper), but a daemon may hold the pipe for good and never print
EXIT_GRACE = 2.0
#: a write of at most this many bytes to a pipe the selector says is ready does not block
_PIPE_BUF: int = getattr(select, "PIPE_BUF", 512)
#: the selector ``subprocess`` itself serves a program's pipes with
_Selector = (
    selectors.PollSelector if hasattr(selectors, "PollSelector") else selectors.SelectSelector
)


class ProcessFailedError(ApplicationError):
    """The program exited with a non-zero status."""

    def __init__(self, message: str, returncode: int) -> None:
        super().__init__(message)
        self.returncode = returncode


def subprocess_agent(
    argv: Sequence[str | bytes | os.PathLike[str] | os.PathLike[bytes]],
    *,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    max_answer: int = MAX_ANSWER,
    exit_grace: float | None = EXIT_GRACE,
) -> ApplicationFunc:
    """A callable running ``argv`` once per call (see the module doc).

    ``env`` replaces the inherited environment when given (the key variable is added). A
    program printing more than ``max_answer`` bytes is killed, and the call fails for good.
    Once the program has exited, its stdout, held open by a child it started, is read while it
    is quiet for at most ``exit_grace`` seconds (None: until the timeout): a wrapper whose
    child answers later should ``wait`` for it, or set ``exit_grace``.
    """
    command = _command("subprocess_agent: argv", argv)
    check_limits("subprocess_agent", timeout, max_answer)
    check_grace("subprocess_agent", exit_grace)
    base = _environment(env)
    if cwd is not None and not isinstance(cwd, str | os.PathLike):
        raise TypeError(
            f"subprocess_agent: cwd must be a directory's path (text), or None for the "
            f"engine's own, not {cwd!r:.60} ({type(cwd).__name__})"
        )
    return _runner(_Program(command, base, cwd, max_answer, exit_grace), timeout)


def _command(what: str, argv: object) -> list[str]:
    """``argv`` as the program's argv, refused naming ``what`` unless it is a non-empty list
    (the program, then its arguments). Why now: an empty one, in a factory's table, failed
    every call of the definitions naming it as "the definition's settings"."""
    if isinstance(argv, str | bytes):
        raise TypeError(
            f"{what} must be a list (program, then its arguments; never run through a "
            f"shell), not the text {argv!r} (write [{argv!r}])"
        )
    if not isinstance(argv, Iterable) or isinstance(argv, Mapping):
        raise TypeError(f"{what} must be a list (program, then its arguments), not {argv!r}")
    command = [_argument(what, n, a) for n, a in enumerate(argv)]
    if not command:
        raise ValueError(f"{what} is empty: it needs a program to run, then its arguments")
    return command


def _argument(what: str, n: int, item: object) -> str:
    """``item``, the ``n``-th of an argv, as the text the program is given: text, a path or
    bytes (decoded as ``os.fsdecode`` does, as Popen takes them); anything else is refused
    naming ``argv[n]``. Why: each item was made text with ``str``, so ``b"/bin/echo"`` ran
    the program ``"b'/bin/echo'"`` (every call failing, every retry used up) and ``None``
    was given as the argument ``"None"``."""
    where = f"{what}[{n}]" if what.endswith("argv") else f"{what}: argv[{n}]"
    if isinstance(item, str | bytes | os.PathLike):
        try:
            text = os.fsdecode(item)
        except TypeError:  # a PathLike whose __fspath__ gives neither text nor bytes
            text = None
        if isinstance(text, str):
            if "\0" in text:
                raise ValueError(f"{where} holds a NUL byte, which no program's argument can")
            return text
    raise TypeError(
        f"{where} must be text, bytes or a path (os.PathLike), not {item!r:.60} "
        f"({type(item).__name__}); write the text the program is to be given"
    )


def _environment(env: object) -> dict[str, str] | None:
    """``env`` as the program's environment (None: the engine's own), refused when made
    unless it maps names to text. Why: a value such as ``{"LEVEL": 5}`` (a number from a
    settings file) failed every call with a bare ``TypeError``, retried as the program's
    failure; a name with ``=`` or either with a NUL byte failed every call too."""
    if env is None:
        return None
    if not isinstance(env, Mapping):
        raise TypeError(
            f"subprocess_agent: env must be a mapping of variable names to text, or None for "
            f"the engine's own environment, not {env!r:.60} ({type(env).__name__})"
        )
    for name, value in env.items():
        if not isinstance(name, str) or not name or "=" in name or "\0" in name:
            raise ValueError(
                f"subprocess_agent: env name {name!r:.60} is no environment variable name "
                "(non-empty text without '=')"
            )
        if not isinstance(value, str):
            raise TypeError(
                f"subprocess_agent: env[{name!r}] must be text (write {str(value)!r:.60}), "
                f"not {type(value).__name__}"
            )
        if "\0" in value:
            raise ValueError(
                f"subprocess_agent: env[{name!r}] holds a NUL byte, which no "
                "environment variable can"
            )
    return dict(env)


def check_grace(who: str, exit_grace: object) -> None:
    """Refuse an ``exit_grace`` that cannot work, naming ``who``, when the agent is made: a
    zero or negative grace would cut off every answer a wrapper's child prints, and a text
    ("5") or NaN would fail (or never end the grace) only at a call, far from the line."""
    if exit_grace is None:
        return
    fix = f"or None to read until the timeout, not {exit_grace!r}"
    if isinstance(exit_grace, bool) or not isinstance(exit_grace, int | float):
        raise TypeError(f"{who}: exit_grace must be a number of seconds, {fix}")
    if not 0 < exit_grace < float("inf"):
        raise ValueError(f"{who}: exit_grace must be a positive number of seconds, {fix}")


@dataclass(frozen=True)
class _Program:
    """What the host set for the program: its argv, environment, directory, answer limit,
    and how long its stdout is read while quiet once it has exited (None: until the timeout)."""

    command: list[str]
    base: dict[str, str] | None
    cwd: str | os.PathLike[str] | None
    max_answer: int
    exit_grace: float | None


def _runner(program: _Program, timeout: float) -> ApplicationFunc:
    """The callable running ``program``, killing it at ``timeout``; marked as stopping its own
    work, so a binding's shorter timeout rebuilds it with that one."""
    command, most = program.command, program.max_answer

    def call(*, idempotency_key: str | None = None, **inputs: Any) -> Mapping[str, Any] | None:
        environment = dict(program.base if program.base is not None else os.environ)
        if idempotency_key is not None:
            environment[KEY_VARIABLE] = idempotency_key
        data = json_inputs(inputs, command[0]).encode("ascii")  # before anything runs
        try:
            done = _run(program, data, environment, timeout)
        except subprocess.TimeoutExpired as exc:
            how = exc.output if isinstance(exc.output, str) else _ended(exited=False)
            raise ApplicationTimeoutError(
                f"{command[0]}: no answer within {timeout:g} s; {how}"
            ) from exc
        except OSError as exc:
            raise ApplicationError(f"{command[0]}: cannot run: {exc}") from exc
        if done.over:  # asking again gets as much again
            raise PermanentApplicationError(
                f"{command[0]} printed more than {most:,} bytes; it was killed and its output "
                "read no further: the agent takes at most that (subprocess_agent(max_answer=), "
                "subprocess_agent_factory(max_answer=))"
            )
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
    return stops_itself(call, lambda seconds: _runner(program, min(timeout, seconds)))


@dataclass
class _Done:
    """A finished program: its exit status, what it printed (at most the limit), the end of
    its stderr, and whether it printed past the limit (and was killed for it)."""

    returncode: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    over: bool = False
    chunks: list[bytes] = field(default_factory=list)


#: serves one pipe once the selector says it is ready; True when that pipe is finished
_Serve = Callable[[int], bool]


def _run(program: _Program, data: bytes, environment: dict[str, str], timeout: float) -> _Done:
    """Run ``program`` with ``data`` on its stdin, reading its stdout up to its limit and the
    end of its stderr. Raises ``subprocess.TimeoutExpired`` at ``timeout`` (from starting),
    while the program runs, once it is killed and has exited; so does any other failure.
    Every pipe is closed on return, however it ends.

    The pipes are served in the calling thread, with a selector (as ``Popen.communicate``
    does), so stdin, stdout and stderr cannot block each other and nothing is left behind: a
    program may start a child that keeps its stdout or stderr open after the call gave up on
    it (a daemon), and a reader thread blocked on such a pipe (with the pipe) lived as long as
    that child. Why not ``subprocess.run``: it reads everything a program prints into memory.
    Bytes, not text: stdout is decoded by the rules of JSON (UTF-8), never by the locale's
    codec, and stderr, read only for a message, cannot make a call fail (``text=True`` failed
    a program that had succeeded for one Latin-1 byte in a warning, and the call was run
    again)."""
    end = time.monotonic() + timeout
    process = subprocess.Popen(
        program.command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=program.cwd,
        shell=False,
    )
    pipes = (process.stdin, process.stdout, process.stderr)
    try:
        done = _exchange(process, data, program, end)
        if done.over:  # its output is read no further: it is not waited for either
            process.kill()
        done.returncode = process.wait(None if done.over else max(0.0, end - time.monotonic()))
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        for pipe in pipes:
            if pipe is not None:
                with contextlib.suppress(OSError):  # (nothing is buffered in them)
                    pipe.close()
    return done


def _exchange(
    process: subprocess.Popen[bytes], data: bytes, program: _Program, end: float
) -> _Done:
    """Write ``data`` to the program's stdin and read its stdout and stderr until both end
    (each pipe closed once finished), or until stdout passes ``program.max_answer`` bytes
    (``done.over``: the rest is not waited for). Raises ``subprocess.TimeoutExpired`` at
    ``end`` while the program runs or its stdout is still coming. Once the program has exited,
    pipes still open are another process's (one it started): reading stops when its stdout,
    quiet for a tick, is answered (:func:`_settled`).

    Why: a program that exited 0 with its whole answer (or none), having started a child that
    kept its stdout open (a daemon), was reported as "no answer within N s; the program was
    killed" and run again. Why not stop at its exit: the answer may be the child's, printed
    later (a shell wrapper that exits at once, leaving the job that answers), and a cut-off
    answer was lost (no outputs, or a half-written one refused for good)."""
    assert process.stdin and process.stdout and process.stderr  # (the pipes asked for)
    done = _Done()
    settled = _settled(process, done, program.exit_grace, end)
    with _Selector() as selector:
        selector.register(process.stdin, selectors.EVENT_WRITE, _writer(data))
        selector.register(process.stdout, selectors.EVENT_READ, _head(program.max_answer, done))
        selector.register(process.stderr, selectors.EVENT_READ, _tail(done))
        while selector.get_map() and not done.over:
            exited = process.poll() is not None  # (before: all it printed is in the pipes)
            # looked at each tick, as the program's exit ends no pipe a child holds
            ready = selector.select(max(0.0, min(end - time.monotonic(), _TICK)))
            now = time.monotonic()  # (one reading: an exited program quiet at the end is answered)
            printed = any(key.fileobj is process.stdout for key, _ in ready)
            for key, _events in ready:  # (before settling: its last stderr is in this tick)
                if key.data(key.fd):
                    selector.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]  # (the pipes registered)
            if exited and settled(printed, now):
                break  # what it printed is read; the pipes' other ends are not its own
            if now >= end:
                raise subprocess.TimeoutExpired(process.args, now, _ended(exited=exited))
    done.stdout = b"".join(done.chunks)
    return done


def _ended(exited: bool) -> str:
    """How a program that did not answer in time ended, for the timeout's message (carried
    as the ``TimeoutExpired``'s output). Why: a program that had exited, with its stdout held
    open by a child it started, was reported killed; the operator looked for a hung program."""
    if exited:
        return "the program exited, but a program it started kept its output open unanswered"
    return "the program was killed"


def _settled(
    process: subprocess.Popen[bytes], done: _Done, grace: float | None, end: float
) -> Callable[[bool, float], bool]:
    """Called each tick once ``process`` has exited, with whether its stdout had more in that
    tick and the time: whether the call has nothing more to wait for on its pipes. Not while
    output keeps coming. Else: it failed (its exit status is the answer, with the end of its
    stderr), or its stdout has ended or holds a whole JSON value (anything more would spoil
    it), or has been quiet for ``grace`` seconds since the exit or its last output (never,
    when None), or it is ``end`` with nothing printed and a grace set (no outputs; a program
    that exited is not "killed"; with ``grace`` None, reading until the timeout, that is the
    timeout's error, retried: a child may still be about to answer).

    Why the grace: a child it started may print the answer after it exited (a shell wrapper),
    so an empty stdout or a value cut short is waited for; but a daemon holding the pipe may
    never print, and a program that exited 0 having printed nothing (no outputs) or non-JSON
    waited for it until the timeout, was reported as not answering, and was run again. Why
    not settle a half-printed answer at ``end``: the child may still be printing it (the
    grace has not run out), and refusing it for good lost a call that a retry answers; it is
    the timeout's error, as before. Each stdout read so far is parsed once at most."""
    looked, whole = -1, False
    quiet_since: float | None = None

    def settled(printed: bool, now: float) -> bool:
        nonlocal looked, whole, quiet_since
        if printed:
            quiet_since = now
            return False
        if quiet_since is None:  # (the first tick after the exit)
            quiet_since = now
        if process.returncode != 0 or process.stdout is None or process.stdout.closed:
            return True
        if len(done.chunks) != looked:
            looked, whole = len(done.chunks), _whole_value(b"".join(done.chunks))
        if whole or (grace is not None and now >= quiet_since + grace):
            return True
        return grace is not None and now >= end and not any(done.chunks)

    return settled


def _whole_value(output: bytes) -> bool:
    """Is ``output`` one whole JSON value in UTF-8 (as the answer is read: a byte order mark
    and surrounding white space allowed)?"""
    try:
        json.loads(output.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # (UnicodeDecodeError is a ValueError)
        return False
    return True


def _writer(data: bytes) -> _Serve:
    """Write ``data`` to the program's stdin, at most ``PIPE_BUF`` bytes a time (a write the
    selector said is ready cannot block); a program that exits (or is killed) without reading
    it all is no error here: its exit status tells."""
    view, sent = memoryview(data), 0

    def write(fd: int) -> bool:
        nonlocal sent
        try:
            sent += os.write(fd, view[sent : sent + _PIPE_BUF])
        except BrokenPipeError:
            return True
        return sent >= len(view)

    return write


def _head(most: int, done: _Done) -> _Serve:
    """Read the program's stdout into ``done.chunks`` up to ``most`` bytes; past that, mark
    ``done.over`` and read no further."""
    size = 0

    def read(fd: int) -> bool:
        nonlocal size
        chunk = os.read(fd, _CHUNK)
        size += len(chunk)
        if size > most:
            done.over = True
            return True
        done.chunks.append(chunk)
        return not chunk

    return read


def _tail(done: _Done) -> _Serve:
    """Read the program's stderr to its end, keeping the last :data:`STDERR_TAIL` bytes."""

    def read(fd: int) -> bool:
        chunk = os.read(fd, _CHUNK)
        done.stderr = (done.stderr + chunk)[-STDERR_TAIL:]
        return not chunk

    return read


def subprocess_agent_factory(
    commands: Mapping[str, Sequence[str | bytes | os.PathLike[str] | os.PathLike[bytes]]],
    *,
    timeout: float = 60.0,
    max_answer: int = MAX_ANSWER,
    exit_grace: float | None = EXIT_GRACE,
) -> AgentFactory:
    """A factory for ``registry.allow_agent("subprocess", ...)``: a definition names one of
    ``commands`` with ``wfengine:command``; the argv comes from the host's table only.
    ``timeout``, ``max_answer`` and ``exit_grace`` are as for :func:`subprocess_agent`, checked
    here (a wrapper whose child answers late should ``wait`` for it, or set ``exit_grace``)."""
    if not isinstance(commands, Mapping):
        raise TypeError(
            "subprocess_agent_factory: commands must be a mapping of the names definitions use "
            f"(wfengine:command) to argv lists, such as {{'notify': ['/usr/bin/notify']}}; not "
            f"{commands!r:.80} ({type(commands).__name__})"
        )
    table: dict[str, tuple[str, ...]] = {}
    for name, argv in commands.items():
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"subprocess_agent_factory: a command's name must be non-empty text (what "
                f"wfengine:command says), not {name!r:.60}"
            )
        table[name] = tuple(_command(f"subprocess_agent_factory: command {name!r}", argv))
    check_limits("subprocess_agent_factory", timeout, max_answer)
    check_grace("subprocess_agent_factory", exit_grace)

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        refuse_unknown("subprocess", settings, ("command",))  # (a misspelt one: see there)
        name = settings.get("command", "")
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise ValueError(f"wfengine:command {name!r} is not offered (offered: {known})")
        return subprocess_agent(
            table[name], timeout=timeout, max_answer=max_answer, exit_grace=exit_grace
        )

    return factory
