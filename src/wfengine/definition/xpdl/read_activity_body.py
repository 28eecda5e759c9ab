"""Reading what an activity does: its body (implementation, route, block or event).

The body is where XPDL versions differ most: 1.0 ``Implementation/No|Tool|SubFlow``, ``Route``
and ``BlockActivity@BlockId``; 2.x ``Implementation/No|Task|SubFlow|Reference``, 2.0's
``ProcessRef``, the ``deprecated:`` (1.0-namespace) ``Tool``, ``SubFlow`` and ``BlockActivity``
inside 2.x files, ``Route`` with a ``GatewayType``, ``BlockActivity@ActivitySetId`` and
``Event``. All of them become one of the model's ``ActivityBody`` classes. The spellings of
gateway types and executions live here too, because the rest of the activity (joins, splits,
deadlines) reads them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from lxml import etree

from wfengine.definition.build_events import trigger_spelling
from wfengine.definition.element_texts import list_item
from wfengine.definition.model import (
    WFENGINE_NS,
    XPDL22_NS,
    ActivityBody,
    Attrs,
    BlockActivity,
    Event,
    EventPosition,
    Execution,
    GatewayType,
    NoImplementation,
    ReferenceImplementation,
    Route,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
    XmlNode,
)
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
    Unreadable,
    element_children,
    element_text,
)
from wfengine.definition.xpdl.read_nodes import (
    detached,
    is_xpdl,
    line_of,
    local_name,
    text_around,
    to_xml_node,
)
from wfengine.definition.xpdl.read_package_parts import read_performers
from wfengine.definition.xpdl.read_types import read_extended_attributes

#: every spelling of a gateway/join/split type across XPDL versions
GATEWAY_TYPES: dict[str, GatewayType] = {
    "XOR": GatewayType.EXCLUSIVE,
    "Exclusive": GatewayType.EXCLUSIVE,
    "OR": GatewayType.INCLUSIVE,
    "Inclusive": GatewayType.INCLUSIVE,
    "AND": GatewayType.PARALLEL,
    "Parallel": GatewayType.PARALLEL,
    "Complex": GatewayType.COMPLEX,
}
#: XPDL's Execution values (SYNCHR, ASYNCHR) by spelling
EXECUTIONS = {e.value: e for e in Execution}
_TASK_KINDS = {
    "TaskApplication": TaskKind.APPLICATION,
    "TaskUser": TaskKind.USER,
    "TaskManual": TaskKind.MANUAL,
    "TaskService": TaskKind.SERVICE,
    "TaskScript": TaskKind.SCRIPT,
    "TaskSend": TaskKind.SEND,
    "TaskReceive": TaskKind.RECEIVE,
    "TaskReference": TaskKind.REFERENCE,
    "TaskBusinessRule": TaskKind.BUSINESS_RULE,
}
#: ``wfe:TaskKind`` on an empty Task: the kind of a task written without its (required) child
_OWN_TASK_KIND = f"{{{WFENGINE_NS}}}TaskKind"
_TASK_KIND_VALUES = {k.value: k for k in TaskKind}
#: the tasks that may name their performers themselves (``TaskUser/Performers``)
_PERFORMING_TASKS = (TaskKind.USER, TaskKind.MANUAL)
#: what TIBCO Business Studio writes in a TaskUser whose performers are the activity's (the
#: 2.0 schema requires the element there): a placeholder that names no performer
_ACTIVITY_PERFORMER_PLACEHOLDER = "-defined-in-Activity-Performer-"
#: a performer name longer is shortened in a warning (:func:`_listed`)
_LISTED = 80
_PERFORMER_TAGS = (f"{{{XPDL22_NS}}}Performers", f"{{{XPDL22_NS}}}Performer")
_TRIGGER_TIMER = f"{{{XPDL22_NS}}}TriggerTimer"
#: a TriggerTimer's time attributes and elements, in the order a timer reads them
_TIME_PARTS = {name: f"{{{XPDL22_NS}}}{name}" for name in ("TimeDate", "TimeCycle")}


@dataclass
class TaskPerformers:
    """The performers a TaskUser or TaskManual names itself, and what becomes of them.

    XPDL 2.x lets a user or manual task name its performers inside the task
    (``Task/TaskUser/Performers``; the 2.0 schema requires them there) as well as on the
    activity. ``own`` are the activity's own performers. When it has none, the task's are its
    performers: they are read into ``lifted`` and left out of the task's ``detail`` (the writer
    writes them on the activity, the 2.2 place, so a converted file names them once). When it
    has some, those are the ones that count: the task's stay in ``detail`` as written, with a
    warning when they name others.
    """

    own: tuple[str, ...]
    #: the task's performers with the line each was read at, when they are the activity's
    lifted: list[tuple[str, int | None]] = field(default_factory=list)


def performer_names(el: etree._Element) -> tuple[str, ...]:
    """The performers ``el``'s ``Performers/Performer`` (or 1.0 ``Performer``) children name,
    read without counting them as read; TIBCO's placeholder names none."""
    found: list[str] = []
    for child in element_children(el):
        if not is_xpdl(child) or local_name(child) not in ("Performers", "Performer"):
            continue
        items = [child] if local_name(child) == "Performer" else element_children(child)
        for item in items:
            if is_xpdl(item) and local_name(item) == "Performer":
                text = element_text(item)
                if text and text != _ACTIVITY_PERFORMER_PLACEHOLDER:
                    found.append(text)
    return tuple(found)


