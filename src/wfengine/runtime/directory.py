"""Who may perform a participant's work: the protocol the engine asks, and a trivial directory.

The engine asks "who are the members of this participant?" when it offers a work item. It
passes the participant's Id as the activity's Performer names it and, when the package declares
that participant, its declaration (Name, type), so that a directory can match by Name or treat
a HUMAN participant as a user. The organisation directory of :mod:`wfengine.worklist` uses
both; :class:`StaticDirectory` uses the Id only, and resolves a participant it does not know to
itself, so a performer naming a user id works without any setup.

A directory written for the one-argument form (``members(participant_id)``) still works: the
engine adapts it, with a :class:`DeprecationWarning`, whether it is given to ``Engine(...)`` or
set later (``engine.directory = ...``); an object without ``members`` is refused there (a
``TypeError``), not at the first offer.

A directory may also say who supervises whom (:class:`Supervisors`, optional): escalation
offers a late item to the nearest supervisors of those who answer for it, and the assignment
rule ``MANAGER_OF_PREVIOUS`` offers work to the nearest supervisors of whoever completed the
step before it; which of them are nearest it may say too (:class:`SupervisorLevels`).
:class:`~wfengine.worklist.organisation.Organisation` answers both.

What a directory answers is checked (:func:`checked_members`), and what it raises is the
engine's :class:`DirectoryError` naming the directory and the question, so a failing directory
server (an LDAP timeout) is an incident on the work (or a refused command that changed
nothing), never a command stopped halfway.
"""

from __future__ import annotations

import inspect
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import FrameType
from typing import Protocol, TypeVar, runtime_checkable

from wfengine.definition.model import Participant
from wfengine.errors import WorkflowError
from wfengine.runtime.stored_text import MAX_ID_CHARS, user_id_problem

_T = TypeVar("_T")


@runtime_checkable
class Directory(Protocol):
    """Who may perform a participant's work: the engine asks it when it offers a
    work item. ``participant`` is the declaration of ``participant_id`` (None when the
    package declares no such participant). The answer is any sequence of user ids, a list
    or a tuple (:func:`checked_members` takes it as it is; typed ``tuple`` before, a host's
    directory returning a list failed the type check though the engine took it)."""

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> Sequence[str]: ...


@runtime_checkable
class Supervisors(Protocol):
    """What a directory may also answer (optional): who supervises ``user_id``, the nearest
    or the whole chain up, nearest first. Escalation without ``wfengine:escalate-to`` and
    ``MANAGER_OF_PREVIOUS`` go to supervisors: the engine offers to the nearest level, and a
    level up only when four eyes forbids all of them (or, for an escalation, all have the
    item already); a directory without it has no supervisors (an escalation then opens an
    incident saying so).

    Which supervisors make a level: the directory's ``supervisor_levels(user_id)`` when it
    has one (:class:`SupervisorLevels`, optional too: a list of levels, nearest first, each
    a collection of user ids; :class:`~wfengine.worklist.organisation.Organisation` answers
    it, one level per unit up). Without it the engine asks ``supervisors_of`` of each
    supervisor to tell which are above which (those not above another are the nearest);
    when that tells nothing (none of them has a supervisor by the directory) the answer is
    read as a chain, one level each in its order. Why: supervisors who belong to no unit
    have no supervisors themselves, so everyone up to the top was one level, and late work
    went to the chief executive with the line manager. A directory whose users may have
    several equally near supervisors who have no supervisors in it says so by answering
    ``supervisor_levels``."""

    def supervisors_of(self, user_id: str) -> Iterable[str]: ...


@runtime_checkable
class SupervisorLevels(Protocol):
    """What a :class:`Supervisors` directory may also answer (optional): ``user_id``'s
    supervisors by level, nearest first (``[("lead",), ("head",), ("ceo",)]``; a user in
    two units has both units' supervisors in the first level). Asked only of a directory
    that has ``supervisors_of``; the engine then trusts its levels as they are (a user
    listed among their own supervisors, or in two levels, counts once, at the nearest)."""

    def supervisor_levels(self, user_id: str) -> Iterable[Iterable[str]]: ...


class DirectoryError(WorkflowError):
    """The engine's directory failed to answer (its server timed out, it raised) or answered
    something that is not a list of user ids; the message names the directory and what was
    asked. Why one error: a bare ``TimeoutError`` from deep inside a command named no
    directory, and a command it stopped could leave work half-changed."""


def directory_name(directory: object) -> str:
    """How messages name ``directory``: its class (the host's directory's, when the engine
    adapted it: not the engine's wrapper)."""
    return type(answering(directory)).__name__


def asked(directory: object, question: str, call: Callable[[], _T]) -> _T:
    """``call()``, a question ``question`` put to ``directory`` (``"knows('ann')"``); what it
    raises becomes a :class:`DirectoryError` naming both (a :class:`WorkflowError` is the
    engine's own and passes as it is)."""
    try:
        return call()
    except WorkflowError:
        raise
    except Exception as exc:
        raise directory_failed(directory, question, exc) from exc


