"""``unread-flow``: a part of the flow the engine runs that it would run without.

The reader keeps an element it cannot read as XML (``xpdl-unreadable`` says why), so that a
written file keeps it. That is harmless for what the engine never runs (a vendor's element,
documentation, layout), but not for the flow itself: a ``<Transition>`` with no ``Id``, an
``<Implementation>`` whose ``<TaskApplication>`` has none, a ``<WorkflowProcess>`` with no
``Id`` were kept as XML with a warning, and the process validated clean and deployed, then
ran another path (the transition's target never ran; the application call became a person's
step; the package had no process). So one rule, an error (validation fails, deploy refuses),
for an element the engine needs to run the flow as drawn that is kept as XML, unread: a
process; an activity set, activity or transition of a scope; an activity's body
(``Implementation``, ``Route``, ``Event``, ``BlockActivity``), its ``Join``, ``Split`` (a
second one too), ``Loop``, ``Deadline`` or one of several 1.0 ``Tool`` calls; a ``Pool`` or ``Lane``
holding a lane that has an Id and names performers (the activities drawn in that lane would
be offered to none of them). The same error is an event's ``Trigger`` (an end event's
``Result``) that is no value of XPDL 2.0 to 2.2: the reader reads XPDL's in any case and keeps
another as written, which the engine matched against none of its own, so it ran as a None
event (``Result="Terminat"`` did not terminate), in the flow stopped with an incident, or,
attached, was never armed (``event-trigger`` and ``boundary-trigger`` leave it to this error).
So is another enumerated attribute of the flow (:data:`_ENUMERATED`: a Route's
``GatewayType``, a Join's or Split's ``Type``, a Condition's ``Type``, a start mode, ...) that
is none of XPDL's values: the reader keeps it as an unknown attribute and the engine runs the
element as if it had none (``GatewayType="Parallell"`` forked nothing); and a message,
signal or link trigger's ``CatchThrow`` that is neither CATCH nor THROW (the engine ran the
event as a catch that waited for ever where a throw was drawn).

Why here, on the model, and not only in the reader: a deploy judges the model
(:func:`~wfengine.definition.validation.validate_process`), not the reader's findings, and
a file ``wfengine convert`` wrote keeps such an element marked as kept verbatim, which the
reader then keeps again without a finding. An element kept with no loss to the run stays the
reader's warning: declarations the flow names (an Application, a Participant, a DataField, a
FormalParameter, a TypeDeclaration: where the flow uses one, ``undefined-application``,
``undefined-data-field``, ``parameter-count`` or ``undefined-participant`` says so, and an
unused one changes nothing), a Script with no Type (no language to read), an extended
attribute with no Name (nothing reads it), a Pool or Lane with no such lane (a Lane with no
Id, which no activity can be drawn in), graphics.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from wfengine.definition.build_events import known_triggers
from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    Activity,
    Condition,
    Deadline,
    EventPosition,
    FormalParameter,
    Join,
    MultiInstanceLoop,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    XmlNode,
)
from wfengine.definition.model_nodes import descendants
from wfengine.definition.namespaces import XPDL22_NS

_CODE = "unread-flow"

_AS_NONE = "as if it had none"

#: per model class, the XPDL attributes the reader reads as enumerations that change what the
#: engine runs, and how it runs the element without one (the reader's default)
_ENUMERATED: dict[type[BaseModel], dict[str, str]] = {
    Route: {"GatewayType": _AS_NONE},
    Join: {"Type": "as an Exclusive join"},
    Split: {"Type": "as an Exclusive split"},
    Condition: {"Type": _AS_NONE},
    Activity: {"StartMode": _AS_NONE, "FinishMode": _AS_NONE},
    Deadline: {"Execution": _AS_NONE},
    StandardLoop: {"TestTime": "testing after"},
    MultiInstanceLoop: {
        "MI_Ordering": "as a Parallel one",
        "MI_FlowCondition": "as flow condition All",
    },
    SubFlowImplementation: {"Execution": "synchronously"},
    FormalParameter: {"Mode": "as an IN parameter"},
}

#: a process's parts, by local name: what the process runs without
_SCOPE_PARTS = {"ActivitySet": "activity set", "Activity": "activity", "Transition": "transition"}

#: an activity's parts, by local name: how the activity runs without one
_ACTIVITY_PARTS = {
    "Implementation": "as an activity with no implementation",
    "Route": "as an activity with no implementation",
    "Event": "as an activity with no implementation, not as an event",
    "BlockActivity": "as an activity with no implementation, not running its activity set",
    "Join": "as if it had no Join",
    "Split": "as if it had no Split",
    "Loop": "once, not looped",
    "Deadline": "without this deadline, which never fires",
    "Tool": "without calling this application",
}


def check_unread_flow(ctx: Context) -> Iterator[Diagnostic]:
    """Flow elements kept as XML, unread, and event triggers and other enumerated attributes
    of the flow whose values are none of XPDL's."""
    explained = {
        d.line for d in ctx.package.load_diagnostics if d.code == "xpdl-unreadable" and d.line
    }
    package = ctx.package
    for node in _xpdl(package.extras, "WorkflowProcess"):
        yield _finding(
            node,
            f"package {package.id!r} has no process {_named(node)}: it is not deployed, and "
            "nothing starts or calls it",
            explained,
        )
    pool_extras = (n for pool in package.pools for n in pool.extras)
    for node in _xpdl((*package.extras, *pool_extras), "Pool", "Lane"):
        if any(_offers_work(lane) for lane in node.iter() if _is_xpdl(lane, "Lane")):
            yield _finding(
                node,
                "the activities drawn in it are offered to none of the performers it names",
                explained,
            )
    for scope in ctx.scopes:
        if scope.activity_set is None:
            kept, names = scope.process.extras, tuple(_SCOPE_PARTS)
        else:  # (an activity set holds no activity sets)
            kept, names = scope.activity_set.extras, ("Activity", "Transition")
        for node in _xpdl(kept, *names):
            yield _finding(
                node,
                f"{scope.where} runs without the {_SCOPE_PARTS[node.local_name]} {_named(node)}",
                explained,
                element_id=scope.element_id,
            )
        for activity in scope.activities:
            yield from _activity_parts(activity, explained)
            yield from _unknown_trigger(scope, activity)
            yield from _unknown_values(activity, f"activity {activity.id!r}", activity.id)
        for transition in scope.transitions:
            yield from _unknown_values(transition, f"transition {transition.id!r}", transition.id)
        if scope.activity_set is None:
            process = scope.process
            for part in (*process.formal_parameters, *process.applications):
                yield from _unknown_values(part, scope.where, process.id)
    for application in package.applications:
        yield from _unknown_values(application, f"application {application.id!r}", None)


