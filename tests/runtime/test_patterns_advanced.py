"""The workflow patterns that need cancellation, partial joins and multi-instance variants
(WCP26-WCP35; Russell et al. 2006), one test each, named after the pattern."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.definition.model import GatewayType, Join
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

COMPLETED = ProcessState.COMPLETED
CANCEL = {"wfengine:cancelRemaining": "true"}


def _join(
    engine: Engine, condition: str, *, cancelling: bool = False, branches: int = 3
) -> tuple[str, list[str]]:
    """A Parallel split into ``branches`` person's tasks b1..bn, joined by a Complex join 'd'
    with ``condition``; returns the instance and its work item ids in branch order."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    names = [f"b{i}" for i in range(1, branches + 1)]
    for b in names:
        p.activity(b, performer="clerk").transition("s", b)
    join = Join(type=GatewayType.COMPLEX, incoming_condition=condition)
    p.activity("d", join=join, extended=CANCEL if cancelling else None).activity("e")
    for b in names:
        p.transition(b, "d")
    p.transition("d", "e")
    iid = run(engine, pb)
    return iid, [w.id for w in engine.work_items(iid)]


def test_wcp28_blocking_discriminator(engine: Engine) -> None:
    # the first branch fires the join; the others are awaited and absorbed (blocking)
    iid, items = _join(engine, "activationCount >= 1")
    engine.complete_work_item(items[2])
    assert engine.trace(iid) == ["s", "b3", "d", "e"]
    assert len(engine.work_items(iid)) == 2  # the other branches still run
    complete_all(engine, iid)
    assert engine.trace(iid).count("d") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp29_cancelling_discriminator(engine: Engine) -> None:
    iid, items = _join(engine, "activationCount >= 1", cancelling=True)
    engine.complete_work_item(items[0])
    assert engine.work_items(iid) == []  # the other branches were withdrawn
    assert engine.trace(iid) == ["s", "b1", "d", "e"]
    states = {a.activity_id: a.state.value for a in engine.activity_instances(iid)}
    assert states["b2"] == states["b3"] == "closed.aborted"
    assert engine.instance(iid).state is COMPLETED


def test_wcp30_structured_partial_join(engine: Engine) -> None:
    # two of three branches fire the join once; the third is absorbed
    iid, items = _join(engine, "activationCount >= 2")
    engine.complete_work_item(items[0])
    assert "d" not in engine.trace(iid)
    engine.complete_work_item(items[1])
    assert engine.trace(iid)[-2:] == ["d", "e"]
    engine.complete_work_item(items[2])
    assert engine.trace(iid).count("d") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp31_blocking_partial_join(engine: Engine) -> None:
    # as WCP30, with the remaining branch blocked until it arrives: the join resets after it
    iid, items = _join(engine, "activationCount >= 2", branches=4)
    engine.complete_work_item(items[3])
    engine.complete_work_item(items[1])
    assert engine.trace(iid).count("d") == 1
    engine.complete_work_item(items[0])
    engine.complete_work_item(items[2])
    assert engine.trace(iid).count("d") == 1
    assert engine.tokens(iid) == []
    assert engine.instance(iid).state is COMPLETED


def test_wcp32_cancelling_partial_join(engine: Engine) -> None:
    iid, items = _join(engine, "activationCount >= 2", cancelling=True)
    engine.complete_work_item(items[2])
    engine.complete_work_item(items[0])
    assert engine.work_items(iid) == []
    assert engine.trace(iid) == ["s", "b3", "b1", "d", "e"]
    assert engine.instance(iid).state is COMPLETED


