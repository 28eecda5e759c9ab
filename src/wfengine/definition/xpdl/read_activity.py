"""Reading activities: what they do, who does it, when, how often, how they join and split.

This is where XPDL 1.0 and 2.x differ most, and where both are mapped onto one model:

* body: 1.0's Implementation/Tool, Route and BlockActivity, 2.x's Task, SubFlow, Reference,
  Route GatewayType, BlockActivity and Event (read in :mod:`.read_activity_body`);
* performers: 1.0's single ``Performer``, 2.x's ``Performers/Performer``, and those a 2.x
  TaskUser or TaskManual names itself when the activity names none;
* start/finish mode: 1.0 ``StartMode/Automatic`` elements, 2.x attributes;
* deadlines: 1.0 ``DeadlineCondition``, 2.x ``DeadlineDuration``, and all of them are kept;
* join/split types: 1.0 AND/XOR and 2.x AND/XOR/OR become Parallel/Exclusive/Inclusive.
"""

from __future__ import annotations

from typing import TypedDict, TypeVar

from lxml import etree

from wfengine.definition.checks.readings import quote
from wfengine.definition.element_texts import element_value
from wfengine.definition.model import (
    Activity,
    ActivityBody,
    Attrs,
    Deadline,
    GatewayType,
    Join,
    Loop,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    NoImplementation,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TestTime,
    XmlNode,
)
from wfengine.definition.namespaces import WFENGINE_NS
from wfengine.definition.xpdl.read_activity_body import (
    EXECUTIONS,
    GATEWAY_TYPES,
    TaskPerformers,
    actuals,
    performer_names,
    read_actual_parameters,
    read_body,
)
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
    Unreadable,
    element_children,
    owner_id,
)
from wfengine.definition.xpdl.read_nodes import (
    is_xpdl,
    local_name,
    text_around,
    to_xml_node,
)
from wfengine.definition.xpdl.read_package_parts import read_graphics, read_performers
from wfengine.definition.xpdl.read_types import read_data_fields, read_extended_attributes

_MODES = {m.value: m for m in Mode}
_TEST_TIMES = {t.value: t for t in TestTime}
_MI_ORDERINGS = {o.value: o for o in MIOrdering}
_MI_FLOW = {f.value: f for f in MIFlowCondition}
_BODY_ELEMENTS = ("Route", "Implementation", "BlockActivity", "Event")
#: ``wfe:LoopCounter``: the data field a loop counts in (``LoopCounter`` is an xsd:integer)
_OWN_COUNTER = f"{{{WFENGINE_NS}}}LoopCounter"


# --------------------------------------------------------------------------- the activity


def read_activity(ctx: ReadContext, el: etree._Element) -> Activity:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    activity_id = cur.required_attr("Id")
    body: ActivityBody = NoImplementation()
    task_performers = TaskPerformers(own=performer_names(el))
    body_el = cur.child(*_BODY_ELEMENTS)
    if body_el is not None:
        read = ctx.read_one(body_el, lambda c, e: read_body(c, e, spill, task_performers), spill)
        if read is not None:
            body = read
        else:  # kept as XML whole, its performers too
            task_performers.lifted.clear()
    body = _with_activity_parameters(ctx, cur, el, body, spill)
    join, split = _read_restrictions(ctx, cur, spill)
    if isinstance(body, Route):
        body, join = _route_condition(ctx, body, join, Join, body_el, activity_id)
        body, split = _route_condition(ctx, body, split, Split, body_el, activity_id)
    loop_el = cur.child("Loop")
    loop = None
    if loop_el is not None:
        loop = ctx.read_one(loop_el, lambda c, e: _read_loop(c, e, spill), spill)
    return Activity(
        id=activity_id,
        name=cur.attr("Name"),
        description=cur.prose("Description"),
        body=body,
        **_performers(ctx, cur, spill, task_performers),
        start_mode=_read_mode(ctx, cur, "StartMode", spill),
        finish_mode=_read_mode(ctx, cur, "FinishMode", spill),
        priority=cur.text("Priority"),
        limit=cur.text("Limit"),
        deadlines=tuple(ctx.read_each(cur.children("Deadline"), _read_deadline, spill)),
        loop=loop,
        join=join,
        split=split,
        data_fields=read_data_fields(ctx, cur, spill),
        graphics=read_graphics(cur, "NodeGraphicsInfos", spill),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )


class _Performers(TypedDict):
    performers: tuple[str, ...]
    performer_lines: tuple[tuple[str, int], ...]


