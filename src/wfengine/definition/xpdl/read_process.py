"""Reading workflow processes: header, local declarations, activity sets, activities, transitions.

Child order differs between 1.0 (DataFields before Participants and Applications) and 2.x
(Participants, Applications, DataFields; or the ``deprecated:`` 1.0 order): the cursor looks
children up by name, so order does not matter here.
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.element_texts import element_value
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Attrs,
    Condition,
    ConditionType,
    GatewayType,
    ProcessHeader,
    Transition,
    WorkflowProcess,
    XmlNode,
)
from wfengine.definition.xpdl.read_activity import read_activity
from wfengine.definition.xpdl.read_context import (
    Cursor,
    ReadContext,
)
from wfengine.definition.xpdl.read_nodes import (
    is_xpdl,
    local_name,
    text_around,
)
from wfengine.definition.xpdl.read_package_parts import (
    read_application,
    read_graphics,
    read_participant,
    read_redefinable_header,
)
from wfengine.definition.xpdl.read_types import (
    read_data_fields,
    read_extended_attributes,
    read_formal_parameters,
)

_CONDITION_TYPES = {t.value: t for t in ConditionType}


def read_condition(ctx: ReadContext, el: etree._Element, spill: list[XmlNode]) -> Condition:
    """A transition condition: text content, a 2.x ``Expression`` or a 1.0 ``Xpression`` child.

    Tools mix these (shoobx writes ``<Condition>text<Expression/></Condition>``), so the
    expression is all of that text together. The Expression element's attributes
    (ScriptGrammar, ScriptType, ScriptVersion: how to read the text) go to
    ``expression_attrs``; the model has room for one such set, so attributes of a second
    Expression element are warned. Elements inside an Expression (ExpressionType admits any:
    a vendor's note, say) are not part of the expression: they are kept verbatim in
    ``expression_extras``, and the expression is the text around them.
    """
    cur = Cursor(ctx, el)
    parts = [el.text or ""]
    expression_attrs: Attrs | None = None
    inside: list[XmlNode] = []
    # every child's tail is text of the condition: a comment or processing instruction in
    # it (``amount <!-- EUR --> &gt; 500``) must not cut off the text after it
    for child in el:
        xpdl = isinstance(child.tag, str) and is_xpdl(child)
        if xpdl and local_name(child) in ("Expression", "Xpression"):
            cur.child(local_name(child))
            parts.append(text_around(child, inside))
            if expression_attrs is None:
                expression_attrs = Cursor(ctx, child).extra_attrs()
            else:
                Cursor(ctx, child).drop_attrs()
        parts.append(child.tail or "")
    expression = element_value("".join(parts))
    condition = Condition(
        type=cur.attr_choice("Type", _CONDITION_TYPES),
        expression=expression,
        extra_attrs=cur.extra_attrs(),
        expression_attrs=expression_attrs or (),
        expression_extras=tuple(inside),
        line=cur.line,
    )
    cur.spill(spill, attrs=False)
    return condition


def _is_conditioned(transition: Transition) -> bool:
    """A transition that an XPDL 1.0 engine follows only when its condition holds."""
    cond = transition.condition
    return (
        cond is not None
        and cond.type in (None, ConditionType.CONDITION)
        and cond.expression is not None
    )


def _xpdl10_and_splits(
    ctx: ReadContext, activities: tuple[Activity, ...], transitions: tuple[Transition, ...]
) -> tuple[Activity, ...]:
    """XPDL 1.0 AND splits with conditioned transitions become Inclusive splits.

    In XPDL 1.0 (and Enhydra Shark, JaWE's engine) an AND split follows every outgoing
    transition whose condition holds: a multi-choice (workflow pattern 6). In 2.x a Parallel
    split ignores conditions, so read as Parallel the conditions would silently stop mattering
    once the package is run or written as 2.2; Inclusive is the 2.x gateway with 1.0's
    meaning. An AND split without conditioned transitions stays Parallel. ``transitions`` are
    those of the same container (process or activity set) as ``activities``.
    """
    if ctx.version != "1.0":
        return activities
    conditioned = {t.from_ for t in transitions if _is_conditioned(t)}
    out: list[Activity] = []
    for act in activities:
        split = act.split
        if split is not None and split.type is GatewayType.PARALLEL and act.id in conditioned:
            split = split.model_copy(update={"type": GatewayType.INCLUSIVE})
            act = act.model_copy(update={"split": split})
        out.append(act)
    return tuple(out)


def read_transition(ctx: ReadContext, el: etree._Element) -> Transition:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    cond_el = cur.child("Condition")
    return Transition(
        id=cur.required_attr("Id"),
        from_=cur.required_attr("From"),
        to=cur.required_attr("To"),
        name=cur.attr("Name"),
        condition=read_condition(ctx, cond_el, spill) if cond_el is not None else None,
        description=cur.prose("Description"),
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        graphics=read_graphics(cur, "ConnectorGraphicsInfos", spill),
        **cur.rest(spill),
    )


def read_activity_set(ctx: ReadContext, el: etree._Element) -> ActivitySet:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    set_id = cur.required_attr("Id")
    activity_els = cur.wrapped("Activities", "Activity", spill, kept=True)
    transition_els = cur.wrapped("Transitions", "Transition", spill, kept=True)
    activities = tuple(ctx.read_each(activity_els, read_activity, spill))
    transitions = tuple(ctx.read_each(transition_els, read_transition, spill))
    return ActivitySet(
        id=set_id,
        name=cur.attr("Name"),
        activities=_xpdl10_and_splits(ctx, activities, transitions),
        transitions=transitions,
        default_start_activity_id=cur.attr("DefaultStartActivityId"),
        # 2.2 has no ExtendedAttributes here: the writer keeps them as wfe:ExtendedAttributes
        extended_attributes=read_extended_attributes(ctx, cur, spill, own=True),
        **cur.rest(spill),
    )


def read_process_header(ctx: ReadContext, el: etree._Element) -> ProcessHeader:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    waiting = working = duration = None
    estimation = cur.child("TimeEstimation")
    if estimation is not None:
        ecur = Cursor(ctx, estimation)
        waiting = ecur.text("WaitingTime")
        working = ecur.text("WorkingTime")
        duration = ecur.text("Duration")
        ecur.spill(spill)
    return ProcessHeader(
        created=cur.text("Created"),
        description=cur.prose("Description"),
        priority=cur.text("Priority"),
        limit=cur.text("Limit"),
        valid_from=cur.text("ValidFrom"),
        valid_to=cur.text("ValidTo"),
        duration_unit=cur.attr("DurationUnit"),
        waiting_time=waiting,
        working_time=working,
        duration=duration,
        **cur.rest(spill),
    )


def read_process(ctx: ReadContext, el: etree._Element) -> WorkflowProcess:
    cur = Cursor(ctx, el)
    spill: list[XmlNode] = []
    process_id = cur.required_attr("Id")
    header_el = cur.child("ProcessHeader")
    header = read_process_header(ctx, header_el) if header_el is not None else ProcessHeader()
    redefinable_el = cur.child("RedefinableHeader")
    participant_els = cur.wrapped("Participants", "Participant", spill, kept=True)
    application_els = cur.wrapped("Applications", "Application", spill, kept=True)
    activity_sets = cur.wrapped("ActivitySets", "ActivitySet", spill, kept=True)
    activity_els = cur.wrapped("Activities", "Activity", spill, kept=True)
    transition_els = cur.wrapped("Transitions", "Transition", spill, kept=True)
    # read before the model is built: activities need their transitions for the 1.0 mapping
    redefinable = (
        read_redefinable_header(ctx, redefinable_el) if redefinable_el is not None else None
    )
    formal_parameters = read_formal_parameters(ctx, cur, spill)
    data_fields = read_data_fields(ctx, cur, spill)
    participants = tuple(ctx.read_each(participant_els, read_participant, spill))
    applications = tuple(ctx.read_each(application_els, read_application, spill))
    sets = tuple(ctx.read_each(activity_sets, read_activity_set, spill))
    activities = tuple(ctx.read_each(activity_els, read_activity, spill))
    transitions = tuple(ctx.read_each(transition_els, read_transition, spill))
    return WorkflowProcess(
        id=process_id,
        name=cur.attr("Name"),
        access_level=cur.attr("AccessLevel"),
        header=header,
        redefinable_header=redefinable,
        formal_parameters=formal_parameters,
        data_fields=data_fields,
        participants=participants,
        applications=applications,
        activity_sets=sets,
        activities=_xpdl10_and_splits(ctx, activities, transitions),
        transitions=transitions,
        extended_attributes=read_extended_attributes(ctx, cur, spill),
        **cur.rest(spill),
    )