def test_wcp33_generalised_and_join(engine: Engine) -> None:
    # two tokens arrive on each input of an AND-join: it fires once per full set
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    for b in ("a1", "a2", "b1", "b2"):
        p.activity(b, performer="clerk").transition("s", b)
    p.activity("x").activity("y").activity("j", join="Parallel")
    p.transition("a1", "x").transition("a2", "x").transition("b1", "y").transition("b2", "y")
    p.transition("x", "j").transition("y", "j")
    iid = run(engine, pb)
    items = {w.activity_id: w.id for w in engine.work_items(iid)}
    engine.complete_work_item(items["a1"])
    engine.complete_work_item(items["a2"])  # two tokens wait on the first input
    assert "j" not in engine.trace(iid)
    engine.complete_work_item(items["b1"])
    assert engine.trace(iid).count("j") == 1
    engine.complete_work_item(items["b2"])
    assert engine.trace(iid).count("j") == 2
    assert engine.instance(iid).state is COMPLETED


def _mi(engine: Engine, condition: str, *, cancelling: bool = False) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("enough", "BOOLEAN", initial="false")
    loop = multi_instance("4", flow="Complex", complex_flow_condition=condition)
    p.activity("m", performer="clerk", loop=loop, extended=CANCEL if cancelling else None)
    p.activity("after").transition("m", "after")
    return run(engine, pb)


def test_wcp34_static_partial_join_for_mi(engine: Engine) -> None:
    # two of four instances let the flow on; the rest run to their end without firing again
    iid = _mi(engine, "completed >= 2")
    items = engine.work_items(iid)
    engine.complete_work_item(items[0].id)
    assert "after" not in engine.trace(iid)
    engine.complete_work_item(items[1].id)
    assert engine.trace(iid)[-1] == "after"
    assert len(engine.work_items(iid)) == 2
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 1
    assert engine.instance(iid).state is COMPLETED


def test_wcp35_cancelling_partial_join_for_mi(engine: Engine) -> None:
    iid = _mi(engine, "completed >= 2", cancelling=True)
    items = engine.work_items(iid)
    engine.complete_work_item(items[3].id)
    engine.complete_work_item(items[1].id)
    assert engine.work_items(iid) == []  # the other two instances were cancelled
    assert engine.trace(iid) == ["m", "m", "after"]
    aborted = [a for a in engine.activity_instances(iid) if a.state.value == "closed.aborted"]
    assert len(aborted) == 2
    assert engine.instance(iid).state is COMPLETED


def test_wcp26_cancel_mi_activity(engine: Engine) -> None:
    iid = _mi(engine, "completed >= 4")
    engine.complete_work_item(engine.work_items(iid)[0].id)
    [container] = [
        a for a in engine.activity_instances(iid) if a.activity_id == "m" and a.mi_index is None
    ]
    engine.cancel_activity(iid, container.id)
    assert engine.work_items(iid) == []
    states = [a.state.value for a in engine.activity_instances(iid) if a.activity_id == "m"]
    assert states.count("closed.aborted") == 4  # the container and the three still open
    assert "after" not in engine.trace(iid)
    assert engine.instance(iid).state is COMPLETED


def test_wcp27_complete_mi_activity(engine: Engine) -> None:
    # a person decides the work is done: the remaining instances are cancelled, the flow goes on
    iid = _mi(engine, "enough", cancelling=True)
    items = engine.work_items(iid)
    engine.complete_work_item(items[0].id)
    assert len(engine.work_items(iid)) == 3
    engine.complete_work_item(items[1].id, {"enough": True})
    assert engine.work_items(iid) == []
    assert engine.trace(iid) == ["m", "m", "after"]
    assert engine.instance(iid).state is COMPLETED


