"""XPDL 2.2 output for one Activity: its body, performers, deadlines, loop, join and split.

Choices made here, because 2.2 offers several spellings of one thing:

* StartMode/FinishMode are written as the 2.2 Activity attributes (the elements are the
  deprecated 1.0 form).
* A single application call is ``Implementation/Task/TaskApplication``. Several calls in one
  activity, a 1.0 ``PROCEDURE`` tool, or a call carrying XPDL content TaskApplication has no
  place for (ExtendedAttributes, kept XPDL extras) are written as ``deprecated:Tool`` elements
  in the 1.0 namespace, which the 2.2 schema accepts (``Implementation`` allows any number of
  them) and which keep every call, its type and its ExtendedAttributes in standard XPDL.
  A kept ``DataMappings`` (2.1/2.2 mappings the reader could not read as actual parameters)
  is TaskApplication content, written there in the 2.2 namespace as SubFlow's is: the 1.0
  Tool has no place for it, and a 2.x element must not be re-namespaced into 1.0.
  Only a call with both ExtendedAttributes and extra attributes (the 1.0 Tool allows no
  foreign attributes) stays a TaskApplication, its ExtendedAttributes then kept as
  ``wfe:ExtendedAttributes`` in the TaskApplication's wildcard.
* Actual parameters are ``ActualParameter/FormalExpression``: in the 2.2 schema ActualParameter
  has element-only content (2.1 and 1.0 put the expression as its text).
* Join and Split go into ``TransitionRestrictions/TransitionRestriction`` with the 2.2 type
  names (Parallel, Exclusive, Inclusive, Complex).
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.model import (
    DEPRECATED_NS,
    WFENGINE_NS,
    XPDL_NAMESPACES,
    Activity,
    ActivityBody,
    BlockActivity,
    Deadline,
    Event,
    EventPosition,
    Join,
    Loop,
    MultiInstanceLoop,
    NoImplementation,
    ReferenceImplementation,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
)
from wfengine.definition.model_activities import actual_attrs
from wfengine.definition.xpdl.write_data import data_fields
from wfengine.definition.xpdl.write_xml import (
    Element,
    append_extras,
    append_xmlnode,
    append_xmlnodes,
    expression_child,
    extended_attributes,
    q,
    set_extra_attrs,
    sub,
    text_child,
    text_list,
    to_deprecated,
    wrap_xmlnodes,
    xml_bool,
)

_EVENT_ELEMENT = {
    EventPosition.START: "StartEvent",
    EventPosition.INTERMEDIATE: "IntermediateEvent",
    EventPosition.END: "EndEvent",
}


def activity(parent: Element, act: Activity) -> None:
    """Append ``<Activity>``; children are put in schema order later by ``order_tree``."""
    element = sub(
        parent,
        "Activity",
        Id=act.id,
        Name=act.name,
        StartMode=act.start_mode.value if act.start_mode else None,
        FinishMode=act.finish_mode.value if act.finish_mode else None,
    )
    set_extra_attrs(element, act.extra_attrs)
    text_child(element, "Description", act.description)
    text_child(element, "Limit", act.limit)
    _body(element, act.body)
    text_list(element, "Performers", "Performer", act.performers)
    text_child(element, "Priority", act.priority)
    for dl in act.deadlines:
        _deadline(element, dl)
    _transition_restrictions(element, act.join, act.split)
    extended_attributes(element, act.extended_attributes)
    data_fields(element, act.data_fields)
    if act.loop is not None:
        _loop(element, act.loop)
    wrap_xmlnodes(element, "NodeGraphicsInfos", act.graphics)
    append_extras(element, act.extras)


def _body(parent: Element, body: ActivityBody) -> None:
    if isinstance(body, Route):
        route = sub(
            parent, "Route", GatewayType=body.gateway_type.value if body.gateway_type else None
        )
        set_extra_attrs(route, body.extra_attrs)
        append_extras(route, body.extras)
    elif isinstance(body, BlockActivity):
        block = sub(
            parent,
            "BlockActivity",
            ActivitySetId=body.activity_set_id,
            StartActivityId=body.start_activity_id,
            View=body.view,
        )
        set_extra_attrs(block, body.extra_attrs)
    elif isinstance(body, Event):
        _event(parent, body)
    else:
        _implementation(sub(parent, "Implementation"), body)


def _implementation(
    impl: Element,
    body: NoImplementation | TaskImplementation | SubFlowImplementation | ReferenceImplementation,
) -> None:
    if isinstance(body, NoImplementation):
        set_extra_attrs(sub(impl, "No"), body.extra_attrs)
    elif isinstance(body, TaskImplementation):
        _task(impl, body)
    elif isinstance(body, SubFlowImplementation):
        subflow = sub(
            impl,
            "SubFlow",
            Id=body.process_id,
            Name=body.name,
            Execution=body.execution.value,
            View=body.view,
            PackageRef=body.package_ref,
            InstanceDataField=body.instance_data_field,
            StartActivitySetId=body.start_activity_set_id,
            StartActivityId=body.start_activity_id,
        )
        set_extra_attrs(subflow, body.extra_attrs)
        _actual_parameters(subflow, body)
        append_extras(subflow, body.extras)
    else:
        set_extra_attrs(sub(impl, "Reference", ActivityId=body.activity_id), body.extra_attrs)


def _fits_task_application(task: TaskImplementation) -> bool:
    """True when the calls are best written as one TaskApplication.

    TaskApplication has no ExtendedAttributes; the 1.0 Tool has, but no foreign attributes.
    A call with ExtendedAttributes is therefore a Tool, unless the call or its Task carries
    anything a Tool cannot hold (foreign attributes on either, vendor elements): then
    TaskApplication keeps it all, the ExtendedAttributes in wfengine's namespace (so too
    for an actual parameter's ScriptType: 1.0's ActualParameter is a bare string).
    """
    if len(task.tools) != 1:
        return False
    tool = task.tools[0]
    # a kept DataMappings (a formal left unmapped) has its slot in TaskApplication; the 1.0
    # Tool has none, nor a place for any other XPDL element
    xpdl_extras = any(
        x.namespace in XPDL_NAMESPACES and x.local_name != "DataMappings" for x in tool.extras
    )
    ext_attrs_need_tool = bool(tool.extended_attributes) and not (
        tool.extra_attrs or tool.extras or task.extra_attrs or tool.actual_parameter_attrs
    )
    # 1.0's Type=APPLICATION is what TaskApplication means; PROCEDURE has no 2.2 spelling.
    return tool.tool_type in (None, "APPLICATION") and not xpdl_extras and not ext_attrs_need_tool


def _task(impl: Element, task: TaskImplementation) -> None:
    if task.task is TaskKind.APPLICATION and task.tools and not _fits_task_application(task):
        for tool in task.tools:
            _deprecated_tool(impl, tool)
        return
    element = sub(impl, "Task")
    set_extra_attrs(element, task.extra_attrs)
    if task.task is TaskKind.APPLICATION:
        if task.tools:
            _task_application(element, task.tools[0])
        elif task.detail is not None:
            append_xmlnode(element, task.detail)
    elif task.task is TaskKind.SCRIPT:
        _task_script(element, task)
    elif task.detail is not None:
        append_xmlnode(element, task.detail)
    elif task.task is not TaskKind.NONE:
        # No detail kept (a model built in code): write the element in its minimal valid form.
        # TaskReceive requires Instantiate (false: receiving does not start the process).
        # TaskReference requires TaskRef, an activity Id such a model cannot supply: the Task
        # stays empty and says its kind in wfengine's namespace (Task allows foreign attributes).
        if task.task is TaskKind.REFERENCE:
            element.set(q("TaskKind", WFENGINE_NS), task.task.value)
            return
        kind = sub(element, f"Task{task.task.value}")
        if task.task is TaskKind.RECEIVE:
            kind.set("Instantiate", "false")


def _task_application(task: Element, tool: ToolCall) -> None:
    element = sub(task, "TaskApplication", Id=tool.application_id)
    set_extra_attrs(element, tool.extra_attrs)
    _actual_parameters(element, tool)
    text_child(element, "Description", tool.description)
    # TaskApplication has no ExtendedAttributes (see _fits_task_application for when this runs)
    extended_attributes(element, tool.extended_attributes, own_namespace=True)
    append_extras(element, tool.extras)


def _task_script(task: Element, impl: TaskImplementation) -> None:
    """``TaskScript/Script`` from the model's script text, keeping the rest of a kept detail."""
    element = sub(task, "TaskScript")
    detail = impl.detail
    if detail is not None:
        set_extra_attrs(element, detail.attrs)
    script = sub(element, "Script", impl.script if impl.script is not None else "")
    if detail is not None:
        for child in detail.children:
            if child.local_name == "Script":
                set_extra_attrs(script, child.attrs)
            else:
                append_xmlnode(element, child)


