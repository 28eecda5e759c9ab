"""Running a scenario: replications of one variant (:func:`simulate`), two variants side by
side (:func:`compare`)."""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from wfengine.applications.registry import ApplicationRegistry
from wfengine.audit.metrics import process_metrics
from wfengine.audit.trail_clock import keep_stopped_clock
from wfengine.definition.model import Package
from wfengine.simulation.binding import Bound, bind
from wfengine.simulation.distributions import ScenarioError
from wfengine.simulation.report import (
    Comparison,
    GroupUse,
    Replication,
    SimulationReport,
    queue_figures,
)
from wfengine.simulation.scenario import Scenario
from wfengine.simulation.simulator import Run, RunOutcome

#: open incidents a report quotes
FIRST_INCIDENTS = 3
#: told (replications done, cases arrived in the current one) as a simulation goes
Progress = Callable[[int, int], None]


def simulate(
    definition: Package | str | Path,
    scenario: Scenario | str | Path,
    *,
    process_id: str | None = None,
    instances: int | None = None,
    seed: int = 1,
    replications: int = 1,
    applications: ApplicationRegistry | None = None,
    db_url: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> SimulationReport:
    """Run ``scenario`` on ``definition`` (a package, or an XPDL file) on the real engine.

    ``instances`` overrides the scenario's count; ``seed`` and the replication number seed
    every random stream (the same seed gives the same report); ``applications``: the host's
    bindings (the rest are stand-ins); ``db_url``: run the first replication on this database
    and keep its trail (the others run in memory); ``jobs``: run replications in that many
    worker processes at once (forked, so they share the scenario and the bindings as they
    are; the report is the same as with one). Raises
    :class:`~wfengine.simulation.distributions.ScenarioError` for a scenario that does not
    fit the definition, before anything runs.
    """
    scn, bound = _bind(definition, scenario, process_id)
    return _simulate(
        scn,
        bound,
        instances=instances,
        seed=seed,
        replications=replications,
        applications=applications,
        db_url=db_url,
        progress=progress,
        jobs=jobs,
    )


def _bind(
    definition: Package | str | Path, scenario: Scenario | str | Path, process_id: str | None
) -> tuple[Scenario, Bound]:
    """The scenario read against the definition (errors located in the scenario file)."""
    package = _package(definition)
    scn = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
    try:
        return scn, bind(scn, package, process_id)
    except ScenarioError as exc:
        raise scn.located(exc) from None


def _simulate(
    scn: Scenario,
    bound: Bound,
    *,
    instances: int | None = None,
    seed: int = 1,
    replications: int = 1,
    applications: ApplicationRegistry | None = None,
    db_url: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> SimulationReport:
    """:func:`simulate` of a bound scenario."""
    if replications < 1:
        raise ValueError("replications: at least 1")
    if jobs < 1:
        raise ValueError("jobs: at least 1")
    count = scn.instances if instances is None else instances
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        # (as the scenario's key is: a negative count ran no case, silently)
        raise ValueError(f"instances: a whole number >= 0, not {count!r}")
    plan = _Plan(bound, seed, count, applications, db_url, progress)
    results: dict[int, tuple[Replication, tuple[str, ...]]] = {}
    parallel = jobs > 1 and replications > 1 and _FORK in mp.get_all_start_methods()
    if not parallel:
        for n in range(replications):
            results[n] = plan.replicate(n)
    else:
        if db_url is not None:  # the database's replication runs here
            results[0] = plan.replicate(0)
        _PLANS[id(plan)] = plan
        try:
            with ProcessPoolExecutor(
                max_workers=min(jobs, replications), mp_context=mp.get_context(_FORK)
            ) as pool:
                started = {
                    pool.submit(_replicate_forked, id(plan), n): n
                    for n in range(replications)
                    if n not in results
                }
                for future in as_completed(started):
                    results[started[future]] = future.result()
                    if progress is not None:
                        progress(len(results), 0)
        finally:
            del _PLANS[id(plan)]
    runs = tuple(results[n][0] for n in range(replications))
    stubbed = results[replications - 1][1]
    return SimulationReport(scn.name, bound.process.id, seed, count, runs, stubbed)


_FORK = "fork"
#: plans of the simulations running replications in worker processes, by id: a forked worker
#: finds its plan here (the scenario's samplers are closures, which cannot be pickled)
_PLANS: dict[int, _Plan] = {}


@dataclass(frozen=True)
class _Plan:
    """What every replication of one simulation shares."""

    bound: Bound
    seed: int
    count: int
    applications: ApplicationRegistry | None
    db_url: str | None
    progress: Progress | None

    def replicate(self, n: int) -> tuple[Replication, tuple[str, ...]]:
        """Run replication ``n``: its figures, and the applications it stood in for."""
        progress = self.progress

        def told(arrived: int) -> None:
            if progress is not None:
                progress(n, arrived)

        run = Run(
            self.bound,
            seed=self.seed,
            replication=n,
            instances=self.count,
            applications=self.applications,
            db_url=self.db_url if n == 0 else None,
            progress=told,
        )
        outcome = run.run()
        try:
            if n == 0 and self.db_url is not None:  # (its trail is measured at its end)
                keep_stopped_clock(outcome.engine, outcome.ended)
            return _replication(outcome, self.bound.scenario.horizon), outcome.stubbed
        finally:
            outcome.engine.close()


def _replicate_forked(plan_id: int, n: int) -> tuple[Replication, tuple[str, ...]]:
    """In a worker process: replication ``n`` of the plan the parent registered (no progress
    from here: the parent tells it as replications finish)."""
    plan = _PLANS[plan_id]
    return dataclasses.replace(plan, progress=None, db_url=None).replicate(n)


class VariantError(ScenarioError):
    """A scenario error of one variant of a :func:`compare` (``variant``: ``"a"`` or
    ``"b"``), said to be that variant's: the other runs on another definition or scenario, and
    the error may name a file both share (B's definition against A's scenario)."""

    def __init__(self, variant: str, reason: str) -> None:
        super().__init__(f"variant {variant}: {reason}")
        self.variant = variant
        self.reason = reason


def compare(
    a: tuple[Package | str | Path, Scenario | str | Path],
    b: tuple[Package | str | Path, Scenario | str | Path],
    **options: object,
) -> Comparison:
    """Run two variants (definition, scenario) with the same seed, so on the same arrivals
    and random streams, and pair their figures (see :func:`simulate` for ``options``). Both
    are read against their definitions before either runs: an error of the second is a
    :class:`VariantError` (``variant == "b"``). Both run as many cases: ``instances``, else
    the first scenario's count."""
    process_id = options.pop("process_id", None)
    if process_id is not None and not isinstance(process_id, str):
        raise TypeError(f"process_id: a process id (text), not {process_id!r}")
    first = _bind(*a, process_id)
    try:
        second = _bind(*b, process_id)
    except ScenarioError as exc:
        raise VariantError("b", str(exc)) from None
    if options.get("instances") is None:
        # the same cases in both (a second scenario's own count would pair 100 with 50)
        options["instances"] = first[0].instances
    report_a = _simulate(*first, **options)  # type: ignore[arg-type]
    options = {k: v for k, v in options.items() if k != "db_url"}
    report_b = _simulate(*second, **options)  # type: ignore[arg-type]
    return Comparison(report_a, report_b)


def _package(definition: Package | str | Path) -> Package:
    if isinstance(definition, Package):
        return definition
    from wfengine.definition.io import load_xpdl

    return load_xpdl(str(definition), schema=False)


def _replication(outcome: RunOutcome, horizon: float | None) -> Replication:
    """The figures of one run; ``horizon``: the scenario's, in seconds (None: none)."""
    metrics = process_metrics(outcome.engine, outcome.process_id)
    if horizon is not None:
        # with a horizon, the cases completed per day of the simulated period, start to
        # horizon, whatever ended the run: not first start..last completion (a week with its
        # quiet weekend read as five days of work, and a horizon in which nothing completed
        # as "-" rather than 0), and the same period for every replication and variant (one
        # that ran out of work early divided by its own shorter span, so a variant with one
        # unfinishable case more showed half the throughput of the same completions)
        days = horizon / 86400
        throughput = metrics.completed / days if days > 0 else None
        metrics = dataclasses.replace(metrics, throughput_per_day=throughput)
    if outcome.called:  # the called processes' steps are the run's work too
        rows = list(metrics.activities)
        for process_id in outcome.called:
            # a step whose id another process uses too is told apart (PROCESS/ACTIVITY)
            rows.extend(
                dataclasses.replace(
                    row,
                    activity_id=outcome.labels.get((process_id, row.activity_id), row.activity_id),
                )
                for row in process_metrics(outcome.engine, process_id).activities
            )
        metrics = dataclasses.replace(metrics, activities=tuple(rows))
    sums: dict[str, list[float]] = {}
    for person in outcome.people.values():
        available = person.calendar.open_seconds(outcome.started, outcome.ended)
        for group in person.groups:
            row = sums.setdefault(group, [0, 0.0, 0.0])
            row[0] += 1
            row[1] += person.busy_seconds
            row[2] += available
    groups = {g: GroupUse(int(n), busy, free) for g, (n, busy, free) in sums.items()}
    queues = {
        act: queue_figures(q.changes, q.area, q.peak, outcome.started, outcome.ended)
        for act, q in outcome.queues.items()
    }
    incidents = [i for i in outcome.engine.incidents() if not i.resolved]
    return Replication(
        metrics,
        outcome.started,
        outcome.ended,
        outcome.arrived,
        len(outcome.unassigned),
        groups,
        queues,
        tuple((i.activity_id or "-", i.message) for i in incidents[:FIRST_INCIDENTS]),
        len(incidents),
        outcome.stopped,
        tuple(sorted(set(outcome.unassigned.values()))),
    )