def _activity_parts(activity: Activity, explained: set[int]) -> Iterator[Diagnostic]:
    for node in _xpdl(activity.extras, *_ACTIVITY_PARTS):
        how = _ACTIVITY_PARTS[node.local_name]
        yield _finding(
            node, f"activity {activity.id!r} runs {how}", explained, element_id=activity.id
        )


def _unknown_values(top: BaseModel, where: str, element_id: str | None) -> Iterator[Diagnostic]:
    """An XPDL attribute of ``top`` or a part of it that the reader reads as an enumeration,
    whose value is none of XPDL's (in any case): the reader keeps it as an unknown attribute
    (its ``xpdl-unreadable`` warning says so) and the engine runs the element as if it had none,
    which changes what runs (``GatewayType="Parallell"`` forks nothing)."""
    for node in descendants(top):
        said = _ENUMERATED.get(type(node))
        if said is None:
            continue
        for name, value in getattr(node, "extra_attrs", ()):
            if name in said:
                yield make(
                    _CODE,
                    f"attribute {name}={value!r} of <{type(node).__name__}> of {where} is none "
                    f"of XPDL's values: it is kept as written, unread, and the engine runs it "
                    f"{said[name]}",
                    element_id=element_id,
                    line=getattr(node, "line", None) or getattr(top, "line", None),
                )


def _unknown_trigger(scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """An event whose trigger (result) is no XPDL value: the reader reads XPDL's in any case
    and keeps another as written, which the engine matches against none of its own."""
    event = activity.event
    if event is None:
        return
    known = known_triggers(event.position)
    if event.trigger in known:
        yield from _unknown_catch_throw(scope, activity)
        return
    what = "result" if event.position is EventPosition.END else "trigger"
    if event.target is not None:
        runs = "the engine never arms it"
    elif event.position is EventPosition.INTERMEDIATE:
        runs = "an instance reaching it stops with an incident"
    else:
        runs = "the engine runs it as a None event"
    yield make(
        _CODE,
        f"{event.position.value} event {activity.id!r} in {scope.where} has {what} "
        f"{event.trigger!r}, which is none of XPDL's ({', '.join(known)}): {runs}",
        element_id=activity.id,
        line=activity.line,
    )


#: the trigger elements whose ``CatchThrow`` says whether the event throws
_CATCH_THROW = ("TriggerResultMessage", "TriggerResultSignal", "TriggerResultLink")


def _unknown_catch_throw(scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """A trigger element's ``CatchThrow`` that is neither ``CATCH`` nor ``THROW`` (in any
    case): the engine asks only whether it says THROW, so ``"THORW"`` made a catch that waited
    for ever where the modeller drew a throw."""
    event = activity.event
    assert event is not None
    for node in event.detail:
        said = node.get("CatchThrow") if node.local_name in _CATCH_THROW else None
        if said is not None and said.upper() not in ("CATCH", "THROW"):
            yield make(
                _CODE,
                f"attribute CatchThrow={said!r} of <{node.local_name}> of "
                f"{event.position.value} event {activity.id!r} in {scope.where} is none of "
                "XPDL's values (CATCH, THROW): it is kept as written, unread, and the engine "
                "runs the event as a catch",
                element_id=activity.id,
                line=node.line if node.line is not None else activity.line,
            )


def _finding(
    node: XmlNode, lost: str, explained: set[int], *, element_id: str | None = None
) -> Diagnostic:
    at = f" at line {node.line}" if node.line is not None else ""
    why = " (the xpdl-unreadable finding there says why)" if node.line in explained else ""
    return make(
        _CODE,
        f"<{node.local_name}>{at} is kept as XML, unread{why}: {lost}",
        element_id=element_id or node.get("Id"),
        line=node.line,
    )


def _named(node: XmlNode) -> str:
    """How a message names a kept element: its Id, else its Name, else its From and To."""
    said = [f"{k} {v!r}" for k in ("Id", "Name", "From", "To") if (v := node.get(k))]
    return f"({', '.join(said)})" if said else "(with no Id)"


def _offers_work(lane: XmlNode) -> bool:
    """A kept lane an activity may be drawn in (it has an Id) that names performers, whose
    work it would be (:mod:`~wfengine.definition.lanes`)."""
    return bool(lane.get("Id")) and any(_is_xpdl(d, "Performer") for d in lane.iter())


def _is_xpdl(node: XmlNode, *names: str) -> bool:
    return node.namespace == XPDL22_NS and node.local_name in names


def _xpdl(nodes: Iterable[XmlNode], *names: str) -> Iterator[XmlNode]:
    """The XPDL elements among ``nodes`` with one of ``names`` (the reader keeps XPDL of any
    version in 2.2's namespace)."""
    return (n for n in nodes if _is_xpdl(n, *names))
