"""Whether code asking an engine for a command runs inside one of that engine's own commands,
whichever thread it runs on, and the refusal that says so.

An engine refuses a command while another runs (:class:`~wfengine.errors.EngineInUseError`),
and the refusal says why: an application calling back into the engine that called it, or a
second thread on an engine that serves one. Comparing threads told them apart until an
application ran in a helper thread of the engine's own (a binding with ``timeout=``, an
``async def`` application under a running event loop): its call back was told to give each
thread its own Engine, where a plain application is told to return its values as OUT
parameters. The helper thread runs in a copy of the command's context
(:func:`wfengine.applications.calling._in_thread`), so a context variable set for the length
of a command marks everything the command calls, in its thread or in such a helper. The mark
is made afresh for each command: a thread that copied the context of an earlier command (one an
application started, ``asyncio.to_thread``) is not inside the one running now.

The mark is the command's expression budget (:class:`~wfengine.runtime.run_budget.RunBudget`),
a context variable set for the length of the command already: code runs inside a command when
its mark is among the budgets the context's budget was entered inside (an application may call
another engine: that engine's command's budget is entered inside the first's). One variable
set per command, not two: an empty command cost five times the one before the marks.
"""

from __future__ import annotations

import threading

from wfengine.errors import EngineInUseError
from wfengine.expressions.shared_budget import current_budget
from wfengine.runtime.run_budget import RunBudget


def inside_command(mark: object) -> bool:
    """Does the current context run inside the command given ``mark`` (its
    :class:`~wfengine.runtime.run_budget.RunBudget`)?"""
    budget = current_budget()
    return budget is not None and any(b is mark for b in budget.enclosing())


def inside_a_command() -> bool:
    """Does the current context run inside a command of some engine (in its thread, or in a
    helper thread of one)? A virtual clock's move asked there must not wait for another
    thread's move, which may be waiting for that command (:mod:`~wfengine.runtime.clock`)."""
    budget = current_budget()
    return budget is not None and any(isinstance(b, RunBudget) for b in budget.enclosing())


def reentry_error(mark: object, command_thread: int) -> EngineInUseError:
    """Why a command may not start on an engine running the command given ``mark`` (in
    ``command_thread``): a call back from inside that command (in its thread, or in a helper
    thread running a copy of its context), else a second thread."""
    inside = inside_command(mark) or command_thread == threading.get_ident()
    if not inside:
        return EngineInUseError(
            "this engine is running a command in another thread; an Engine serves one "
            "thread at a time (give each thread its own Engine on the same database)"
        )
    return EngineInUseError(
        "an engine command was called while the same engine runs another command (an "
        "application, directory or listener calling back into the engine that called "
        "it); return the values as the application's OUT parameters, or act on the "
        "engine after the command"
    )
