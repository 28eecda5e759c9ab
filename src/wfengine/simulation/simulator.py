"""One simulation run: the real engine, on a virtual clock, driven by the scenario's events.

The run keeps one queue of what the scenario makes happen (a case arrives, a person finishes
a step, a person's calendar opens) and asks the engine when its own next job is due (a
deadline, a timer event, a reminder, an application call that takes time); the clock jumps
to whichever comes first, the engine fires what became due, the scenario's events of that
moment are carried out, the outbox is delivered (the simulated people learn of their new
work) and the free people take work. Nothing is slept: a year of work runs as fast as the
engine steps.

The engine runs unchanged. The scenario reaches it through the seams a host has:
applications nothing binds are stand-ins in the engine's registry (answering what the
scenario generates); an application that takes time is called asynchronously and its
``invoke`` job waits out its duration first (:class:`DelayedCalls`); a split the scenario
gives probabilities decides by them (the engine's ``split_chooser``); people are the
directory's members and act through the worklist commands; what they learn comes from the
outbox, as a worklist handler's would.

**Random streams.** Every kind of draw has its own stream, seeded from the seed, the
replication and the stream's name (``arrivals``, ``data``, ``duration:review``,
``branch:check``, ...). Two variants run with the same seed therefore see the same arrivals
and the same case data, and each activity's n-th duration is the same in both where both
have it (common random numbers): their difference is the design's, not the dice's.
"""

from __future__ import annotations

import gc
import heapq
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wfengine.applications.registry import ApplicationRegistry
from wfengine.errors import (
    DataNotStorableError,
    DataTypeError,
    IllegalStateError,
    NotAuthorizedError,
    NotFoundError,
    WorkflowError,
)
from wfengine.runtime.clock import VirtualClock, due_after
from wfengine.runtime.directory import StaticDirectory
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import Job
from wfengine.runtime.states import WorkItemState
from wfengine.simulation.binding import Bound, refusal, step_labels
from wfengine.simulation.calendar import after
from wfengine.simulation.clock_end import (
    MomentPastTheClock,
    past_the_clock,
    past_the_end,
    period_refusal,
)
from wfengine.simulation.distributions import ScenarioError
from wfengine.simulation.draws import Chooser as Chooser
from wfengine.simulation.draws import Streams as Streams
from wfengine.simulation.endless_loops import EndlessLoops
from wfengine.simulation.people import WATCHED, NotTheirs, Person, QueueTrack, Staff
from wfengine.simulation.report import ENDLESS, HORIZON
from wfengine.simulation.scenario import Work
from wfengine.simulation.steady import EndlessTimers, timer_limits
from wfengine.simulation.turns import Turns, sequential_steps

#: cases between two moves of what a run made out of the garbage collector's reach
FREEZE_EVERY = 1_000


# --------------------------------------------------------------------------- the engine's seams


def _no_wait(seconds: float) -> None:
    """The run's wait between a synchronous call's retries: none. Why: simulated time does
    not count that back-off, and the registry's default sleep waited it out in real time
    (a retry delay of an hour held the run an hour)."""