def _performers(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode], task: TaskPerformers
) -> _Performers:
    """The activity's performers: its own, else those its TaskUser or TaskManual names (lifted
    only when it names none of its own; its own Performers are read either way), and the
    line each was read at."""
    own = read_performers(ctx, cur, spill)
    found = tuple(task.lifted) or own
    return {
        "performers": tuple(name for name, _ in found),
        "performer_lines": tuple((name, line) for name, line in found if line is not None),
    }


def _with_activity_parameters(
    ctx: ReadContext, cur: Cursor, el: etree._Element, body: ActivityBody, spill: list[XmlNode]
) -> ActivityBody:
    """``body`` with the activity's own ``ActualParameters`` (XPDL 2.2 moved a call's actual
    parameters from TaskApplication and SubFlow to the activity: "Deprecated in XPDL 2.2, use
    the Actual Parameters at the Activity Level"), given to its one application call or
    subflow when that has none of its own. Anything else (several calls, a call that has its
    own, no call at all) leaves them unread, so they are kept as they were written."""
    if not any(is_xpdl(c) and local_name(c) == "ActualParameters" for c in element_children(el)):
        return body
    if isinstance(body, TaskImplementation) and len(body.tools) == 1:
        (tool,) = body.tools
        if tool.actual_parameters:
            return body
        read = actuals(read_actual_parameters(ctx, cur, spill))
        return body.model_copy(update={"tools": (tool.model_copy(update=dict(read)),)})
    if isinstance(body, SubFlowImplementation) and not body.actual_parameters:
        return body.model_copy(update=dict(actuals(read_actual_parameters(ctx, cur, spill))))
    return body


def _read_mode(ctx: ReadContext, cur: Cursor, name: str, spill: list[XmlNode]) -> Mode | None:
    """2.x's ``StartMode="Automatic"`` attribute, or 1.0's ``<StartMode><Automatic/>`` element."""
    mode = cur.attr_choice(name, _MODES)
    el = cur.child(name)
    if el is not None:
        mcur = Cursor(ctx, el)
        choice = mcur.child("Automatic", "Manual")
        if choice is not None and mode is None:
            mode = _MODES[local_name(choice)]
        mcur.spill(spill)
    return mode


def _read_deadline(ctx: ReadContext, el: etree._Element) -> Deadline:
    """A deadline: 2.x DeadlineDuration or 1.0 DeadlineCondition, with that element's attributes.

    The duration element's attributes (ScriptType, ...) say how to read the expression, so
    they are kept in ``duration_attrs`` beside the text. Elements inside it (its type admits
    any) are not part of the expression: kept verbatim in ``duration_extras``, the duration
    being the text around them.
    """
    cur = Cursor(ctx, el)
    duration: str | None = None
    duration_attrs: Attrs = ()
    inside: list[XmlNode] = []
    duration_el = cur.child("DeadlineDuration", "DeadlineCondition")
    if duration_el is not None:
        duration = element_value(text_around(duration_el, inside))
        duration_attrs = Cursor(ctx, duration_el).extra_attrs()
    return Deadline(
        duration=duration,
        duration_extras=tuple(inside),
        execution=cur.attr_choice("Execution", EXECUTIONS),
        exception_name=cur.text("ExceptionName"),
        extras=cur.extras(),
        extra_attrs=cur.extra_attrs(),
        duration_attrs=duration_attrs,
        line=cur.line,
    )


# --------------------------------------------------------------------------- loops