def _deprecated_tool(impl: Element, tool: ToolCall) -> None:
    element = etree.SubElement(impl, q("Tool", DEPRECATED_NS))
    element.set("Id", tool.application_id)
    if tool.tool_type is not None:
        element.set("Type", tool.tool_type)
    set_extra_attrs(element, tool.extra_attrs)
    # children of a deprecated element are created in the 1.0 namespace by ``sub``
    text_list(element, "ActualParameters", "ActualParameter", tool.actual_parameters)
    text_child(element, "Description", tool.description)
    # created in the 1.0 namespace by ``sub``, like the parameters
    extended_attributes(element, tool.extended_attributes)
    for extra in tool.extras:
        to_deprecated(append_xmlnode(element, extra))


def _actual_parameters(parent: Element, call: ToolCall | SubFlowImplementation) -> None:
    """2.2's ``ActualParameters``: each a FormalExpression with its attributes (ScriptType...)."""
    if not call.actual_parameters:
        return
    params = sub(parent, "ActualParameters")
    for i, expression in enumerate(call.actual_parameters):
        element = sub(sub(params, "ActualParameter"), "FormalExpression", expression)
        set_extra_attrs(element, actual_attrs(call, i))


def _event(parent: Element, event: Event) -> None:
    wrapper = sub(parent, "Event")
    is_end = event.position is EventPosition.END
    inner = sub(
        wrapper,
        _EVENT_ELEMENT[event.position],
        Result=event.trigger if is_end else None,
        Trigger=None if is_end else event.trigger,
        Target=event.target if event.position is EventPosition.INTERMEDIATE else None,
        Interrupting=(
            xml_bool(event.interrupting) if event.interrupting is not None and not is_end else None
        ),
    )
    set_extra_attrs(inner, event.extra_attrs)
    append_xmlnodes(inner, event.detail)


