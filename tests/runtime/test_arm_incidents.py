"""A boundary timer that cannot be set is an incident on its event (operation ``arm``) that does
not hold its activity: the activity goes on, may meet incidents of its own beside it (each is
listed, and retrying one redoes its own operation), and closing the activity resolves every
``arm`` incident of it, however many there were."""

from __future__ import annotations

from datetime import timedelta

from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock


def _package(*, tool: bool, timers: int = 1) -> PackageBuilder:
    """'work' (the application 'app', else a person's task) with ``timers`` non-interrupting
    timers attached on ``every`` (an INTEGER without a value: no time), then a person's
    task 'later' that keeps the instance running."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("app")
    p = pb.process("main")
    p.data_field("every", "INTEGER")
    work = {"tool": "app"} if tool else {"performer": "clerk"}
    p.start("s").activity("work", **work).activity("later", performer="clerk").end("e")  # type: ignore[arg-type]
    p.sequence("s", "work", "later", "e")
    for n in range(1, timers + 1):
        p.intermediate(f"chase{n}", timer="every * 60", attached_to="work", interrupting=False)
        p.activity(f"nag{n}").end(f"e{n}").sequence(f"chase{n}", f"nag{n}", f"e{n}")
    return pb


def _open(engine: Engine, iid: str) -> list[tuple[str | None, str]]:
    return sorted((i.activity_id, i.operation) for i in engine.incidents(iid))


class _App:
    def __init__(self) -> None:
        self.up = False

    def __call__(self) -> None:
        if not self.up:
            raise RuntimeError("the service is down")


def test_an_arm_incident_is_resolved_when_its_activity_closes_after_its_own_incident(
    engine: Engine,
) -> None:
    app = _App()
    engine.applications.register("app", app)
    engine.deploy(_package(tool=True).build())
    iid = engine.start_process("main")
    assert _open(engine, iid) == [("chase1", "arm"), ("work", "run")]  # both listed
    app.up = True
    [run] = [i for i in engine.incidents(iid) if i.operation == "run"]
    engine.retry_incident(run.id)
    assert [w.activity_id for w in engine.work_items(iid)] == ["later"]
    assert _open(engine, iid) == []  # (the arm incident stayed open before)
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_every_arm_incident_of_an_activity_is_resolved_when_it_closes(engine: Engine) -> None:
    engine.deploy(_package(tool=False, timers=2).build())
    iid = engine.start_process("main")
    assert _open(engine, iid) == [("chase1", "arm"), ("chase2", "arm")]
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert _open(engine, iid) == []


def test_retrying_an_arm_incident_arms_the_timer_and_leaves_the_activitys_own_incident(
    engine: Engine, clock: VirtualClock
) -> None:
    app = _App()
    engine.applications.register("app", app)
    engine.deploy(_package(tool=True).build())
    iid = engine.start_process("main")
    [arm] = [i for i in engine.incidents(iid) if i.operation == "arm"]
    engine.set_data(iid, {"every": 1})
    engine.retry_incident(arm.id)
    assert len(engine.timers(iid)) == 1
    assert _open(engine, iid) == [("work", "run")]  # still holds 'work'
    clock.advance(timedelta(minutes=1))
    assert "nag1" in engine.trace(iid)
    app.up = True
    [run] = engine.incidents(iid)
    engine.retry_incident(run.id)
    assert engine.timers(iid) == [] and _open(engine, iid) == []
    assert [w.activity_id for w in engine.work_items(iid)] == ["later"]


def test_an_event_subprocess_arm_incident_is_resolved_when_its_block_closes(
    engine: Engine,
) -> None:
    # the block 'b' runs a set whose event sub-process timer cannot be set: when the block
    # is done, so is the incident (the instance runs on at 'later')
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("minutes", "INTEGER")
    outer = p.activity_set("outer")
    outer.start("s").activity("work", performer="clerk").end("done")
    outer.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", timer="minutes * 60", interrupting=False).activity("tidy").end("t")
    sub.sequence("caught", "tidy", "t")
    outer.block("on_event", activity_set="reaction")
    p.block("b", activity_set="outer").activity("later", performer="clerk")
    p.transition("b", "later")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert _open(engine, iid) == [("on_event", "arm")]
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert [w.activity_id for w in engine.work_items(iid)] == ["later"]
    assert _open(engine, iid) == []
