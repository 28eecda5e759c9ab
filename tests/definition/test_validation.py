"""Semantic validation: one test per diagnostic code, plus the promises validate() makes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import pairwise

import pytest

from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Application,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Condition,
    ConditionType,
    DataField,
    Event,
    EventPosition,
    ExtendedAttribute,
    ExternalPackage,
    FormalParameter,
    GatewayType,
    Join,
    Package,
    ParameterMode,
    Participant,
    Split,
    SubFlowImplementation,
    TaskImplementation,
    ToolCall,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.validation import validate

VALIDATION_LOGGER = "wfengine.definition.validation"
STRING = BasicType(type=BasicTypeKind.STRING)


@pytest.fixture(autouse=True)
def _no_check_crashes(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """validate() swallows a crashing check for users; tests must see it."""
    with caplog.at_level(logging.ERROR, logger=VALIDATION_LOGGER):
        yield
    crashes = [r for r in caplog.get_records("call") if r.name == VALIDATION_LOGGER]
    assert not crashes, crashes[0].getMessage() + "\n" + (crashes[0].exc_text or "")


# --------------------------------------------------------------------------- model helpers


def act(activity_id: str, line: int | None = None, **fields: object) -> Activity:
    return Activity.model_validate({"id": activity_id, "line": line, **fields})


def tr(
    transition_id: str,
    source: str,
    target: str,
    condition: str | None = None,
    kind: ConditionType | None = None,
    line: int | None = None,
) -> Transition:
    cond = None
    if condition is not None or kind is not None:
        cond = Condition(type=kind or ConditionType.CONDITION, expression=condition)
    return Transition(id=transition_id, from_=source, to=target, condition=cond, line=line)


def chain(*ids: str) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
    """Activities ``ids`` joined in sequence by transitions ``a-b``, ``b-c``, ..."""
    activities = tuple(act(i) for i in ids)
    transitions = tuple(tr(f"{a}-{b}", a, b) for a, b in pairwise(ids))
    return activities, transitions


def proc(
    process_id: str = "p",
    activities: tuple[Activity, ...] = (),
    transitions: tuple[Transition, ...] = (),
    **fields: object,
) -> WorkflowProcess:
    return WorkflowProcess.model_validate(
        {"id": process_id, "activities": activities, "transitions": transitions, **fields}
    )


def pkg(*processes: WorkflowProcess, **fields: object) -> Package:
    return Package.model_validate({"id": "pkg", "workflow_processes": processes, **fields})


def field(field_id: str) -> DataField:
    return DataField(id=field_id, data_type=STRING)


def formal(param_id: str, mode: ParameterMode = ParameterMode.IN) -> FormalParameter:
    return FormalParameter(id=param_id, mode=mode, data_type=STRING)


def sequence_process(**fields: object) -> WorkflowProcess:
    """start -> work -> end (the smallest clean process); ``fields`` override any part."""
    activities, transitions = chain("start", "work", "end")
    parts: dict[str, object] = {"activities": activities, "transitions": transitions, **fields}
    return WorkflowProcess.model_validate({"id": "p", **parts})


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = only(diagnostics, code)
    assert len(found) == 1, [d.format() for d in diagnostics]
    return found[0]


def codes(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


# --------------------------------------------------------------------------- promises


def test_clean_process_has_no_findings() -> None:
    process = sequence_process(
        data_fields=(field("amount"),),
        participants=(Participant(id="clerk"),),
        activities=(
            act("start"),
            act("work", performers=("clerk",)),
            act("end"),
        ),
        transitions=(tr("t1", "start", "work", "amount > 3"), tr("t2", "work", "end")),
    )
    assert validate(pkg(process)) == []


def test_load_diagnostics_come_first_then_findings_by_line_then_code() -> None:
    loaded = make("schema-violation", "bad element", line=900)
    process = proc(
        "p",
        (act("a", line=20), act("b", line=10), act("c", line=30)),
        (tr("t1", "a", "b"), tr("t2", "b", "c"), tr("t3", "c", "nowhere", line=10)),
    )
    found = validate(pkg(process, load_diagnostics=(loaded,)))
    assert found[0] == loaded
    rest = found[1:]
    assert [(d.line, d.code) for d in rest] == sorted((d.line or 0, d.code) for d in rest)
    assert "dangling-transition" in codes(rest)


def test_a_crashing_check_is_logged_and_the_others_still_report(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from wfengine.definition import validation

    def broken(ctx: object) -> Iterator[Diagnostic]:
        yield make("no-end", "partial finding before the crash")
        raise RuntimeError("boom")

    monkeypatch.setattr(validation, "CHECKS", (broken, *validation.CHECKS))
    process = proc("p", (act("a"),), (tr("t", "a", "ghost"),))
    found = validate(pkg(process))
    assert {"no-end", "dangling-transition"} <= codes(found)
    assert any("broken" in r.getMessage() for r in caplog.records)
    caplog.clear()  # the crash was the point of this test


# --------------------------------------------------------------------------- identity


def test_duplicate_process_id() -> None:
    first = sequence_process()
    second = sequence_process(line=40)
    d = one(validate(pkg(first, second)), "duplicate-id")
    assert (d.severity, d.element_id, d.line) == (Severity.ERROR, "p", 40)


def test_duplicate_activity_id_across_a_process_and_its_activity_set_is_a_warning() -> None:
    # each scope resolves its own Ids (TIBCO writes such files); audit cannot tell them apart
    inner = ActivitySet(id="s", activities=(act("work", line=7),))
    process = sequence_process(activity_sets=(inner,))
    found = validate(pkg(process))
    assert "duplicate-id" not in codes(found)
    d = one(found, "duplicate-id-scopes")
    assert (d.severity, d.element_id, d.line) == (Severity.WARNING, "work", 7)


def test_duplicate_activity_id_within_an_activity_set_is_an_error() -> None:
    inner = ActivitySet(id="s", activities=(act("x", line=7), act("x", line=8)))
    d = one(validate(pkg(sequence_process(activity_sets=(inner,)))), "duplicate-id")
    assert (d.severity, d.element_id, d.line) == (Severity.ERROR, "x", 8)
    assert "activity set 's'" in d.message


def test_activity_ids_may_repeat_across_processes() -> None:
    one_ = sequence_process()
    other = proc("q", *chain("start", "work", "end"))
    assert "duplicate-id" not in codes(validate(pkg(one_, other)))


def test_duplicate_transition_and_data_field_ids() -> None:
    process = proc(
        "p",
        (act("a"), act("b"), act("c")),
        (tr("t", "a", "b"), tr("t", "b", "c")),
        data_fields=(field("x"), field("x")),
    )
    found = only(validate(pkg(process)), "duplicate-id")
    assert sorted(d.element_id or "" for d in found) == ["t", "x"]


def test_duplicate_participant_and_application_in_package() -> None:
    package = pkg(
        sequence_process(),
        participants=(Participant(id="r"), Participant(id="r")),
        applications=(Application(id="app"), Application(id="app")),
    )
    found = only(validate(package), "duplicate-id")
    assert sorted(d.element_id or "" for d in found) == ["app", "r"]


def test_duplicate_extended_attribute_is_a_warning() -> None:
    attrs = (
        ExtendedAttribute(name="ParticipantID", value="system"),
        ExtendedAttribute(name="ParticipantID", value="System", line=12),
    )
    process = sequence_process(
        activities=(act("start"), act("work", extended_attributes=attrs), act("end"))
    )
    d = one(validate(pkg(process)), "duplicate-extended-attribute")
    assert (d.severity, d.element_id, d.line) == (Severity.WARNING, "work", 12)


def test_list_valued_shark_extended_attributes_may_repeat() -> None:
    attrs = (
        ExtendedAttribute(name="VariableToProcess_VIEW", value="a"),
        ExtendedAttribute(name="VariableToProcess_VIEW", value="b"),
    )
    assert validate(pkg(sequence_process(extended_attributes=attrs))) == []


# --------------------------------------------------------------------------- transitions


def test_dangling_transition() -> None:
    process = sequence_process(
        transitions=(tr("t1", "start", "work"), tr("t2", "work", "end"), tr("bad", "work", "nope"))
    )
    d = one(validate(pkg(process)), "dangling-transition")
    assert (d.severity, d.element_id) == (Severity.ERROR, "bad")
    assert "'nope'" in d.message


def test_transition_cannot_enter_an_activity_set() -> None:
    inner = ActivitySet(id="s", activities=(act("x"),))
    process = sequence_process(
        activity_sets=(inner,),
        transitions=(tr("t1", "start", "work"), tr("t2", "work", "end"), tr("in", "work", "x")),
    )
    d = one(validate(pkg(process)), "dangling-transition")
    assert d.element_id == "in"
    assert "activity set 's'" in d.message


def test_split_naming_a_transition_that_does_not_leave_it() -> None:
    split = Split(type=GatewayType.EXCLUSIVE, transition_refs=("t1", "t2", "ghost"))
    process = proc(
        "p",
        (act("a", split=split), act("b"), act("c")),
        (tr("t1", "a", "b"), tr("t2", "b", "c")),
    )
    found = only(validate(pkg(process)), "undefined-transition")
    assert [(d.severity, d.element_id) for d in found] == [(Severity.ERROR, "a")] * 2
    assert "'t2' leaves 'b'" in found[0].message
    assert "no transition 'ghost'" in found[1].message


def test_multiple_otherwise() -> None:
    split = Split(type=GatewayType.EXCLUSIVE)
    process = proc(
        "p",
        (act("a", split=split), act("b"), act("c")),
        (
            tr("t1", "a", "b", kind=ConditionType.OTHERWISE),
            tr("t2", "a", "c", kind=ConditionType.OTHERWISE),
        ),
    )
    d = one(validate(pkg(process)), "multiple-otherwise")
    assert (d.severity, d.element_id) == (Severity.ERROR, "a")


def _parallel_with_condition(version: str | None) -> Package:
    process = proc(
        "p",
        (act("a", split=Split(type=GatewayType.PARALLEL)), act("b"), act("c")),
        (tr("t1", "a", "b", "x > 1"), tr("t2", "a", "c")),
        data_fields=(field("x"),),
    )
    return pkg(process, source_version=version)


def test_condition_on_a_parallel_split_is_warned_as_honoured_like_an_inclusive_split() -> None:
    d = one(validate(_parallel_with_condition("2.2")), "condition-unused")
    assert (d.severity, d.element_id) == (Severity.WARNING, "t1")
    # the message says what the engine does (it follows t1 only when x > 1), not that the
    # condition is ignored
    assert "only when the condition holds" in d.message and "takes every" not in d.message


def test_xpdl1_and_split_with_conditions_is_multi_choice_not_unused() -> None:
    assert "condition-unused" not in codes(validate(_parallel_with_condition("1.0")))


def test_condition_on_the_only_transition_without_split_is_fine() -> None:
    process = sequence_process(
        data_fields=(field("x"),),
        transitions=(tr("t1", "start", "work", "x"), tr("t2", "work", "end")),
    )
    assert validate(pkg(process)) == []


# --------------------------------------------------------------------------- graph


def test_empty_process_is_a_warning() -> None:
    d = one(validate(pkg(proc("p", line=3))), "empty-process")
    assert (d.severity, d.element_id, d.line) == (Severity.WARNING, "p", 3)


def test_no_start_and_no_end() -> None:
    process = proc("p", (act("a"), act("b")), (tr("1", "a", "b"), tr("2", "b", "a")))
    found = validate(pkg(process))
    for code in ("no-start", "no-end"):
        d = one(found, code)
        assert (d.severity, d.element_id) == (Severity.ERROR, "p")


def test_no_start_in_an_activity_set() -> None:
    inner = ActivitySet(
        id="s", activities=(act("x"), act("y")), transitions=(tr("1", "x", "y"), tr("2", "y", "x"))
    )
    process = sequence_process(
        activities=(act("start"), act("work", body=BlockActivity(activity_set_id="s")), act("end")),
        activity_sets=(inner,),
    )
    d = one(validate(pkg(process)), "no-start")
    assert d.element_id == "s"
    assert "activity set 's' of process 'p'" in d.message


def test_declared_block_start_counts_as_a_start() -> None:
    inner = ActivitySet(
        id="s",
        activities=(act("x"), act("y"), act("z")),
        transitions=(tr("1", "x", "y"), tr("2", "y", "x"), tr("3", "y", "z")),
        default_start_activity_id="x",
    )
    block = BlockActivity(activity_set_id="s")
    process = sequence_process(
        activities=(act("start"), act("work", body=block), act("end")), activity_sets=(inner,)
    )
    assert validate(pkg(process)) == []


def test_start_and_end_events_without_a_path_between() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    process = proc("p", (start, act("a"), end), (tr("1", "s", "a"),))
    found = validate(pkg(process))
    dead = only(found, "dead-end")
    assert [(d.severity, d.element_id) for d in dead] == [(Severity.WARNING, n) for n in "sa"]
    assert one(found, "unreachable-activity").element_id == "e"


def test_unreachable_activity() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    process = proc(
        "p",
        (start, act("a"), act("island", line=9), end),
        (tr("1", "s", "a"), tr("2", "a", "e"), tr("3", "island", "e")),
    )
    d = one(validate(pkg(process)), "unreachable-activity")
    assert (d.severity, d.element_id, d.line) == (Severity.WARNING, "island", 9)


def test_boundary_event_is_reachable_through_its_activity() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    timer = act(
        "timer", body=Event(position=EventPosition.INTERMEDIATE, trigger="Timer", target="a")
    )
    process = proc(
        "p",
        (start, act("a"), timer, act("late"), end),
        (tr("1", "s", "a"), tr("2", "a", "e"), tr("3", "timer", "late"), tr("4", "late", "e")),
    )
    assert validate(pkg(process)) == []


def test_thrown_intermediate_event_without_outgoing_is_a_deliberate_stop() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    error = act("fail", body=Event(position=EventPosition.INTERMEDIATE, trigger="Error"))
    process = proc(
        "p",
        (start, act("a", split=Split(type=GatewayType.EXCLUSIVE)), error, end),
        (
            tr("1", "s", "a"),
            tr("2", "a", "e", "ok"),
            tr("3", "a", "fail", kind=ConditionType.OTHERWISE),
        ),
        data_fields=(field("ok"),),
    )
    assert validate(pkg(process)) == []


def test_cycle_with_no_exit() -> None:
    process = proc(
        "p",
        (act("a"), act("b", line=5), act("c"), act("d")),
        (tr("1", "a", "b"), tr("2", "b", "c"), tr("3", "c", "b"), tr("4", "a", "d")),
    )
    found = validate(pkg(process))
    d = one(found, "cycle-no-exit")
    assert (d.severity, d.element_id, d.line) == (Severity.ERROR, "b", 5)
    assert "'b', 'c'" in d.message
    assert "dead-end" not in codes(found)  # the cycle itself is reported once, as an error


def test_self_loop_without_exit() -> None:
    process = proc("p", (act("a"), act("b"), act("c")), (tr("1", "a", "b"), tr("2", "b", "b")))
    process = proc("p", (act("a"), act("b"), act("c")), (*process.transitions, tr("3", "a", "c")))
    assert one(validate(pkg(process)), "cycle-no-exit").element_id == "b"


def test_cycle_whose_exit_is_guarded_by_a_condition_has_an_exit() -> None:
    split = Split(type=GatewayType.EXCLUSIVE)
    process = proc(
        "p",
        (act("a"), act("b", split=split), act("c"), act("end")),
        (
            tr("1", "a", "b"),
            tr("2", "b", "c", "retry"),
            tr("3", "c", "b"),
            tr("4", "b", "end", "not retry"),
        ),
        data_fields=(field("retry"),),
    )
    assert validate(pkg(process)) == []


def test_dead_end_upstream_of_a_trap() -> None:
    process = proc(
        "p",
        (act("a", split=Split(type=GatewayType.EXCLUSIVE)), act("d"), act("b"), act("c"), act("e")),
        (
            tr("1", "a", "d", "x"),
            tr("2", "d", "b"),
            tr("3", "b", "c"),
            tr("4", "c", "b"),
            tr("5", "a", "e", kind=ConditionType.OTHERWISE),
        ),
        data_fields=(field("x"),),
    )
    found = validate(pkg(process))
    assert one(found, "dead-end").element_id == "d"
    assert one(found, "cycle-no-exit").element_id == "b"


def _xor_then_and(middle: bool) -> WorkflowProcess:
    xor = Split(type=GatewayType.EXCLUSIVE)
    and_join = Join(type=GatewayType.PARALLEL)
    activities: tuple[Activity, ...]
    transitions: tuple[Transition, ...]
    if middle:
        activities = (act("x", split=xor), act("b1"), act("b2"), act("m"), act("j", join=and_join))
        transitions = (
            tr("1", "x", "b1", "v"),
            tr("2", "x", "b2", kind=ConditionType.OTHERWISE),
            tr("3", "b1", "m"),
            tr("4", "m", "j"),
            tr("5", "b2", "j"),
        )
    else:
        activities = (act("x", split=xor), act("j", join=and_join))
        transitions = (tr("1", "x", "j", "v"), tr("2", "x", "j", kind=ConditionType.OTHERWISE))
    return proc("p", activities, transitions, data_fields=(field("v"),))


@pytest.mark.parametrize("middle", [False, True], ids=["direct", "through-a-chain"])
def test_and_join_after_xor(middle: bool) -> None:
    d = one(validate(pkg(_xor_then_and(middle))), "and-join-after-xor")
    assert (d.severity, d.element_id) == (Severity.WARNING, "j")
    assert "'x'" in d.message


def test_and_join_after_and_split_is_fine() -> None:
    process = proc(
        "p",
        (
            act("x", split=Split(type=GatewayType.PARALLEL)),
            act("b1"),
            act("b2"),
            act("j", join=Join(type=GatewayType.PARALLEL)),
        ),
        (tr("1", "x", "b1"), tr("2", "x", "b2"), tr("3", "b1", "j"), tr("4", "b2", "j")),
    )
    assert validate(pkg(process)) == []


def test_and_join_after_two_different_xor_splits_is_not_reported() -> None:
    xor = Split(type=GatewayType.EXCLUSIVE)
    process = proc(
        "p",
        (
            act("s", split=Split(type=GatewayType.PARALLEL)),
            act("x1", split=xor),
            act("x2", split=xor),
            act("j", join=Join(type=GatewayType.PARALLEL)),
            act("o1"),
            act("o2"),
        ),
        (
            tr("0", "s", "x1"),
            tr("00", "s", "x2"),
            tr("1", "x1", "j", "True"),
            tr("2", "x1", "o1", kind=ConditionType.OTHERWISE),
            tr("3", "x2", "j", "True"),
            tr("4", "x2", "o2", kind=ConditionType.OTHERWISE),
        ),
    )
    assert "and-join-after-xor" not in codes(validate(pkg(process)))


# --------------------------------------------------------------------------- references


def test_undefined_participant_only_for_plain_names() -> None:
    process = sequence_process(
        participants=(Participant(id="clerk"),),
        data_fields=(field("assignee"),),
        activities=(
            act("start", performers=("clerk",)),
            act("work", performers=("nobody",)),
            act("end", performers=("assignee", "lookup('boss')")),
        ),
    )
    d = one(validate(pkg(process)), "undefined-participant")
    assert (d.severity, d.element_id) == (Severity.WARNING, "work")


def test_package_participants_count() -> None:
    process = sequence_process(
        activities=(act("start"), act("work", performers=("clerk",)), act("end"))
    )
    assert validate(pkg(process, participants=(Participant(id="clerk"),))) == []


def test_performers_are_not_reported_when_external_packages_may_define_them() -> None:
    process = sequence_process(
        activities=(act("start"), act("work", performers=("Repository_Par1",)), act("end"))
    )
    external = (ExternalPackage(href="Participant_Repository.xpdl"),)
    assert validate(pkg(process, external_packages=external)) == []


def _tool_activity(app_id: str, *actuals: str) -> Activity:
    tool = ToolCall(application_id=app_id, actual_parameters=actuals)
    return act("work", body=TaskImplementation(tools=(tool,)))


def test_undefined_application() -> None:
    process = sequence_process(activities=(act("start"), _tool_activity("mail"), act("end")))
    d = one(validate(pkg(process)), "undefined-application")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")
    external = pkg(process, external_packages=(ExternalPackage(href="lib.xpdl"),))
    assert one(validate(external), "undefined-application").severity is Severity.WARNING


def _subflow_package(**subflow: object) -> Package:
    body = SubFlowImplementation.model_validate({"process_id": "child", **subflow})
    parent = sequence_process(
        activities=(act("start"), act("work", body=body), act("end")),
        data_fields=(field("x"),),
    )
    child = proc("child", *chain("c1"), formal_parameters=(formal("in1"),))
    return pkg(parent, child)


def test_undefined_process() -> None:
    d = one(validate(_subflow_package(process_id="missing")), "undefined-process")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")


def test_undefined_process_with_package_ref_is_a_warning() -> None:
    found = validate(_subflow_package(process_id="missing", package_ref="other"))
    assert one(found, "undefined-process").severity is Severity.WARNING


def test_undefined_activity_set() -> None:
    process = sequence_process(
        activities=(act("start"), act("work", body=BlockActivity(activity_set_id="s")), act("end"))
    )
    d = one(validate(pkg(process)), "undefined-activity-set")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")


def test_parameter_count_for_subflow() -> None:
    found = validate(_subflow_package(actual_parameters=("x", "x")))
    d = one(found, "parameter-count")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")
    assert validate(_subflow_package(actual_parameters=("x",))) == []


def test_parameter_count_for_tool() -> None:
    app = Application(id="mail", formal_parameters=(formal("to"), formal("body")))
    process = sequence_process(
        activities=(act("start"), _tool_activity("mail", "'a@b'"), act("end"))
    )
    d = one(validate(pkg(process, applications=(app,))), "parameter-count")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")


def _out_call(actual: str) -> Package:
    app = Application(id="calc", formal_parameters=(formal("result", ParameterMode.OUT),))
    process = sequence_process(
        activities=(act("start"), _tool_activity("calc", actual), act("end")),
        data_fields=(field("total"),),
    )
    return pkg(process, applications=(app,))


def test_parameter_mode_out_actual_must_be_a_name() -> None:
    d = one(validate(_out_call("total + 1")), "parameter-mode")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")
    assert validate(_out_call("total")) == []


def test_undefined_data_field_for_out_actual() -> None:
    d = one(validate(_out_call("totl")), "undefined-data-field")
    assert (d.severity, d.element_id) == (Severity.ERROR, "work")


def test_a_data_field_may_be_named_by_its_name_when_that_is_unambiguous() -> None:
    # TIBCO and the WfMC samples key fields by generated ids and refer to them by Name
    app = Application(id="calc", formal_parameters=(formal("result", ParameterMode.OUT),))
    process = sequence_process(
        activities=(act("start"), _tool_activity("calc", "Total"), act("end")),
        data_fields=(DataField(id="f1", name="Total", data_type=STRING),),
    )
    assert "undefined-data-field" not in codes(validate(pkg(process, applications=(app,))))


def test_undefined_data_field_hints_at_fields_sharing_that_name() -> None:
    app = Application(id="calc", formal_parameters=(formal("result", ParameterMode.OUT),))
    process = sequence_process(
        activities=(act("start"), _tool_activity("calc", "Total"), act("end")),
        data_fields=(
            DataField(id="f1", name="Total", data_type=STRING),
            DataField(id="f2", name="Total", data_type=STRING),
        ),
    )
    d = one(validate(pkg(process, applications=(app,))), "undefined-data-field")
    assert "data fields ['f1', 'f2'] are all named 'Total'" in d.message


def test_a_multi_instance_loop_without_its_count_is_an_error() -> None:
    from wfengine.definition.model import MIFlowCondition, MultiInstanceLoop

    no_count = act("work", loop=MultiInstanceLoop())
    no_flow = act(
        "work", loop=MultiInstanceLoop(mi_condition="3", flow_condition=MIFlowCondition.COMPLEX)
    )
    for activity, words in ((no_count, "has no MI_Condition"), (no_flow, "Complex but no")):
        process = sequence_process(activities=(act("start"), activity, act("end")))
        d = one(validate(pkg(process)), "loop-incomplete")
        assert (d.severity, d.element_id) == (Severity.ERROR, "work")
        assert words in d.message


def test_a_block_running_its_own_set_is_an_error() -> None:
    inner = ActivitySet(
        id="s",
        activities=(act("again", body=BlockActivity(activity_set_id="s")),),
    )
    process = sequence_process(
        activities=(act("start"), act("work", body=BlockActivity(activity_set_id="s")), act("end")),
        activity_sets=(inner,),
    )
    d = one(validate(pkg(process)), "block-recursion")
    assert d.element_id == "again" and "recursion belongs in a subflow" in d.message


def test_a_block_starting_at_an_activity_outside_its_set_is_an_error() -> None:
    inner = ActivitySet(id="s", activities=(act("x"),))
    block = BlockActivity(activity_set_id="s", start_activity_id="nowhere")
    process = sequence_process(
        activities=(act("start"), act("work", body=block), act("end")),
        activity_sets=(inner,),
    )
    d = one(validate(pkg(process)), "undefined-activity-set")
    assert "at 'nowhere', which is not an activity of that set" in d.message


def test_an_attached_event_must_name_an_activity_of_its_scope() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    timer = act(
        "timer", body=Event(position=EventPosition.INTERMEDIATE, trigger="Timer", target="x")
    )
    process = proc("p", (start, act("a"), timer, end), (tr("1", "s", "a"), tr("2", "a", "e")))
    [found] = [d for d in validate(pkg(process)) if d.code == "boundary-target"]
    assert found.element_id == "timer" and "'x'" in found.message


def test_an_attached_event_the_engine_does_not_arm_is_a_warning() -> None:
    start = act("s", body=Event(position=EventPosition.START))
    end = act("e", body=Event(position=EventPosition.END))
    link = act("odd", body=Event(position=EventPosition.INTERMEDIATE, trigger="Link", target="a"))
    process = proc("p", (start, act("a"), link, end), (tr("1", "s", "a"), tr("2", "a", "e")))
    [found] = validate(pkg(process))
    assert found.code == "boundary-trigger" and found.severity.value == "warning"