def _read_loop(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Loop:
    """2.x Loop: LoopStandard or LoopMultiInstance; conditions as attribute or child element.

    Loops have no ``extras``: unknown content goes to the activity's. Unknown attributes of
    LoopStandard/LoopMultiInstance are kept in ``extra_attrs``; the Loop element's are warned.
    """
    cur = Cursor(ctx, el)
    cur.skip_attr("LoopType")  # says which child follows; the model's class says the same
    loop: Loop
    std = cur.child("LoopStandard")
    mi = cur.child("LoopMultiInstance") if std is None else None
    if std is not None:
        scur = Cursor(ctx, std)
        condition, condition_attrs = _attr_or_text(scur, "LoopCondition")
        loop = StandardLoop(
            condition=condition,
            condition_attrs=condition_attrs,
            maximum=_count_attr(scur, "LoopMaximum"),
            test_time=scur.attr_choice("TestTime", _TEST_TIMES) or TestTime.AFTER,
            counter=_counter(scur),
            extra_attrs=scur.extra_attrs(),
            line=scur.line,
        )
        scur.spill(spill, attrs=False)
    elif mi is not None:
        mcur = Cursor(ctx, mi)
        count, count_attrs = _attr_or_text(mcur, "MI_Condition")
        flow_text, flow_attrs = _attr_or_text(mcur, "ComplexMI_FlowCondition")
        loop = MultiInstanceLoop(
            mi_condition=count,
            mi_condition_attrs=count_attrs,
            ordering=mcur.attr_choice("MI_Ordering", _MI_ORDERINGS) or MIOrdering.PARALLEL,
            flow_condition=mcur.attr_choice("MI_FlowCondition", _MI_FLOW) or MIFlowCondition.ALL,
            complex_flow_condition=flow_text,
            complex_flow_condition_attrs=flow_attrs,
            counter=_counter(mcur),
            extra_attrs=mcur.extra_attrs(),
            line=mcur.line,
        )
        mcur.spill(spill, attrs=False)
    elif el.get("LoopType") == "MultiInstance":
        loop = MultiInstanceLoop(line=cur.line)
    elif el.get("LoopType") == "Standard":
        loop = StandardLoop(line=cur.line)
    else:
        raise Unreadable("it has neither LoopStandard nor LoopMultiInstance")
    cur.spill(spill)
    return loop


def _counter(cur: Cursor) -> str | None:
    """A loop's counter: the field named by ``wfe:LoopCounter`` (the writer's form), else
    ``LoopCounter`` (XPDL 2.2's integer, or a field's Id as wfengine wrote it before); with
    both, ``LoopCounter`` stays among the loop's other attributes."""
    return cur.attr(_OWN_COUNTER) or cur.attr("LoopCounter")


def _attr_or_text(cur: Cursor, name: str) -> tuple[str | None, Attrs]:
    """An expression given as attribute (2.1 style) or child element (2.2 style, with its
    ScriptType and the rest of its attributes).

    The 2.1 and 2.2 schemas allow both at once. The element is read; an attribute that says
    something else is left unread, so it is kept as written (and written back beside the
    element, where 2.2 still allows it) with a warning, as a Route's condition beside its
    gateway's own is (:func:`_differs`): it was dropped without a word.
    """
    text, attrs = cur.text_and_attrs(name)
    if text is None:
        return cur.attr(name), ()
    raw = cur.el.get(name)
    if raw is not None and raw.strip() and raw.strip() != text.strip():
        cur.ctx.warn(
            "xpdl-unreadable",
            f"the {name} attribute {quote(raw)} of <{cur.name}> at line {cur.line} is not used: "
            f"its {name} element says {quote(text)}; the attribute is kept as written",
            cur.el,
            element_id=owner_id(cur.el),
        )
    else:
        cur.skip_attr(name)  # the same condition, or none: nothing lost
    return text, attrs


def _count_attr(cur: Cursor, name: str) -> int | None:
    """A count attribute (``LoopMaximum``): a whole number, written as an integer or as an
    integral decimal (``3.0``, as tools that keep numbers as floats write it). Any other
    value stays unread, with a warning: kept as an unknown attribute (written back as it
    was), and the element reads as if it had none, as an unknown enumerated value does
    (:meth:`Cursor.attr_choice`). Why not refuse the element: the whole Loop was dropped
    for one attribute, and its activity ran once."""
    raw = cur.el.get(name)
    if raw is None or not str(raw).strip():
        cur.skip_attr(name)
        return None
    value: int | None
    try:
        value = int(raw)
    except ValueError:
        value = _whole(raw)
    if value is not None:
        cur.skip_attr(name)
        return value
    cur.ctx.warn(
        "xpdl-unreadable",
        f"attribute {name}={quote(str(raw))} of <{cur.name}> at line {cur.line} is not a whole "
        "number; it is kept as an unknown attribute, and the element acts as if it had none",
        cur.el,
        element_id=owner_id(cur.el),
    )
    return None


def _whole(text: str) -> int | None:
    """The whole number a decimal text writes (``3.0``, ``3e0``); None for any other."""
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


# --------------------------------------------------------------------------- join and split


def _read_restrictions(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode]
) -> tuple[Join | None, Split | None]:
    """Join and split from TransitionRestrictions (1.0 allows several restriction elements).

    An activity has at most one join and one split; a second one is kept as XML and warned.
    """
    join: Join | None = None
    split: Split | None = None
    for tr in cur.wrapped("TransitionRestrictions", "TransitionRestriction", spill):
        tcur = Cursor(ctx, tr)
        for j in tcur.children("Join"):
            if join is None:
                join = ctx.read_one(j, lambda c, e: _read_join(c, e, spill), spill)
            else:
                ctx.unreadable(j, "the activity already has a Join")
                spill.append(to_xml_node(j))
        for s in tcur.children("Split"):
            if split is None:
                split = ctx.read_one(s, lambda c, e: _read_split(c, e, spill), spill)
            else:
                ctx.unreadable(s, "the activity already has a Split")
                spill.append(to_xml_node(s))
        tcur.spill(spill)
    return join, split