class DelayedCalls:
    """``engine.job_handlers["invoke"]`` of a simulation: an application call that takes
    time waits it out on the virtual clock, then is made (by the engine's own handler).

    The wait is a run of the job, which the store counts as an attempt; the call is given
    the job with its waits taken off (``_waits``), so a binding's retries are all made and
    its messages count calls. Before, retries=1 with a duration gave an incident after one
    call, reading "attempt 2 of 2".

    ``seconds(payload, first)`` is the time a call takes; ``first`` is False for a retry of
    a job that waited already (an activity's own duration is not taken again)."""

    def __init__(self, inner: Any, seconds: Callable[[Mapping[str, Any], bool], float]) -> None:
        self._inner = inner
        self._seconds = seconds
        self._waited: set[str] = set()
        #: job id -> the waits it ran so far (dropped once its call is not to be retried)
        self._waits: dict[str, int] = {}
        #: the activity of a call whose time would end past the clock's last moment (the
        #: run stops on it: raised here, the engine would record an incident and go on)
        self.past_the_clock: str | None = None

    def prepare(self, engine: Any, job: Job) -> Any:
        if job.id in self._waited:
            self._waited.discard(job.id)
            return self._call(engine, job)
        seconds = self._seconds(job.payload, self._waits.get(job.id, 0) == 0)
        if seconds <= 0:
            return self._call(engine, job)
        if due_after(engine.clock.now(), timedelta(seconds=seconds)) is None:  # (past the end)
            self.past_the_clock = self.past_the_clock or str(job.payload["activity_id"])
            return self._call(engine, job)
        self._waited.add(job.id)
        self._waits[job.id] = self._waits.get(job.id, 0) + 1
        return _Wait(timedelta(seconds=seconds))

    def _call(self, engine: Any, job: Job) -> Any:
        """The call of ``job``, numbered by the calls made, not the job's runs."""
        waits = self._waits.get(job.id, 0)
        outcome = self._inner.prepare(engine, replace(job, attempts=job.attempts - waits))
        if getattr(outcome, "retry_in", None) is None:  # (no run of the job follows)
            self._waits.pop(job.id, None)
        return outcome

    def __call__(self, nav: Any, job: Job, inst: ProcessInstance) -> None:
        """Run without :meth:`prepare` (as the engine's own handler can be)."""
        self.prepare(nav.ctx, job)(nav, job, inst)


@dataclass(frozen=True, slots=True)
class _Wait:
    """The first run of a delayed call: the job comes back when the call's time is up."""

    delay: timedelta

    def __call__(self, nav: Any, job: Job, inst: ProcessInstance) -> None:
        nav.step.job_again_at = after(nav.now, self.delay)


# --------------------------------------------------------------------------- one run


@dataclass
class RunOutcome:
    """What one replication left: its engine (the trail), its people and queues."""

    engine: Engine
    process_id: str
    started: datetime
    ended: datetime
    arrived: int
    people: dict[str, Person]
    queues: dict[str, QueueTrack]
    #: work items offered to nobody, still waiting -> the queue (activity) they wait in
    unassigned: dict[str, str]
    #: application ids the run stood in for
    stubbed: tuple[str, ...]
    #: what ended the run before it ran out of work: :data:`HORIZON`, :data:`ENDLESS`, or None
    stopped: str | None = None
    #: the processes the process's subflows call (their steps are reported too)
    called: tuple[str, ...] = ()
    #: (called process, activity) -> its label in the report, where the id repeats one of
    #: another process (``PROCESS/ACTIVITY``)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)


