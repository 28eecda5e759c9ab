"""Who may do what to a work item: the rules every work-item command checks first.

The rules, for a ``user`` named by the command (the host's own code may act without one, as an
administrator does):

* an administrator may do everything;
* anyone else the directory does not know (``knows``: someone who left, before the work
  offered to or held by them was re-offered) may do nothing;
* **claim**: only someone the item is offered to (one of its ``assignees``);
* **start**, **release**, **delegate**, **send back**: only the item's holder (a delegate
  holds it too); someone an unclaimed item is offered to claims it first (until then it is
  the item's state that refuses them, an ``IllegalStateError``, not recorded as refused);
* **complete**: the holder, or someone an unclaimed item is offered to (claiming and completing
  at once);
* **reassign**: a supervisor of the holder, or of someone an unclaimed item is offered to;
* **delegate** and **reassign** only to a user the directory knows, and not to the holder;
* **four eyes**: an activity with ``DoNotAssignToPerformerOfActivity`` never goes to whoever
  performed the activities it names (their performer, and a delegate whose work on one went
  back to its owner to confirm: ``wfengine:delegation-confirm``; a delegate stays excluded
  in the activity's later rounds, what they wrote being still part of the case's work, as
  does everyone who completed an instance of a multi-instance one; in a copy of a
  multi-instance block, whoever did the named activity in that copy, not in another),
  however it would reach them: nobody may delegate or
  reassign it to them, and they may not claim, start or complete it (an administrator
  neither: the rule is about who did the earlier work, not about rights). An escalation
  leaves them out too (:meth:`~wfengine.runtime.navigation.work.Work.remind`), and so do a
  release and a delegate's completion the owner is to confirm: a delegated item whose owner
  has since become one is offered to the others instead of going back to them. Someone who
  performs such an activity while the item is offered to them is no longer offered it. An
  offer that would then reach no one (everyone it is for performed the excluded work) is an
  incident, as an offer to a performer typed at run time that names no one is: the work would
  wait for ever, offered to no one; retrying it offers the work afresh (:data:`OFFER`: never
  the activity's applications in the person's stead), and it cannot be skipped;
* a **completion** writes only the data fields its activity declares writable
  (:mod:`wfengine.runtime.compile_people`; an administrator may write any field the process
  declares, and the host's code acting without a user any name; on a deployment stored by a
  wfengine from before that rule, a person may write any field its process declares:
  :func:`~wfengine.runtime.compile_people.writing_as_deployed`). A name the process does not
  declare is refused to everyone who acts (:func:`refuse_undeclared`: to an administrator a
  :class:`~wfengine.errors.NotFoundError` naming those it declares), unless the host lets it
  through (``allow_undeclared``, as ``wfengine workitem complete --allow-undeclared`` does).

Whether the item's state allows the change is the state machine's part
(:data:`~wfengine.runtime.states.WORK_ITEM_TRANSITIONS`), checked before these rules.
Administrators and supervisors come from the directory when it can tell
(:class:`Supervision`, which :class:`~wfengine.worklist.organisation.Organisation` is);
a directory that cannot has none, so only holders and assignees act.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from numbers import Number
from typing import Any, Protocol, runtime_checkable

from wfengine.errors import IllegalStateError, NotFoundError
from wfengine.runtime.compiled import CompiledProcess
from wfengine.runtime.directory import (
    Directory,
    DirectoryError,
    answering,
    asked,
    directory_name,
)
from wfengine.runtime.instance import ActivityInstance, WorkItem
from wfengine.runtime.performed import excluded_in
from wfengine.runtime.states import WorkItemState


@runtime_checkable
class Supervision(Protocol):
    """What a directory may also answer: who administers, who supervises whom, who exists."""

    def is_admin(self, user_id: str) -> bool: ...

    def supervises(self, supervisor: str, user_id: str) -> bool: ...

    def knows(self, user_id: str) -> bool: ...


#: the operation of an incident opened while offering an activity's work (it would reach no
#: one, a performer typed at run time names no one, the directory failed): retrying it offers
#: the work again, and only that (a manual-start Tool's applications run after the person);
#: skipping it is refused, as the person's part cannot be done without a person
OFFER = "offer"


#: the questions of :class:`Supervision`
_QUESTIONS = ("is_admin", "supervises", "knows")
#: directory class -> which of them it answers (decided once per class, as ``answers`` is)
_ANSWERED: dict[type, frozenset[str]] = {}
#: the directory :func:`supervision_of` was last asked of, and its view (every command asks)
_LAST: tuple[object, Supervision | None] = (None, None)


def supervision_of(directory: object) -> Supervision | None:
    """``directory`` as a :class:`Supervision`: a view asking the questions it answers
    (:class:`_Checked`), or None when it answers none.

    Why some: a directory with ``is_admin`` and ``supervises`` but no ``knows`` was taken
    for one with none, its administrators refused and its supervisors never asked. Why a
    view even of one answering all three: an answer that is text, or a number other than 0
    and 1, is a :class:`~wfengine.runtime.directory.DirectoryError` naming the directory, the
    question and the answer (:func:`_yes_no`; taken by its truth, the text ``"false"``, as
    read from a configuration or an LDAP attribute, made everyone an administrator), and
    any other is taken by its truth (None and a user's record, as ``users.get`` gives)."""
    global _LAST
    if _LAST[0] is directory:
        return _LAST[1]
    target = answering(directory)
    has = _ANSWERED.get(type(target))
    if has is None:
        has = frozenset(q for q in _QUESTIONS if callable(getattr(target, q, None)))
        _ANSWERED[type(target)] = has
    view = _Checked(target, has) if has else None
    _LAST = (directory, view)
    return view


class _Checked:
    """A directory's :class:`Supervision` answers, each checked to be a yes or no. A question it
    lacks is answered as a directory with none answers it: nobody administers, nobody
    supervises, and everyone exists (who it knows is not checked).

    It declares the directory it wraps (``wrapped_directory``), so that messages naming the
    directory asked through this view name the host's, not this class
    (:func:`~wfengine.runtime.directory.answering`)."""

    __slots__ = ("_has", "_org")

    def __init__(self, org: Any, has: frozenset[str]) -> None:
        self._org, self._has = org, has

    @property
    def wrapped_directory(self) -> object:
        """The host's directory this view asks."""
        return self._org

    def _ask(self, question: str, default: bool, *args: str) -> bool:
        """The directory's answer to ``question``, checked; ``default`` when it has none."""
        if question not in self._has:
            return default
        said = getattr(self._org, question)(*args)
        if said is True or said is False:
            return said
        return _yes_no(self._org, question, said, *args)

    def is_admin(self, user_id: str) -> bool:
        return self._ask("is_admin", False, user_id)

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return self._ask("supervises", False, supervisor, user_id)

    def knows(self, user_id: str) -> bool:
        return self._ask("knows", True, user_id)


def _yes_no(org: object, question: str, said: object, *args: str) -> bool:
    """``said``, what ``org`` answered to ``question`` (asked with ``args``), as a bool when it
    is not True or False. Refused, with the
    :class:`~wfengine.runtime.directory.DirectoryError` naming the directory, the question and
    the answer: text and bytes (taken by its truth, the text ``"false"`` granted the right),
    and a number other than 0 and 1 (``2``, ``0.5``: neither a yes nor a no). Anything else is
    taken by its truth: None (as ``users.get(u)`` gives for someone unknown), 0 or 1
    (SQLite's ``SELECT EXISTS(...)``), a numpy-style bool, a user's record or a dict (what
    ``users.get(u)`` gives for someone known); an answer whose truth cannot be told (a
    ``bool()`` that raises) is refused too."""
    if said is None:
        return False
    kind = type(said)
    if not isinstance(said, (str, bytes, bytearray, memoryview)):
        try:
            if kind.__name__ in ("bool", "bool_"):  # numpy's: not a number, no __index__
                return bool(said)
            value: object = said
            number = isinstance(said, Number)
            if not number and (index := getattr(kind, "__index__", None)) is not None:
                with suppress(Exception):  # a numpy array's raises unless it holds one int
                    value, number = index(said), True
            if not number:
                return bool(said)
            if value == 0 or value == 1:
                return bool(value == 1)
        except Exception:  # an answer that will not say (a bool() raising): refused below
            pass
    where = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    asked_ = f"{question}({', '.join(map(repr, args))})"
    raise DirectoryError(
        f"asked {asked_}, the directory {directory_name(org)} answered "
        f"{where}{kind.__qualname__} {said!r:.80}, not True or False: its is_admin, "
        "supervises and knows must answer yes or no (True or False; 0 or 1; None, or a "
        'record, taken by its truth), not text ("false" would be a yes) or another number'
    )


def asking(directory: object) -> Supervision | None:
    """:func:`supervision_of` for the checks made outside the engine's commands (worklists,
    notes, the WAPI's access rule): what the directory raises is a
    :class:`~wfengine.runtime.directory.DirectoryError` naming it and the question, as a
    work-item command's is (a bare ``TimeoutError`` from an LDAP server named nothing)."""
    org = supervision_of(directory)
    return None if org is None else _Asking(directory, org)


class _Asking:
    """The host's directory's :class:`Supervision` answers (``org``), each failure a
    :class:`~wfengine.runtime.directory.DirectoryError` naming the directory and question."""

    __slots__ = ("_directory", "_org")

    def __init__(self, directory: object, org: Supervision) -> None:
        self._directory, self._org = directory, org

    def _ask(self, question: str, *args: str) -> bool:
        said = ", ".join(map(repr, args))
        call = getattr(self._org, question)
        answer: bool = asked(self._directory, f"{question}({said})", lambda: call(*args))
        return answer

    def is_admin(self, user_id: str) -> bool:
        return self._ask("is_admin", user_id)

    def supervises(self, supervisor: str, user_id: str) -> bool:
        return self._ask("supervises", supervisor, user_id)

    def knows(self, user_id: str) -> bool:
        return self._ask("knows", user_id)


class _HasPeople(Protocol):
    @property
    def holder(self) -> str | None: ...

    @property
    def assignees(self) -> tuple[str, ...]: ...


def responsible(item: _HasPeople) -> tuple[str, ...]:
    """Who answers for ``item`` now: its holder, or while unclaimed those it is offered to
    (whose supervisors may reassign it, and to whose supervisors it escalates)."""
    return (item.holder,) if item.holder is not None else item.assignees


def refusal(
    operation: str, item: WorkItem, user: str, directory: Directory, to: str | None = None
) -> str | None:
    """Why ``user`` may not do ``operation`` on ``item`` (None when they may).

    Raises :class:`~wfengine.errors.IllegalStateError` when it is the item's state, not who
    ``user`` is, that stands in the way: someone it is offered to who starts or delegates
    it before claiming it (README: a state that does not allow an operation is an
    ``IllegalStateError``, and only what a user may not do is recorded as refused; this was
    recorded as a refusal, while their release of the same item was a state error)."""
    org = supervision_of(directory)
    if to is not None:
        if to == item.holder:
            return f"{to!r} holds it already"
        if org is not None and not org.knows(to):
            return f"{to!r} is not a user of the organisation"
    if org is not None and org.is_admin(user):
        return None
    if org is not None and not org.knows(user):
        # someone who left, with work offered to them or held by them before a new
        # organisation was loaded and re-offered it: refused every operation (docs/wapi.md),
        # handing it on (delegate, send back) or back (release) too; an administrator
        # releases or reassigns what they held
        return f"{user!r} is not a user of the organisation"
    offered = item.state is WorkItemState.OFFERED
    if operation == "claim":
        return None if user in item.assignees else "it is not offered to them"
    if operation in ("start", "release", "delegate", "send back"):
        if user == item.holder:
            return None
        if item.holder is None and user in item.assignees:
            subject = (
                f"work item {item.id!r} (activity {item.activity_id!r} of instance "
                f"{item.instance_id!r})"
            )
            current = f"{item.state.value} to {user!r} and not claimed yet (claim it first)"
            raise IllegalStateError(subject, current, operation)
        return _not_holder(item)
    if operation == "complete":
        if user == item.holder or (offered and user in item.assignees):
            return None
        return _not_holder(item) if not offered else "it is not offered to them"
    if operation == "reassign":
        if org is not None and any(org.supervises(user, p) for p in responsible(item)):
            return None
        return (
            "only a supervisor of "
            + ("its holder" if item.holder else "its assignees")
            + (" or an administrator may reassign it")
        )
    raise ValueError(f"unknown work item operation {operation!r}")


def excluded_performers(ai: ActivityInstance) -> dict[str, str]:
    """Who may never have ``ai``'s work (``DoNotAssignToPerformerOfActivity``): each
    performer of a named activity, with that activity (every instance's, of a multi-instance
    one: a check after them all checks each), and each delegate whose work on it went back
    to its owner to confirm (``wfengine:delegation-confirm``): the delegate wrote it, the
    owner only completed it, so a check by the delegate was one pair of eyes. In a copy of a
    multi-instance block, those of the named activity in that copy
    (:func:`~wfengine.runtime.performed.excluded_in`): another copy's is another case."""
    rule = ai.act.assignment
    if rule is None or not rule.not_performer_of:
        return {}
    scope = ai.scope
    found: dict[str, str] = {}
    # (by key: the named activity of the rule's own scope, not another block's of that Id;
    # in a copy of a multi-instance block, who did it in that copy)
    for activity, key in zip(rule.not_performer_of, rule.not_performer_keys, strict=True):
        for who in excluded_in(scope, key):
            found.setdefault(who, activity)
    return found


def nobody_left(ai: ActivityInstance, excluded: Mapping[str, str], members: Iterable[str]) -> str:
    """The incident message of ``ai``'s work that four eyes leaves offered to no one:
    everyone it would go to (``members``) performed an activity it may not go to the
    performer of (``excluded``, as :func:`excluded_performers` gives it)."""
    who = ", ".join(f"{u!r} performed {excluded[u]!r}" for u in members if u in excluded)
    return (
        f"{ai.place()}: its work would be offered to no one: everyone it is for may not have "
        f"it ({who}; DoNotAssignToPerformerOfActivity: four eyes); retry the incident once "
        "someone else may do it"
    )


def nobody_reached(ai: ActivityInstance, what: str = "") -> str:
    """The incident message of ``ai``'s work that its performers, named, reach no one now
    (a new organisation emptied them): ``what`` says what would have offered it (a retry,
    a release), before the performers; offered to no one, nobody would hear of it."""
    performers = ", ".join(map(repr, ai.act.performers))
    return (
        f"{ai.place()}: {what}its performer(s) {performers} reach no one, so its work would be "
        "offered to no one; retry the incident once someone may do it (the retry offers the "
        "work again)"
    )


#: the operations whose acting user would then do the work (delegate and reassign hand it
#: to ``to`` instead)
_DOES_THE_WORK = frozenset({"claim", "start", "complete"})


def four_eyes_refusal(
    operation: str, ai: ActivityInstance, user: str | None, to: str | None
) -> str | None:
    """Why ``operation`` would give ``ai``'s work to someone who performed an activity it
    must not go to the performer of (None when it would not)."""
    excluded = excluded_performers(ai)
    if not excluded:
        return None
    who = to if to is not None else (user if operation in _DOES_THE_WORK else None)
    if who is None or who not in excluded:
        return None
    return (
        f"{who!r} performed activity {excluded[who]!r}, and activity {ai.act.id!r} may not "
        "go to its performer (DoNotAssignToPerformerOfActivity: four eyes)"
    )


def _not_holder(item: WorkItem) -> str:
    if item.holder is None:  # (those it is offered to: claim it first, a state error)
        return "it is not offered to them"
    return f"{item.holder!r} holds it"


def data_refusal(
    writes: frozenset[str], data: Mapping[str, Any] | None, user: str, directory: Directory
) -> str | None:
    """Why ``user`` may not write ``data`` when completing an item whose activity lets it
    write ``writes`` (None when they may: only declared fields, and anything for an
    administrator)."""
    undeclared = sorted(set(data or ()) - writes)
    if not undeclared:
        return None
    org = supervision_of(directory)
    if org is not None and org.is_admin(user):
        return None
    allowed = ", ".join(map(repr, sorted(writes))) or "no data"
    named = ", ".join(map(repr, undeclared))
    return f"it may not write {named} (its activity lets it write {allowed})"


def refuse_undeclared(process: CompiledProcess, names: Iterable[str], subject: str) -> None:
    """Refuse data ``names`` (Ids: a field given by its Name is its Id by now) that
    ``process`` declares no data field or formal parameter by, with a
    :class:`~wfengine.errors.NotFoundError` naming the first and those it declares, as the
    WAPI's ``assign_process_instance_attribute`` does. Why for an administrator too: their
    completion with a misspelt name (``ammount``) was stored as new data no condition reads,
    while the field they meant kept its value; the host's own code (no user) may still."""
    declared = {name for name, _ in process.data_fields}
    declared.update(p.id for p in process.formal_parameters)
    unknown = sorted(set(names) - declared)
    if not unknown:
        return
    also = f"; nor {', '.join(map(repr, unknown[1:]))}" if unknown[1:] else ""
    listed = ", ".join(sorted(declared)) or "none"
    raise NotFoundError(
        "data field",
        unknown[0],
        f"completing {subject}: process {process.process_id!r} declares {listed}{also}; "
        "nothing was changed",
    )