def directory_failed(directory: object, question: str, exc: Exception) -> WorkflowError:
    """The error to raise for ``exc``, raised by ``directory`` asked ``question``: ``exc``
    itself when it is the engine's own (a :class:`WorkflowError`), else a
    :class:`DirectoryError` naming the directory, the question and what it raised."""
    if isinstance(exc, WorkflowError):
        return exc
    return DirectoryError(
        f"the directory {directory_name(directory)} failed to answer {question} "
        f"({type(exc).__name__}: {exc})"
    )


#: (directory class, protocol) -> does the class answer the protocol's questions
_ANSWERS: dict[tuple[type, type], bool] = {}


def answers(directory: object, protocol: type) -> bool:
    """Does ``directory`` answer ``protocol``'s questions (a runtime-checkable protocol)?

    Decided once per directory class: ``isinstance`` against such a protocol looks up every
    protocol member on each call (tens of microseconds), and every work-item command and
    escalation asks. An adapted directory answers what the host's directory it wraps does:
    decided by that one's class, not the wrapper's, which every adapted directory shares."""
    target = answering(directory)
    key = (type(target), protocol)
    known = _ANSWERS.get(key)
    if known is None:
        known = _ANSWERS[key] = isinstance(target, protocol)
    return known


def answering(directory: object) -> object:
    """The object that answers ``directory``'s optional questions (``is_admin``,
    ``supervisors_of``...) and that messages name: the host's own directory when
    ``directory`` is a view of it, one whose class declares ``wrapped_directory`` (the
    engine's adaptation of its ``members``, :func:`adapt_directory`; the checked
    ``Supervision`` view of :mod:`wfengine.runtime.work_rules`), else ``directory`` itself.

    Declared by the class, not found on the object: a directory answering every attribute
    (a proxy, a mock) is not taken for a view."""
    while getattr(type(directory), "wrapped_directory", None) is not None:
        inner: object = directory.wrapped_directory  # type: ignore[attr-defined]
        if inner is directory:
            break
        directory = inner
    return directory


def checked_members(directory: object, participant_id: str, found: object) -> tuple[str, ...]:
    """``found``, what ``directory`` answered for ``participant_id``'s members (or
    supervisors), as a tuple of user ids. Why: text was offered letter by letter (``"alice"``
    to ``a``, ``l``, ...), numbers became assignees nobody could claim, and a list inside it
    failed later as an "unhashable type"; anything but a collection of non-empty strings is a
    :class:`DirectoryError` naming the directory and the participant. So is an id no store
    can hold (:func:`~wfengine.runtime.stored_text.user_id_problem`: a NUL, a lone surrogate,
    over 200 characters): the memory store took it, SQLite failed the offer's commit with a
    bare ``UnicodeEncodeError`` naming no directory (every retry the same), PostgreSQL with
    a driver error; now the offer is the same incident on every store."""
    if type(found) is tuple:  # the common answer: checked without a copy (or a generator)
        for u in found:
            if type(u) is str and u.isascii() and 0 < len(u) <= MAX_ID_CHARS and "\x00" not in u:
                continue  # (most ids: what user_id_problem asks, without two calls)
            if type(u) is not str or not u or user_id_problem(u) is not None:
                break
        else:
            return found
    if not isinstance(found, str | bytes | Mapping) and isinstance(found, Iterable):
        users = tuple(found)
        what = next(filter(None, map(_not_a_user_id, users)), None)
        if what is None:
            return users
    else:
        what = f"{type(found).__name__} {found!r}, not a collection of user ids"
    raise DirectoryError(
        f"asked for the members of {participant_id!r}, the directory "
        f"{directory_name(directory)} answered {what}"
    )


def _not_a_user_id(user: object) -> str | None:
    """What :func:`checked_members` says of ``user``, one of the members a directory
    answered, when it is not a user id a store can hold (None when it is)."""
    if not (isinstance(user, str) and user):
        return f"{user!r} among them, not a user id (a non-empty string)"
    problem = user_id_problem(user)
    if problem is None:
        return None
    shown = f"{user[:40]!r}" + ("..." if len(user) > 40 else "")
    return f"{shown} among them, a user id that {problem}: correct it in the directory"