def test_wcp42_thread_split_and_wcp41_thread_merge(engine: Engine) -> None:
    # an MI activity with flow None starts three threads down one branch (thread split); a
    # Complex join on that single branch merges three of them into one (thread merge)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("m", loop=multi_instance("3", flow="None")).activity("x")
    p.activity("j", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 3"))
    p.activity("after")
    p.transition("m", "x").transition("x", "j").transition("j", "after")
    iid = run(engine, pb)
    trace = engine.trace(iid)
    assert trace.count("x") == 3
    assert trace.count("j") == 1 and trace[-1] == "after"
    assert engine.instance(iid).state is COMPLETED


def test_wcp41_thread_merge_waits_for_its_count(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("m", performer="clerk", loop=multi_instance("3", flow="None")).activity("x")
    p.activity("j", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 2"))
    p.activity("after")
    p.transition("m", "x").transition("x", "j").transition("j", "after")
    iid = run(engine, pb)
    items = engine.work_items(iid)
    engine.complete_work_item(items[0].id)
    assert "j" not in engine.trace(iid)
    engine.complete_work_item(items[1].id)
    assert engine.trace(iid)[-2:] == ["j", "after"]
    # every two threads become one: the third starts the next group, which no thread can
    # complete, so it waits with an incident (it is not silently dropped)
    engine.complete_work_item(items[2].id)
    assert engine.trace(iid).count("j") == 1
    assert engine.instance(iid).state is not COMPLETED
    (incident,) = engine.incidents(iid)
    assert "Complex join 'j' did not hold for the 1 branch(es) that came" in incident.message


def _mi_container(engine: Engine, iid: str) -> str:
    [container] = [
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == "m" and a.mi_index is None and a.state.is_open
    ]
    return container


def test_wcp36_dynamic_partial_join_for_mi(engine: Engine) -> None:
    # instances are added while the activity runs; the Complex condition sees the new count
    iid = _mi(engine, "completed >= instances - 1")
    container = _mi_container(engine, iid)
    added = engine.add_mi_instance(container, {"enough": False})
    assert added is not None and len(engine.work_items(iid)) == 5
    for item in engine.work_items(iid)[:3]:
        engine.complete_work_item(item.id)
    assert "after" not in engine.trace(iid)
    engine.complete_work_item(engine.work_items(iid)[0].id)  # 4 of 5: the flow goes on
    assert engine.trace(iid)[-1] == "after"
    complete_all(engine, iid)
    assert engine.trace(iid).count("after") == 1
    assert engine.instance(iid).state is COMPLETED
    [added_event] = [e for e in engine.audit(iid) if e.kind == "activity.mi_added"]
    assert added_event.detail == {"instances": 5, "fields": ["enough"]}


def test_adding_to_what_is_not_a_running_mi_activity_is_refused(engine: Engine) -> None:
    import pytest

    from wfengine.errors import IllegalStateError, NotFoundError

    iid = _mi(engine, "completed >= 4")
    container = _mi_container(engine, iid)
    with pytest.raises(NotFoundError):
        engine.add_mi_instance(f"{iid}:999")
    complete_all(engine, iid)
    with pytest.raises(IllegalStateError, match="add an instance to"):
        engine.add_mi_instance(container)
    [after] = [a.id for a in engine.activity_instances(iid) if a.activity_id == "after"]
    with pytest.raises(IllegalStateError, match="not multi-instance"):
        engine.add_mi_instance(after)


def _take(engine: Engine, item_id: str, user: str) -> None:
    engine.claim_work_item(item_id, user)
    engine.start_work_item(item_id, user)


def _adhoc(engine: Engine, ordering: str, completion: str | None = None) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("enough", "BOOLEAN", initial="false")
    s = p.activity_set("checks", adhoc=ordering, completion=completion)
    for name in ("credit", "identity", "address"):
        s.activity(name, performer="clerk")
    p.block("review", activity_set="checks").activity("decide").transition("review", "decide")
    return run(engine, pb)


def test_wcp40_interleaved_routing(engine: Engine) -> None:
    # every activity of the set runs once, in any order, never two at a time
    import pytest

    from wfengine.errors import IllegalStateError

    iid = _adhoc(engine, "Sequential")
    items = {w.activity_id: w.id for w in engine.work_items(iid)}
    assert set(items) == {"credit", "identity", "address"}
    _take(engine, items["address"], "clerk")
    with pytest.raises(IllegalStateError, match="'address' of its ad-hoc set is in progress"):
        engine.complete_work_item(items["credit"])
    with pytest.raises(IllegalStateError, match="in progress"):
        _take(engine, items["identity"], "clerk")
    engine.complete_work_item(items["address"])
    engine.complete_work_item(items["credit"])  # nothing in progress now: any order
    engine.complete_work_item(items["identity"])
    assert engine.trace(iid) == ["address", "credit", "identity", "review", "decide"]
    assert engine.instance(iid).state is COMPLETED


def test_work_started_and_then_handed_back_no_longer_holds_the_sequential_set(
    engine: Engine,
) -> None:
    # "in progress" is a started work item: released, delegated or reassigned, it waits
    # again, and another activity of the set may be taken meanwhile
    iid = _adhoc(engine, "Sequential")
    items = {w.activity_id: w.id for w in engine.work_items(iid)}
    _take(engine, items["address"], "clerk")
    engine.release_work_item(items["address"], "clerk")
    _take(engine, items["credit"], "clerk")  # refused before: 'address' seemed in progress
    engine.delegate_work_item(items["credit"], "clerk", "other clerk")
    engine.complete_work_item(items["identity"])
    engine.start_work_item(items["credit"], "other clerk")
    with pytest.raises(IllegalStateError, match="'credit' of its ad-hoc set is in progress"):
        engine.complete_work_item(items["address"])
    engine.complete_work_item(items["credit"], user="other clerk")
    engine.complete_work_item(items["address"])
    assert engine.trace(iid) == ["identity", "credit", "address", "review", "decide"]


def test_wcp17_interleaved_parallel_routing(engine: Engine) -> None:
    # a partial order: two sequences whose activities interleave, one at a time
    import pytest

    from wfengine.errors import IllegalStateError

    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    s = p.activity_set("work", adhoc="Sequential")
    s.activity("a1", performer="clerk").activity("a2", performer="clerk")
    s.activity("b1", performer="clerk").transition("a1", "a2")
    p.block("both", activity_set="work")
    iid = run(engine, pb)
    items = {w.activity_id: w.id for w in engine.work_items(iid)}
    assert set(items) == {"a1", "b1"}  # a2 waits for a1: the order within a sequence holds
    _take(engine, items["b1"], "clerk")
    with pytest.raises(IllegalStateError, match="in progress"):
        _take(engine, items["a1"], "clerk")
    engine.complete_work_item(items["b1"])
    engine.complete_work_item(items["a1"])
    [a2] = engine.work_items(iid)
    engine.complete_work_item(a2.id)
    assert engine.trace(iid) == ["b1", "a1", "a2", "both"]
    assert engine.instance(iid).state is COMPLETED


def test_an_adhoc_set_ends_when_its_completion_condition_holds(engine: Engine) -> None:
    iid = _adhoc(engine, "Parallel", completion="enough")
    items = engine.work_items(iid)
    assert len(items) == 3  # in parallel: all at once
    engine.complete_work_item(items[0].id)
    assert len(engine.work_items(iid)) == 2
    engine.complete_work_item(items[1].id, {"enough": True})
    assert engine.work_items(iid) == []  # the rest withdrawn
    assert engine.trace(iid)[-2:] == ["review", "decide"]
    assert engine.instance(iid).state is COMPLETED


def test_an_adhoc_set_survives_the_xpdl_round_trip() -> None:
    from wfengine import dump_xpdl, load_xpdl, validate

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    s = p.activity_set("checks", adhoc="Sequential", completion="done")
    s.activity("x")
    p.data_field("done", "BOOLEAN")
    p.block("b", activity_set="checks")
    xml = dump_xpdl(pb.build())
    assert b'AdHoc="true"' in xml and b'AdHocOrdering="Sequential"' in xml
    package = load_xpdl(xml)
    assert dict(package.workflow_processes[0].activity_sets[0].extra_attrs)["AdHoc"] == "true"
    assert validate(package) == []


def _discriminator_in_a_loop() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("st").route("s", split="Parallel")
    p.activity("b1", performer="clerk").activity("b2", performer="clerk")
    p.activity("d", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 1"))
    p.activity("w", script="n = n + 1").route("x", gateway="Exclusive").activity("z")
    p.sequence("st", "s").transition("s", "b1").transition("s", "b2")
    p.transition("b1", "d").transition("b2", "d").sequence("d", "w", "x")
    p.transition("x", "s", condition="n < 2").transition("x", "z", otherwise=True)
    return pb


def test_wcp9_a_discriminator_in_a_loop_fires_again_each_round(engine: Engine) -> None:
    # the round ends once every branch has come: in a loop the join is upstream of itself,
    # so waiting for no live token upstream kept the round open and absorbed round two
    iid = run(engine, _discriminator_in_a_loop())
    while items := engine.work_items(iid):
        engine.complete_work_item(sorted(items, key=lambda w: w.activity_id)[0].id)
    assert engine.trace(iid).count("d") == 2 and "z" in engine.trace(iid)
    assert engine.instance(iid).data["n"] == 2
    assert engine.instance(iid).state is COMPLETED


def _complex(condition: str, *, split: str = "Parallel") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("need", "INTEGER")
    p.route("s", gateway=split)
    p.activity("b1", performer="clerk").activity("b2")
    p.activity("d", join=Join(type=GatewayType.COMPLEX, incoming_condition=condition))
    p.activity("z", performer="clerk")
    p.transition("s", "b1").transition("s", "b2")
    p.transition("b1", "d").transition("b2", "d").sequence("d", "z")
    return pb


def test_a_complex_join_whose_condition_fails_waits_with_its_incident(engine: Engine) -> None:
    # it was: the round closed, the tokens were discarded, the instance "completed"
    iid = run(engine, _complex("arrived >= need"))
    (b1,) = engine.work_items(iid)
    engine.complete_work_item(b1.id)  # the last branch comes
    assert engine.instance(iid).state is ProcessState.RUNNING
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "d" and not incident.resolved
    engine.set_data(iid, {"need": 2})
    engine.retry_incident(incident.id)
    assert [w.activity_id for w in engine.work_items(iid)] == ["z"]


def test_a_complex_join_that_never_holds_keeps_the_instance_open(engine: Engine) -> None:
    iid = run(engine, _complex("arrived >= 3"))
    (b1,) = engine.work_items(iid)
    engine.complete_work_item(b1.id)
    assert engine.instance(iid).state is ProcessState.RUNNING  # not completed past "d"
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "d"
    assert "d" not in engine.trace(iid)


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_retrying_a_failed_mi_flow_condition_tests_it_again(engine: Engine, ordering: str) -> None:
    # it was: the retry routed at once without the condition (z ran twice in parallel), and
    # a sequential activity never started its next instance
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("limit", "INTEGER")  # unset: the condition fails
    loop = multi_instance(
        "3", ordering=ordering, flow="Complex", complex_flow_condition="completed >= limit"
    )
    p.activity("a").activity("m", performer="clerk", loop=loop).activity("z")
    p.sequence("a", "m", "z")
    iid = run(engine, pb)
    engine.complete_work_item(engine.work_items(iid)[0].id)
    (incident,) = engine.incidents(iid)
    engine.set_data(iid, {"limit": 5})  # now it holds for none of the three
    engine.retry_incident(incident.id)
    assert "z" not in engine.trace(iid)
    assert len(engine.work_items(iid)) == 2 if ordering == "Parallel" else 1
    while items := engine.work_items(iid):
        engine.complete_work_item(items[0].id)
    assert engine.trace(iid) == ["a", "m", "m", "m", "z"]
    assert engine.instance(iid).state is COMPLETED


def _complex_join(condition: str) -> Join:
    return Join(type=GatewayType.COMPLEX, incoming_condition=condition)


@pytest.mark.parametrize("condition", ["activationCount >= 1", "activationCount >= 2"])
def test_wcp29_wcp32_a_cancelling_join_in_a_loop_resets_every_round(
    engine: Engine, condition: str
) -> None:
    """Firing withdraws the other branches and resets the join (WCP29, WCP32): each of the
    three rounds fires it once. It used to fire once; the later answers were absorbed and the
    instance completed without z."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("st").route("s", split="Parallel")
    for b in ("b1", "b2", "b3"):
        p.activity(b, performer="clerk")
    p.activity("d", join=_complex_join(condition), extended={"wfengine:cancelRemaining": "true"})
    p.activity("w", script="n = n + 1").route("x", gateway="Exclusive").activity("z")
    p.sequence("st", "s")
    for b in ("b1", "b2", "b3"):
        p.transition("s", b).transition(b, "d")
    p.sequence("d", "w", "x")
    p.transition("x", "s", condition="n < 3").transition("x", "z", otherwise=True)
    iid = run(engine, pb)
    while items := engine.work_items(iid):
        engine.complete_work_item(items[0].id)
    assert engine.instance(iid).data["n"] == 3
    assert engine.trace(iid).count("d") == 3 and engine.trace(iid)[-1] == "z"


def test_wcp29_a_cancelling_join_in_a_loop_keeps_a_sibling_that_only_feeds_the_next_round(
    engine: Engine,
) -> None:
    """e runs beside the join's branches and meets the join's thread at an AND-join that
    loops back: it reaches the join only through the next round's split. Firing withdrew it
    too (as upstream), and the AND-join then could never fire: a deadlock incident."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    p.activity("st").route("s", split="Parallel", join="Exclusive")
    for b in ("b", "c", "e"):
        p.activity(b, performer="clerk")
    p.route("disc", join=_complex_join("arrived >= 1"), extended=CANCEL)
    p.activity("d", script="i = i + 1")
    p.route("j", join="Parallel", split="Exclusive").activity("done")
    p.sequence("st", "s")
    for b in ("b", "c", "e"):
        p.transition("s", b)
    p.transition("b", "disc").transition("c", "disc").sequence("disc", "d", "j")
    p.transition("e", "j")
    p.transition("j", "s", condition="i < 2").transition("j", "done", otherwise=True)
    iid = run(engine, pb)
    complete_all(engine, iid, "b")  # fires disc: c is withdrawn, e stays
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["e"]
    complete_all(engine, iid, "e")  # j fires and loops: the second round
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["b", "c", "e"]
    complete_all(engine, iid, "c")
    complete_all(engine, iid, "e")
    assert engine.incidents(iid) == []
    assert engine.trace(iid)[-1] == "done"
    assert engine.instance(iid).state is COMPLETED


def test_wcp41_a_thread_merge_in_a_loop_merges_each_rounds_threads(engine: Engine) -> None:
    """Three threads (WCP42) merged into one (WCP41) in each of two rounds: the second
    round's threads used to be absorbed, and the instance completed without z."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("st").activity("m", loop=multi_instance("3", flow="None")).activity("x")
    p.activity("j", join=_complex_join("arrived >= 3"))
    p.activity("w", script="n = n + 1").route("r", gateway="Exclusive").activity("z")
    p.sequence("st", "m", "x", "j", "w", "r")
    p.transition("r", "m", condition="n < 2").transition("r", "z", otherwise=True)
    iid = run(engine, pb)
    trace = engine.trace(iid)
    assert trace.count("x") == 6 and trace.count("j") == 2 and trace[-1] == "z"
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_wcp28_a_second_token_on_a_branch_waits_for_the_next_round(engine: Engine) -> None:
    """The blocking discriminator: after it fired on b1, the loop brings b1 back while b2
    is still open; that token is the next round's (it was absorbed and lost, and the
    instance completed with d fired once)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("st").route("s", split="Parallel")
    p.activity("b1").activity("b2", performer="clerk")
    p.activity("d", join=_complex_join("activationCount >= 1"))
    p.activity("w", script="n = n + 1").route("x", gateway="Exclusive").activity("z")
    p.sequence("st", "s")
    p.transition("s", "b1").transition("s", "b2")
    p.transition("b1", "d").transition("b2", "d")
    p.sequence("d", "w", "x")
    p.transition("x", "b1", condition="n < 2").transition("x", "z", otherwise=True)
    iid = run(engine, pb)
    assert engine.trace(iid).count("d") == 1  # b1's second token waits at d
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)  # b2 ends round 1; the held token starts round 2
    assert engine.instance(iid).data["n"] == 2
    assert engine.trace(iid)[-1] == "z"
