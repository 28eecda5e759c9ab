"""Who performed what in a process instance: the summaries the person's rules read (four eyes,
``AssignToPerformerOfActivity``, ``ReassignToOriginalPerformer``, work sent back,
``MANAGER_OF_PREVIOUS``), how a completion records itself in them, and how they are read.

The instance keeps, per activity (its :attr:`~wfengine.runtime.compiled.CActivity.key`), who
completed its work last (:attr:`ProcessInstance.performers`) and who else wrote it
(:attr:`ProcessInstance.co_performers`: delegates whose work went back to its owner to
confirm, and everyone who completed one of a multi-instance activity's instances).

**Copies of a multi-instance block.** The copies of a block activity run with
``MultiInstance`` run the same activity set side by side, each its own case (one clerk's
work, another's check of it). One entry per activity would be the copy that finished last,
and a rule in another copy would read it: a check offered to the very person whose work it
checks, a fix given to the other copy's clerk. So a completion inside a copy is recorded
under the copy too, as ``"<key> #<scope id>"`` (:func:`copy_key`; an Id is an NMTOKEN: no
space), and under each copy around it (copies nest: a block in a copy may have copies of its
own, whose work is the outer copy's too, a check there after the nested block reads it); a
rule reads the entries of its own copy, then of the copies around it, then the activity's
own entry (:func:`performer_in`, :func:`excluded_in`). Those entries are
written only inside copies and dropped when the copy closes
(:func:`~wfengine.runtime.instance.forget_copy`): an instance with no multi-instance block
keeps its summaries as before, a document stored before them reads as it did (no copy entry:
the activity's own), and a wfengine from before reads the entries it knows as it did (it
does not look up a key no activity has), so they need no new document format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from wfengine.runtime.compiler import CGraph
from wfengine.runtime.instance import COPY, ActivityInstance, ProcessInstance, Scope


def copy_key(key: str, copy: Scope) -> str:
    """The key of ``copy``'s own entry for the activity keyed ``key``."""
    return f"{key}{COPY}{copy.id}"


def copies_around(scope: Scope) -> Iterable[Scope]:
    """The copies of multi-instance blocks ``scope`` runs in, the nearest first (``scope``
    itself when it is one): the scopes whose owner is an instance of a multi-instance
    activity."""
    s: Scope | None = scope
    while s is not None:
        owner = s.owner
        if owner is None:
            return
        if owner.mi_parent is not None:
            yield s
        s = owner.scope


def performer_in(scope: Scope, key: str) -> str | None:
    """Who completed the work of the activity keyed ``key`` last, as a rule of an activity
    in ``scope`` sees it (:func:`_entry`: in ``scope``'s case when the activity runs in a copy
    of a multi-instance block around it; else its own entry); None when nobody named did. Of
    a multi-instance activity, whoever completed one of its instances last."""
    entry = _entry(scope, key) if scope.owner is not None else key
    return None if entry is None else scope.instance.performers.get(entry)


def excluded_in(scope: Scope, key: str) -> list[str]:
    """Everyone four eyes keeps the work of an activity in ``scope`` from, for its rule naming
    the activity keyed ``key``: who completed it last and who else wrote it (delegates whose
    work its owner confirmed, the performers of a multi-instance activity's instances, of a
    nested copy's), read as :func:`performer_in` reads them (its case's)."""
    entry = _entry(scope, key) if scope.owner is not None else key
    if entry is None:
        return []
    inst = scope.instance
    return _people(inst.performers.get(entry), inst.co_performers.get(entry, ()))