def read_body(
    ctx: ReadContext,
    el: etree._Element,
    spill: list[XmlNode],
    performers: TaskPerformers | None = None,
) -> ActivityBody:
    """The body element (Route, Implementation, BlockActivity or Event) as its model class.

    ``performers``: the activity's, to decide what a TaskUser's own Performers are (see
    :class:`TaskPerformers`); without it they stay in the task's ``detail``."""
    name = local_name(el)
    if name == "Route":
        cur = Cursor(ctx, el)
        return Route(
            gateway_type=cur.attr_choice("GatewayType", GATEWAY_TYPES),
            extras=cur.extras(),
            extra_attrs=cur.extra_attrs(),
            line=cur.line,
        )
    if name == "BlockActivity":
        return _read_block(ctx, el, spill)
    if name == "Event":
        return _read_event(ctx, el, spill)
    return _read_implementation(ctx, el, spill, performers)


def _read_block(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> BlockActivity:
    """1.0 names the activity set ``BlockId``; 2.x ``ActivitySetId``."""
    cur = Cursor(ctx, el)
    set_id = cur.attr("ActivitySetId") or cur.attr("BlockId")
    if set_id is None:
        raise Unreadable("required attribute ActivitySetId (1.0: BlockId) is missing")
    block = BlockActivity(
        activity_set_id=set_id,
        start_activity_id=cur.attr("StartActivityId"),
        view=cur.attr("View"),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return block


def _read_event(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Event:
    cur = Cursor(ctx, el)
    inner = cur.child("StartEvent", "IntermediateEvent", "EndEvent")
    if inner is None:
        raise Unreadable("it has no StartEvent, IntermediateEvent or EndEvent")
    icur = Cursor(ctx, inner)
    kind = local_name(inner)
    position = {
        "StartEvent": EventPosition.START,
        "IntermediateEvent": EventPosition.INTERMEDIATE,
        "EndEvent": EventPosition.END,
    }[kind]
    trigger = (
        icur.attr("Result" if position is EventPosition.END else "Trigger") or "None"
    ).strip()
    event = Event(
        position=position,
        # in any case, as the reader reads other enumerations (the engine matches XPDL's
        # spelling); an unknown value stays as written: validation's unread-flow reports it
        trigger=trigger_spelling(position, trigger) or trigger,
        target=icur.attr("Target"),
        interrupting=icur.attr_bool("Interrupting"),
        detail=tuple(_timer_in_elements(n) for n in icur.extras()),
        extra_attrs=icur.extra_attrs(),
        line=cur.line,
    )
    cur.spill(spill)
    return event


def _timer_in_elements(node: XmlNode) -> XmlNode:
    """``node`` (kept trigger content) with a TriggerTimer's time in 2.1's element form.

    XPDL 2.0 gives ``TriggerTimer`` its time as an attribute (``TimeCycle="PT2H"``,
    ``TimeDate="..."``); 2.1 and 2.2 keep those attributes, deprecated, beside the
    ``TimeDate``/``TimeCycle`` elements that replaced them. A TriggerTimer with no such
    element gets one from its attribute (TimeDate first, as a timer reads it), so a timer
    reads the same in either form and is written in 2.2's; a TriggerTimer with the element
    keeps its attributes as written. Inside a TriggerMultiple too; vendor content is left as
    it is.
    """
    if node.namespace != XPDL22_NS:
        return node
    if node.tag != _TRIGGER_TIMER:
        if not node.children:
            return node
        return node.model_copy(
            update={"children": tuple(_timer_in_elements(c) for c in node.children)}
        )
    if any(c.tag in _TIME_PARTS.values() for c in node.children):
        return node
    for name, tag in _TIME_PARTS.items():
        value = node.get(name)
        if value is not None and value.strip():
            element = XmlNode(tag=tag, text=value.strip(), line=node.line)
            return node.model_copy(
                update={
                    "attrs": tuple((k, v) for k, v in node.attrs if k != name),
                    "children": (element, *node.children),
                }
            )
    return node


def _read_implementation(
    ctx: ReadContext, el: etree._Element, spill: list[XmlNode], performers: TaskPerformers | None
) -> ActivityBody:
    cur = Cursor(ctx, el)
    body: ActivityBody
    tools = cur.children("Tool")
    if tools:
        # 1.0 (or 2.x deprecated:Tool): one or more application calls
        lone = len(tools) == 1
        calls = ctx.read_each(tools, lambda c, e: _read_tool_call(c, e, lone=lone), spill)
        body = TaskImplementation(task=TaskKind.APPLICATION, tools=tuple(calls), line=cur.line)
    else:
        inner = cur.child("No", "Task", "SubFlow", "ProcessRef", "Reference")
        if inner is None:
            body = NoImplementation(line=cur.line)
        else:
            body = _read_implementation_child(ctx, inner, spill, performers)
    cur.spill(spill)
    return body


def _read_implementation_child(
    ctx: ReadContext, el: etree._Element, spill: list[XmlNode], performers: TaskPerformers | None
) -> ActivityBody:
    name = local_name(el)
    cur = Cursor(ctx, el)
    body: ActivityBody
    if name == "No":
        body = NoImplementation(extra_attrs=cur.extra_attrs(), line=cur.line)
    elif name == "Task":
        body = _read_task(ctx, cur, spill, performers)
    elif name == "Reference":
        body = ReferenceImplementation(
            activity_id=cur.required_attr("ActivityId"),
            extra_attrs=cur.extra_attrs(),
            line=cur.line,
        )
    else:  # SubFlow, deprecated:SubFlow, 2.0's ProcessRef
        body = SubFlowImplementation(
            process_id=cur.required_attr("Id"),
            name=cur.attr("Name"),
            execution=cur.attr_choice("Execution", EXECUTIONS) or Execution.SYNCHR,
            **actuals(read_actual_parameters(ctx, cur, spill)),
            package_ref=cur.attr("PackageRef"),
            instance_data_field=cur.attr("InstanceDataField"),
            start_activity_id=cur.attr("StartActivityId"),
            start_activity_set_id=cur.attr("StartActivitySetId"),
            view=cur.attr("View"),
            extras=cur.extras(),
            extra_attrs=cur.extra_attrs(),
            line=cur.line,
        )
    cur.spill(spill, attrs=False)
    return body


def _read_task(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode], performers: TaskPerformers | None
) -> TaskImplementation:
    """A 2.x Task. Non-application tasks keep their child verbatim in ``detail``.

    ``detail`` is what the writer emits for them; a TaskScript also fills ``script`` so the
    engine need not dig into XML for the script text.
    """
    inner = cur.child(*_TASK_KINDS)
    if inner is None:
        # A TaskReference needs a TaskRef the model may not have; the writer then writes an
        # empty Task saying its kind in wfengine's namespace (an unknown value stays unread).
        kind = cur.attr_choice(_OWN_TASK_KIND, _TASK_KIND_VALUES) or TaskKind.NONE
        return TaskImplementation(task=kind, extra_attrs=cur.extra_attrs(), line=cur.line)
    kind = _TASK_KINDS[local_name(inner)]
    if kind is TaskKind.APPLICATION:
        call = _read_tool_call(ctx, inner)
        return TaskImplementation(
            task=kind, tools=(call,), extra_attrs=cur.extra_attrs(), line=cur.line
        )
    script = None
    if kind is TaskKind.SCRIPT:
        script_el = next(
            (c for c in element_children(inner) if is_xpdl(c) and local_name(c) == "Script"),
            None,
        )
        script = element_text(script_el)
    detail = to_xml_node(inner)
    if kind in _PERFORMING_TASKS and performers is not None:
        detail = _task_performers(ctx, inner, detail, performers, spill)
    return TaskImplementation(
        task=kind,
        script=script,
        detail=_canonical_detail(kind, detail),
        extra_attrs=cur.extra_attrs(),
        line=cur.line,
    )


def _listed(names: Iterable[str]) -> str:
    """Performer names for a warning, each shortened as findings shorten a quoted text (one
    of 100,000 letters made a warning that long)."""
    return ", ".join(n if len(n) <= _LISTED else n[: _LISTED - 3] + "..." for n in names)


def _task_performers(
    ctx: ReadContext,
    inner: etree._Element,
    detail: XmlNode,
    performers: TaskPerformers,
    spill: list[XmlNode],
) -> XmlNode:
    """``detail`` (of TaskUser/TaskManual ``inner``) without the Performers it names, which go
    to ``performers.lifted`` when the activity names none of its own (see
    :class:`TaskPerformers`); a Performers naming only TIBCO's placeholder stays as written."""
    named = performer_names(inner)
    if not named:
        return detail
    if performers.own:
        if set(named) != set(performers.own):
            ctx.warn(
                "xpdl-unreadable",
                f"the Performers of <{local_name(inner)}> at line {inner.sourceline} "
                f"({_listed(named)}) are not used: the activity names its own "
                f"({_listed(performers.own)}); they are kept as XML",
                inner,
                element_id=_activity_id(inner),
            )
        return detail
    lifted = read_performers(ctx, Cursor(ctx, inner), spill)
    performers.lifted.extend(p for p in lifted if p[0] != _ACTIVITY_PERFORMER_PLACEHOLDER)
    kept = tuple(c for c in detail.children if c.tag not in _PERFORMER_TAGS)
    return detail.model_copy(update={"children": kept})


def _activity_id(el: etree._Element) -> str | None:
    """The Id of the Activity ``el`` is in."""
    return next(
        (a.get("Id") for a in el.iterancestors() if is_xpdl(a) and local_name(a) == "Activity"),
        None,
    )


def _canonical_detail(kind: TaskKind, detail: XmlNode) -> XmlNode | None:
    """None for a Task child that says nothing beyond the model's fields, else ``detail``.

    The writer writes a task without ``detail`` in the minimal valid form: an empty
    ``TaskUser``/``TaskManual``/..., ``TaskReceive Instantiate="false"``, ``TaskScript`` with
    just its ``Script`` text (held in ``script``). Read back as XML those would differ from the
    None that was written (and that the builder makes), so that exact form reads as None.
    Anything more (an attribute, vendor content, a ``Script`` attribute) keeps the detail.
    """
    if detail.text is not None:
        return detail
    if kind is TaskKind.SCRIPT:
        if detail.attrs or len(detail.children) != 1:
            return detail
        script = detail.children[0]
        bare = script.tag == f"{{{XPDL22_NS}}}Script" and not script.attrs and not script.children
        return None if bare and script.tail is None else detail
    minimal_attrs = (("Instantiate", "false"),) if kind is TaskKind.RECEIVE else ()
    return None if detail.attrs == minimal_attrs and not detail.children else detail


def _read_tool_call(ctx: ReadContext, el: etree._Element, *, lone: bool = False) -> ToolCall:
    """A 1.0 Tool or a 2.x TaskApplication: application Id, actual parameters, description.

    ``lone``: the only Tool of its Implementation. Its ``Type="APPLICATION"`` (1.0's default)
    reads as ``tool_type`` None, the form a TaskApplication reads as: a single application
    call is exactly what TaskApplication means, and the 2.2 writer writes it as one, with no
    Type. Among several Tools (which the writer keeps as ``deprecated:Tool``, Type included)
    the type is kept as written. A TaskApplication's ``wfe:ExtendedAttributes`` (the writer's
    form: TaskApplication has no ExtendedAttributes in 2.2) are its call's.
    """
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    tool_type = cur.attr("Type")
    if lone and tool_type is not None and tool_type.strip() == "APPLICATION":
        tool_type = None
    return ToolCall(
        application_id=cur.required_attr("Id"),
        tool_type=tool_type,
        **actuals(read_actual_parameters(ctx, cur, spill)),
        description=cur.prose("Description"),
        extended_attributes=read_extended_attributes(
            ctx, cur, spill, own=local_name(el) == "TaskApplication"
        ),
        **cur.rest(spill),
    )


def read_actual_parameters(
    ctx: ReadContext, cur: Cursor, spill: list[XmlNode]
) -> tuple[tuple[str, ...], tuple[Attrs, ...]]:
    """Actual parameters in order, and each one's expression attributes (ScriptType...; see
    :func:`~wfengine.definition.model_activities.actual_attrs`), those of the last ones that
    have none left out. An empty one stays an empty string: position matters."""
    texts: list[str] = []
    attrs: list[Attrs] = []
    for p in cur.wrapped("ActualParameters", "ActualParameter", spill):
        text, own = _read_actual_parameter(ctx, p, spill)
        texts.append(text)
        attrs.append(own)
    while attrs and not attrs[-1]:
        attrs.pop()
    return tuple(texts), tuple(attrs)


class Actuals(TypedDict):
    """A call's actual parameters as its model node takes them (keyword arguments)."""

    actual_parameters: tuple[str, ...]
    actual_parameter_attrs: tuple[Attrs, ...]


def actuals(read: tuple[tuple[str, ...], tuple[Attrs, ...]]) -> Actuals:
    """What :func:`read_actual_parameters` read, as a call's keyword arguments."""
    return Actuals(actual_parameters=read[0], actual_parameter_attrs=read[1])


#: the attributes of 2.0/2.1's ActualParameter (an ExpressionType) that say how to read it,
#: which 2.2 puts on its FormalExpression
_EXPRESSION_ATTRS = ("ScriptType", "ScriptVersion", "ScriptGrammar")


#: the XPDL children of an ActualParameter whose text is the expression: 2.2's
#: ``FormalExpression`` and ``Source`` (the Id of a data field or formal parameter, which as an
#: expression means that field), and the ``Expression`` some tools write there
_EXPRESSION_CHILDREN = ("FormalExpression", "Source", "Expression")


def _read_actual_parameter(
    ctx: ReadContext, el: etree._Element, spill: list[XmlNode]
) -> tuple[str, Attrs]:
    """One actual parameter as an expression string, and its expression attributes: those
    of the expression child read (a 2.2 FormalExpression's ScriptType), over 2.0/2.1's
    ScriptType, ScriptVersion and ScriptGrammar on the ActualParameter itself.

    1.0 to 2.1 write the expression as text (ExpressionType: text beside any elements). 2.2
    made ActualParameter element-only: a ``FormalExpression`` or a ``Source``. The expression
    is the text outside child elements together with the text of such expression children
    (outside their own children): a vendor's element beside or inside it is not part of it,
    so its text does not run into the expression. A vendor's element is kept verbatim with
    the call (``spill``); an XPDL element that is no expression (``Assignments``), or a second
    expression child (several ``Source``), is not kept. Each is warned.
    """
    own = Cursor(ctx, el)
    attrs = dict((name, value) for name in _EXPRESSION_ATTRS if (value := own.attr(name)))
    own.drop_attrs()
    parts = [el.text or ""]
    aside: list[XmlNode] = []
    expressions = 0  # the first expression child is the one read
    for child in el:
        if isinstance(child.tag, str):
            expression = is_xpdl(child) and local_name(child) in _EXPRESSION_CHILDREN
            if expression and not expressions:
                attrs.update(Cursor(ctx, child).extra_attrs())
                expressions += 1
                parts.append(text_around(child, aside))
            elif is_xpdl(child):
                what = "a second expression" if expression else "not an expression"
                ctx.warn(
                    "xpdl-unreadable",
                    f"<{local_name(child)}> in <ActualParameter> at line {line_of(el)} is "
                    f"{what}; it is not kept",
                    child,
                )
            else:
                aside.append(detached(child))
        parts.append(child.tail or "")
    for node in aside:
        ctx.warn(
            "xpdl-unreadable",
            f"<{node.local_name}> in <ActualParameter> at line {line_of(el)} is not part "
            "of the expression; it is kept with the call",
            el,
        )
        spill.append(node)
    return list_item("".join(parts)), tuple(attrs.items())
