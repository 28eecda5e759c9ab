"""Drawing a process definition: the model turned into Graphviz DOT text.

Why DOT and nothing more here: DOT is plain text, so producing it needs no program and no
library, and the same text can be read by people, diffed in review and laid out by Graphviz
(``dot -Tsvg``) wherever that is installed. Running Graphviz is left to the caller (the CLI),
which keeps this module free of subprocesses and usable in any host application.

The picture follows the usual BPMN look so a modeller recognises it: events are circles, routes
(gateways) are diamonds labelled with their gateway type (and their join where it differs, as
an XPDL 1.0 route's may), tasks are rounded boxes (BPMN's loop and multi-instance markers as
text under the name), activities are grouped in swimlanes by their first performer, an event
sub-process's activity set is a dotted cluster, and transitions carry their condition,
``OTHERWISE`` or ``EXCEPTION`` (a Name, which the engine never tests, in quotes under it). An
activity that names no performer and is drawn in a pool lane that names some is drawn with
the lane's performers (its swimlane, and a person's kind), as the runtime gives them to it
(:mod:`wfengine.definition.lanes`): the picture shows what runs.

A drawing shows names, not documents: a label is wrapped at :data:`LABEL_WIDTH` characters and
cut after :data:`LABEL_LINES` lines, an edge label after :data:`EDGE_LABEL_MAX` characters and
a tooltip after :data:`TOOLTIP_MAX`, each cut marked with "…". Only what is shown is worked on,
so a name of megabytes costs no more to draw than a short one.

Every identifier and label comes from the definition file, which may come from someone the host
does not trust, so everything written into the DOT text goes through :func:`dot_quote`. The
output is deterministic (definition order, no hashes, no timestamps) so a rendering can be
compared with an earlier one.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wfengine.definition.graph import is_boundary_event, is_event_gateway
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    ConditionType,
    Event,
    EventPosition,
    Execution,
    GatewayType,
    NoImplementation,
    Package,
    Participant,
    ReferenceImplementation,
    Route,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.modes import needs_person
from wfengine.definition.run_facts import (
    block_entries,
    event_subprocess_start,
    is_event_subprocess,
    repeat_marker,
)
from wfengine.errors import NotFoundError

#: the kind of an event-based gateway (:func:`gateway_name`), as ``route(gateway=...)`` takes it
EVENT_BASED = "EventBased"
#: labels are wrapped at this many characters per line so boxes stay compact
LABEL_WIDTH = 24
#: and show at most this many lines; a longer label ends in "…" (a name of any length, up to
#: the parser's 10 MB, is drawn in at most LABEL_LINES * LABEL_WIDTH characters)
LABEL_LINES = 4
#: tooltips (an activity's or transition's id) longer than this are shortened with "…"
TOOLTIP_MAX = 200
#: condition expressions longer than this are shortened on the edge label
EDGE_LABEL_MAX = 48

#: a diamond's label for each :func:`gateway_name`
_GATEWAY_SHAPE_LABEL: dict[str, str] = {
    GatewayType.EXCLUSIVE.value: "Exclusive",
    GatewayType.INCLUSIVE.value: "Inclusive",
    GatewayType.PARALLEL.value: "Parallel",
    GatewayType.COMPLEX.value: "Complex",
    EVENT_BASED: "Event-based",  # the first event to occur decides
}


# --------------------------------------------------------------------------- classification


def activity_kind(activity: Activity) -> str:
    """A one-word kind for an activity, as people talk about it.

    ``route``, ``event``, ``block``, ``subflow``, ``reference``, ``tool`` (a task that calls
    applications), the 2.x task kinds in lower case (``user``, ``manual``, ``service``,
    ``script``, ``send``, ``receive``, ``businessrule``...), and for ``Implementation No``:
    ``manual`` when a person does it (a performer is named and no mode says Automatic; that is
    what XPDL 1.0 files mean by it, see :mod:`wfengine.definition.modes`) and ``none``
    otherwise (a pass-through step).
    """
    body = activity.body
    if isinstance(body, Route):
        return "route"
    if isinstance(body, Event):
        return "event"
    if isinstance(body, BlockActivity):
        return "block"
    if isinstance(body, SubFlowImplementation):
        return "subflow"
    if isinstance(body, ReferenceImplementation):
        return "reference"
    if isinstance(body, TaskImplementation):
        if body.task is TaskKind.APPLICATION or (body.tools and body.task is TaskKind.NONE):
            return "tool"
        return body.task.value.lower()
    assert isinstance(body, NoImplementation)
    return "manual" if needs_person(activity) else "none"


def route_gateway(activity: Activity) -> GatewayType:
    """The gateway type a route stands for: its own, else its split's, else its join's.

    XPDL 1.0 routes carry no type of their own; their behaviour is in the transition
    restrictions, so the split (what the route decides) is preferred over the join.
    """
    body = activity.body
    if isinstance(body, Route) and body.gateway_type is not None:
        return body.gateway_type
    if activity.split is not None:
        return activity.split.type
    if activity.join is not None:
        return activity.join.type
    return GatewayType.EXCLUSIVE


def gateway_name(activity: Activity) -> str:
    """What kind of gateway a route is, as the builder's ``route(gateway=...)`` spells it:
    :data:`EVENT_BASED` for an event-based exclusive gateway (its ways wait at catch events,
    the first to fire wins), else its :func:`route_gateway`'s value. One answer for ``show``
    and the drawing, so neither calls an event-based gateway a plain Exclusive one."""
    if is_event_gateway(activity):
        return EVENT_BASED
    return route_gateway(activity).value


def condition_label(transition: Transition, limit: int | None = EDGE_LABEL_MAX) -> str:
    """What a transition's condition says: ``OTHERWISE``, ``DEFAULT EXCEPTION``,
    ``EXCEPTION ...``, its expression (white space run together), else "" (none: it is always
    taken). Cut after ``limit`` characters with "…" (None: whole, as ``show`` prints it).

    Never the transition's Name: a Name is a label the engine does not test, and shown where
    a condition goes it read as one (JaWE names every transition ``Transition``, Bizagi's
    gateways ``Yes``/``No`` with the condition elsewhere or nowhere)."""
    cond = transition.condition
    if cond is None:
        return ""
    expression = " ".join((cond.expression or "").split())
    if cond.type is ConditionType.OTHERWISE:
        return "OTHERWISE"
    if cond.type is ConditionType.DEFAULTEXCEPTION:
        return "DEFAULT EXCEPTION"
    if cond.type is ConditionType.EXCEPTION:
        expression = f"EXCEPTION {expression}".strip()
    return expression if limit is None else _shorten(expression, limit)


def transition_label(transition: Transition) -> str:
    """What an edge says: its :func:`condition_label` (cut at :data:`EDGE_LABEL_MAX`), and on a
    line under it the transition's Name in typographic quotes (“No”), so a name cannot be
    read as a condition; "" for an unnamed transition with no condition."""
    lines = [condition_label(transition)]
    name = " ".join((transition.name or "").split())
    if name:
        lines.append(_shorten(f"\u201c{name}\u201d", EDGE_LABEL_MAX))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- DOT text


#: what :func:`dot_quote` does to each character that is not copied as it is (None: dropped)
_DOT_ESCAPES: dict[int, str | None] = {
    **{code: None for code in (*range(0x20), *range(0x7F, 0xA0))},
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\n",
    ord("\t"): " ",
    ord("&"): "&amp;",
    0xFFFE: None,  # (no character of XML: an SVG holding one is no XML document)
    0xFFFF: None,
}


def dot_quote(text: str) -> str:
    """``text`` as a double-quoted DOT string that says exactly ``text`` and nothing more.

    Backslashes are doubled (in a label ``\\N``, ``\\G`` or ``\\l`` would otherwise be
    interpreted), double quotes escaped, line breaks become DOT's ``\\n``, and other control
    characters are dropped. Each ``&`` is written ``&amp;``: Graphviz decodes entities in a
    quoted label, so ``&amp;`` drew as ``&`` and ``&#1;`` as a raw U+0001, which left the SVG
    no well-formed XML; once mapped, a name of ``&#1;`` is drawn as those four characters (and
    in a node's name, which Graphviz does not decode, the SVG's title still reads as ``text``:
    it writes the entity as it found it). The noncharacters U+FFFE and U+FFFF, which no XML
    document may hold, are dropped with the controls. The result cannot close the string
    early, so a hostile id cannot inject attributes, nodes or HTML labels.
    """
    return '"' + text.replace("\r\n", "\n").translate(_DOT_ESCAPES) + '"'


_WORD = re.compile(r"\S+")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _leading_words(text: str, limit: int) -> str:
    """The words of ``text`` joined by single spaces, cut after ``limit`` characters.

    Reads only as far into ``text`` as the result needs, and never copies a word longer than
    ``limit`` whole: a label may be megabytes long in a hostile definition.
    """
    words: list[str] = []
    size = 0
    for match in _WORD.finditer(text):
        start = match.start()
        words.append(text[start : min(match.end(), start + limit)])
        size += len(words[-1]) + 1
        if size > limit:
            break
    return " ".join(words)[:limit]


def _wrap(text: str) -> str:
    """``text`` wrapped at :data:`LABEL_WIDTH`, at most :data:`LABEL_LINES` lines, then "…".

    Only a prefix is wrapped, long enough to decide the shown lines and whether more follow
    (each line takes at most ``LABEL_WIDTH + 1`` characters, and whether a word must be broken
    shows within its first ``LABEL_WIDTH + 1``). Why not the whole text: ``textwrap`` copies
    the rest of a word each time it breaks a piece off it, so a 10 MB name took minutes.
    """
    visible = _leading_words(text, (LABEL_LINES + 1) * (LABEL_WIDTH + 1) + 1)
    lines = textwrap.wrap(visible, LABEL_WIDTH, break_long_words=True)
    return "\n".join(lines[:LABEL_LINES]) + ("…" if len(lines) > LABEL_LINES else "")


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    """``[k=v, ...]`` with every value quoted; keys are fixed names chosen by this module."""
    return "[" + ", ".join(f"{k}={dot_quote(v)}" for k, v in pairs) + "]"


@dataclass
class _Drawing:
    """The DOT lines being built and the node names handed out so far."""

    lines: list[str] = field(default_factory=list)
    #: (activity set id or "", activity id) -> DOT node name
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the node names handed out, as written in the DOT text
    used: set[str] = field(default_factory=set)
    clusters: int = 0
    #: activity id -> (fill colour, a line added to its label): a heat overlay
    heat: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def node_name(self, scope: str, activity_id: str) -> str:
        """A DOT node name for an activity, unique in the drawing and stable across runs.

        The XPDL id is used as it is (readable DOT); activities of an activity set are
        prefixed with the set's id, and a clash gets a numeric suffix in definition order.
        A clash is judged on the name as written (:func:`dot_quote`), which drops control
        characters and writes a tab as a space: ids that differ only there (``check`` and
        ``check`` + U+0085, ``a<tab>b`` and ``a b``, which a valid file may hold) would
        otherwise be one node to Graphviz, their activities drawn as one.
        """
        key = (scope, activity_id)
        if key in self.names:
            return self.names[key]
        base = f"{scope}/{activity_id}" if scope else activity_id
        name, n = base, 1
        while dot_quote(name) in self.used:
            n += 1
            name = f"{base}#{n}"
        self.names[key] = name
        self.used.add(dot_quote(name))
        return name

    def next_cluster(self, kind: str) -> str:
        self.clusters += 1
        return f"cluster_{kind}_{self.clusters}"


def _participant_names(package: Package | None, process: WorkflowProcess) -> dict[str, str]:
    known: list[Participant] = list(package.participants) if package is not None else []
    known.extend(process.participants)
    return {p.id: p.name or p.id for p in known}


def _node_attrs(activity: Activity) -> list[tuple[str, str]]:
    """Shape and label of one activity, chosen by its kind."""
    name = activity.name or activity.id
    kind = activity_kind(activity)
    attrs: list[tuple[str, str]] = [("tooltip", _shorten(f"{activity.id} ({kind})", TOOLTIP_MAX))]
    body = activity.body
    if isinstance(body, Event):
        trigger = "" if body.trigger in ("None", "") else body.trigger
        attrs += [("shape", "circle"), ("label", _shorten(trigger, 12)), ("xlabel", _wrap(name))]
        attrs += [("width", "0.4"), ("fixedsize", "false")]
        if body.position is EventPosition.START:
            attrs += [("penwidth", "1.5")]
        elif body.position is EventPosition.INTERMEDIATE:
            attrs += [("peripheries", "2")]
        else:
            attrs += [("penwidth", "4")]
            if body.is_terminate:
                attrs += [("style", "filled"), ("fillcolor", "black"), ("fontcolor", "white")]
        return attrs
    if isinstance(body, Route):
        gateway = _GATEWAY_SHAPE_LABEL[gateway_name(activity)]
        # an XPDL 1.0 route (or a bare Route) may join one way and split another (AND-join,
        # XOR-split): the diamond names the split, its label the join too, as show does
        joins = activity.join_gateway if activity.join is not None else None
        if joins is not None and joins is not route_gateway(activity):
            gateway += f"\njoin: {_GATEWAY_SHAPE_LABEL[joins.value]}"
        attrs += [("shape", "diamond"), ("label", gateway)]
        if activity.name:
            attrs += [("xlabel", _wrap(activity.name))]
        return attrs
    lines = [_wrap(name)]
    if isinstance(body, TaskImplementation) and body.tools:
        apps = ", ".join(t.application_id for t in body.tools)
        lines.append(_shorten(f"[{kind}: {apps}]", 40))
    elif isinstance(body, SubFlowImplementation):
        lines.append(_shorten(f"[subflow: {body.process_id}]", 40))
        if body.execution is Execution.ASYNCHR:
            lines.append("asynchronous")
    elif isinstance(body, BlockActivity):
        lines.append(_shorten(f"[block: {body.activity_set_id}]", 40))
    elif isinstance(body, ReferenceImplementation):
        lines.append(_shorten(f"[reference: {body.activity_id}]", 40))
    elif kind not in ("none",):
        lines.append(f"[{kind}]")
    if repeat_marker(activity):
        lines.append(repeat_marker(activity))
    if activity.join is not None:
        lines.append(f"join: {activity.join.type.value}")
    if activity.split is not None:
        lines.append(f"split: {activity.split.type.value}")
    style = "rounded"
    if isinstance(body, SubFlowImplementation):
        style = "rounded,bold"
    elif isinstance(body, BlockActivity):
        style = "rounded,dashed"
    elif isinstance(body, ReferenceImplementation):
        style = "rounded,dotted"
    attrs += [("shape", "box"), ("style", style), ("label", "\n".join(lines))]
    return attrs


def _heated(attrs: list[tuple[str, str]], colour: str, note: str) -> list[tuple[str, str]]:
    """``attrs`` filled with ``colour`` and ``note`` added under the label (or beside it)."""
    found = dict(attrs)
    style = found.get("style", "")
    found["style"] = f"{style},filled" if style and "filled" not in style else style or "filled"
    found["fillcolor"] = colour
    if found.get("shape") == "box":
        found["label"] = f"{found.get('label', '')}\n{note}"
    else:
        found["xlabel"] = f"{found.get('xlabel', '')} {note}".strip()
    return list(found.items())


def _draw_nodes(
    drawing: _Drawing,
    scope: str,
    activities: Sequence[Activity],
    lanes: dict[str, str],
    indent: str,
) -> None:
    """Activities, grouped in one swimlane cluster per first performer, in definition order."""
    by_lane: dict[str, list[Activity]] = {}
    for activity in activities:
        lane = activity.performers[0] if activity.performers else ""
        by_lane.setdefault(lane, []).append(activity)
    for lane, members in by_lane.items():
        inner = indent
        if lane:
            drawing.lines.append(f"{indent}subgraph {dot_quote(drawing.next_cluster('lane'))} {{")
            inner = indent + "  "
            label = lanes.get(lane, lane)
            drawing.lines.append(f"{inner}graph {_attrs([('label', _wrap(label))])};")
        for activity in members:
            name = drawing.node_name(scope, activity.id)
            attrs = _node_attrs(activity)
            hot = drawing.heat.get(activity.id)
            if hot is not None:
                attrs = _heated(attrs, *hot)
            drawing.lines.append(f"{inner}{dot_quote(name)} {_attrs(attrs)};")
        if lane:
            drawing.lines.append(f"{indent}}}")


def _draw_edges(
    drawing: _Drawing,
    scope: str,
    activities: Sequence[Activity],
    transitions: Sequence[Transition],
    indent: str,
) -> None:
    """Transitions; an end that names no activity is drawn as a red "missing" node."""
    known = {a.id for a in activities}
    for a in activities:  # an attached event hangs off its activity by a dotted line
        event = a.event
        if event is not None and is_boundary_event(a) and event.target in known:
            how = "interrupts" if event.interrupts else "beside"  # (Error, Cancel: always)
            line = [("style", "dotted"), ("arrowhead", "none"), ("label", how)]
            owner, hung = drawing.node_name(scope, event.target), drawing.node_name(scope, a.id)
            drawing.lines.append(f"{indent}{dot_quote(owner)} -> {dot_quote(hung)} {_attrs(line)};")
    missing_drawn: set[str] = set()
    for t in transitions:
        ends: list[str] = []
        for ref in (t.from_, t.to):
            name = drawing.node_name(scope, ref)
            if ref not in known and ref not in missing_drawn:
                missing_drawn.add(ref)
                drawing.lines.append(
                    f"{indent}{dot_quote(name)} "
                    + _attrs(
                        [
                            ("label", _wrap(f"missing: {ref}")),
                            ("shape", "box"),
                            ("style", "dashed"),
                            ("color", "red"),
                            ("fontcolor", "red"),
                        ]
                    )
                    + ";"
                )
            ends.append(name)
        attrs: list[tuple[str, str]] = [("tooltip", _shorten(t.id, TOOLTIP_MAX))]
        label = transition_label(t)
        if label:
            attrs.append(("label", label))
        ctype = t.condition.type if t.condition is not None else None
        if ctype in (ConditionType.EXCEPTION, ConditionType.DEFAULTEXCEPTION):
            attrs += [("style", "dashed"), ("color", "red"), ("fontcolor", "red")]
        elif ctype is ConditionType.OTHERWISE:
            attrs += [("arrowtail", "odiamond"), ("dir", "both")]
        drawing.lines.append(
            f"{indent}{dot_quote(ends[0])} -> {dot_quote(ends[1])} {_attrs(attrs)};"
        )


def _as_run(
    activities: Sequence[Activity], who: LanePerformers | None, named: Mapping[str, Activity]
) -> list[Activity]:
    """``activities`` with the performers they run with: their pool lane's, for one that
    names none (:meth:`LanePerformers.shown`); as written when no package gives the lanes."""
    if who is None:
        return list(activities)
    return [who.shown(a, named)[0] for a in activities]


def _draw_activity_set(
    drawing: _Drawing,
    process: WorkflowProcess,
    activity_set: ActivitySet,
    lanes: dict[str, str],
    shown: list[Activity],
) -> None:
    """One activity set as a dashed cluster; an event sub-process's dotted (BPMN's look),
    labelled as one with its trigger, since its event starts it, not the block."""
    indent = "  "
    drawing.lines.append(f"{indent}subgraph {dot_quote(drawing.next_cluster('set'))} {{")
    inner = indent + "  "
    label, style = f"activity set {activity_set.name or activity_set.id}", "dashed"
    if is_event_subprocess(activity_set):
        start = event_subprocess_start(process, activity_set)
        label = f"event sub-process {activity_set.name or activity_set.id}"
        label += f" ({start.trigger})" if start is not None else ""
        style = "dotted"
    drawing.lines.append(f"{inner}graph {_attrs([('label', _wrap(label)), ('style', style)])};")
    _draw_nodes(drawing, activity_set.id, shown, lanes, inner)
    _draw_edges(drawing, activity_set.id, activity_set.activities, activity_set.transitions, inner)
    drawing.lines.append(f"{indent}}}")


def process_to_dot(
    process: WorkflowProcess,
    package: Package | None = None,
    heat: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """The DOT text of one process, its activity sets drawn as dashed clusters beside it.

    ``package`` supplies package-level participant names for the swimlane labels and the
    pool lanes that give performers to activities naming none; without it only the process's
    own participants are named, other lanes show the performer as is, and activities are
    drawn with the performers they name.
    A block activity (at the top or inside an activity set) is joined by a dotted edge to
    each activity where the engine enters its activity set
    (:func:`~wfengine.definition.run_facts.block_entries`).
    ``heat`` overlays figures: activity id -> (fill colour, a line under its label), as
    ``wfengine stats --diagram`` colours activities by their mean waiting time.
    """
    drawing = _Drawing(heat=heat or {})
    lanes = _participant_names(package, process)
    who = LanePerformers(package) if package is not None else None
    named = {
        a.id: a
        for a in (*process.activities, *(x for s in process.activity_sets for x in s.activities))
    }
    title = process.name or process.id
    drawing.lines.append(f"digraph {dot_quote(process.id)} {{")
    graph_attrs = [
        ("label", _wrap(title)),
        ("labelloc", "t"),
        ("rankdir", "LR"),
        ("fontname", "Helvetica"),
        ("compound", "true"),
    ]
    drawing.lines.append(f"  graph {_attrs(graph_attrs)};")
    drawing.lines.append(f"  node {_attrs([('fontname', 'Helvetica'), ('fontsize', '10')])};")
    drawing.lines.append(f"  edge {_attrs([('fontname', 'Helvetica'), ('fontsize', '9')])};")
    _draw_nodes(drawing, "", _as_run(process.activities, who, named), lanes, "  ")
    _draw_edges(drawing, "", process.activities, process.transitions, "  ")
    sets = {s.id: s for s in process.activity_sets}
    for activity_set in process.activity_sets:
        shown = _as_run(activity_set.activities, who, named)
        _draw_activity_set(drawing, process, activity_set, lanes, shown)
    # a block inside an activity set runs a set too: joined the same way
    scoped = [("", a) for a in process.activities] + [
        (s.id, a) for s in process.activity_sets for a in s.activities
    ]
    for scope, activity in scoped:
        body = activity.body
        if isinstance(body, BlockActivity) and body.activity_set_id in sets:
            target_set = sets[body.activity_set_id]
            src = drawing.node_name(scope, activity.id)
            for first in block_entries(process, body, target_set):
                dst = drawing.node_name(target_set.id, first)
                drawing.lines.append(
                    f"  {dot_quote(src)} -> {dot_quote(dst)} "
                    + _attrs([("style", "dotted"), ("arrowhead", "open")])
                    + ";"
                )
    drawing.lines.append("}")
    return "\n".join(drawing.lines) + "\n"


def package_to_dot(package: Package, process_id: str | None = None) -> str:
    """The DOT text of one process of a package (the first when ``process_id`` is None).

    Raises :class:`~wfengine.errors.NotFoundError` (a ``KeyError``) naming the process and
    the package's processes when there is no such process (or, with no ``process_id``, saying
    the package has no workflow process), and ``TypeError`` for anything but a package (a
    path, XPDL text) or a ``process_id`` that is not a string. Why: the model's bare
    ``KeyError`` read as an internal failure and printed its message quoted.
    """
    from wfengine.definition.package_arg import require_package

    require_package(package, "package_to_dot")
    if process_id is None:
        if not package.workflow_processes:
            none = NotFoundError("process", "")  # none was named: the first was asked for
            none.args = (
                f"package_to_dot: package {package.id!r} has no workflow process to draw: "
                "add one, or pass a package that has one",
            )
            raise none
        return process_to_dot(package.workflow_processes[0], package)
    if not isinstance(process_id, str):
        raise TypeError(
            "package_to_dot: process_id must be one process id (a string) or None, not "
            f"{type(process_id).__name__} {process_id!r:.40}"
        )
    found = next((p for p in package.workflow_processes if p.id == process_id), None)
    if found is None:
        known = ", ".join(p.id for p in package.workflow_processes) or "none"
        where = f"package_to_dot: package {package.id!r} has: {known}"
        raise NotFoundError("process", process_id, where)
    return process_to_dot(found, package)
