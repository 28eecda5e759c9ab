"""The process builder: the rules it applies for the user, and the mistakes it refuses."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import (
    ActivityOptions,
    BuildError,
    PackageBuilder,
    deadline,
    multi_instance,
    standard_loop,
)
from wfengine.definition.model import (
    Activity,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Condition,
    ConditionType,
    Deadline,
    DeclaredType,
    Event,
    EventPosition,
    Execution,
    GatewayType,
    Join,
    MIOrdering,
    MultiInstanceLoop,
    NoImplementation,
    ParameterMode,
    ParticipantKind,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
)
from wfengine.definition.model import (
    TestTime as LoopTestTime,
)
from wfengine.errors import DefinitionError


def _diamond(split: str | None = None, join: str | None = None) -> PackageBuilder:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.start("s").activity("a").activity("b").activity("c").end("e")
    fork: ActivityOptions = {"split": split} if split else {}
    merge: ActivityOptions = {"join": join} if join else {}
    p.activity("fork", **fork).activity("merge", **merge)
    p.sequence("s", "fork")
    p.transition("fork", "a").transition("fork", "b").transition("fork", "c")
    p.transition("a", "merge").transition("b", "merge").transition("c", "merge")
    p.sequence("merge", "e")
    return pkg


def test_sketch_from_the_design_builds_the_expected_model() -> None:
    pkg = (
        PackageBuilder("crm", name="CRM complaints")
        .participant("clerk", type="ROLE", name="Clerk")
        .application("notify", params=[("to", "IN", "STRING"), ("ok", "OUT", "BOOLEAN")])
        .data_field("amount", "INTEGER", initial="0")
    )
    p = pkg.process("complaint", name="Complaint", params=[("phone", "IN", "STRING")])
    p.data_field("satisfied", "BOOLEAN", initial="False")
    p.start("start")
    p.activity("intake", performer="clerk")
    p.activity("answer", tool="notify", args=["phone", "satisfied"])
    p.route("decide")
    p.subflow("dept", process="complaint", args=["phone"], execution="ASYNCHR")
    p.end("done")
    p.end("kill", terminate=True)
    p.sequence("start", "intake", "decide")
    p.transition("decide", "done", condition="satisfied")
    p.transition("decide", "dept", otherwise=True)
    package = pkg.build()

    assert package.participants[0].type is ParticipantKind.ROLE
    notify = package.applications[0]
    assert [(f.id, f.mode) for f in notify.formal_parameters] == [
        ("to", ParameterMode.IN),
        ("ok", ParameterMode.OUT),
    ]
    assert package.data_fields[0].data_type == BasicType(type=BasicTypeKind.INTEGER)
    assert package.data_fields[0].initial_value == "0"
    proc = package.process("complaint")
    assert proc.name == "Complaint"
    assert proc.formal_parameters[0].data_type == BasicType(type=BasicTypeKind.STRING)
    assert proc.activity("start").body == Event(position=EventPosition.START)
    intake = proc.activity("intake")
    assert intake.body == NoImplementation()
    assert intake.performers == ("clerk",)
    assert proc.activity("answer").body == TaskImplementation(
        task=TaskKind.APPLICATION,
        tools=(ToolCall(application_id="notify", actual_parameters=("phone", "satisfied")),),
    )
    assert proc.activity("decide").body == Route()
    assert proc.activity("dept").body == SubFlowImplementation(
        process_id="complaint", execution=Execution.ASYNCHR, actual_parameters=("phone",)
    )
    kill = proc.activity("kill").event
    assert kill is not None and kill.is_terminate
    assert [(t.id, t.from_, t.to) for t in proc.transitions] == [
        ("t1", "start", "intake"),
        ("t2", "intake", "decide"),
        ("t3", "decide", "done"),
        ("t4", "decide", "dept"),
    ]
    assert proc.transitions[2].condition == Condition(
        type=ConditionType.CONDITION, expression="satisfied"
    )
    assert proc.transitions[3].condition == Condition(type=ConditionType.OTHERWISE)
    # the route has two ways out: an Exclusive split listing them in creation order
    assert proc.activity("decide").split == Split(
        type=GatewayType.EXCLUSIVE, transition_refs=("t3", "t4")
    )
    # one way in and one way out: no gateway anywhere else
    assert all(a.split is None for a in proc.activities if a.id != "decide")
    assert all(a.join is None for a in proc.activities)


def test_gateways_default_to_exclusive_and_follow_explicit_types() -> None:
    proc = _diamond().build().process()
    assert proc.activity("fork").split == Split(
        type=GatewayType.EXCLUSIVE, transition_refs=("t2", "t3", "t4")
    )
    assert proc.activity("merge").join == Join(type=GatewayType.EXCLUSIVE)

    proc = _diamond(split="Parallel", join="parallel").build().process()
    assert proc.activity("fork").split == Split(
        type=GatewayType.PARALLEL, transition_refs=("t2", "t3", "t4")
    )
    assert proc.activity("merge").join == Join(type=GatewayType.PARALLEL)


def test_route_gateway_type_sets_its_split_and_join() -> None:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.activity("a").activity("b").activity("c")
    p.route("and", gateway="Parallel").route("or", gateway=GatewayType.INCLUSIVE, split="inclusive")
    p.transition("and", "a").transition("and", "b").transition("a", "or").transition("b", "or")
    p.transition("or", "c").transition("or", "a")
    proc = pkg.build().process()
    fork = proc.activity("and")
    assert fork.body == Route(gateway_type=GatewayType.PARALLEL)
    assert fork.split is not None and fork.split.type is GatewayType.PARALLEL
    merge = proc.activity("or")
    assert merge.join == Join(type=GatewayType.INCLUSIVE)
    # a split= of the gateway's own type agrees with it
    assert merge.split is not None and merge.split.type is GatewayType.INCLUSIVE


@pytest.mark.parametrize(
    ("options", "side", "asked"),
    [
        ({"join": "Exclusive"}, "join", "Exclusive"),
        ({"split": "exclusive"}, "split", "Exclusive"),
        ({"split": Split(type=GatewayType.INCLUSIVE)}, "split", "Inclusive"),
        ({"join": Join(type=GatewayType.EXCLUSIVE)}, "join", "Exclusive"),
    ],
)
def test_route_split_or_join_contradicting_its_gateway_is_refused(
    options: ActivityOptions, side: str, asked: str
) -> None:
    # a Route has one GatewayType, and the engine runs it for both sides: a Parallel fork
    # asked to join Exclusive would have been written and then joined in parallel
    p = PackageBuilder("p").process("main")
    with pytest.raises(BuildError) as err:
        p.route("fork", gateway="Parallel", **options)
    assert str(err.value).startswith(
        f"route 'fork': gateway='Parallel' contradicts {side}='{asked}' (in process 'main'); "
        "a Route has one GatewayType"
    )


def test_route_model_contradicting_its_gateway_is_refused_by_add_activity() -> None:
    p = PackageBuilder("p").process("main")
    fork = Activity(
        id="fork", body=Route(gateway_type=GatewayType.PARALLEL), join=Join(type="Exclusive")
    )
    with pytest.raises(BuildError, match=r"^route 'fork': gateway='Parallel' contradicts join="):
        p.add_activity(fork)


@pytest.mark.parametrize(("side", "asked"), [("split", "Parallel"), ("join", "Inclusive")])
def test_an_event_based_route_is_named_as_written_when_refused(side: str, asked: str) -> None:
    # the message named it 'Exclusive' (the GatewayType it is written with), a type the
    # caller never wrote: gateway='Exclusive' contradicts split='Parallel'
    p = PackageBuilder("p").process("main")
    with pytest.raises(BuildError) as err:
        p.route("pick", gateway="EventBased", **{side: asked})  # type: ignore[arg-type]
    assert str(err.value).startswith(
        f"route 'pick': gateway='EventBased' contradicts {side}='{asked}' (in process 'main')"
    )
    assert "only with the gateway's type (Exclusive)" in str(err.value)
    # its own type is no contradiction
    p.route("ok", gateway="EventBased", split="Exclusive", join="exclusive")


def test_route_without_gateway_takes_split_and_join_as_given() -> None:
    # the way to a parallel fork with an exclusive merge in one activity: no GatewayType,
    # which the engine reads from the Split and Join (the two-route form says it plainer)
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.activity("a").activity("b").activity("c")
    p.route("r", split="Parallel", join="Exclusive")
    p.transition("a", "r").transition("c", "r").transition("r", "b").transition("r", "c")
    r = pkg.build().process().activity("r")
    assert r.body == Route(gateway_type=None)
    assert (r.split_gateway, r.join_gateway) == (GatewayType.PARALLEL, GatewayType.EXCLUSIVE)


def test_explicit_gateway_models_are_used_verbatim() -> None:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    split = Split(type=GatewayType.COMPLEX, outgoing_condition="x > 1", transition_refs=("b2",))
    p.activity("a", split=split).activity("b").activity("c")
    p.transition("a", "b", id="b1").transition("a", "c", id="b2")
    assert pkg.build().process().activity("a").split == split


def test_split_type_asked_for_with_one_way_out_is_kept() -> None:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.activity("a", split="Parallel").activity("b").transition("a", "b")
    assert pkg.build().process().activity("a").split == Split(
        type=GatewayType.PARALLEL, transition_refs=("t1",)
    )


def test_generated_transition_ids_skip_taken_ids_and_are_unique_in_the_package() -> None:
    pkg = PackageBuilder("p")
    one = pkg.process("one")
    one.activity("t1").activity("x").activity("y")
    one.transition("t1", "x").transition("x", "y", id="t2").transition("y", "x")
    two = pkg.process("two")
    two.activity("m").activity("n").transition("m", "n")
    package = pkg.build()
    assert [t.id for t in package.process("one").transitions] == ["t3", "t2", "t4"]
    assert [t.id for t in package.process("two").transitions] == ["t5"]
    # building again gives the same ids
    assert pkg.build() == package


def test_transition_ids_follow_creation_order_across_activity_sets() -> None:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    s = p.activity_set("inner", default_start="i1")
    p.activity("a").block("b", activity_set="inner").transition("a", "b")
    s.activity("i1").activity("i2").transition("i1", "i2")
    p.activity("c").transition("b", "c")
    proc = pkg.build().process()
    assert [t.id for t in proc.transitions] == ["t1", "t3"]
    inner = proc.activity_set("inner")
    assert [t.id for t in inner.transitions] == ["t2"]
    assert inner.default_start_activity_id == "i1"
    assert proc.activity("b").body == BlockActivity(activity_set_id="inner")
    assert proc.activity("i2").id == "i2"


def test_loops_deadlines_and_modes() -> None:
    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.activity(
        "a",
        loop=standard_loop("n < 3", test_time="before", maximum=5),
        deadlines=[("PT1H", "late"), ("PT2H", "later", "SYNCHR"), deadline("P1D", "gone")],
        start_mode="manual",
        finish_mode="Automatic",
    )
    p.activity("b", loop=multi_instance("count", ordering="Sequential"))
    proc = pkg.build().process()
    a = proc.activity("a")
    assert a.loop == StandardLoop(condition="n < 3", test_time=LoopTestTime.BEFORE, maximum=5)
    assert a.deadlines == (
        Deadline(duration="PT1H", exception_name="late", execution=Execution.ASYNCHR),
        Deadline(duration="PT2H", exception_name="later", execution=Execution.SYNCHR),
        Deadline(duration="P1D", exception_name="gone", execution=Execution.ASYNCHR),
    )
    assert (a.start_mode, a.finish_mode) == ("Manual", "Automatic")
    assert proc.activity("b").loop == MultiInstanceLoop(
        mi_condition="count", ordering=MIOrdering.SEQUENTIAL
    )


def test_script_tasks_several_tools_and_extended_attributes() -> None:
    pkg = PackageBuilder("p").extended_attribute("owner", "ops")
    p = pkg.process("main").extended_attribute("sla", "4h")
    p.activity("s", script="x = 1", extended={"color": "red"})
    p.activity("t", tool="a", args=["x"], tools=[("b", ["y", "z"])])
    package = pkg.build()
    assert package.extended_attribute("owner") == "ops"
    proc = package.process()
    assert proc.extended_attribute("sla") == "4h"
    s = proc.activity("s")
    assert s.body == TaskImplementation(task=TaskKind.SCRIPT, script="x = 1")
    assert s.extended_attribute("color") == "red"
    body = proc.activity("t").body
    assert isinstance(body, TaskImplementation)
    assert [(c.application_id, c.actual_parameters) for c in body.tools] == [
        ("a", ("x",)),
        ("b", ("y", "z")),
    ]


def test_declared_types_resolve_whenever_declared() -> None:
    pkg = PackageBuilder("p")
    pkg.data_field("home", "address")  # declared below: resolution waits for build()
    pkg.type_declaration("address", "STRING")
    assert pkg.build().data_fields[0].data_type == DeclaredType(id="address")


def test_unknown_type_name_is_reported_with_the_choices() -> None:
    pkg = PackageBuilder("p").type_declaration("address", "STRING").data_field("x", "NUMBER")
    with pytest.raises(BuildError, match=r"'NUMBER'.*INTEGER.*declared: address"):
        pkg.build()


def test_transition_to_unknown_activity_names_it_and_the_known_ones() -> None:
    pkg = PackageBuilder("p")
    pkg.process("main").activity("a").activity("b").transition("a", "c")
    with pytest.raises(BuildError, match=r"unknown activity 'c' \(activities: a, b\)") as err:
        pkg.build()
    # one error family for every definition problem, and a ValueError for argument checking
    assert isinstance(err.value, DefinitionError)
    assert isinstance(err.value, ValueError)


def test_duplicate_ids_are_refused() -> None:
    pkg = PackageBuilder("p")
    pkg.process("main").activity("a").activity("a")
    with pytest.raises(BuildError, match="duplicate activity id 'a' in process 'main'"):
        pkg.build()

    pkg = PackageBuilder("p")
    p = pkg.process("main")
    p.activity("a")
    p.activity_set("s").activity("a")
    with pytest.raises(BuildError, match="duplicate activity id 'a'"):
        pkg.build()

    pkg = PackageBuilder("p").participant("x").participant("x")
    with pytest.raises(BuildError, match="duplicate participant id 'x'"):
        pkg.build()

    pkg = PackageBuilder("p")
    pkg.process("main").activity("a").activity("b").transition("a", "b", id="t").transition(
        "b", "a", id="t"
    )
    with pytest.raises(BuildError, match="duplicate transition id 't'"):
        pkg.build()


def test_block_naming_unknown_activity_set_is_refused() -> None:
    pkg = PackageBuilder("p")
    pkg.process("main").block("b", activity_set="nope")
    with pytest.raises(BuildError, match="unknown activity set 'nope'"):
        pkg.build()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: p.transition("a", "b", condition="x", otherwise=True), "conflicting"),
        (lambda p: p.activity("x", args=["a"]), "args= given without tool="),
        (lambda p: p.activity("x", tool="t", script="s"), "either a tool or a script"),
        (lambda p: p.activity("x", tool="t", args="ab"), "must be a list"),
        (lambda p: p.route("x", gateway="XOR-ish"), "unknown gateway type 'XOR-ish'"),
        (lambda p: p.participant("x", type="BOSS"), "unknown participant type"),
        (lambda p: p.end("x", terminate=True, result="Error"), "contradicts"),
        (lambda p: p.sequence("a"), "at least two"),
    ],
)
def test_misuse_is_reported_at_the_call(call: object, message: str) -> None:
    p = PackageBuilder("p").process("main")
    with pytest.raises(BuildError, match=message):
        call(p)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda p: p.data_field("n", "INTEGER", initial=5),
            r"data field 'n': initial \(an expression\) is text, not 5 \(write '5'\)",
        ),
        (lambda p: p.activity("a", deadlines=[("PT1H",)]), r"activity 'a': a deadline is"),
        (lambda p: p.activity("a", deadlines=["PT1H"]), r"activity 'a': .*not 'PT1H'"),
        (  # its fourth item was dropped without a word
            lambda p: p.activity("a", deadlines=[("PT1H", "late", "SYNCHR", "x")]),
            r"activity 'a': a deadline is .*'x'\)",
        ),
        (lambda p: p.activity("a", deadlines=("PT1H", "late")), r"activity 'a': deadlines= is a"),
        (lambda p: p.activity("a", tools=["app"]), r"activity 'a': a tool call is .*not 'app'"),
        (lambda p: p.activity("a", tools=[("app", [1])]), r"activity 'a': .*tool 'app'"),
        (lambda p: p.activity("a", extended={"k": 5}), r"activity 'a': extended attribute 'k'"),
        (lambda p: p.activity("a", extended=["k"]), r"activity 'a': an extended attribute is"),
        (lambda p: p.activity("a", performer=5), r"activity 'a': performer is a text"),
        (lambda p: p.activity("a", loop="n < 3"), r"activity 'a': loop= takes standard_loop"),
        (lambda p: p.activity("a", tool="app", args=[1]), r"activity 'a': each of args"),
        (lambda p: p.subflow("s", process="q", args=[1]), r"subflow 's': each of args"),
        (lambda p: p.activity("a", start_mode="Later"), r"activity 'a': unknown start mode"),
        (lambda p: p.transition("a", "b", condition=5), r"transition 'a' -> 'b': condition"),
        (lambda p: p.participant("x", name=5), r"participant 'x': name"),
        (lambda p: p.param("x", "IN", "STRING").param(5, "IN", "STRING"), r"formal param"),
    ],
)
def test_plausible_mistakes_are_build_errors_naming_what_was_built(
    call: object, message: str
) -> None:
    """They were raw IndexError, ValueError, TypeError or pydantic ValidationError naming
    neither the activity nor the field (the builder promises BuildError)."""
    p = PackageBuilder("p").process("main")
    with pytest.raises(BuildError, match=message):
        call(p)  # type: ignore[operator]


def test_process_build_returns_the_whole_package() -> None:
    pkg = PackageBuilder("p")
    pkg.process("first").activity("a")
    second = pkg.process("second").activity("b")
    package = second.build()
    assert [p.id for p in package.workflow_processes] == ["first", "second"]
    assert second.build_process() == package.process("second")
