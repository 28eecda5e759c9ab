"""The one event loop that runs ``async def`` applications, in a thread of its own.

Why one loop, kept: an ``async def`` application ran in a fresh loop each call
(``asyncio.run``), so whatever it kept from one call to the next and that belongs to a loop
failed from the second call on: a client with a pool of kept-alive connections
(``httpx.AsyncClient``, an ``aiohttp`` session, an ``asyncpg`` pool) made on the first call
and kept in a module, as hosts keep them, raised "attached to a different loop" or "Event
loop is closed", an incident on every call but the first. On this loop such objects live as
long as the process.

The loop runs in a daemon thread (``wfengine-async``), started at the first call. A call runs
as a task made in a copy of the caller's context (its context variables, and the command's
mark, :mod:`~wfengine.runtime.command_callbacks`), and the caller waits for it: an engine is
a synchronous API, whether its host runs an event loop or not (that loop is blocked while the
command runs, so no coroutine could run on it). A coroutine that blocks in a synchronous call
holds up the others the loop runs at that time, as in any event loop; one that is abandoned
(it did not stop when cancelled at its binding's timeout) retires the loop: later calls run on
a new one, and the old one is stopped and closed once that coroutine lets it and the calls on
it that other callers still wait for have ended (they are not cancelled). A forked child
starts a loop of its own at its first call; at exit the loop is stopped and closed.

A call made from the loop's own thread (an ``async def`` application that drives another
engine synchronously, whose process calls an ``async def`` application) cannot run on the
shared loop: the loop's one thread is the one that would wait for it, so it would never run.
Such a call runs as before the shared loop, on a fresh loop of its own in a helper thread
(``wfengine-async-inner``) that the caller waits for; what it keeps from one call to the next
that belongs to a loop does not serve the next such call.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import os
import threading
from collections.abc import Coroutine
from typing import Any

_lock = threading.Lock()
#: the loop that runs calls now, its thread and the process it belongs to (None: none yet)
_current: tuple[asyncio.AbstractEventLoop, threading.Thread, int] | None = None
#: what the thread knows of itself: ``serving`` is set in a shared loop's thread
_here = threading.local()
#: how many calls on each loop their callers still wait for (an abandoned call no longer counts)
_waited: dict[asyncio.AbstractEventLoop, int] = {}
#: loops retired while calls on them were still waited for: stopped when the last one ends
_retiring: set[asyncio.AbstractEventLoop] = set()
#: loops a forked child inherited, kept so that no copy is collected (it cannot be closed)
_inherited: list[asyncio.AbstractEventLoop] = []


class Abandoned(Exception):
    """The call did not end within the time it was waited for; its loop was retired.
    ``started``: whether the loop ever began to run it (False: another call held the loop
    up all along, so the call's own coroutine is not to blame)."""

    def __init__(self, started: bool) -> None:
        super().__init__("started" if started else "never started")
        self.started = started


class Cancelled(Exception):
    """The call's task was cancelled by something other than its caller (the loop was
    stopped, or code running on it cancelled the task): a ``CancelledError`` that would
    otherwise reach the caller with no message."""


class _Stopped(Exception):
    """Carries a ``SystemExit`` or ``KeyboardInterrupt`` out of the loop's thread, which it
    would otherwise end, leaving the caller waiting for ever."""

    def __init__(self, stop: BaseException) -> None:
        super().__init__(repr(stop))
        self.stop = stop


def run(coroutine: Coroutine[Any, Any, Any], wait: float | None) -> Any:
    """What ``coroutine`` returns or raises, run on the shared loop; waited for at most
    ``wait`` seconds (None: as long as it takes), then :class:`Abandoned` (it is cancelled,
    and the loop retired). Ctrl-C while waiting cancels the call and is raised.

    Called from a shared loop's own thread (a call nested in a call it runs), the coroutine
    runs on a private loop in a helper thread instead (:func:`_run_private`): submitted to
    the loop whose thread waits for it, it would never run."""
    if getattr(_here, "serving", False):
        return _run_private(coroutine, wait)
    loop = _taken()
    began = threading.Event()
    try:
        future = asyncio.run_coroutine_threadsafe(_begun(coroutine, began), loop)
        try:
            return future.result(wait)
        except concurrent.futures.TimeoutError:  # (the builtin TimeoutError: maybe the call's)
            if future.done():
                raise
            future.cancel()
            _retire(loop)
            raise Abandoned(began.is_set()) from None
        except concurrent.futures.CancelledError:  # (run cancels only what it stops awaiting)
            raise Cancelled() from None
        except _Stopped as stopped:
            raise stopped.stop from None
        except BaseException:  # (Ctrl-C while waiting: the call is not left running)
            future.cancel()
            raise
    finally:
        _given_back(loop)


def _run_private(coroutine: Coroutine[Any, Any, Any], wait: float | None) -> Any:
    """What ``coroutine`` returns or raises, run on a fresh loop (``asyncio.run``) in a helper
    thread, in a copy of the caller's context; waited for at most ``wait`` seconds, then
    :class:`Abandoned` (the coroutine bounds itself: a call's ``wait_for`` cancels it)."""
    outcome: concurrent.futures.Future[Any] = concurrent.futures.Future()

    def target() -> None:
        _here.serving = True  # (a call nested in this one is blocked here, as on the loop)
        try:
            outcome.set_result(asyncio.run(carried(coroutine)))
        except BaseException as exc:  # (carried to the caller, as the shared loop's are)
            outcome.set_exception(exc)

    context = contextvars.copy_context()
    thread = threading.Thread(
        target=context.run, args=(target,), name="wfengine-async-inner", daemon=True
    )
    thread.start()
    try:
        return outcome.result(wait)
    except concurrent.futures.TimeoutError:  # (the builtin TimeoutError: maybe the call's)
        if outcome.done():
            raise
        raise Abandoned(True) from None  # (its own loop: nothing else held it up)
    except asyncio.CancelledError:
        raise Cancelled() from None
    except _Stopped as stopped:
        raise stopped.stop from None


async def _begun(coroutine: Coroutine[Any, Any, Any], began: threading.Event) -> Any:
    """What ``coroutine`` returns, ``began`` set when the loop starts to run it (an abandoned
    call that never began was held up by another, :class:`Abandoned`)."""
    began.set()
    return await carried(coroutine)


async def carried(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """What ``coroutine`` returns, a ``SystemExit`` or ``KeyboardInterrupt`` it raises carried
    as an exception (a task raising one ends the loop's thread: await the call through this
    in every task that runs it, :func:`run` raises the stop again in the caller's thread)."""
    try:
        return await coroutine
    except (SystemExit, KeyboardInterrupt) as exc:
        raise _Stopped(exc) from exc


def _taken() -> asyncio.AbstractEventLoop:
    """The shared loop, started now when there is none in this process, with one more call
    waited for on it (counted under the lock that hands it out: a loop another thread
    retires meanwhile is not stopped under the call); :func:`_given_back` when it ends."""
    global _current
    with _lock:
        if _current is None or _current[2] != os.getpid():
            if _current is not None:  # a forked child's copy of its parent's
                _inherited.append(_current[0])
            loop = asyncio.new_event_loop()
            started = threading.Event()
            thread = threading.Thread(
                target=_serve, args=(loop, started), name="wfengine-async", daemon=True
            )
            thread.start()
            started.wait()
            _current = (loop, thread, os.getpid())
        loop = _current[0]
        _waited[loop] = _waited.get(loop, 0) + 1
        return loop


def _given_back(loop: asyncio.AbstractEventLoop) -> None:
    """A call on ``loop`` is no longer waited for (it ended, or was abandoned): a retired
    loop is stopped when it was the last."""
    with _lock:
        left = _waited.pop(loop) - 1
        if left:
            _waited[loop] = left
        elif loop in _retiring:
            _retiring.discard(loop)
        else:
            return
    if not left:
        _stop(loop)


def _serve(loop: asyncio.AbstractEventLoop, started: threading.Event) -> None:
    """The loop's thread: run it until stopped, then cancel what is left and close it."""
    asyncio.set_event_loop(loop)
    _here.serving = True
    loop.call_soon(started.set)
    try:
        loop.run_forever()
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        if left:
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


def _retire(loop: asyncio.AbstractEventLoop, *, now: bool = False) -> None:
    """Run no more calls on ``loop``: it is stopped (what is left on it cancelled) once the
    calls on it that callers still wait for have ended, or ``now``, and what holds it up
    lets it. Why wait for them: they are other callers' calls, with their own timeouts, that
    the call that retired it must not cancel."""
    global _current
    with _lock:
        if _current is not None and _current[0] is loop:
            _current = None
        if _waited.get(loop) and not now:
            _retiring.add(loop)
            return
        _retiring.discard(loop)
    _stop(loop)


def _stop(loop: asyncio.AbstractEventLoop) -> None:
    """Have ``loop`` stop after what it runs now."""
    with contextlib.suppress(RuntimeError):  # (closed already)
        loop.call_soon_threadsafe(loop.stop)


def _at_exit() -> None:
    """Stop and close the loop (a second at most), so that no loop is left unclosed."""
    current = _current
    if current is not None and current[2] == os.getpid():
        _retire(current[0], now=True)
        current[1].join(1.0)


atexit.register(_at_exit)
