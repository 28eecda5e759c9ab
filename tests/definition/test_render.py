"""DOT rendering: shapes by kind, edge labels, swimlanes, determinism and hostile ids."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    Condition,
    ConditionType,
    Event,
    EventPosition,
    GatewayType,
    NoImplementation,
    Package,
    Participant,
    Route,
    Split,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.render import (
    activity_kind,
    dot_quote,
    package_to_dot,
    process_to_dot,
    transition_label,
)


def _node_line(dot: str, node_id: str) -> str:
    """The DOT statement that declares node ``node_id``."""
    prefix = dot_quote(node_id) + " ["
    lines = [line.strip() for line in dot.splitlines() if line.strip().startswith(prefix)]
    assert len(lines) == 1, f"expected one declaration of {node_id!r} in:\n{dot}"
    return lines[0]


def _process() -> WorkflowProcess:
    return WorkflowProcess(
        id="p",
        name="Claims",
        participants=(Participant(id="clerk", name="Claims clerk"),),
        activities=(
            Activity(id="start", name="Claim in", body=Event(position=EventPosition.START)),
            Activity(id="register", name="Register claim", performers=("clerk",)),
            Activity(
                id="decide",
                body=Route(gateway_type=GatewayType.EXCLUSIVE),
                split=Split(type=GatewayType.EXCLUSIVE),
            ),
            Activity(
                id="pay",
                name="Pay",
                body=TaskImplementation(tools=(ToolCall(application_id="bank"),)),
                performers=("finance",),
            ),
            Activity(id="end", body=Event(position=EventPosition.END, trigger="Terminate")),
        ),
        transitions=(
            Transition(id="t1", from_="start", to="register"),
            Transition(id="t2", from_="register", to="decide"),
            Transition(
                id="t3",
                from_="decide",
                to="pay",
                condition=Condition(type=ConditionType.CONDITION, expression="amount < 1000"),
            ),
            Transition(
                id="t4", from_="decide", to="end", condition=Condition(type=ConditionType.OTHERWISE)
            ),
            Transition(
                id="t5",
                from_="pay",
                to="end",
                condition=Condition(type=ConditionType.EXCEPTION, expression="bank_down"),
            ),
        ),
    )


def test_shapes_follow_the_activity_kind() -> None:
    dot = process_to_dot(_process())
    assert 'shape="circle"' in _node_line(dot, "start")
    assert 'shape="circle"' in _node_line(dot, "end")
    route = _node_line(dot, "decide")
    assert 'shape="diamond"' in route and 'label="Exclusive"' in route
    task = _node_line(dot, "pay")
    assert 'shape="box"' in task and "bank" in task


def test_parallel_route_is_labelled_parallel_from_its_split_when_untyped() -> None:
    activity = Activity(id="fork", body=Route(), split=Split(type=GatewayType.PARALLEL))
    dot = process_to_dot(WorkflowProcess(id="p", activities=(activity,)))
    assert 'label="Parallel"' in _node_line(dot, "fork")


def test_edges_carry_condition_otherwise_and_exception() -> None:
    dot = process_to_dot(_process())
    assert '"decide" -> "pay"' in dot and 'label="amount < 1000"' in dot
    assert re.search(r'"decide" -> "end" \[[^\]]*label="OTHERWISE"', dot)
    exception = next(line for line in dot.splitlines() if '"pay" -> "end"' in line)
    assert 'label="EXCEPTION bank_down"' in exception and 'style="dashed"' in exception


def test_swimlanes_are_clusters_named_after_the_participant() -> None:
    dot = process_to_dot(_process())
    clusters = re.findall(r'subgraph "(cluster_[^"]+)" \{\n\s*graph \[label="([^"]*)"\]', dot)
    assert [label for _, label in clusters] == ["Claims clerk", "finance"]
    # the lane holds its activity
    clerk_lane = dot.split('label="Claims clerk"', 1)[1].split("}", 1)[0]
    assert '"register"' in clerk_lane


def test_package_participants_name_the_lanes_too() -> None:
    process = _process().model_copy(update={"participants": ()})
    package = Package(
        id="pkg",
        participants=(Participant(id="clerk", name="Clerk"),),
        workflow_processes=(process,),
    )
    assert 'graph [label="Clerk"]' in package_to_dot(package)


def test_output_is_deterministic() -> None:
    assert process_to_dot(_process()) == process_to_dot(_process())


def test_unknown_process_is_a_key_error_naming_the_known_ones() -> None:
    package = Package(id="pkg", workflow_processes=(_process(),))
    with pytest.raises(KeyError, match="has: p"):
        package_to_dot(package, "nope")


def test_dangling_transition_is_drawn_as_a_missing_node() -> None:
    process = WorkflowProcess(
        id="p",
        activities=(Activity(id="a"),),
        transitions=(Transition(id="t", from_="a", to="ghost"),),
    )
    assert "missing: ghost" in _node_line(process_to_dot(process), "ghost")


def test_block_activity_sets_are_clusters_linked_from_the_block() -> None:
    inner = ActivitySet(id="s1", name="Checks", activities=(Activity(id="a"), Activity(id="b")))
    process = WorkflowProcess(
        id="p",
        activities=(Activity(id="block", body=BlockActivity(activity_set_id="s1")),),
        activity_sets=(inner,),
    )
    dot = process_to_dot(process)
    assert "activity set Checks" in dot
    assert '"block" -> "s1/a"' in dot
    assert _node_line(dot, "s1/b")


@pytest.mark.parametrize(
    ("activity", "kind"),
    [
        (Activity(id="x", body=Route()), "route"),
        (Activity(id="x", body=Event(position=EventPosition.END)), "event"),
        (Activity(id="x", body=SubFlowImplementation(process_id="q")), "subflow"),
        (Activity(id="x", body=BlockActivity(activity_set_id="s")), "block"),
        (Activity(id="x", body=TaskImplementation(tools=(ToolCall(application_id="a"),))), "tool"),
        (Activity(id="x", body=TaskImplementation(task=TaskKind.USER)), "user"),
        (Activity(id="x", body=NoImplementation(), performers=("clerk",)), "manual"),
        (Activity(id="x", body=NoImplementation()), "none"),
    ],
)
def test_activity_kind(activity: Activity, kind: str) -> None:
    assert activity_kind(activity) == kind


def test_transition_label_quotes_the_name_apart_from_the_condition() -> None:
    # a Name is not tested by the engine: drawn in quotes, it cannot read as a condition
    assert (
        transition_label(Transition(id="t", from_="a", to="b", name="next")) == "\u201cnext\u201d"
    )
    cond = Condition(type=ConditionType.CONDITION, expression="x > 1")
    both = Transition(id="t", from_="a", to="b", name="Yes", condition=cond)
    assert transition_label(both) == "x > 1\n\u201cYes\u201d"
    assert transition_label(Transition(id="t", from_="a", to="b")) == ""


# --------------------------------------------------------------------------- hostile input

HOSTILE = [
    'a" [shape=none label=<<b>x</b>>] evil [label="',
    "back\\slash\\N\\G\\l",
    "new\nline\r\nand\ttab",
    "}\ndigraph x {",
    "ctrl\x01\x7f\x85chars",
    "<html>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_quote_cannot_be_escaped(text: str) -> None:
    quoted = dot_quote(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    body = quoted[1:-1]
    # every double quote inside is escaped, and no raw line break or control character is left
    assert re.search(r'(?<!\\)(\\\\)*"', body) is None
    assert not any(ord(c) < 0x20 for c in body)


def _hostile_process() -> WorkflowProcess:
    activities = tuple(
        Activity(id=f"{text}{i}", name=text, performers=(text,)) for i, text in enumerate(HOSTILE)
    )
    transitions = tuple(
        Transition(
            id=f"t{i}",
            from_=activities[i].id,
            to=activities[i + 1].id,
            condition=Condition(type=ConditionType.CONDITION, expression=HOSTILE[i]),
        )
        for i in range(len(activities) - 1)
    )
    return WorkflowProcess(
        id=HOSTILE[0], name=HOSTILE[1], activities=activities, transitions=transitions
    )


def test_hostile_ids_stay_inside_their_strings() -> None:
    dot = process_to_dot(_hostile_process())
    # what is left once every DOT string is taken out is the structure this module wrote
    skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', "S", dot)
    assert "evil" not in skeleton and "<" not in skeleton
    assert skeleton.count("digraph") == 1
    assert skeleton.count("{") == skeleton.count("}")
    assert skeleton.count(" -> ") == len(HOSTILE) - 1
    assert skeleton.count("subgraph") == len(HOSTILE)  # one swimlane per hostile performer


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_graphviz_reads_hostile_output_with_exactly_the_drawn_nodes() -> None:
    dot = process_to_dot(_hostile_process())
    result = subprocess.run(
        [str(shutil.which("dot")), "-Tplain"],
        input=dot.encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    nodes = [line for line in result.stdout.decode().splitlines() if line.startswith("node ")]
    edges = [line for line in result.stdout.decode().splitlines() if line.startswith("edge ")]
    assert len(nodes) == len(HOSTILE)
    assert len(edges) == len(HOSTILE) - 1


def test_event_based_gateways_and_attached_events_are_drawn_as_such() -> None:
    from wfengine import PackageBuilder
    from wfengine.definition.render import process_to_dot

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work").activity("late").route("gw", gateway="EventBased")
    p.intermediate("timeout", attached_to="work", timer="PT1H")
    p.intermediate("reminder", attached_to="work", timer="R/PT1H", interrupting=False)
    p.intermediate("reply", message="reply").activity("done")
    p.sequence("work", "gw", "reply", "done").transition("timeout", "late")
    dot = process_to_dot(pb.build().workflow_processes[0])
    assert 'label="Event-based"' in dot
    assert '"work" -> "timeout" [style="dotted", arrowhead="none", label="interrupts"]' in dot
    assert '"work" -> "reminder" [style="dotted", arrowhead="none", label="beside"]' in dot


def test_an_error_boundary_event_is_drawn_interrupting_whatever_it_says() -> None:
    """An Error (or Cancel) boundary event always ends its activity, as the engine runs it
    (``Event.interrupts``): one written ``isInterrupting="false"`` was drawn "beside"."""
    from wfengine import load_xpdl
    from wfengine.definition.render import process_to_dot

    ns = "http://www.wfmc.org/2009/XPDL2.2"
    text = f"""<Package xmlns="{ns}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader><WorkflowProcesses>
<WorkflowProcess Id="P"><ProcessHeader/><Activities>
<Activity Id="work"/><Activity Id="late"/>
<Activity Id="failed"><Event><IntermediateEvent Trigger="Error" Target="work"
 Interrupting="false"><ResultError ErrorCode="E1"/></IntermediateEvent></Event></Activity>
<Activity Id="note"><Event><IntermediateEvent Trigger="Timer" Target="work"
 Interrupting="false"><TriggerTimer><TimeCycle>PT1H</TimeCycle></TriggerTimer>
</IntermediateEvent></Event></Activity>
</Activities><Transitions><Transition Id="t" From="failed" To="late"/></Transitions>
</WorkflowProcess></WorkflowProcesses></Package>"""
    process = load_xpdl(text.encode(), schema=False).workflow_processes[0]
    assert process.activity("failed").event.interrupting is False  # type: ignore[union-attr]
    dot = process_to_dot(process)
    assert '"work" -> "failed" [style="dotted", arrowhead="none", label="interrupts"]' in dot
    assert '"work" -> "note" [style="dotted", arrowhead="none", label="beside"]' in dot