#: the restriction a Route's condition attribute belongs to: a Join or a Split
_Restriction = TypeVar("_Restriction", Join, Split)

#: per restriction: the Route's attribute and the restriction's field that hold the condition
_CONDITION_OF: dict[type, tuple[str, str]] = {
    Join: ("IncomingCondition", "incoming_condition"),
    Split: ("OutgoingCondition", "outgoing_condition"),
}


def _route_condition(
    ctx: ReadContext,
    route: Route,
    restriction: _Restriction | None,
    kind: type[_Restriction],
    route_el: etree._Element | None,
    activity_id: str,
) -> tuple[Route, _Restriction | None]:
    """A Complex gateway's ``Route@IncomingCondition`` (``kind`` Join) or
    ``Route@OutgoingCondition`` (``kind`` Split), XPDL 2.1 and 2.2, as its join's or split's
    condition.

    XPDL 2.1 and 2.2 give a Complex gateway's conditions on the Route element; older files
    (and tools since) on ``TransitionRestriction/Join@IncomingCondtion`` and
    ``Split@OutgoingCondition``. The model holds them on the restriction, so a Route's
    condition becomes the activity's Complex join or split (made when there is none), written
    back there. A restriction that names another condition of its own keeps it: the Route's
    is then kept as written, with a warning; a condition on a gateway that is not Complex (it
    means nothing there) is kept as written too. Whether it is Complex is decided as the
    engine runs it (:attr:`~wfengine.definition.model.Activity.join_gateway`,
    ``split_gateway``): by the Route's GatewayType, else the restriction's Type.
    """
    attr, field = _CONDITION_OF[kind]
    gateway = route.gateway_type or (restriction.type if restriction is not None else None)
    condition = _route_attr(route, attr, gateway)
    if condition is None:
        return route, restriction
    if restriction is None:
        restriction = kind(type=GatewayType.COMPLEX, line=route.line)
    own = getattr(restriction, field)
    if _differs(ctx, own, condition, attr, kind.__name__, route, route_el, activity_id):
        return route, restriction
    route = _without(route, attr)
    return route, restriction.model_copy(update={field: own or condition})


def _route_attr(route: Route, name: str, gateway: GatewayType | None) -> str | None:
    """The Route's condition attribute ``name`` when the gateway is Complex, else None."""
    condition = dict(route.extra_attrs).get(name)
    if condition is None or not condition.strip() or gateway is not GatewayType.COMPLEX:
        return None
    return condition


def _differs(
    ctx: ReadContext,
    own: str | None,
    condition: str,
    name: str,
    restriction: str,
    route: Route,
    route_el: etree._Element | None,
    activity_id: str,
) -> bool:
    """Whether the Join or Split has a condition of its own other than the Route's (warned:
    the Route's is then kept as written, unused)."""
    if own is None or not own.strip() or own.strip() == condition.strip():
        return False
    ctx.warn(
        "xpdl-unreadable",
        f"the {name} {quote(condition)} of <Route> at line {route.line} is not used: the "
        f"activity's {restriction} has its own ({quote(own)}); it is kept as written",
        route_el,
        element_id=activity_id,
    )
    return True


def _without(route: Route, name: str) -> Route:
    return route.model_copy(
        update={"extra_attrs": tuple(a for a in route.extra_attrs if a[0] != name)}
    )


def _read_join(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Join:
    cur = Cursor(ctx, el)
    join = Join(
        type=cur.attr_choice("Type", GATEWAY_TYPES) or GatewayType.EXCLUSIVE,
        # the 2.x schema spells it IncomingCondtion; accept the correct spelling as well
        incoming_condition=cur.attr("IncomingCondtion") or cur.attr("IncomingCondition"),
        exclusive_type=cur.attr("ExclusiveType"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return join


def _read_split(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Split:
    cur = Cursor(ctx, el)
    refs: list[str] = []
    for ref in cur.wrapped("TransitionRefs", "TransitionRef", spill):
        rcur = Cursor(ctx, ref)
        ref_id = rcur.part_attr("Id", "the split keeps its other references")
        if ref_id is not None:
            refs.append(ref_id)
            rcur.spill(spill)
    split = Split(
        type=cur.attr_choice("Type", GATEWAY_TYPES) or GatewayType.EXCLUSIVE,
        transition_refs=tuple(refs),
        outgoing_condition=cur.attr("OutgoingCondition"),
        exclusive_type=cur.attr("ExclusiveType"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return split