def _entry(scope: Scope, key: str) -> str | None:
    """The summary entry a rule of an activity in ``scope`` reads for the activity keyed
    ``key``: the entry of the nearest copy around ``scope`` that the activity runs in (its
    case: another copy's work is another case's, a sibling copy nested in the same copy
    too); None when that copy has not done it; the activity's own entry when it runs in no
    copy around ``scope``.

    A copy that completed the activity (or the block it runs in) and has no entry of it was
    stored before copies had entries (or nobody named did it): it reads the activity's own
    entry, as it did then. Why the copy's ``done`` and not the own entry alone: that is the
    copy that did it last, and a copy that skipped the activity (an exclusive split's other
    way) would read another copy's performer."""
    inst = scope.instance
    performers, co = inst.performers, inst.co_performers
    for copy in copies_around(scope):
        ck = copy_key(key, copy)
        if ck in performers or ck in co:
            return ck
        at = _held(copy.graph).get(key)
        if at is not None:  # its case: done here, or not at all
            return key if copy.done >> at & 1 else None
    return key


@lru_cache(maxsize=256)
def _held(graph: CGraph) -> Mapping[str, int]:
    """The keys of the activities ``graph`` runs, its own and those of the sets its blocks
    run (nested), each with the index in ``graph`` of the activity itself or of the block
    that runs it (whose ``done`` bit says a copy completed it). Kept per graph (compiled
    graphs do not change; a graph hashes by identity): a rule's look-up is one dict read."""
    held: dict[str, int] = {}
    for act in graph.activities:
        held.setdefault(act.key, act.index)
        if act.block is not None:
            for key in _held(act.block):
                held.setdefault(key, act.index)
    return held


def _people(who: str | None, others: Iterable[str]) -> list[str]:
    found = [] if who is None else [who]
    found.extend(u for u in others if u != who)
    return found


def record_performer(ai: ActivityInstance, performer: str) -> tuple[Scope, ...]:
    """``performer`` completed ``ai``'s work item: the activity's entry (moved last: the
    order is who completed what last, :func:`previous_performer` reads it), and, when it ran
    in copies of multi-instance blocks, each copy's (a nested copy's work is also the work
    of the copy it runs in: a check there, after the nested block, reads it). For a
    four-eyes check to read, among the co-performers too when it is one of several doing
    that work: an instance of a multi-instance activity, a copy among the block's copies, or
    a nested copy among those in the copy around it (a check after them all is for none of
    them). Returns the copies it ran in, nearest first (empty: none): :func:`concerns`."""
    inst = ai.scope.instance
    key = ai.act.key
    performers = inst.performers
    performers.pop(key, None)
    performers[key] = performer
    copies: tuple[Scope, ...] = ()
    if ai.scope.owner is not None:
        copies = tuple(copies_around(ai.scope))
        for copy in copies:
            ck = copy_key(key, copy)
            performers.pop(ck, None)
            performers[ck] = performer
    if (copies or ai.mi_parent is not None) and key in inst.compiled.four_eyes_of:
        _add(inst, key, performer)
        for n, copy in enumerate(copies):
            if n or ai.mi_parent is not None:  # (several do this copy's: nested, or MI)
                _add(inst, copy_key(key, copy), performer)
    return copies


def record_co_performer(ai: ActivityInstance, user: str) -> tuple[Scope, ...]:
    """``user``, a delegate, wrote ``ai``'s work, which its owner confirms: four eyes keeps
    them from a check of it, as its performer (under each copy of a multi-instance block it
    ran in too: those it returns, nearest first)."""
    inst = ai.scope.instance
    key = ai.act.key
    _add(inst, key, user)
    copies = tuple(copies_around(ai.scope)) if ai.scope.owner is not None else ()
    for copy in copies:
        _add(inst, copy_key(key, copy), user)
    return copies


def _add(inst: ProcessInstance, key: str, user: str) -> None:
    wrote = inst.co_performers.setdefault(key, [])
    if user not in wrote:
        wrote.append(user)


