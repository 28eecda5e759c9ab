"""Offering open work afresh after the organisation changed (``wfengine org load``).

Who a work item is offered to is decided when it is offered, by the directory of the engine
that offers it. A new organisation (people who left, roles that moved) would otherwise leave
the open work with the old one's people: offered to someone who left, whom the new
organisation's managers could neither claim from nor reassign. :func:`reoffer_work` mends
that, for every open item of every open instance (running or suspended):

* an item on offer (nobody has claimed it) whose activity's performers the directory now
  resolves to other people is offered to those people;
* an item held (claimed, delegated, started) by someone the directory no longer knows goes
  back on offer, to its performers' members now;
* an item held by someone four eyes no longer lets have it (they performed an activity it
  may not go to the performer of: they could never complete it, nor anyone else claim it)
  goes back on offer, as one held by someone who left; the engine takes such an item from
  its holder as they complete that work, but an instance stored by an engine before did
  not, and the re-offer (``wfengine org load``) frees it;
* an item held by someone the directory knows stays theirs (not withdrawn: its id, holder
  and reminders kept, nothing audited or told), but is offered to its performers' members
  now when they release it: its ``assignees`` become those (a release offered it to the old
  organisation's people: someone who had moved to another role could claim it, the new
  member could not); when its performers reach no one now, it is still theirs (they may
  finish it), returned as ``kept`` so the operator hears of it, and their release asks
  the directory again and, reaching no one, opens the offer incident (as for work the new
  organisation took from people) rather than leaving it on offer to no one;
* the people an escalation reached keep an item as long as the directory knows them, at
  every later re-offer too (the escalation of the item an earlier re-offer replaced:
  :mod:`wfengine.runtime.work_item_chains`): one who left is no longer offered it (when its
  performers resolve to the same people, the item on offer is withdrawn and offered to the
  rest, as for any change);
* an item delegated by someone the directory no longer knows (its owner left) to someone it
  still knows stays with the delegate, as their own: it would otherwise go back to the one
  who left when they release it (or, with ``wfengine:delegation-confirm``, when they
  complete it), who could then neither take it nor give it on. The delegate goes on with it
  (started or not, the same item); it no longer has an owner, so their release offers it to
  the performers' members now (which its ``assignees`` become) and their completion
  completes the activity (nobody who left is waited on to confirm it). The audit records
  ``work_item.allocated`` with no user (the engine gave it to them), as when an assignment
  rule gives work to someone; the item is not among those returned, as it is not
  withdrawn. When the delegate left too, the item is held by someone the directory does not
  know and goes back on offer as above.

Such an item is withdrawn (``work_item.cancelled``: those it was offered to hear it) and the
activity's work offered again as a new item (``work_item.offered`` to the new people), as when
its activity is first offered: the same performers, assignment rules and four eyes, but
keeping the reminder and escalation schedule of the item it replaces, as a release, delegation
or reassignment keeps an item's (its reminder and escalation due when the replaced item's
were; a reminder that fired is not fired again, the count goes on): counted afresh, an
organisation synced more often than ``wfengine:escalate-after`` kept late work from ever
escalating (no second escalation when the work's escalation reached someone the new item is
offered to: it has happened, and they keep it; when nobody it reached has it, it is due now);
but it is only offered, never given to someone at once (a rule such as
``AssignToPerformerOfActivity`` makes it offered to that person alone, as after they
released it), and a rule that would give it to someone the directory does not know
offers it to the performers' members instead. Performers that now reach no one (a role the
new organisation emptied, while the item was offered to people or held by someone who left)
withdraw the item and open an incident (operation ``offer``) whose retry offers the work
again, as when its activity is first offered; and so does a performer that cannot be resolved
(a performer expression over the data that names no one now). Why an incident, when a first
offer to a performer without members is offered to nobody, waiting for an administrator:
that one shows a definition's typo or a role not staffed yet, on offer from the start; here
the new organisation took the work from the people who had it, and the operator loading it is
the one to hear so (``wfengine org load`` counts the items waiting on an incident). An item
already offered to nobody stays so (nothing changed for it). An item whose offer would not
change is left as it is; one that someone the directory knows holds only has its
``assignees`` mended, as above.

A withdrawn item that was started held its sequential ad-hoc set (one activity at a time);
its new item is only offered, or none is (an incident waits to offer it, and the activity
holds the set no more: nobody works on it), so what waited for the set's turn (an activity
that runs by itself) starts in the same command, as after a release, when the instance is
running (a suspended instance's waits for the set's next close).

Each instance is one command (a unit of work, retried after a lost race): an interrupted run
leaves every instance re-offered or not, and running it again finishes the others (it changes
nothing that is already right).

Two organisations loaded at once (a scheduled sync and an operator) would each re-offer by
their own, instance by instance, leaving the open work split between them. So a re-offer may
be given ``still_current``, asked as each instance's changes are about to commit (after its
work was read): once it says no, another organisation replaced this one, whose re-offer (it
began after that organisation was stored) offers the rest, and this one stops. Asked then,
after the read, it cannot be overtaken: the other re-offer either read this one's change, or
it commits over the same rows, and one of the two runs again (a lost race) and reads the
other's. ``since`` re-offers only instances with open work offered at or after that moment:
a worker taking up a new organisation re-offers what it offered by the old one since it last
saw it current (:mod:`wfengine.worklist.org_watch`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from wfengine.errors import DeployError, WorkflowError
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.directory import DirectoryError, directory_name
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.history import change
from wfengine.runtime.instance import ActivityInstance, WorkItem
from wfengine.runtime.jobs import PARKED, Job, first_due, reminds_of
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.navigation.base import _Failure
from wfengine.runtime.outbox import OutboxKind, work_item_entry
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.work_item_chains import CHAIN_KINDS, Chains, read_chains
from wfengine.runtime.work_item_events import WorkItemAllocated
from wfengine.runtime.work_rules import OFFER, Supervision, excluded_performers, supervision_of

_OPEN_INSTANCE = frozenset({ProcessState.RUNNING, ProcessState.SUSPENDED})


@dataclass(frozen=True, slots=True)
class Reoffered:
    """One work item offered afresh: ``work_item_id`` was withdrawn (from ``holder`` too,
    when someone the directory no longer knows held it) and ``replaced_by`` offered to
    ``assignees``; ``replaced_by`` is None when who may do it could not be told, or nobody
    may do it now (its performers reach no one), and an incident (``incident``) waits for an
    operator to retry the offer. ``kept``: not withdrawn: ``holder``, whom the directory
    knows, keeps it, but its performers reach no one now, so their release opens an offer
    incident (``replaced_by`` and ``incident`` None): the operator hears of it now."""

    work_item_id: str
    instance_id: str
    activity_id: str
    replaced_by: str | None
    assignees: tuple[str, ...]
    holder: str | None = None
    incident: str | None = None
    kept: bool = False


class ReofferCommands(EngineBase):
    """The re-offer as an engine command (:class:`~wfengine.runtime.engine.Engine` may mix
    this in)."""

    def reoffer_work(self) -> list[Reoffered]:
        """Offer the open work afresh by the engine's directory (see the module notes); set
        ``engine.directory`` to the new organisation first."""
        return reoffer_work(self)


def reoffer_work(
    engine: EngineBase,
    *,
    since: datetime | None = None,
    still_current: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Reoffered]:
    """Offer the open work of ``engine``'s store afresh by its directory (see the module
    notes); returns the items it withdrew, and those their holder keeps though their
    performers reach no one now (``Reoffered.kept``), in the order of their instances' open
    work.
    ``since`` and ``still_current``: see the module notes (the latter for a store whose
    commands are undone when they raise, a SQL store); a re-offer that ``still_current``
    stopped returns what it did before. ``progress(done, total)`` is told, before each
    instance and once all are behind it, how many of the ``total`` open work items it read
    are behind it (those of an instance the directory could not answer for too): a
    caller stopped part way (the database gone, Ctrl-C) can say how far it got, as each
    instance's re-offer is one command, undone when it fails.

    An instance about whose work the directory fails to answer is left as it is (nobody
    loses work they hold over an outage). A failure that looks like an outage (a timeout,
    a connection error), or three in a row, stops the re-offer there, as asking on would
    wait out the directory's timeout once per instance; another (one participant it cannot
    answer for) leaves that instance only, and the others are re-offered. Then a
    :class:`~wfengine.runtime.directory.DirectoryError` names those left and the first
    failure: running it again once the directory answers finishes them. An instance whose
    stored version no longer compiles is left as it is too, and the others are re-offered:
    then :class:`VersionsLeft` names those left."""
    per_instance = Counter(
        w.instance_id
        for w in engine.store.open_work_items()
        if since is None or w.created_at >= since
    )
    instance_ids = list(per_instance)
    total, behind = sum(per_instance.values()), 0
    done: list[Reoffered] = []
    left: list[tuple[str, Exception]] = []
    uncompiled: list[tuple[str, DeployError]] = []
    in_a_row = 0
    for n, instance_id in enumerate(instance_ids):
        if progress is not None:
            progress(behind, total)
        behind += per_instance[instance_id]
        try:
            done.extend(
                engine._command(partial(_reoffer_instance, engine, instance_id, still_current))
            )
            in_a_row = 0
        except _Replaced:
            break
        except DeployError as exc:  # its stored version no longer compiles: left as it is
            uncompiled.append((instance_id, exc))
        except _Unanswered as unanswered:
            left.append((instance_id, unanswered.error))
            in_a_row += 1
            if _outage(unanswered.error) or in_a_row >= _STOP_AFTER:
                left.extend((i, unanswered.error) for i in instance_ids[n + 1 :])
                break
    else:
        if progress is not None:
            progress(total, total)
    if left:
        first_id, first = left[0]
        named = ", ".join(repr(i) for i, _ in left[:5]) + (", ..." if len(left) > 5 else "")
        raise DirectoryError(
            f"reoffer_work: {_failure(engine, first)}, asked about the work of instance "
            f"{first_id!r}: the work of {len(left)} instance(s) ({named}) is left as it is "
            f"({len(done)} item(s) of the others re-offered); run reoffer_work again once the "
            "directory answers"
        ) from first
    if uncompiled:
        raise VersionsLeft(uncompiled, done)
    return done


class _Replaced(Exception):
    """Another organisation was stored since this re-offer began: it stops (module notes)."""


#: failures to answer in a row after which the re-offer stops (the directory seems down)
_STOP_AFTER = 3


def _outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the directory cannot be reached now."""
    seen: BaseException | None = error
    for _ in range(8):  # (a DirectoryError wraps what the host's directory raised)
        if seen is None:
            return False
        if isinstance(seen, TimeoutError | OSError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _Unanswered(Exception):
    """The directory failed to answer about an instance's work (``error``, what it raised):
    the instance is left as it is and the re-offer stops (:func:`reoffer_work`)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _reoffer_instance(
    engine: EngineBase, instance_id: str, still_current: Callable[[], bool] | None = None
) -> list[Reoffered]:
    store = engine.store
    inst = store.instance(instance_id)
    if inst.state not in _OPEN_INSTANCE:
        return []
    nav = engine._nav()
    org = supervision_of(engine.directory)
    try:
        # every question to the directory about the instance's work is asked here, before
        # anything of it changes: one that failed after (does its holder still work here?)
        # left earlier items withdrawn in a command that then stopped half-way, and a
        # directory that could not answer withdrew work people held (even started work)
        plans = _plans(engine, nav, org, inst.id, inst.activities)
    except DirectoryError as exc:  # the directory failed: nothing of the instance changes
        raise _Unanswered(exc) from exc
    except WorkflowError:
        raise  # the engine's own (the store lost a race, or is down): as for any command
    except Exception as exc:  # what the host's directory raised
        raise _Unanswered(exc) from exc
    done: list[Reoffered] = []
    kept = False  # a delegate kept an item whose owner left (changed, not withdrawn)
    turn = False  # a withdrawn item freed its sequential ad-hoc set: what waited runs now
    clocks: _Clocks | None = None  # the instance's reminder jobs and chains (read once)
    for ai, item, held, plan in plans:
        if isinstance(plan, _Failure | _Nobody):  # withdrawn: an incident says why
            nav.touch(inst)
            nav._cancel_work_item(ai, item)
            nav._incident(inst, ai, ai.act.id, OFFER, _withdrawn_why(engine, ai, item, plan))
            holder = item.holder if held else None
            done.append(
                Reoffered(item.id, inst.id, item.activity_id, None, (), holder, ai.incident)
            )
            turn = _turn_passed(nav, ai, held) or turn  # (nobody works on it now either)
            continue
        if isinstance(plan, _Keep | _Mend) and not plan.assignees:
            # theirs, but offered to no one on release (an incident then): said now
            done.append(
                Reoffered(item.id, inst.id, item.activity_id, None, (), item.holder, kept=True)
            )
        if isinstance(plan, _Keep):
            _delegate_keeps(nav, ai, item, plan.assignees)
            kept = True
            continue
        if isinstance(plan, _Mend):  # held by someone it knows: theirs, offered on to these
            nav.touch(inst)
            item.assignees = plan.assignees
            nav.step.work_items.append(item)
            kept = True
            continue
        offer_to = plan.assignees if isinstance(plan, _Escalated) else plan
        nav.touch(inst)
        nav._cancel_work_item(ai, item)
        fresh = nav._new_item(ai, offer_to)
        if clocks is None:  # (read once, only when an item is replaced)
            clocks = _Clocks(store.jobs(inst.id), _chains(engine, inst.id))
        _keep_clock(nav, ai, item, fresh, clocks, escalated=isinstance(plan, _Escalated))
        told = work_item_entry(
            OutboxKind.WORK_ITEM_OFFERED, fresh, nav.now, stamp=inst.call_stamp()
        )
        nav.step.outbox.append(told)
        turn = _turn_passed(nav, ai, held) or turn
        done.append(
            Reoffered(
                item.id,
                inst.id,
                item.activity_id,
                fresh.id,
                offer_to,
                item.holder if held else None,
            )
        )
    if (turn or done or kept) and still_current is not None and not still_current():
        raise _Replaced  # (after the reads: see the module notes)
    if turn:
        engine._commit(nav)  # runs the agenda the freed turn queued
    elif done or kept:
        store.commit(nav.step)
    return done


def _turn_passed(nav: Navigator, ai: ActivityInstance, held: bool) -> bool:
    """Whether the withdrawal of ``ai``'s item, ``held`` (perhaps started), freed its
    sequential ad-hoc set: the new item is only offered, or none is (an incident waits to
    offer it), so what waited for the set's turn runs in this command, as after a release.
    A suspended instance runs nothing: it waits for the set's next close, as before."""
    return held and ai.scope.instance.state is ProcessState.RUNNING and nav.pass_turn(ai)


def _plans(
    engine: EngineBase,
    nav: Navigator,
    org: Supervision | None,
    instance_id: str,
    activities: Mapping[str, ActivityInstance],
) -> list[tuple[ActivityInstance, WorkItem, bool, _Plan]]:
    """What becomes of each open item of the instance that is to change (items left as they
    are are not listed), asking the directory and raising what it raises, changing nothing."""
    plans: list[tuple[ActivityInstance, WorkItem, bool, _Plan]] = []
    chains: Chains | None = None  # whom escalations of the work added (read once)
    for item in engine.store.open_work_items(instance_id):
        ai = activities.get(item.activity_instance_id)
        if ai is None or ai.work_item != item.id:
            continue
        held = item.state is not WorkItemState.OFFERED and item.holder is not None
        try:
            plan = _plan(nav, org, ai, item, held)
        except _Failure as failure:  # a performer expression: see the module notes
            if not held and _all_known(org, item.assignees):
                continue  # offered to people the directory knows; nothing to mend
            plans.append((ai, item, held, failure))
            continue
        if plan is None or isinstance(plan, _Keep):
            if plan is not None:
                plans.append((ai, item, held, plan))
            continue  # (None: someone the directory knows has it and it cannot be told more)
        if chains is None:
            chains = _chains(engine, instance_id)
        mend = isinstance(plan, _Mend)
        people = plan.assignees if isinstance(plan, _Mend) else plan
        # (of this item, or of the items it replaced: an earlier re-offer's, which kept them)
        added = chains.escalated.get(item.id, set()) - set(people)
        # those an escalation reached keep it when they may still have it (the directory
        # knows them, four eyes allows): not the organisation's to take back; one who left
        # is dropped (they could neither see nor take it, and it was offered to them still)
        excluded = excluded_performers(ai)
        carried = [u for u in item.assignees if u in added and u not in excluded]
        now = (*people, *(u for u in carried if _all_known(org, (u,))))
        if (not held or mend) and set(now) == set(item.assignees):
            continue  # nothing to mend
        if not now and not mend:  # the organisation took it from everyone who had it
            plans.append((ai, item, held, _Nobody()))
            continue
        if mend:
            plans.append((ai, item, held, _Mend(now)))
        elif chains.escalated_to.get(item.id, set()) & set(now):
            plans.append((ai, item, held, _Escalated(now)))  # (reached: not escalated again)
        else:
            plans.append((ai, item, held, now))
    return plans


@dataclass(frozen=True, slots=True)
class _Keep:
    """The delegate keeps an item whose owner left, offered (on release) to ``assignees``."""

    assignees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Mend:
    """Someone the directory knows holds the item: it stays theirs, and is offered to
    ``assignees`` (the activity's people now) when they release it."""

    assignees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Escalated:
    """Withdrawn and offered to ``assignees``, among whom someone an escalation of the work
    reached (an earlier item's, which they keep): the new item is not escalated again. Why:
    an escalation set again would fire at the people who have it
    already (an incident saying it reaches no one new) or drop nobody's late work on the
    supervisors twice; the escalation has happened, and its people keep the work."""

    assignees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Nobody:
    """The activity's performers reach no one now, though people had the item: it is
    withdrawn with an incident (see the module notes)."""


#: what becomes of one open item: withdrawn and offered to these people (with no second
#: escalation: :class:`_Escalated`), kept by its delegate (:class:`_Keep`), kept by its holder
#: and offered on to others (:class:`_Mend`), or withdrawn with an incident (a performer
#: expression failed, or the performers reach no one now: :class:`_Nobody`)
_Plan = tuple[str, ...] | _Escalated | _Keep | _Mend | _Nobody | _Failure


def _withdrawn_why(
    engine: EngineBase, ai: ActivityInstance, item: WorkItem, plan: _Failure | _Nobody
) -> str:
    """The message of the incident that waits for ``item``'s work, withdrawn by ``plan``."""
    if isinstance(plan, _Failure) and _four_eyes_took(ai, item):
        # offered afresh, as when its activity is first offered: its failure says why (four
        # eyes leaving no one, as when the engine takes it from them at their completion)
        return _failure(engine, plan)
    if isinstance(plan, _Failure):  # a performer expression: who may do it is unknown
        return (
            f"{ai.place()}: offered again as the organisation changed, but who may do it "
            f"cannot be told ({_failure(engine, plan)}); retry the incident once it can"
        )
    performers = ", ".join(map(repr, ai.act.performers))
    whom = f"its performer(s) {performers} reach no one" if performers else "it names no performer"
    had = f"offered to {', '.join(map(repr, item.assignees)) or 'no one'}"
    if item.state is not WorkItemState.OFFERED and item.holder is not None:
        had = f"held by {item.holder!r}, {had}"
    return (
        f"{ai.place()}: work item {item.id!r} ({had}) was withdrawn as the organisation "
        f"changed: {whom} in it now, so it would be offered to no one; retry the incident "
        "once someone may do it (the retry offers the work again)"
    )


def _plan(
    nav: Navigator, org: Supervision | None, ai: ActivityInstance, item: WorkItem, held: bool
) -> tuple[str, ...] | _Keep | _Mend | None:
    """What becomes of ``item``, asking the directory (and raising what it raises) but
    changing nothing: a :class:`_Keep` (its delegate keeps it, its owner left); a
    :class:`_Mend` (someone the directory knows holds it: theirs, but a release offers it
    to the activity's people now, not to the old organisation's); None, left as it is (held,
    and who would have it now cannot be told); else who it is offered to now."""
    if held and not _four_eyes_took(ai, item) and (org is None or org.knows(item.holder or "")):
        # someone the directory knows has it: theirs (and theirs alone when the one who
        # delegated it to them left: it must never go back to them)
        try:
            now = tuple(nav._offer_to(ai)[0])
        except _Failure:  # a performer expression: those it is offered to it still knows
            now = tuple(u for u in item.assignees if _all_known(org, (u,)))
        if org is not None and item.owner is not None and not org.knows(item.owner):
            return _Keep(now)
        return _Mend(now)
    return tuple(nav._offer_to(ai)[0])


def _four_eyes_took(ai: ActivityInstance, item: WorkItem) -> bool:
    """Whether ``item``'s holder performed an activity ``ai`` may not go to the performer of:
    they may no longer have it, as someone who left may not (see the module notes)."""
    return item.holder is not None and item.holder in excluded_performers(ai)


def _all_known(org: Supervision | None, users: Iterable[str]) -> bool:
    """Whether the directory knows every one of ``users`` (a directory that cannot tell who
    exists knows everyone); what one that fails to answer raises is raised (the instance is
    then left as it is: :func:`reoffer_work`)."""
    return org is None or all(map(org.knows, users))


def _chains(engine: EngineBase, instance_id: str) -> Chains:
    """The chains of ``instance_id``'s work items (which replaced which, and whom their
    escalations added: those they went to, and a holder they were taken from, who may claim
    them again), read from its trail (:mod:`wfengine.runtime.work_item_chains`)."""
    query = AuditQuery(instance_id=instance_id, kinds=CHAIN_KINDS)
    return read_chains(engine.store.audit_events(query))


@dataclass(frozen=True, slots=True)
class _Clocks:
    """What the instance's replaced items' clocks are read from: its pending jobs (their
    reminder and escalation jobs among them) and its items' chains (whose escalation fired)."""

    jobs: list[Job]
    chains: Chains


def _keep_clock(
    nav: Navigator,
    ai: ActivityInstance,
    item: WorkItem,
    fresh: WorkItem,
    clocks: _Clocks,
    *,
    escalated: bool,
) -> None:
    """``fresh``, which replaces ``item``, keeps its reminder and escalation schedule, as a
    release, delegation or reassignment keeps an item's: the jobs its offer set (counted from
    now) are replaced by ``item``'s pending ones, due when those were and numbered as they
    were (a reminder that fired is not fired again; the count goes on). Why: counted afresh
    at every re-offer, an organisation synced more often than ``wfengine:escalate-after``
    (and changing each time) kept late work from ever escalating.

    An escalation of the work that fired already is not set again while someone it reached
    has the work (``escalated``: :class:`_Escalated`); when none of them has it any more
    (they left) the work is late with nobody it escalated to, so its escalation is due now.
    A parked job (its incident waits, or it was held back past the timer budget) is due
    now: the new organisation may answer it, and its incident went with ``item``."""
    if ai.act.reminders is None:
        return
    nav.step.jobs[:] = [job for job in nav.step.jobs if not reminds_of(job, fresh.id)]
    pending = [job for job in clocks.jobs if reminds_of(job, item.id)]
    for job in sorted(pending, key=lambda j: (j.payload["what"], j.payload["number"])):
        what = job.payload["what"]
        if what == "escalate" and escalated:
            continue
        due = first_due(job)
        nav._reminder_job(fresh, what, job.payload["number"], nav.now if due >= PARKED else due)
    fired = clocks.chains.escalated_to.get(item.id)
    waits = any(job.payload["what"] == "escalate" for job in pending)
    if ai.act.reminders.escalate_after is not None and fired and not waits and not escalated:
        nav._reminder_job(fresh, "escalate", 1, nav.now)


def _failure(engine: EngineBase, exc: Exception) -> str:
    """What failed, for an incident: a directory error names its directory already, and
    the engine's own errors (a performer expression) say what they are about."""
    if isinstance(exc, WorkflowError | _Failure):  # (a _Failure was told as the directory's)
        return str(getattr(exc, "message", None) or exc)
    named = directory_name(engine.directory)
    return f"the directory {named} failed: {type(exc).__name__}: {exc}"


def _delegate_keeps(
    nav: Navigator, ai: ActivityInstance, item: WorkItem, assignees: tuple[str, ...]
) -> None:
    """``item``'s owner left: its holder (the delegate, whom the directory knows) keeps it as
    their own, and a release offers it to ``assignees``: whom the activity's work is offered
    to now (see the module notes), or when that cannot be told now (the directory, a
    performer expression) those it is offered to whom the directory still knows."""
    inst = ai.scope.instance
    nav.touch(inst)
    item.owner = None
    item.assignees = assignees
    nav.step.work_items.append(item)
    given = WorkItemAllocated(item.id, None, item.holder)
    inst.changes.append(change(nav.now, given, ai.id, ai.act.id))


class VersionsLeft(DeployError):
    """:func:`reoffer_work` left the work of instances whose stored version no longer
    compiles as it was (offered as before), and re-offered every other instance's:
    ``left`` names those instances with the error, ``reoffered`` is what it did (what it
    returns otherwise). Why not stop at the first: one such instance kept every other
    instance's work unoffered, and every rerun stopped there again; a version that does not
    compile fails only what needs it. A rerun once it compiles (a fixed wfengine), or once
    the instance is closed (``terminate`` it), finishes them."""

    def __init__(self, left: list[tuple[str, DeployError]], reoffered: list[Reoffered]) -> None:
        named = ", ".join(repr(i) for i, _ in left[:5]) + (", ..." if len(left) > 5 else "")
        super().__init__(
            f"reoffer_work: the work of {len(left)} instance(s) ({named}) is left as it is, "
            f"offered as before ({len(reoffered)} item(s) of the others re-offered): "
            f"instance {left[0][0]!r}: {left[0][1]}; run it again once that version "
            "compiles, or the instance is terminated"
        )
        self.left = tuple(i for i, _ in left)
        self.reoffered = reoffered
