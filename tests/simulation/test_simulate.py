"""simulate() and compare() on the real engine: reproducibility, what each scenario key does
to the run, and what the report says."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.simulation.helpers import chain, decision, scenario, single_server

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.simulation import Scenario, ScenarioError, compare, simulate

SERVE = {"serve": {"duration": {"exponential": "6m"}}}


def test_the_same_seed_gives_the_same_report_and_another_seed_another() -> None:
    scn = scenario(activities=SERVE)
    one = simulate(single_server(), scn, instances=200, seed=5).as_dict()
    again = simulate(single_server(), scn, instances=200, seed=5).as_dict()
    other = simulate(single_server(), scn, instances=200, seed=6).as_dict()
    assert one == again
    assert one["summary"] != other["summary"]


def test_replications_give_confidence_intervals_that_cover_their_values() -> None:
    report = simulate(
        single_server(), scenario(activities=SERVE), instances=200, replications=4, seed=2
    )
    waiting = report.activities["serve"].waiting
    assert len(waiting.values) == 4
    assert len(set(waiting.values)) == 4  # independent runs differ
    assert waiting.half_width is not None and waiting.half_width > 0
    assert waiting.mean == pytest.approx(sum(waiting.values) / 4)
    single = simulate(single_server(), scenario(activities=SERVE), instances=50)
    assert single.activities["serve"].waiting.half_width is None


def test_durations_are_the_processing_times_in_the_trail() -> None:
    scn = scenario(
        arrivals={"every": "10m"},
        activities={"serve": {"duration": "4m"}},
    )
    report = simulate(single_server(), scn, instances=30)
    serve = report.activities["serve"]
    assert serve.processing.mean == pytest.approx(240.0)
    assert serve.waiting.mean == 0  # one arrives every 10 minutes, each takes 4
    first = report.replications[0]
    use = first.groups["server"]
    assert use.busy_seconds == pytest.approx(30 * 240.0)
    assert report.replications[0].metrics.completed == 30


def test_people_per_participant_set_the_capacity() -> None:
    def waiting(servers: int) -> float:
        scn = scenario(
            arrivals={"every": "1m"},
            activities={"serve": {"duration": "3m"}},
            resources={"server": servers},
        )
        mean = simulate(single_server(), scn, instances=60).activities["serve"].waiting.mean
        assert mean is not None
        return mean

    assert waiting(3) == 0  # three people, one case a minute, three minutes each
    assert waiting(1) > 60 * 20  # one person falls further behind with every case
    report = simulate(
        single_server(),
        scenario(
            arrivals={"every": "1m"},
            activities={"serve": {"duration": "3m"}},
            resources={"server": 3},
        ),
        instances=60,
    )
    people = {p for r in report.replications for p in (u.user for u in r.metrics.users)}
    assert people == {"server-1", "server-2", "server-3"}
    assert report.replications[0].groups["server"].people == 3


def test_branch_probabilities_decide_the_split_instead_of_its_conditions() -> None:
    scn = scenario(branches={"check": {"approve": 0.25, "large": 0.75}})  # target or Id
    report = simulate(decision(), scn, instances=800, seed=3)
    counts = {a: s.count.mean for a, s in report.activities.items()}
    assert counts["check"] == 800
    assert counts["approve"] + counts["reject"] == 800
    assert counts["approve"] / 800 == pytest.approx(0.25, abs=0.05)
    # without branches the condition decides: every amount is 0 -> approve
    plain = simulate(decision(), scenario(), instances=50)
    assert plain.activities["approve"].count.mean == 50
    assert "reject" not in plain.activities


def test_data_generators_feed_the_conditions() -> None:
    scn = scenario(data={"amount": {"choice": {50: 1, 500: 3}}})
    report = simulate(decision(), scn, instances=800, seed=4)
    approve = report.activities["approve"].count.mean
    assert approve is not None and approve / 800 == pytest.approx(0.25, abs=0.05)


def test_outputs_are_what_people_write_on_completing() -> None:
    pb = PackageBuilder("out")
    p = pb.process("out")
    p.data_field("ok", "BOOLEAN", initial="false")
    p.activity("review", performer="clerk", writes=["ok"]).activity("yes").activity("no")
    p.transition("review", "yes", condition="ok").transition("review", "no", otherwise=True)
    scn = scenario(activities={"review": {"outputs": {"ok": {"bernoulli": 0.5}}}})
    report = simulate(pb.build(), scn, instances=400, seed=9)
    yes = report.activities["yes"].count.mean
    assert yes is not None and yes / 400 == pytest.approx(0.5, abs=0.08)


def _tool_process() -> PackageBuilder:
    pb = PackageBuilder("tools")
    p = pb.process("tools")
    p.data_field("score", "INTEGER", initial="0")
    p.application("rate", params=[("score", "OUT", "INTEGER")])
    p.activity("rate_it", tool="rate", args=["score"]).activity("high").activity("low")
    p.transition("rate_it", "high", condition="score > 500")
    p.transition("rate_it", "low", otherwise=True)
    return pb


def test_unbound_applications_are_timed_stand_ins_answering_the_scenarios_outputs() -> None:
    scn = scenario(
        applications={"rate": {"duration": "30s", "outputs": {"score": 900}}},
    )
    report = simulate(_tool_process().build(), scn, instances=20)
    assert report.stubbed == ("rate",)
    assert report.activities["rate_it"].processing.mean == pytest.approx(30.0)
    assert report.activities["high"].count.mean == 20


def test_bound_applications_run_for_real_and_take_their_activitys_duration() -> None:
    calls: list[int] = []
    registry = ApplicationRegistry()

    @registry.register("rate")
    def rate() -> dict[str, int]:
        calls.append(1)
        return {"score": 100}

    scn = scenario(activities={"rate_it": {"duration": "2m"}})
    report = simulate(_tool_process().build(), scn, instances=10, applications=registry)
    assert report.stubbed == ()
    assert len(calls) == 10
    assert report.activities["low"].count.mean == 10
    assert report.activities["rate_it"].processing.mean == pytest.approx(120.0)


def test_a_working_calendar_holds_work_outside_working_hours() -> None:
    office = {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-17:00"]}
    scn = scenario(
        start="2027-01-08T16:00:00Z",  # a Friday
        arrivals={"at": ["2027-01-08T16:50:00Z", "2027-01-09T11:00:00Z"]},
        activities={"serve": {"duration": "30m"}},
        calendars={"office": office},
        calendar="office",
    )
    report = simulate(single_server(), scn, instances=2, db_url=None)
    engine_report = report.replications[0]
    # the first: 10 minutes on Friday, the other 20 on Monday from 09:00
    assert engine_report.ended == datetime(2027, 1, 11, 9, 50, tzinfo=UTC)
    serve = report.activities["serve"]
    # the Saturday case waited until Monday 09:20, when the person finished the first one
    assert serve.waiting.values == pytest.approx(((0 + (46 * 3600 + 20 * 60)) / 2,))
    assert engine_report.groups["server"].busy_seconds == pytest.approx(3600.0)


def test_the_run_ends_with_its_work_not_at_the_next_opening() -> None:
    # the last case done at closing time left a wake-up for the next opening (Monday 09:00):
    # the run went on to it, and the time-averaged figures were spread over the weekend
    office = {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-12:00"]}
    scn = scenario(
        start="2027-01-08T00:00:00Z",  # a Friday
        arrivals={"at": ["2027-01-08T10:00:00Z", "2027-01-08T10:30:00Z"]},
        activities={"serve": {"duration": "1h"}},
        calendars={"office": office},
        calendar="office",
    )
    report = simulate(single_server(), scn, db_url=None)
    assert report.replications[0].ended == datetime(2027, 1, 8, 12, 0, tzinfo=UTC)
    assert report.text().startswith(
        "Simulation 'test' of process queue: 2 instances (the arrivals ended before 100)"
    )


def test_work_items_withdrawn_under_a_person_free_them() -> None:
    pb = PackageBuilder("late")
    p = pb.process("late")
    p.activity("serve", performer="server", deadlines=[("PT10M", "late")])
    p.activity("escalated").transition("serve", "escalated", exception="late")
    scn = scenario(arrivals={"every": "1m"}, activities={"serve": {"duration": "15m"}})
    report = simulate(pb.build(), scn, instances=5)
    # every case's deadline (10 minutes) ends its work before the person's 15 minutes do
    assert report.activities["escalated"].count.mean == 5
    assert report.replications[0].metrics.work_in_progress == 0


def test_priority_policy_takes_the_higher_priority_first() -> None:
    pb = PackageBuilder("prio")
    p = pb.process("prio")
    p.activity("triage").activity("routine", performer="clerk")
    p.activity("urgent", performer="clerk")
    p.data_field("n", "INTEGER", initial="0")
    p.transition("triage", "urgent", condition="n == 1").transition(
        "triage", "routine", otherwise=True
    )
    base = {
        "arrivals": {"every": "1m"},
        "data": {"n": {"choice": [0, 1]}},
        "activities": {"routine": {"duration": "3m"}, "urgent": {"duration": "3m", "priority": 5}},
    }
    fifo = simulate(pb.build(), scenario(**base), instances=60, seed=1)
    prio = simulate(pb.build(), scenario(**base, policy="priority"), instances=60, seed=1)

    def wait(report: object, act: str) -> float:
        value = report.activities[act].waiting.mean  # type: ignore[attr-defined]
        assert value is not None
        return float(value)

    assert wait(prio, "urgent") < wait(fifo, "urgent") / 3
    assert wait(prio, "routine") > wait(fifo, "routine")


def test_queues_are_tracked_over_time() -> None:
    scn = scenario(arrivals={"every": "1m"}, activities={"serve": {"duration": "2m"}})
    report = simulate(single_server(), scn, instances=30)
    queue = report.replications[0].queues["serve"]
    # one a minute, one served every two: when the 30th arrives (minute 29), 14 are done
    # and one is in hand
    assert queue.peak == 15
    assert 0 < queue.mean < queue.peak
    assert len(queue.series) == 101 and queue.series[0] == (0.0, 0)
    assert max(n for _, n in queue.series) <= queue.peak


def test_db_url_keeps_the_first_replications_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    simulate(single_server(), scenario(activities=SERVE), instances=25, replications=2, db_url=url)
    engine = Engine.from_url(url)
    try:
        assert len(engine.instances()) == 25
        assert engine.audit_events(kind="work_item.completed")
    finally:
        engine.close()


def test_compare_runs_both_variants_on_the_same_arrivals() -> None:
    two = scenario(activities=SERVE, resources={"server": 1})
    three = scenario(activities=SERVE, resources={"server": 2}, name="two servers")
    result = compare((single_server(), two), (single_server(), three), instances=300, seed=8)
    a, b = result.a.replications[0], result.b.replications[0]
    assert a.metrics.started == b.metrics.started == 300
    assert a.ended != b.ended or a.metrics.cycle_time != b.metrics.cycle_time
    rows = {name: (x, y, d) for name, x, y, d in result.rows()}
    x, y, d = rows["serve waiting"]
    assert x.mean is not None and y.mean is not None and d.mean == pytest.approx(y.mean - x.mean)
    assert y.mean < x.mean  # a second person shortens the wait
    assert "server utilisation" in rows
    text = result.text()
    assert "serve waiting" in text and "two servers" in text
    assert set(result.as_dict()) == {"a", "b", "differences"}


def test_report_text_and_json_shape() -> None:
    steps = {f"step{n}": {"duration": {"exponential": "5m"}} for n in (1, 2, 3)}
    report = simulate(chain(3), scenario(activities=steps), instances=20)
    text = report.text()
    assert "step1" in text and "clerk" in text and "utilisation" in text
    data = report.as_dict()
    assert set(data) == {
        "name",
        "process_id",
        "seed",
        "instances",
        "replications",
        "stubbed",
        "summary",
        "runs",
    }
    assert set(data["summary"]) == {
        "completed",
        "cycle_time_mean",
        "throughput_per_day",
        "activities",
        "utilisation",
    }
    run = data["runs"][0]
    assert {"metrics", "utilisation", "queues", "incidents", "unassigned"} <= set(run)


def test_incidents_are_reported() -> None:
    pb = _tool_process()
    registry = ApplicationRegistry()

    @registry.register("rate")
    def rate() -> dict[str, int]:
        raise RuntimeError("the rating service is down")

    report = simulate(pb.build(), scenario(), instances=3, applications=registry)
    first = report.replications[0]
    assert first.incident_count == 3
    assert "rating service is down" in first.incidents[0][1]
    assert "3 open incident(s)" in report.text()


def test_a_scenario_that_does_not_fit_is_refused_before_anything_runs() -> None:
    with pytest.raises(ScenarioError, match=r"activities\.nope: the process has no such"):
        simulate(single_server(), scenario(activities={"nope": {"duration": "1m"}}))
    with pytest.raises(ScenarioError, match=r"branches\.check\.maybe: no transition"):
        simulate(decision(), scenario(branches={"check": {"maybe": 1}}))
    with pytest.raises(ScenarioError, match=r"branches\.approve: the activity has 0 way"):
        simulate(decision(), scenario(branches={"approve": {"x": 1}}))
    # an exclusive split's figures that do not add up were rescaled silently (0.5 and 0.2 ran
    # as 71% and 29%), and a way left out was never taken
    for ways, total in (({"approve": 0.5, "large": 0.2}, "0.7"), ({"approve": 0.5}, "0.5")):
        with pytest.raises(ScenarioError, match=rf"branches\.check: .* add up to {total} "):
            simulate(decision(), scenario(branches={"check": ways}))
    with pytest.raises(ScenarioError, match=r"resources\.cook: no activity .* performed by"):
        simulate(single_server(), scenario(resources={"cook": 2}))
    with pytest.raises(ScenarioError, match=r"applications\.ghost: the process has no such"):
        simulate(_tool_process().build(), scenario(applications={"ghost": "1s"}))
    with pytest.raises(ScenarioError, match="process: package 'queue' has no process 'x'"):
        simulate(single_server(), scenario(process="x"))
    with pytest.raises(ScenarioError, match=r"data\.amont: the process declares no such"):
        simulate(decision(), scenario(data={"amont": 5}), instances=1)


def _read_only_review() -> Package:
    """A review whose person may write only ``ok`` (not ``other``, which the process declares:
    an undeclared name is refused before the run, tests/simulation/test_undeclared_outputs_r10)."""
    pb = PackageBuilder("ro")
    p = pb.process("ro")
    p.data_field("ok", "BOOLEAN", initial="false").data_field("other", "INTEGER", initial="0")
    p.activity("review", performer="clerk", writes=["ok"])
    return pb.build()


def test_outputs_a_person_may_not_write_are_a_scenario_error() -> None:
    scn = scenario(activities={"review": {"outputs": {"other": 1}}})
    with pytest.raises(ScenarioError, match=r"activities\.review\.outputs: .*may not write"):
        simulate(_read_only_review(), scn, instances=1)


def test_organisation_people_are_the_resources(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(
        "users:\n"
        "  - {id: ann, roles: [server]}\n"
        "  - {id: bob, roles: [server], units: [desk]}\n"
        "roles:\n  - {id: server}\nunits:\n  - {id: desk}\n",
        encoding="utf-8",
    )
    scn = scenario(activities=SERVE, organisation="org.yaml")
    scn = type(scn).from_data(
        {"arrivals": {"poisson": "10/h"}, "activities": SERVE, "organisation": "org.yaml"},
        base=tmp_path,
    )
    report = simulate(single_server(), scn, instances=100)
    groups = report.replications[0].groups
    assert groups["role server"].people == 2
    assert groups["unit desk"].people == 1
    users = {u.user for u in report.replications[0].metrics.users}
    assert users == {"ann", "bob"}
    with pytest.raises(ScenarioError, match="resources or organisation"):
        simulate(
            single_server(),
            type(scn).from_data(
                {
                    "arrivals": {"every": "1m"},
                    "organisation": "org.yaml",
                    "resources": {"server": 1},
                },
                base=tmp_path,
            ),
        )


def test_a_database_that_holds_instances_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    simulate(single_server(), scenario(), instances=3, db_url=url)
    with pytest.raises(ScenarioError, match="already holds process instances"):
        simulate(single_server(), scenario(), instances=3, db_url=url)


def test_people_nobody_gave_work_count_in_the_utilisation() -> None:
    scn = scenario(
        arrivals={"every": "1h"}, activities={"serve": {"duration": "30m"}}, resources={"server": 4}
    )
    first = simulate(single_server(), scn, instances=10).replications[0]
    use = first.groups["server"]
    assert use.people == 4
    assert use.busy_seconds == pytest.approx(10 * 1800.0)
    assert use.share == pytest.approx(use.busy_seconds / use.available_seconds)
    assert use.available_seconds == pytest.approx(4 * (first.ended - first.started).total_seconds())


def test_no_instances_is_an_empty_report() -> None:
    report = simulate(single_server(), scenario(), instances=0)
    assert report.completed.mean == 0
    assert "completed      0" in report.text()


def test_a_run_gives_the_garbage_collector_back_what_it_froze(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    assert gc.get_freeze_count() == 0
    simulate(single_server(), scenario(activities=SERVE), instances=2500)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a host that freezes objects itself is left alone
    try:
        # counted by calls, not by gc.get_freeze_count(): a frozen object freed meanwhile (a
        # cache entry evicted) lowers that count without anyone unfreezing
        calls: list[str] = []
        monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
        monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        simulate(single_server(), scenario(activities=SERVE), instances=1500)
        assert calls == []
        monkeypatch.undo()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_empirical_durations_come_from_a_real_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    # a "real" history: every serve took exactly 7 or 13 minutes, alternately
    simulate(
        single_server(),
        scenario(
            arrivals={"every": "1h"},
            activities={"serve": {"duration": {"empirical": ["7m", "13m"]}}},
        ),
        instances=40,
        db_url=url,
    )
    what_if = Scenario.from_data(
        {
            "arrivals": {"every": "30m"},
            "activities": {"serve": {"duration": {"empirical": "trail"}}},
            "trail": url,
        }
    )
    report = simulate(single_server(), what_if, instances=60, seed=2)
    processing = report.activities["serve"].processing
    assert processing.mean == pytest.approx(600.0, rel=0.15)
    # each case took one of the trail's two durations
    first = report.replications[0]
    assert first.metrics.activities[0].processing.p95 in (420.0, 780.0)
    bad = Scenario.from_data(
        {"arrivals": {"every": "1m"}, "activities": {"serve": {"duration": {"empirical": "trail"}}}}
    )
    with pytest.raises(ScenarioError, match="'trail' needs the scenario's trail"):
        simulate(single_server(), bad, instances=1)


def test_replications_in_worker_processes_give_the_same_report() -> None:
    scn = scenario(activities=SERVE, resources={"server": 2})
    alone = simulate(single_server(), scn, instances=150, replications=3, seed=4)
    told: list[tuple[int, int]] = []
    forked = simulate(
        single_server(),
        scn,
        instances=150,
        replications=3,
        seed=4,
        jobs=2,
        progress=lambda r, n: told.append((r, n)),
    )
    assert forked.as_dict() == alone.as_dict()
    assert told and max(r for r, _ in told) == 3  # told as each replication finished
    with pytest.raises(ValueError, match="jobs"):
        simulate(single_server(), scn, instances=1, jobs=0)


def test_a_scenario_error_in_a_worker_process_reaches_the_caller() -> None:
    scn = scenario(activities={"review": {"outputs": {"other": 1}}})
    with pytest.raises(ScenarioError, match=r"activities\.review\.outputs: .*may not write"):
        simulate(_read_only_review(), scn, instances=2, replications=2, jobs=2)


def test_an_inclusive_split_takes_each_way_with_its_probability() -> None:
    pb = PackageBuilder("or")
    p = pb.process("or")
    p.route("split", gateway="Inclusive").route("join", gateway="Inclusive")
    p.activity("a").activity("b").activity("done")
    p.transition("split", "a", condition="true", id="to_a")
    p.transition("split", "b", condition="true", id="to_b")
    p.transition("a", "join").transition("b", "join").transition("join", "done")
    report = simulate(
        pb.build(), scenario(branches={"split": {"a": 0.5, "b": 0.5}}), instances=800, seed=5
    )
    counts = {k: v.count.mean or 0 for k, v in report.activities.items()}
    assert counts["done"] == 800  # the OR-join waits for the ways taken, and only those
    # each way alone with 1/4 and both with 1/4; none drawn (1/4) is drawn again: each way
    # in 0.5 / 0.75 of the cases (tests/simulation/test_inclusive_draws.py)
    assert counts["a"] / 800 == pytest.approx(2 / 3, abs=0.05)
    assert counts["b"] / 800 == pytest.approx(2 / 3, abs=0.05)
    assert counts["a"] + counts["b"] < 1600  # not always both


def test_work_allocated_by_the_definition_goes_to_that_person() -> None:
    """An assignment rule allocates the second step to whoever did the first: the simulated
    person it is allocated to starts it, without a claim, and nobody else can take it."""
    from wfengine.audit.exports import iter_events
    from wfengine.simulation.binding import bind
    from wfengine.simulation.simulator import Run

    pb = PackageBuilder("alloc")
    p = pb.process("alloc")
    p.participant("clerk")
    p.activity("write", performer="clerk")
    p.activity("amend", performer="clerk", extended=[("AssignToPerformerOfActivity", "write")])
    p.transition("write", "amend")
    scn = scenario(
        arrivals={"every": "2m"},
        activities={"write": {"duration": "5m"}, "amend": {"duration": "3m"}},
        resources={"clerk": 3},
    )
    outcome = Run(bind(scn, pb.build()), seed=1, replication=0, instances=40).run()
    done: dict[tuple[str, str], str] = {}
    for event in iter_events(outcome.engine, kind="work_item.completed"):
        done[(event.instance_id, event.activity_id or "")] = event.user or ""
    cases = {iid for iid, _ in done}
    assert len(cases) == 40
    assert all(done[(iid, "amend")] == done[(iid, "write")] for iid in cases)
    assert len({done[(iid, "write")] for iid in cases}) == 3  # the work was shared out


def test_probabilities_on_a_parallel_split_are_refused() -> None:
    pb = PackageBuilder("and")
    p = pb.process("and")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("a").activity("b")
    p.transition("split", "a").transition("split", "b")
    p.transition("a", "join").transition("b", "join")
    with pytest.raises(ScenarioError, match=r"branches\.split: its split is parallel"):
        simulate(pb.build(), scenario(branches={"split": {"a": 0.5, "b": 0.5}}), instances=1)


def test_a_trail_that_cannot_be_read_is_a_scenario_error(tmp_path: Path) -> None:
    def trail(url: str) -> Scenario:
        return Scenario.from_data(
            {
                "arrivals": {"every": "1m"},
                "activities": {"serve": {"duration": {"empirical": "trail"}}},
                "trail": url,
            }
        )

    with pytest.raises(ScenarioError, match="trail: the database URL cannot be read"):
        simulate(single_server(), trail("not a url"), instances=1)
    missing = tmp_path / "missing.db"
    with pytest.raises(ScenarioError, match=r"trail: no database at .*missing\.db"):
        simulate(single_server(), trail(f"sqlite:///{missing}"), instances=1)
    assert not missing.exists()  # reading a trail makes no database
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(ScenarioError, match=r"trail: the database .* has no wfengine schema"):
        simulate(single_server(), trail(f"sqlite:///{empty}"), instances=1)
