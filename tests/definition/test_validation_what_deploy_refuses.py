"""Validation reports what the compiler refuses: every text it reads (events' timers and
conditions, scripts, XPDL 2.x ``Assignments``, every actual parameter of a subflow) and the
rules of reminders, assignment to another activity's performer and link events. Before, these
went unchecked, so ``wfengine validate`` passed processes that deploy then refused (found by
the validate/deploy agreement property: a timer cycle of one unassigned character, a subflow's
OUT actual that was no name). And two SubFlow attributes deploy accepted but did not follow:
``StartActivityId`` and ``InstanceDataField``."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Activity, Package, SubFlowImplementation, XmlNode
from wfengine.definition.namespaces import XPDL22_NS
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

X = "{" + XPDL22_NS + "}"


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


def _event(**spec: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    p.activity("a").intermediate("e", **spec).activity("b").sequence("a", "e", "b")  # type: ignore[arg-type]
    return pb.build()


def _boundary(**spec: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("work", performer="clerk").activity("late").activity("done")
    p.intermediate("timer", attached_to="work", **spec)  # type: ignore[arg-type]
    p.sequence("work", "done").transition("timer", "late")
    return pb.build()


def _script(text: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    p.activity("calc", script=text)
    return pb.build()


def _assignments(target: str, expression: str) -> Package:
    assignment = XmlNode(
        tag=X + "Assignment",
        attrs=(("AssignTime", "End"),),
        children=(
            XmlNode(tag=X + "Target", children=(XmlNode(tag=X + "Expression", text=target),)),
            XmlNode(tag=X + "Expression", text=expression),
        ),
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    extras = (XmlNode(tag=X + "Assignments", children=(assignment,)),)
    p.add_activity(Activity(id="a", extras=extras))
    return pb.build()


def _tool_call(actual: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.application("app", params=[("given", "IN", "STRING")])
    pb.process("main").activity("call", tool="app", args=[actual])
    return pb.build()


def _refused(package: Package, code: str) -> Diagnostic:
    """The one error finding, which deploy refuses the package for."""
    [finding] = _errors(package)
    assert finding.code == code, finding
    with pytest.raises(DeployError, match=code):
        Engine().deploy(package, strict=True)  # strict: a package's other processes are fine
    return finding


@pytest.mark.parametrize(
    ("package", "what"),
    [
        (_event(timer="amount +"), "the timer cycle of activity 'e'"),
        (_event(timer="R3/amount +"), "the timer cycle of activity 'e'"),
        (_event(at="amount +"), "the timer date of activity 'e'"),
        (_event(condition="amount >"), "the event condition of activity 'e'"),
        (_boundary(timer="amount *"), "the timer cycle of activity 'timer'"),
        (_script("x = amount + 1; y = amount +"), "the script's assignment to 'y'"),
        (_assignments("amount", "amount +"), "assignment 1 (amount =) of activity 'a'"),
        (_assignments("amount", ""), "assignment 1 (amount =) of activity 'a'"),
        (_event(timer="R/"), "the timer cycle of activity 'e'"),
        (_tool_call(""), "actual parameter 1 of activity 'call'"),
        # what the property found: a character with no Unicode meaning cannot be parsed
        (_event(timer="\U00018cd6"), "the timer cycle of activity 'e'"),
    ],
    ids=[
        *("cycle", "repeating", "date", "condition", "boundary", "script", "assignment"),
        *("empty assignment", "repeat alone", "empty application actual", "U+18CD6"),
    ],
)
def test_a_text_that_does_not_parse_is_a_syntax_error(package: Package, what: str) -> None:
    finding = _refused(package, "expression-syntax")
    assert finding.message.startswith(what), finding.message
    assert finding.element_id in {"e", "timer", "calc", "a", "call"}


@pytest.mark.parametrize("cycle", ["R/PT0S", "R3/0 seconds"])
def test_a_repeating_timer_needs_an_interval_above_zero(cycle: str) -> None:
    finding = _refused(_event(timer=cycle), "timer-cycle")
    assert "repeats every" in finding.message and "'e'" in finding.message


def test_an_assignment_to_no_field_name_is_refused() -> None:
    finding = _refused(_assignments("amount + 1", "2"), "assignment-target")
    assert "'amount + 1'" in finding.message and finding.element_id == "a"


@pytest.mark.parametrize(
    "package",
    [
        _event(timer="PT0S"),  # fires at once: allowed, not a deadline
        _event(timer="R3/PT1H"),
        _event(timer="amount * 60"),
        _event(at="2026-12-24T18:00:00Z"),
        _event(at="3600"),  # seconds, as TIBCO writes
        _event(condition="amount > 3"),
        _boundary(timer="P2D"),
        _script("var total = amount * 2; doubled = total + 1"),
        _assignments("amount", "amount + 1"),
    ],
    ids=["zero", "repeat", "expr", "date", "seconds", "cond", "boundary", "script", "assign"],
)
def test_texts_that_read_are_accepted_and_deploy(package: Package) -> None:
    findings = validate(package)
    assert [d for d in findings if d.severity is Severity.ERROR] == []
    # a script's later statement sees what the earlier ones assigned
    assert [d for d in findings if d.code == "expression-unknown-name"] == []
    assert Engine().deploy(package)


def test_an_unknown_name_in_an_event_condition_is_a_warning() -> None:
    [finding] = [d for d in validate(_event(condition="amout > 3")) if d.code.startswith("expr")]
    assert finding.code == "expression-unknown-name" and "'amout'" in finding.message
    assert finding.severity is Severity.WARNING


def _with_attribute(name: str, value: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("review", performer="clerk")
    p.activity("approve", performer="clerk", extended={name: value})
    p.transition("review", "approve")
    return pb.build()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("wfengine:reminder-after", "PT0S"),
        ("wfengine:reminder-every", "soon"),
        ("wfengine:escalate-after", "-1"),
        ("wfengine:reminder-every", "PT0.001S"),  # would flood people with notifications
    ],
)
def test_a_reminder_interval_must_be_a_duration_above_zero(name: str, value: str) -> None:
    finding = _refused(_with_attribute(name, value), "reminder-duration")
    assert name in finding.message and repr(value) in finding.message
    assert finding.element_id == "approve"


@pytest.mark.parametrize(
    "name", ["AssignToPerformerOfActivity", "DoNotAssignToPerformerOfActivity"]
)
def test_assignment_by_another_activitys_performer_must_name_an_activity(name: str) -> None:
    finding = _refused(_with_attribute(name, "reveiw"), "performer-activity")
    assert "'reveiw'" in finding.message and finding.element_id == "approve"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("wfengine:reminder-after", "PT4H"),
        ("wfengine:reminder-every", "1 day"),
        ("AssignToPerformerOfActivity", "review"),
        ("DoNotAssignToPerformerOfActivity", "review"),
    ],
)
def test_good_work_rules_pass_and_deploy(name: str, value: str) -> None:
    package = _with_attribute(name, value)
    assert _errors(package) == []
    assert Engine().deploy(package)


def _links(*catching: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").intermediate("go", link="next", throw=True).sequence("a", "go")
    for node in catching:
        p.intermediate(node, link="next").activity(f"after_{node}").sequence(node, f"after_{node}")
    return pb.build()


def test_two_catching_links_of_one_name_are_refused() -> None:
    finding = _refused(_links("here", "there"), "link-duplicate")
    assert finding.element_id == "there" and "'here'" in finding.message
    assert _errors(_links("here")) == []
    assert Engine().deploy(_links("here"))


def _subflow(out_actual: str, package_ref: str | None) -> Package:
    pb = PackageBuilder("pkg")
    child = pb.process("child").param("given", "IN", "STRING").param("answer", "OUT", "STRING")
    child.activity("work")
    main = pb.process("main")
    main.data_field("result", "STRING")
    main.subflow("call", process="child", args=["'x'", out_actual], package_ref=package_ref)
    return pb.build()


@pytest.mark.parametrize("package_ref", [None, "other"])
def test_a_subflow_actual_the_compiler_cannot_read_is_a_syntax_error(
    package_ref: str | None,
) -> None:
    """A subflow's OUT actual is a name; the compiler reads every subflow actual as an
    expression (the called process, perhaps in another package, says the modes at run time),
    so one that does not parse is refused, with a PackageRef (a warning elsewhere) too."""
    package = _subflow(":", package_ref)
    [syntax] = [d for d in _errors(package) if d.code == "expression-syntax"]
    assert "actual parameter 2" in syntax.message and syntax.element_id == "call"
    with pytest.raises(DeployError, match="expression-syntax"):
        Engine().deploy(package, strict=True)  # the package's other process is fine
    # a name reads: no syntax error, and no unknown-name warning on top of the reference
    # checks' own findings
    findings = validate(_subflow("result", package_ref))
    assert [d for d in findings if d.code.startswith("expression")] == []
    assert [d for d in findings if d.severity is Severity.ERROR] == []


def _start_at(activity_id: str, activity_set: str | None = None) -> Package:
    """A process calling ``child`` (first -> second) and asking to start it at ``activity_id``
    (in ``activity_set``, when given)."""
    pb = PackageBuilder("pkg")
    child = pb.process("child")
    child.activity("first").activity("second").sequence("first", "second")
    child.activity_set("set").activity("inner")
    pb.process("main").subflow("call", process="child")
    package = pb.build()
    child_model, main = package.workflow_processes
    [call] = main.activities
    assert isinstance(call.body, SubFlowImplementation)
    body = call.body.model_copy(
        update={"start_activity_id": activity_id, "start_activity_set_id": activity_set}
    )
    main = main.model_copy(update={"activities": (call.model_copy(update={"body": body}),)})
    return package.model_copy(update={"workflow_processes": (child_model, main)})


def test_a_subflow_starts_its_process_at_its_start_activity() -> None:
    """XPDL 2.x ``StartActivityId`` on a SubFlow: the called process starts there."""
    engine = Engine()
    engine.deploy(_start_at("second"))
    iid = engine.start_process("main")
    [child] = [i for i in engine.instances() if i.process_id == "child"]
    assert engine.trace(child.id) == ["second"]
    assert engine.instance(iid).state.value == "closed.completed"


def test_a_subflow_start_activity_that_is_not_there_is_refused() -> None:
    finding = _refused(_start_at("nowhere"), "subflow-start-activity")
    assert "'nowhere'" in finding.message and finding.element_id == "call"


def test_a_start_inside_an_activity_set_is_not_followed_and_validation_says_so() -> None:
    package = _start_at("inner", "set")
    [warning] = [d for d in validate(package) if d.code == "subflow-start"]
    assert warning.severity is Severity.WARNING and "'set'" in warning.message
    assert _errors(package) == []
    engine = Engine()
    engine.deploy(package)
    engine.start_process("main")
    [child] = [i for i in engine.instances() if i.process_id == "child"]
    assert engine.trace(child.id) == ["first", "second"]  # from its own start


def _keeping_id(field: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.process("child").activity("work")
    main = pb.process("main")
    main.data_field("child_id", "STRING")
    main.subflow("call", process="child", execution="ASYNCHR").activity("after")
    main.transition("call", "after")
    package = pb.build()
    child, process = package.workflow_processes
    call = process.activities[0]
    assert isinstance(call.body, SubFlowImplementation)
    body = call.body.model_copy(update={"instance_data_field": field})
    activities = (call.model_copy(update={"body": body}), *process.activities[1:])
    process = process.model_copy(update={"activities": activities})
    return package.model_copy(update={"workflow_processes": (child, process)})


def test_a_subflow_keeps_the_called_instances_id_in_its_instance_data_field() -> None:
    """XPDL 2.x ``InstanceDataField``: the caller's field takes the id of the instance the
    subflow started (to correlate with an asynchronous one later)."""
    engine = Engine()
    engine.deploy(_keeping_id("child_id"))
    iid = engine.start_process("main")
    [child] = [i for i in engine.instances() if i.process_id == "child"]
    assert engine.instance(iid).data["child_id"] == child.id
    assert validate(_keeping_id("child_id")) == []


def test_an_instance_data_field_that_is_no_field_is_a_warning() -> None:
    [warning] = [d for d in validate(_keeping_id("chld_id")) if d.code == "undefined-data-field"]
    assert warning.severity is Severity.WARNING and "'chld_id'" in warning.message


def _nested_blocks(levels: int) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").block("b0", activity_set="set1").end("e")
    p.sequence("s", "b0", "e")
    for i in range(1, levels):
        p.activity_set(f"set{i}").block(f"b{i}", activity_set=f"set{i + 1}")
    p.activity_set(f"set{levels}").activity("leaf")
    return pb.build()


def test_blocks_nested_deeper_than_the_limit_are_refused() -> None:
    """Activity sets are flat in the file, so the document's depth limit did not bound them:
    300 nested blocks validated clean and crashed the engine with RecursionError (350 crashed
    deploy itself). One finding, at the outermost block."""
    finding = _refused(_nested_blocks(300), "block-depth")
    assert finding.element_id == "b0" and "more than 32 deep" in finding.message
    engine = Engine()
    engine.deploy(_nested_blocks(32))  # the limit itself is fine
    assert engine.trace(engine.start_process("main"))[-2:] == ["b0", "e"]


@pytest.mark.parametrize(
    ("keys", "hint"),
    [("ordr_no", False), ("order_no; phone", True), ("order_no, phon", False)],
)
def test_a_correlation_key_that_is_no_field_is_refused(keys: str, hint: bool) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", keys)
    p.data_field("order_no", "INTEGER")
    p.data_field("phone", "STRING")
    p.start("s").intermediate("c", message="m").end("e").sequence("s", "c", "e")
    package = pb.build()
    (finding,) = _errors(package)
    assert finding.code == "undefined-data-field" and finding.element_id == "main"
    assert "wfengine:correlation" in finding.message
    assert ("separate keys with commas" in finding.message) is hint
    with pytest.raises(DeployError, match="undefined-data-field"):
        Engine().deploy(package)


def test_correlation_keys_naming_fields_and_parameters_pass() -> None:
    pb = PackageBuilder("pkg")
    pb.data_field("tenant", "STRING")
    p = pb.process("main").extended_attribute("wfengine:correlation", "tenant , order_no")
    p.data_field("order_no", "INTEGER")
    p.start("s").intermediate("c", message="m").end("e").sequence("s", "c", "e")
    assert validate(pb.build()) == []


def test_an_event_subprocess_the_engine_never_starts_is_a_warning() -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    sub = p.activity_set("es", triggered_by_event=True)
    sub.start("cs", condition="x > 100").activity("big", performer="clerk").end("be")
    sub.sequence("cs", "big", "be")
    p.block("on_big", activity_set="es")
    (finding,) = validate(pb.build())
    assert finding.code == "boundary-trigger" and finding.severity is Severity.WARNING
    assert finding.element_id == "on_big"
    assert "'Conditional'" in finding.message and "never starts" in finding.message