class Run:
    """One replication (see the module notes)."""

    def __init__(
        self,
        bound: Bound,
        *,
        seed: int,
        replication: int,
        instances: int,
        applications: ApplicationRegistry | None = None,
        db_url: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.bound = bound
        self.scenario = scenario = bound.scenario
        self.streams = Streams(seed, replication)
        self.instances = instances
        self.progress = progress
        refused = period_refusal(scenario.start, scenario.horizon)
        if refused is not None:  # (a scenario built in code: a file's is refused when read)
            raise ScenarioError(f"{scenario.source}: {refused}")
        self.clock = VirtualClock(scenario.start)
        directory: Any = bound.organisation or StaticDirectory(bound.members)
        self.registry, self.stubbed = self._registry(applications)
        self.engine = Engine(
            clock=self.clock,
            applications=self.registry,
            directory=directory,
            db_url=db_url,
            limits=timer_limits(scenario.horizon),
        )
        self.chooser = Chooser(bound.branches, self.streams)
        self.engine.split_chooser = self.chooser
        #: outputs drawn so far (people's and stand-ins'), for :class:`EndlessTimers`
        self.outputs_drawn = 0
        #: a stand-in's draw its parameter's type refused (the run stops with it)
        self.bad_answer: ScenarioError | None = None
        self.calls = DelayedCalls(self.engine.job_handlers["invoke"], self._call_seconds)
        self.engine.job_handlers["invoke"] = self.calls
        if db_url is not None and self.engine.instance_summaries(limit=1):
            self.engine.close()
            raise ScenarioError(
                f"{db_url} already holds process instances: a simulation keeps its trail in "
                "a database of its own (name a new one)"
            )
        self.engine.deploy(bound.package)
        #: without a horizon, the watch over loops no case can leave (with one, it ends them)
        self.loops = EndlessLoops(self.engine) if scenario.horizon is None else None
        self._events: list[tuple[datetime, int, str, Any]] = []
        self._seq = itertools.count()
        priorities = {k: w.priority for k, w in bound.activities.items()}
        self.labels = step_labels(bound.package, bound.process) if bound.called else {}
        steps = sequential_steps(bound.package, bound.process)  # (their items wait turns)
        turns = Turns(self.engine.store, steps) if steps else None
        self.staff = Staff(
            self.clock.now,
            self._person,
            (lambda a: priorities.get(a, 0)) if scenario.policy == "priority" else None,
            self._take,
            self._at,
            self._unschedule,
            self._queue_of if self.labels else None,
            turns,
            turns.changed if turns is not None else None,
            self._worker_of,
        )
        self.engine.outbox.subscribe(self.staff, [k.value for k in WATCHED])
        # everyone there is counts in the utilisation, whether work reaches them or not
        people = [p for members in bound.members.values() for p in members]
        if bound.organisation is not None:
            people += [u.id for u in bound.organisation.users]
        for person_id in people:
            self.staff.person(person_id)

    # -- set-up ----------------------------------------------------------------------------

    def _queue_of(self, instance_id: str, activity: str) -> str:
        """The queue a work item of ``activity`` in ``instance_id`` counts in (its label)."""
        if not any(act == activity for _, act in self.labels):
            return activity
        process_id = self.engine.store.instance(instance_id).process_id  # (no snapshot: a read)
        return self.labels.get((process_id, activity), activity)

    def _registry(
        self, given: ApplicationRegistry | None
    ) -> tuple[ApplicationRegistry, tuple[str, ...]]:
        """The run's registry: the host's bindings, stand-ins for the rest; asynchronous
        where the scenario says the call takes time."""
        registry = ApplicationRegistry(sleep=_no_wait)
        stubbed: list[str] = []
        bound = self.bound
        for app_id, activities in bound.tools.items():
            own = bound.applications.get(app_id)
            timed = (own is not None and own.duration is not None) or any(
                bound.activities.get(a, Work()).duration is not None
                for a in activities
                if a in bound.calls  # (a person's activity: the duration is the person's)
            )
            found = given.get(app_id) if given is not None else None
            if found is not None:  # (whole: every setting of the host's binding kept)
                registry.bind(replace(found, asynchronous=bool(timed) or found.asynchronous))
                continue
            stubbed.append(app_id)
            registry.register(
                app_id,
                self._stand_in(app_id),
                asynchronous=bool(timed),
                outputs_optional=True,
            )
        return registry, tuple(sorted(stubbed))

    def _stand_in(self, app_id: str) -> Callable[..., dict[str, Any]]:
        work = self.bound.applications.get(app_id, Work())
        rng = self.streams(f"outputs:{app_id}")
        outputs = work.outputs

        kinds = self.bound.answer_kinds.get(app_id, {})

        def stand_in(**_inputs: Any) -> dict[str, Any]:
            if outputs:
                self.outputs_drawn += 1
            drawn = {name: sample(rng) for name, sample in outputs.items()}
            for name, value in drawn.items():
                why = refusal(value, kinds[name]) if name in kinds else None
                if why is not None and self.bad_answer is None:
                    # every later draw may be refused too (each case an incident): the run
                    # stops naming the output, as for a person's outputs
                    self.bad_answer = ScenarioError(
                        f"{self.scenario.source}: applications.{app_id}.outputs.{name}: drew "
                        f"{value!r}, which parameter {name!r} does not take: {why}"
                    )
            return drawn

        return stand_in

    def _call_seconds(self, payload: Mapping[str, Any], first: bool) -> float:
        """The time the call ``payload`` takes (``first``: the job's first wait, not a
        retry's). A Tool activity's own duration is the whole activity's: its first
        application's first call takes it, the others and the retries none (drawn per call,
        an activity calling two applications took it twice, and a retried call re-waited
        it whole); else each application's, for each call."""
        activity, app_id = payload["activity_id"], payload["application_id"]
        activity = self.labels.get((payload.get("process_id", ""), activity), activity)
        work = self.bound.activities.get(activity) if activity in self.bound.calls else None
        if work is not None and work.duration is not None:
            if not first or int(payload.get("position") or 0) > 0:
                return 0.0
            return work.duration.sample(self.streams(f"duration:{activity}"))
        own = self.bound.applications.get(app_id)
        if own is None or own.duration is None:
            return 0.0
        return own.duration.sample(self.streams(f"duration:{app_id}"))

    def _person(self, person_id: str) -> Person:
        bound = self.bound
        calendar = bound.calendars.get(person_id, self.scenario.calendar)
        groups = bound.groups.get(person_id)
        if groups is None:
            user = None if bound.organisation is None else bound.organisation.user(person_id)
            if user is not None:
                # a unit counts the people of the units below it too, as it offers them its
                # work (and as ``wfengine stats`` counts them): each unit once, nearest first
                above = getattr(bound.organisation, "units_above", None)
                units = [x.id for u in user.units for x in above(u)] if above else user.units
                groups = (
                    *(f"role {r}" for r in user.roles),
                    *(f"unit {u}" for u in dict.fromkeys(units)),
                )
            groups = groups or (person_id,)
        return Person(person_id, calendar, tuple(groups))

    # -- events ----------------------------------------------------------------------------

    def _at(self, when: datetime, kind: str, payload: Any) -> None:
        """Put an event on the queue, keyed by its moment in UTC. Why: Python orders two
        moments of one zone by their wall clock, ignoring ``fold``, so on the night the
        clocks go back a case arriving at 02:10 winter time was taken before one at 02:50
        summer time, 20 real minutes earlier (and the run's figures changed with the
        spelling of its start)."""
        heapq.heappush(self._events, (when.astimezone(UTC), next(self._seq), kind, payload))

    def _unschedule(self, item_id: str) -> None:
        """Take the finish of ``item_id``, withdrawn from its worker, off the queue: the run's
        end checks and its end moment see only what can still happen. (The queue holds about
        one event per person working, so the filter is cheap.)"""
        events = self._events
        kept = [e for e in events if not (e[2] == "finish" and e[3][1] == item_id)]
        if len(kept) != len(events):
            events[:] = kept
            heapq.heapify(events)

    def _worker_of(self, item_id: str) -> str | None:
        """Who works on ``item_id`` now, as the store says (started it), if anyone."""
        try:
            item = self.engine.store.work_item(item_id)
        except NotFoundError:
            return None
        return item.holder if item.state is WorkItemState.STARTED else None

    def _take(self, item_id: str, person: str, activity: str, allocated: bool) -> float | None:
        engine = self.engine
        try:
            if not allocated:
                engine.claim_work_item(item_id, person)
            engine.start_work_item(item_id, person)
        except (IllegalStateError, NotFoundError) as exc:
            self._not_started(item_id, person, activity, exc)
            return None  # withdrawn at this very moment; the outbox has not told it yet
        except NotAuthorizedError:
            # no longer theirs (four eyes narrowed it when the other activity completed; no
            # outbox entry tells that): the others it is offered to take it
            raise NotTheirs(item_id) from None
        work = self.bound.activities.get(activity)
        if work is None or work.duration is None:
            return 0.0
        return work.duration.sample(self.streams(f"duration:{activity}"))

    def _not_started(self, item_id: str, person: str, activity: str, exc: Exception) -> None:
        """``person`` could not take ``item_id``: withdrawn, unless it is still open and
        theirs (claimed, or allocated to them, and its start refused). Then nobody else may
        start it and the case would wait there for ever, silently: the run stops naming it."""
        try:
            item = self.engine.store.work_item(item_id)
        except NotFoundError:
            return
        if item.state.is_open and item.holder == person:
            raise ScenarioError(
                f"{self.scenario.source}: activities.{activity}: {person!r} took work item "
                f"{item_id!r} (it is {item.state.value} to them) but could not start it: "
                f"{exc}. Nobody else may start it, so the run stops rather than leave the "
                "case open (a fault of the simulator: please report it with the definition "
                "and the scenario)"
            ) from None

    def _finish(self, person_id: str, item_id: str, activity: str) -> None:
        person = self.staff.people[person_id]
        if person.working != item_id:
            return  # withdrawn while they worked on it
        if self.loops is not None:
            draws = self.chooser.draws + self.outputs_drawn
            self.loops.check(item_id, draws, self.scenario.source)
        work = self.bound.activities.get(activity)
        data: dict[str, Any] = {}
        if work is not None and work.outputs:
            self.outputs_drawn += 1
            rng = self.streams(f"outputs:{activity}")
            data = {name: sample(rng) for name, sample in work.outputs.items()}
        try:
            self.engine.complete_work_item(item_id, data, user=person_id)
        except (IllegalStateError, NotFoundError, NotAuthorizedError) as exc:
            item = self.engine.store.work_item(item_id)
            if item.state.is_open and item.holder == person_id:
                # refused what they gave (a field their activity may not write, a name the
                # process does not declare): no one else may complete it, the case would
                # wait there for ever, silently
                where = f"activities.{activity}" + (".outputs" if data else "")
                raise ScenarioError(f"{self.scenario.source}: {where}: {exc}") from None
            # the item closed under them (a deadline, a boundary event, cancellation), or
            # went to someone else (an escalation)
        except (DataTypeError, DataNotStorableError) as exc:
            # a draw the field refuses: every later one may be refused too (each case stuck
            # there, silently), so the run stops naming the output
            raise self._refused(activity, data, exc) from None
        self.staff.finished(person)

    def _refused(self, activity: str, data: Mapping[str, Any], exc: Exception) -> ScenarioError:
        """The error for outputs ``data`` of ``activity`` that the engine refused with
        ``exc``, naming the output whose drawn value its field's type does not take."""
        where = f"{self.scenario.source}: activities.{activity}.outputs"
        kinds = self.bound.output_kinds.get(activity, {})
        for name, drawn in data.items():
            why = refusal(drawn, kinds[name]) if name in kinds else None
            if why is not None:
                return ScenarioError(
                    f"{where}.{name}: drew {drawn!r}, which data field {name!r} does not "
                    f"take: {why}"
                )
        return ScenarioError(f"{where}: {exc}")

    def _arrive(self, n: int) -> None:
        rng = self.streams("data")
        data = {name: sample(rng) for name, sample in self.scenario.data.items()}
        try:
            self.engine.start_process(self.bound.process.id, data)
        except WorkflowError as exc:
            raise ScenarioError(
                f"{self.scenario.source}: case {n + 1} could not start: {exc}"
            ) from None

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> RunOutcome:
        """Run to the end (see the module notes).

        The memory store keeps every case, so the garbage collector would scan more with each
        one (40% of a long run's time): every :data:`FREEZE_EVERY` cases the objects made so
        far are moved out of its reach (``gc.freeze``) and given back when the run ends,
        unless the host freezes objects itself (then this leaves the collector alone).
        """
        freezing = gc.get_freeze_count() == 0
        try:
            return self._run(freezing)
        except MomentPastTheClock as exc:  # one the run names where it computes it
            raise self._past_the_clock(exc.what) from None
        except OverflowError:  # a moment computed past datetime.max: an arrival, a finish
            raise self._past_the_clock("the next arrival or a step's end") from None
        finally:
            if freezing:
                gc.unfreeze()

    def _past_the_clock(self, what: str) -> ScenarioError:
        """The error for ``what`` falling past the end of the engine's time."""
        return past_the_clock(self.scenario.source, self.clock.now(), what)

    def _first_event(self) -> str:
        """What the first event of the queue is, as a message names it."""
        _, _, kind, payload = self._events[0]
        if kind == "arrive":
            return f"case {payload + 1}'s arrival"
        if kind == "finish":
            return f"the end of {payload[0]}'s work on activity {payload[2]!r}"
        return f"the next opening of {payload}'s calendar"

    def _run(self, freezing: bool) -> RunOutcome:
        scenario = self.scenario
        engine = self.engine
        arrivals = scenario.arrivals.moments(
            self.streams("arrivals"), scenario.start, self.instances
        )
        started = self.clock.now()
        end = (  # (every moment the loop compares is in UTC: see _at)
            None
            if scenario.horizon is None
            else after(started, timedelta(seconds=scenario.horizon)).astimezone(UTC)
        )
        first = next(arrivals, None)
        if first is not None:
            self._at(first, "arrive", 0)
        arrived = 0
        stopped: str | None = None
        events = self._events
        last_arrived = first is None
        endless = EndlessTimers(engine.store)
        calls = self.calls
        while True:
            due = engine.next_due_at()
            if due is not None:
                due = due.astimezone(UTC)
            when = events[0][0] if events else None
            if due is not None and (when is None or due < when):
                when = due
            if when is None:
                break  # nothing more can happen (its period still goes to a horizon: below)
            if (
                last_arrived
                and end is None  # (with a horizon, the run goes on to it)
                and due is not None
                and not self.staff.busy()
                and not self.staff.waiting()
                and all(event[2] == "wake" for event in events)
                and endless.settled(self.clock.now(), self.chooser.draws + self.outputs_drawn)
            ):
                stopped = ENDLESS  # only timers that re-arm for ever: see simulation.steady
                break
            if (
                due is None
                and not self.staff.waiting()
                and all(event[2] == "wake" for event in events)
            ):
                # only people's calendars opening are left, with no work for anyone: the
                # run is over (it ran on to the next opening, an idle weekend in the figures)
                break
            if end is not None and when > end:
                stopped = HORIZON
                break
            if past_the_end(when):  # (an event: the engine's jobs fall due before the end)
                raise self._past_the_clock(self._first_event())
            if when > self.clock.now():
                self.clock.set(when)  # the engine fires the timers that became due
            if due is not None and due <= when:
                while engine.run_due_jobs(limit=10_000, deliver=False):
                    pass
                if calls.past_the_clock is not None:
                    raise self._past_the_clock(
                        f"the end of activity {calls.past_the_clock!r}'s application call"
                    )
            while events and events[0][0] <= when:
                _, _, kind, payload = heapq.heappop(events)
                if kind == "arrive":
                    self._arrive(payload)
                    arrived += 1
                    if freezing and arrived % FREEZE_EVERY == 0:
                        gc.freeze()
                    if self.progress is not None:
                        self.progress(arrived)
                    following = next(arrivals, None)
                    if following is not None:
                        self._at(max(following, when), "arrive", payload + 1)
                    else:
                        last_arrived = True
                elif kind == "finish":
                    person_id, item_id, activity, _ = payload
                    self._finish(person_id, item_id, activity)
                elif kind == "wake":
                    self.staff.woke(payload)
            engine.deliver_outbox()
            self.staff.dispatch()
            if self.bad_answer is not None:
                raise self.bad_answer
        if self.bad_answer is not None:
            raise self.bad_answer
        if end is not None and end > self.clock.now():
            # with a horizon the period is start..horizon whatever ended the run (as for
            # throughput): the clock goes there (nothing falls due before it), so utilisation
            # and queues count the quiet time up to it in a run that ran out of work sooner too
            self.clock.set(end)
        ended = self.clock.now()
        self.staff.close(ended)
        return RunOutcome(
            engine,
            self.bound.process.id,
            started,
            ended,
            arrived,
            self.staff.people,
            self.staff.queues,
            self.staff.unassigned,
            self.stubbed,
            stopped,
            self.bound.called,
            self.labels,
        )