def concerns(scope: Scope, key: str, copies: tuple[Scope, ...]) -> bool:
    """Whether the work on the activity keyed ``key`` just recorded (done in ``copies``,
    copies of multi-instance blocks, nearest first; empty: in none) is what a rule of an
    activity in ``scope`` reads: the entry that rule reads (:func:`_entry`) is one just
    written. Not so when ``scope`` runs in another copy the activity runs in (which reads
    its own); so when it runs in one of ``copies`` (an outer copy too: a check after a
    nested block) or in a copy the activity does not run in (which reads its own entry)."""
    if scope.owner is None:
        return True
    entry = _entry(scope, key)
    if entry is None:
        return False
    return entry == key or any(entry == copy_key(key, c) for c in copies)


def previous_performer(ai: ActivityInstance) -> str | None:
    """Who completed the step before ``ai`` (``MANAGER_OF_PREVIOUS`` offers its work to their
    supervisors); None when nobody named did.

    The step before it is found back along its incoming transitions, through the steps no
    person completed (routes, events, automatic activities, a person's activity not reached
    this time), to the activities someone completed; of those, whoever completed theirs
    last (a join: who arrived last). Not simply whoever completed anything last in the
    instance: a parallel branch's step (or one done since the work was offered, when a new
    organisation offers it again) is not the step before it. An activity first in its
    activity set looks before the block activity that runs the set; a block activity before
    it stands for the work done in its set (whoever did the set's work last, nested sets
    too); a subflow is looked past (its steps are another instance's).

    Why the graph and not the thread the token took: the instance keeps who completed each
    activity last (:attr:`ProcessInstance.performers`, in the order they did), not the
    activity instances that closed (they leave the instance); and a re-offer asks again."""
    inst = ai.scope.instance
    performers = inst.performers
    if not performers:
        return None
    recency = {key: n for n, key in enumerate(performers)}
    seen = recency
    if ai.scope.owner is not None and next(iter(copies_around(ai.scope)), None) is not None:
        # in a copy of a multi-instance block: what its case did (an activity of the copy
        # another copy did and this one skipped is not done), by when its entry was written
        seen = {}
        for key in performers:
            if COPY not in key:
                entry = _entry(ai.scope, key)
                if entry is not None and entry in recency:
                    seen[key] = recency[entry]
    scope: Scope | None = ai.scope
    act = ai.act
    while scope is not None:
        before = _performed_before(scope.graph, act.index, seen)
        if before:
            # (who did it in ``ai``'s copy of a multi-instance block, when it runs in one)
            return performer_in(ai.scope, max(before, key=seen.__getitem__))
        owner = scope.owner
        if owner is None:
            return None
        scope, act = owner.scope, owner.act
    return None


def _performed_before(graph: CGraph, index: int, performed: Iterable[str]) -> list[str]:
    """The keys of the activities of ``graph`` someone completed (``performed``: keys, as
    :attr:`ProcessInstance.performers` holds them) that come before activity ``index``: its
    sources, and through those nobody completed, theirs."""
    done = set(performed)
    sources: dict[int, list[int]] = {}
    for a in graph.activities:
        outgoing = [*a.normal, *a.exceptions, a.otherwise, a.default_exception]
        for t in outgoing:
            if t is not None:
                sources.setdefault(t.target, []).append(a.index)
    found: list[str] = []
    seen = {index}
    todo = list(sources.get(index, ()))
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        act = graph.activities[i]
        if act.key in done:
            found.append(act.key)
            continue
        inside = _performed_in(act.block, done) if act.block is not None else []
        if inside:  # a block's step is the work done in its set (the latest: see the caller)
            found.extend(inside)
        else:
            todo.extend(sources.get(i, ()))
    return found


def _performed_in(graph: CGraph, done: set[str]) -> list[str]:
    """The keys of the activities of activity set ``graph`` (and of the sets its blocks run)
    someone completed: a block activity no person works on, so the step before what follows
    it is whoever did the set's work last. A subflow is not looked into: its steps are
    another instance's, whose performers this one does not keep; the search goes on past it
    to the steps before it."""
    found: list[str] = []
    for act in graph.activities:
        if act.key in done:
            found.append(act.key)
        elif act.block is not None:
            found.extend(_performed_in(act.block, done))
    return found
