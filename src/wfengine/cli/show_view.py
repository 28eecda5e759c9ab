"""What ``wfengine show`` prints: a package's facts as JSON-ready data (``package_summary``)
and as text (``render_text``).

Apart from the command (:mod:`wfengine.cli.show_cmd`) because it reads the whole definition
model, which the command loads only when it runs (``wfengine --help`` stays light).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wfengine.cli.declared_data import type_name
from wfengine.definition.checks.cancel_remaining import cancels_remaining
from wfengine.definition.graph import is_boundary_event
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Application,
    ArrayType,
    BlockActivity,
    DataField,
    Event,
    FormalParameter,
    GatewayType,
    ListType,
    MultiInstanceLoop,
    Package,
    Participant,
    ReferenceImplementation,
    Route,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.render import activity_kind, condition_label, gateway_name
from wfengine.definition.run_facts import event_subprocess_start, is_event_subprocess
from wfengine.one_line import one_line

Summary = dict[str, Any]


def _typed(item: DataField | FormalParameter) -> Summary:
    """``type`` as messages read it (``STRING``, ``declared:Money``: the type of each value,
    as it always was in the JSON) and ``is_array`` (the field holds a list of such values,
    and whoever starts an instance must give it one). A field typed ``<ArrayType>`` or
    ``<ListType>`` (XPDL's other way to say it) reads as its element's type and an array: it was
    ``"type": "array"`` with ``"is_array": false``, the element's type lost."""
    data_type = item.data_type
    if isinstance(data_type, ArrayType | ListType) and not item.is_array:
        return {"type": type_name(data_type.element), "is_array": True}
    return {"type": type_name(data_type), "is_array": item.is_array}


def _shown_type(item: Summary) -> str:
    """A summarised field's or parameter's type as the text reads it: ``array of STRING``."""
    return f"array of {item['type']}" if item.get("is_array") else str(item["type"])


def _participant(p: Participant) -> Summary:
    return {"id": p.id, "name": p.name, "type": p.type.value}


def _application(a: Application) -> Summary:
    return {
        "id": a.id,
        "name": a.name,
        "parameters": [
            {"id": f.id, "mode": f.mode.value, **_typed(f)} for f in a.formal_parameters
        ],
    }


def _data_field(f: DataField) -> Summary:
    return {
        "id": f.id,
        "name": f.name,
        **_typed(f),
        "initial_value": f.initial_value,
    }


def _activity_detail(activity: Activity) -> str | None:
    """The one fact that says most about an activity of its kind."""
    body = activity.body
    if isinstance(body, Route):
        return gateway_name(activity)
    if isinstance(body, Event):
        # XPDL spells "no trigger" as the word None, which a summary must not print
        has_trigger = body.trigger and body.trigger != "None"
        return f"{body.position.value} {body.trigger}" if has_trigger else body.position.value
    if isinstance(body, TaskImplementation) and body.tools:
        return ", ".join(t.application_id for t in body.tools)
    if isinstance(body, SubFlowImplementation):
        return body.process_id
    if isinstance(body, BlockActivity):
        return body.activity_set_id
    if isinstance(body, ReferenceImplementation):
        return body.activity_id
    return None


def _attachment(activity: Activity) -> Summary:
    """``attached_to``: the activity a boundary event is attached to (its ``Target``), and
    ``interrupting``: whether catching it ends that activity, as the engine runs it (an Error
    or Cancel always does); both None for any other activity. Why: such an event has no
    transition in, so without them it read as a dangling event nothing leads to, where
    ``render`` draws it hanging off its activity."""
    event = activity.event
    if event is None or not is_boundary_event(activity):
        return {"attached_to": None, "interrupting": None}
    return {"attached_to": event.target, "interrupting": event.interrupts}


def _repeats(activity: Activity) -> Summary:
    """``loop``: how the activity runs more than once (a Standard loop's condition, test time
    and maximum; a multi-instance's ordering, count and flow condition), null when it runs
    once; ``execution``: a subflow's ``SYNCHR`` or ``ASYNCHR`` (the caller goes on at once),
    null for any other activity. Why: both read as a plain ``[manual] by clerk`` before."""
    loop = activity.loop
    shown: Summary | None = None
    if isinstance(loop, StandardLoop):
        shown = {
            "kind": "standard",
            "condition": loop.condition,
            "test_time": loop.test_time.value,
            "maximum": loop.maximum,
        }
    elif isinstance(loop, MultiInstanceLoop):
        shown = {
            "kind": "multi_instance",
            "ordering": loop.ordering.value,
            "count": loop.mi_condition,
            "flow_condition": loop.flow_condition.value,
            "complex_flow_condition": loop.complex_flow_condition,
        }
    body = activity.body
    execution = body.execution.value if isinstance(body, SubFlowImplementation) else None
    return {"loop": shown, "execution": execution}


def _joining(activity: Activity) -> Summary:
    """``join_condition``: a Complex join's ``IncomingCondition`` as the engine tests it (the
    Join's, or the Route's, which the reader puts there), null for any other activity or a
    Complex join with none (which waits as an Inclusive join); ``cancel_remaining``: whether
    its ``wfengine:cancelRemaining`` says yes, as the engine reads it, for a Complex join or a
    multi-instance activity, null for any other. Why: these two alone tell a discriminator
    from a partial join, a thread merge, or a cancelling one (WCP9, WCP28-32, WCP41); without
    them every Complex join read ``join Complex``, as a plain AND join might."""
    complex_join = activity.join_gateway is GatewayType.COMPLEX
    condition = activity.join.incoming_condition if activity.join is not None else None
    marked = complex_join or isinstance(activity.loop, MultiInstanceLoop)
    return {
        "join_condition": condition if complex_join and (condition or "").strip() else None,
        "cancel_remaining": cancels_remaining(activity) if marked else None,
    }


def _activity(a: Activity, lanes: LanePerformers, named: Mapping[str, Activity]) -> Summary:
    """One activity as it runs: an activity that names no performer and is drawn in a pool
    lane that names some has the lane's performers (and a person's mode), as the runtime
    gives it them; ``performer_lane`` then names the lane they come from. A boundary event
    says what it is attached to (:func:`_attachment`)."""
    a, lane = lanes.shown(a, named)
    return {
        "id": a.id,
        "name": a.name,
        "kind": activity_kind(a),
        "detail": _activity_detail(a),
        "performers": list(a.performers),
        "performer_lane": lane,
        # as the engine runs them: a Route's GatewayType over a Join/Split Type that
        # contradicts it (``gateway-conflict``), where the written Type was shown
        "join": _gateway_value(a.join_gateway) if a.join is not None else None,
        "split": _gateway_value(a.split_gateway) if a.split is not None else None,
        **_attachment(a),
        **_repeats(a),
        **_joining(a),
    }


def _gateway_value(gateway: GatewayType | None) -> str | None:
    return gateway.value if gateway is not None else None


def _transition(t: Transition) -> Summary:
    return {
        "id": t.id,
        "from": t.from_,
        "to": t.to,
        "name": t.name,
        "condition_type": t.condition.type.value
        if t.condition is not None and t.condition.type is not None
        else None,
        "condition": t.condition.expression if t.condition is not None else None,
    }


def _flow(
    activities: Sequence[Activity],
    transitions: Sequence[Transition],
    lanes: LanePerformers,
    named: Mapping[str, Activity],
) -> Summary:
    return {
        "activities": [_activity(a, lanes, named) for a in activities],
        "transitions": [_transition(t) for t in transitions],
    }


def _activity_set(
    p: WorkflowProcess, s: ActivitySet, lanes: LanePerformers, named: Mapping[str, Activity]
) -> Summary:
    """One activity set; ``event_subprocess`` says whether an event starts it (with the
    ``trigger`` of its start event, and whether catching it ``interrupting`` ends its
    scope; both null when it is none, or has no triggered start, which the engine never
    arms), as against a block running it as a step."""
    start = event_subprocess_start(p, s)
    return {
        "id": s.id,
        "name": s.name,
        "event_subprocess": is_event_subprocess(s),
        "trigger": start.trigger if start is not None else None,
        "interrupting": start.interrupts if start is not None else None,
        **_flow(s.activities, s.transitions, lanes, named),
    }


def _process(p: WorkflowProcess, lanes: LanePerformers) -> Summary:
    #: what a Reference activity may name, as the runtime compiler reads it
    named = {a.id: a for a in (*p.activities, *(x for s in p.activity_sets for x in s.activities))}
    return {
        "id": p.id,
        "name": p.name,
        "parameters": [
            {"id": f.id, "mode": f.mode.value, **_typed(f)} for f in p.formal_parameters
        ],
        "participants": [_participant(x) for x in p.participants],
        "applications": [_application(x) for x in p.applications],
        "data_fields": [_data_field(x) for x in p.data_fields],
        **_flow(p.activities, p.transitions, lanes, named),
        "activity_sets": [_activity_set(p, s, lanes, named) for s in p.activity_sets],
    }


def package_summary(package: Package) -> Summary:
    """The facts ``show`` prints, as plain JSON-ready data in definition order."""
    lanes = LanePerformers(package)  # who works on an activity that names nobody
    return {
        "id": package.id,
        "name": package.name,
        "source_version": package.source_version,
        "file": package.source_file,
        "participants": [_participant(x) for x in package.participants],
        "applications": [_application(x) for x in package.applications],
        "data_fields": [_data_field(x) for x in package.data_fields],
        "processes": [_process(p, lanes) for p in package.workflow_processes],
    }


# --------------------------------------------------------------------------- text form


def _named(item: Summary) -> str:
    return f"{item['id']} ({item['name']})" if item.get("name") else str(item["id"])


def _section(lines: list[str], indent: str, title: str, rows: list[str]) -> None:
    if rows:
        lines.append(f"{indent}{title} ({len(rows)}):")
        lines.extend(f"{indent}  {row}" for row in rows)


def _context_sections(lines: list[str], indent: str, scope: Summary) -> None:
    _section(
        lines,
        indent,
        "Participants",
        [f"{_named(p)}  {p['type']}" for p in scope["participants"]],
    )
    _section(
        lines,
        indent,
        "Applications",
        [
            _named(a)
            + (
                "  ("
                + ", ".join(f"{f['mode']} {f['id']}: {_shown_type(f)}" for f in a["parameters"])
                + ")"
                if a["parameters"]
                else ""
            )
            for a in scope["applications"]
        ],
    )
    _section(
        lines,
        indent,
        "Data fields",
        [
            f"{_named(f)}: {_shown_type(f)}"
            + (f" = {f['initial_value']}" if f["initial_value"] is not None else "")
            for f in scope["data_fields"]
        ],
    )


def _repeat_text(a: Summary) -> str:
    """What runs more than once or apart, as the text reads it: ``  loop while n < 3 (tested
    After, at most 5)``, ``  multi-instance Parallel, count 3, flow All``, ``  asynchronous``."""
    text = "  asynchronous" if a["execution"] == "ASYNCHR" else ""
    loop = a["loop"]
    if loop is None:
        return text
    if loop["kind"] == "standard":
        text += f"  loop while {loop['condition']}" if loop["condition"] else "  loop"
        text += f" (tested {loop['test_time']}"
        text += f", at most {loop['maximum']})" if loop["maximum"] is not None else ")"
        return text
    text += f"  multi-instance {loop['ordering']}"
    text += f", count {loop['count']}" if loop["count"] else ""
    text += f", flow {loop['flow_condition']}"
    if loop["complex_flow_condition"]:
        text += f" ({loop['complex_flow_condition']})"
    if a["cancel_remaining"] and loop["flow_condition"] != "All":
        text += ", cancelling the rest"
    return text


def _join_text(a: Summary) -> str:
    """How the activity waits for its ways in: ``  join Parallel``; a Complex join with what
    decides it, ``  join Complex (activationCount >= 2, cancelling)`` or ``(..., blocking)``,
    or ``(no condition: waits as an Inclusive join)``."""
    if not a["join"]:
        return ""
    text = f"  join {a['join']}"
    if a["join"] != GatewayType.COMPLEX.value:
        return text
    if a["join_condition"] is None:
        return text + " (no condition: waits as an Inclusive join)"
    how = "cancelling" if a["cancel_remaining"] else "blocking"
    return text + f" ({a['join_condition']}, {how})"


def _flow_sections(
    lines: list[str], indent: str, flow: Summary, transitions: list[Transition]
) -> None:
    rows = []
    for a in flow["activities"]:
        row = f"{_named(a)}  [{a['kind']}"
        row += f": {a['detail']}]" if a["detail"] else "]"
        if a["attached_to"] is not None:
            how = "interrupting" if a["interrupting"] else "non-interrupting"
            row += f"  attached to {a['attached_to']}, {how}"
        if a["performers"]:
            row += f"  by {', '.join(a['performers'])}"
            if a["performer_lane"]:
                row += f" (lane {a['performer_lane']})"
        row += _join_text(a)
        if a["split"]:
            row += f"  split {a['split']}"
        rows.append(row + _repeat_text(a))
    _section(lines, indent, "Activities", rows)
    trows = []
    for t in transitions:
        row = f"{t.id}: {t.from_} -> {t.to}"
        condition = condition_label(t, None)  # whole: two conditions may differ at the end
        row += f"  [{condition}]" if condition else ""
        # a Name is a label, not tested: apart from the condition, so it cannot read as one
        row += f"  (name: {t.name})" if t.name else ""
        trows.append(row)
    _section(lines, indent, "Transitions", trows)


def render_text(package: Package) -> str:
    """The human-readable summary: package context, then each process and activity set.

    Each line is written through :func:`~wfengine.one_line.one_line`, as the other text
    listings are: an id, name or performer holding a line break (``&#10;`` in the file) would
    otherwise start a line of the file's choosing, read as a row of its own."""
    summary = package_summary(package)
    lines = [f"Package {_named(summary)}"]
    if package.source_version:
        lines[0] += f"  (XPDL {package.source_version})"
    _context_sections(lines, "  ", summary)
    for process, ps in zip(package.workflow_processes, summary["processes"], strict=True):
        lines.append(f"  Process {_named(ps)}")
        if ps["parameters"]:
            params = ", ".join(f"{f['mode']} {f['id']}: {_shown_type(f)}" for f in ps["parameters"])
            lines.append(f"    Parameters: {params}")
        _context_sections(lines, "    ", ps)
        _flow_sections(lines, "    ", ps, list(process.transitions))
        for activity_set, ss in zip(process.activity_sets, ps["activity_sets"], strict=True):
            head = f"    Activity set {_named(ss)}"
            if ss["event_subprocess"]:
                head += "  event sub-process"
                if ss["trigger"] is not None:
                    how = "interrupting" if ss["interrupting"] else "non-interrupting"
                    head += f", started by {ss['trigger']}, {how}"
            lines.append(head)
            _flow_sections(lines, "      ", ss, list(activity_set.transitions))
    if not package.workflow_processes:
        lines.append("  (no workflow processes)")
    return "\n".join(one_line(line) for line in lines)
