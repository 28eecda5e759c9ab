"""Running a scenario: replications of one variant (:func:`simulate`), two variants side by
side (:func:`compare`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wfengine.applications.registry import ApplicationRegistry
from wfengine.audit.metrics import process_metrics
from wfengine.definition.model import Package
from wfengine.simulation.binding import bind
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
) -> SimulationReport:
    """Run ``scenario`` on ``definition`` (a package, or an XPDL file) on the real engine.

    ``instances`` overrides the scenario's count; ``seed`` and the replication number seed
    every random stream (the same seed gives the same report); ``applications``: the host's
    bindings (the rest are stand-ins); ``db_url``: run the first replication on this database
    and keep its trail (the others run in memory). Raises
    :class:`~wfengine.simulation.distributions.ScenarioError` for a scenario that does not
    fit the definition, before anything runs.
    """
    package = _package(definition)
    scn = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
    if replications < 1:
        raise ValueError("replications: at least 1")
    bound = bind(scn, package, process_id)
    count = scn.instances if instances is None else instances
    runs: list[Replication] = []
    stubbed: tuple[str, ...] = ()
    for n in range(replications):

        def told(arrived: int, n: int = n) -> None:
            if progress is not None:
                progress(n, arrived)

        run = Run(
            bound,
            seed=seed,
            replication=n,
            instances=count,
            applications=applications,
            db_url=db_url if n == 0 else None,
            progress=told,
        )
        outcome = run.run()
        try:
            runs.append(_replication(outcome))
        finally:
            outcome.engine.close()
        stubbed = outcome.stubbed
    return SimulationReport(scn.name, bound.process.id, seed, count, tuple(runs), stubbed)


def compare(
    a: tuple[Package | str | Path, Scenario | str | Path],
    b: tuple[Package | str | Path, Scenario | str | Path],
    **options: object,
) -> Comparison:
    """Run two variants (definition, scenario) with the same seed, so on the same arrivals
    and random streams, and pair their figures (see :func:`simulate` for ``options``)."""
    first = simulate(*a, **options)  # type: ignore[arg-type]
    options = {k: v for k, v in options.items() if k != "db_url"}
    second = simulate(*b, **options)  # type: ignore[arg-type]
    return Comparison(first, second)


def _package(definition: Package | str | Path) -> Package:
    if isinstance(definition, Package):
        return definition
    from wfengine.definition.io import load_xpdl

    return load_xpdl(str(definition), schema=False)


def _replication(outcome: RunOutcome) -> Replication:
    metrics = process_metrics(outcome.engine, outcome.process_id)
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
        outcome.unassigned,
        groups,
        queues,
        tuple((i.activity_id or "-", i.message) for i in incidents[:FIRST_INCIDENTS]),
        len(incidents),
    )
