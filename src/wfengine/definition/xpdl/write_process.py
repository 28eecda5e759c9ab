"""XPDL 2.2 output for a WorkflowProcess: header, declarations, activity sets, activities, flow."""

from __future__ import annotations

from wfengine.definition.checks.adhoc import canonical_ordering
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Condition,
    ProcessHeader,
    RedefinableHeader,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.xpdl.write_activity import activity
from wfengine.definition.xpdl.write_data import (
    applications,
    data_fields,
    formal_parameters,
    participants,
)
from wfengine.definition.xpdl.write_keys import ParamsKey
from wfengine.definition.xpdl.write_xml import (
    Element,
    append_extras,
    append_xmlnodes,
    extended_attributes,
    set_extra_attrs,
    sub,
    text_child,
    text_children,
    text_list,
    wrap_xmlnodes,
)


def workflow_process(
    parent: Element, process: WorkflowProcess, legacy: frozenset[ParamsKey] = frozenset()
) -> None:
    """``WorkflowProcess``; ``legacy`` names the parameter lists to write in the 1.0 form."""
    element = sub(
        parent,
        "WorkflowProcess",
        Id=process.id,
        Name=process.name,
        AccessLevel=process.access_level,
    )
    set_extra_attrs(element, canonical_ordering(process.extra_attrs))
    # ProcessHeader is required even when the model has nothing for it: then it is empty.
    _process_header(element, process.header)
    if process.redefinable_header is not None:
        redefinable_header(element, process.redefinable_header)
    formal_parameters(element, process.formal_parameters, legacy=(process.id, None) in legacy)
    participants(element, process.participants)
    applications(element, process.applications, legacy, process.id)
    data_fields(element, process.data_fields)
    if process.activity_sets:
        sets = sub(element, "ActivitySets")
        for activity_set in process.activity_sets:
            _activity_set(sets, activity_set)
    _flow(element, process.activities, process.transitions)
    extended_attributes(element, process.extended_attributes)
    append_extras(element, process.extras)


def _process_header(parent: Element, header: ProcessHeader) -> None:
    element = sub(parent, "ProcessHeader", DurationUnit=header.duration_unit)
    set_extra_attrs(element, header.extra_attrs)
    text_children(
        element,
        (
            ("Created", header.created),
            ("Description", header.description),
            ("Priority", header.priority),
            ("Limit", header.limit),
            ("ValidFrom", header.valid_from),
            ("ValidTo", header.valid_to),
        ),
    )
    times = (
        ("WaitingTime", header.waiting_time),
        ("WorkingTime", header.working_time),
        ("Duration", header.duration),
    )
    if any(value is not None for _, value in times):
        estimation = sub(element, "TimeEstimation")
        text_children(estimation, times)
    append_extras(element, header.extras)


def redefinable_header(parent: Element, header: RedefinableHeader) -> None:
    """RedefinableHeader of a package or a process (the same element in both places)."""
    element = sub(parent, "RedefinableHeader", PublicationStatus=header.publication_status)
    set_extra_attrs(element, header.extra_attrs)
    text_children(
        element,
        (
            ("Author", header.author),
            ("Version", header.version),
            ("Codepage", header.codepage),
            ("Countrykey", header.country_key),
        ),
    )
    text_list(element, "Responsibles", "Responsible", header.responsibles)
    append_extras(element, header.extras)


def _activity_set(parent: Element, activity_set: ActivitySet) -> None:
    element = sub(
        parent,
        "ActivitySet",
        Id=activity_set.id,
        Name=activity_set.name,
        DefaultStartActivityId=activity_set.default_start_activity_id,
    )
    set_extra_attrs(element, canonical_ordering(activity_set.extra_attrs))
    _flow(element, activity_set.activities, activity_set.transitions)
    # The 2.2 ActivitySet has no ExtendedAttributes; no valid 1.0 or 2.x source gives it any,
    # but a model built in code may: kept in wfengine's namespace rather than dropped.
    extended_attributes(element, activity_set.extended_attributes, own_namespace=True)
    append_extras(element, activity_set.extras)


def _flow(
    parent: Element,
    activities: tuple[Activity, ...],
    transitions: tuple[Transition, ...],
) -> None:
    if activities:
        wrapper = sub(parent, "Activities")
        for act in activities:
            activity(wrapper, act)
    if transitions:
        wrapper = sub(parent, "Transitions")
        for transition in transitions:
            _transition(wrapper, transition)


def _transition(parent: Element, transition: Transition) -> None:
    element = sub(
        parent,
        "Transition",
        Id=transition.id,
        From=transition.from_,
        To=transition.to,
        Name=transition.name,
    )
    set_extra_attrs(element, transition.extra_attrs)
    if transition.condition is not None:
        _condition(element, transition.condition)
    text_child(element, "Description", transition.description)
    extended_attributes(element, transition.extended_attributes)
    wrap_xmlnodes(element, "ConnectorGraphicsInfos", transition.graphics)
    append_extras(element, transition.extras)


def _condition(parent: Element, condition: Condition) -> None:
    """``<Condition Type=..><Expression>..</Expression></Condition>``: 2.2 has no text form.

    The Expression element carries the script attributes (ScriptType, ScriptVersion,
    ScriptGrammar) that say how to read the text, and the elements kept from inside it (after
    the text); it is written when there is any of these.
    """
    element = sub(parent, "Condition", Type=condition.type.value if condition.type else None)
    set_extra_attrs(element, condition.extra_attrs)
    if (
        condition.expression is not None
        or condition.expression_attrs
        or condition.expression_extras
    ):
        expression = sub(element, "Expression", condition.expression)
        set_extra_attrs(expression, condition.expression_attrs)
        append_xmlnodes(expression, condition.expression_extras)