class StaticDirectory:
    """A directory from a mapping of participant id to user ids; a participant it does
    not know resolves to itself."""

    def __init__(self, members: Mapping[str, Iterable[str]] | None = None) -> None:
        if members is not None and not isinstance(members, Mapping):
            raise TypeError(
                "StaticDirectory: members must be a mapping of participant id to a list of "
                f"user ids, not {type(members).__name__} {members!r:.60}"
            )
        for name, found in (members or {}).items():
            if isinstance(found, str | bytes):
                raise TypeError(
                    f"StaticDirectory: the members of {name!r} must be a list of user ids, "
                    f"not the text {found!r} (write [{found!r}])"
                )
        self._members = {k: tuple(v) for k, v in (members or {}).items()}

    def add(self, participant_id: str, *users: str) -> None:
        """Make ``users`` members of ``participant_id`` too: ``add("clerk", "ann", "bob")``.
        Anything but user ids (a list of them, a number) is refused here, with a
        ``TypeError``, rather than failing every offer of the participant's work later."""
        for user in users:
            if not isinstance(user, str) or not user:
                hint = (
                    f" (write add({participant_id!r}, *{user!r}))"
                    if isinstance(user, list | tuple)
                    else ""
                )
                raise TypeError(
                    f"StaticDirectory.add: the members of {participant_id!r} are user ids "
                    f"(non-empty strings), not {user!r}{hint}"
                )
        self._members[participant_id] = (*self._members.get(participant_id, ()), *users)

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        return self._members.get(participant_id, (participant_id,))


class _Adapted:
    """A directory whose ``members`` takes other arguments than the protocol's: kept with
    its own ``members``, which the subclass calls as it takes them. Every other attribute
    is the directory's own (``is_admin``, ``supervises``, ``knows``, ``supervisors_of``,
    ``supervisor_levels``): a wrapper with ``members`` alone refused the directory's
    administrators and never asked its supervisors."""

    def __init__(self, directory: object) -> None:
        self._directory = directory
        self._members = directory.members  # type: ignore[attr-defined]

    @property
    def wrapped_directory(self) -> object:
        """The host's directory (:func:`answering`: messages name it, not this wrapper)."""
        return self._directory

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name in ("_directory", "_members"):
            raise AttributeError(name)  # (not set yet: a copy being made, never recursion)
        return getattr(self._directory, name)


class _OneArgument(_Adapted):
    """A directory whose ``members`` takes the participant id only (the protocol before
    declarations were passed)."""

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        # checked before it becomes a tuple: tuple("alice") would be five "users"
        return checked_members(self._directory, participant_id, self._members(participant_id))


class _KeywordParticipant(_Adapted):
    """A directory whose ``members`` takes the declaration as the keyword ``participant``
    only: passed positionally it was refused, and adapted as one-argument it never got it
    (a directory matching by Name then matched nobody)."""

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        found = self._members(participant_id, participant=participant)
        return checked_members(self._directory, participant_id, found)


def adapt_directory(directory: Directory) -> Directory:
    """``directory`` as the engine calls it: one written for ``members(participant_id)``
    is wrapped (with a DeprecationWarning); any other is returned unchanged. An object
    without a callable ``members`` (a mapping of participants to users) is a ``TypeError``
    naming it: every offer would otherwise fail with an ``AttributeError``, and so is a
    class (``directory=StaticDirectory``, the parentheses forgotten, as ``clock=`` and
    ``ids=`` are refused): its ``members`` is callable, and every offer was an incident."""
    if isinstance(directory, type):
        raise TypeError(
            f"the directory is an object, not the class {directory.__name__}: pass "
            f"{directory.__name__}(...) (an instance) as directory="
        )
    if not callable(getattr(directory, "members", None)):
        hint = (
            " (wrap a mapping of participant ids to user ids: StaticDirectory(mapping))"
            if isinstance(directory, Mapping)
            else ""
        )
        raise TypeError(
            f"a directory has a members(participant_id, participant) method, and "
            f"{type(directory).__name__} {directory!r:.80} has none{hint}"
        )
    if isinstance(directory, _Adapted):
        return directory
    try:
        params = inspect.signature(directory.members).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: assume the new form
        return directory
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    if len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in positional):
        return directory
    if any(p.kind is p.KEYWORD_ONLY and p.name == "participant" for p in params):
        # members(participant_id, *, participant=None): it wants the declaration, by name
        return _KeywordParticipant(directory)
    warnings.warn(
        f"{type(directory).__name__}.members(participant_id) takes one argument; the engine "
        "now also passes the participant's declaration: members(participant_id, participant)",
        DeprecationWarning,
        stacklevel=_host_stacklevel(),
    )
    return _OneArgument(directory)


#: the wfengine package's directory: frames of files under it are the engine's own
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _host_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning of the function calling this one point at the
    host's line: the first frame outside wfengine (2, its direct caller, if none is).

    Why not a fixed level: the directory reaches :func:`adapt_directory` by several ways
    (``Engine(directory=...)``, ``Engine.from_url(...)``, which calls ``Engine``, the
    ``engine.directory`` setter), so a fixed level named wfengine's own line for some, and
    Python's default filters hide a DeprecationWarning attributed to a library, so the host
    never saw it."""
    frame: FrameType | None = sys._getframe(2)  # 0: this, 1: the warning one, 2: its caller
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return 2 if frame is None else level