def _deadline(parent: Element, dl: Deadline) -> None:
    """``Deadline``; ``duration_attrs`` (ScriptType, ...) go on the DeadlineDuration element."""
    element = sub(parent, "Deadline", Execution=dl.execution.value if dl.execution else None)
    set_extra_attrs(element, dl.extra_attrs)
    if dl.duration is not None or dl.duration_attrs or dl.duration_extras:
        duration = sub(element, "DeadlineDuration", dl.duration)
        set_extra_attrs(duration, dl.duration_attrs)
        append_xmlnodes(duration, dl.duration_extras)
    text_child(element, "ExceptionName", dl.exception_name)
    append_extras(element, dl.extras)


def _transition_restrictions(parent: Element, join: Join | None, split: Split | None) -> None:
    if join is None and split is None:
        return
    restriction = sub(sub(parent, "TransitionRestrictions"), "TransitionRestriction")
    if join is not None:
        element = sub(
            restriction,
            "Join",
            Type=join.type.value,
            ExclusiveType=join.exclusive_type,
            # sic: the XPDL schemas spell the attribute "IncomingCondtion"
            IncomingCondtion=join.incoming_condition,
        )
        set_extra_attrs(element, join.extra_attrs)
    if split is not None:
        element = sub(
            restriction,
            "Split",
            Type=split.type.value,
            ExclusiveType=split.exclusive_type,
            OutgoingCondition=split.outgoing_condition,
        )
        set_extra_attrs(element, split.extra_attrs)
        if split.transition_refs:
            refs = sub(element, "TransitionRefs")
            for ref in split.transition_refs:
                sub(refs, "TransitionRef", Id=ref)


def _loop(parent: Element, loop: Loop) -> None:
    if isinstance(loop, StandardLoop):
        element = sub(sub(parent, "Loop", LoopType="Standard"), "LoopStandard")
        element.set("TestTime", loop.test_time.value)
        if loop.maximum is not None:
            element.set("LoopMaximum", str(loop.maximum))
        _counter(element, loop.counter, loop.counter_field)
        set_extra_attrs(element, loop.extra_attrs)
        expression_child(element, "LoopCondition", loop.condition, loop.condition_attrs)
    elif isinstance(loop, MultiInstanceLoop):
        element = sub(sub(parent, "Loop", LoopType="MultiInstance"), "LoopMultiInstance")
        element.set("MI_Ordering", loop.ordering.value)
        element.set("MI_FlowCondition", loop.flow_condition.value)
        _counter(element, loop.counter, loop.counter_field)
        set_extra_attrs(element, loop.extra_attrs)
        expression_child(element, "MI_Condition", loop.mi_condition, loop.mi_condition_attrs)
        expression_child(
            element,
            "ComplexMI_FlowCondition",
            loop.complex_flow_condition,
            loop.complex_flow_condition_attrs,
        )


def _counter(element: Element, counter: str | None, field: str | None) -> None:
    """``LoopCounter`` is an xsd:integer (XPDL 2.2's count); a counter naming a data field is
    wfengine's, written ``wfe:LoopCounter`` (schema-valid: the loop elements take any other
    namespace's attributes)."""
    if field is not None:
        element.set(q("LoopCounter", WFENGINE_NS), field)
    elif counter is not None:
        element.set("LoopCounter", counter)
