"""Activities that say ``Instantiate="true"``: a receive task (``TaskReceive``) or an
event-based gateway (``Route ExclusiveType="Event"``, 2.1's ``XORType``) whose message starts
the process, as BPMN tools draw a process a message starts.

Why a module of its own: the engine (:mod:`wfengine.runtime.start_points`, where a message
starts an instance) and validation (:mod:`wfengine.definition.checks.instantiating`, which
says when such an activity starts nothing) must read the attribute alike. The reader keeps it
as it is written: on a Route in its ``extra_attrs``
(:func:`wfengine.definition.xpdl.read_activity_body.read_body`), on a ``TaskReceive`` in the
task's ``detail`` attributes.
"""

from __future__ import annotations

from wfengine.definition.graph import is_event_gateway
from wfengine.definition.model import Activity, Attrs, Route, TaskImplementation, TaskKind


def said_instantiate(attrs: Attrs) -> bool:
    """Does an element with ``attrs`` say ``Instantiate="true"`` (an ``xsd:boolean``)?"""
    return dict(attrs).get("Instantiate", "").strip().lower() in ("true", "1")


def instantiating_gateway(activity: Activity) -> bool:
    """Is ``activity`` an event-based gateway whose Route says ``Instantiate="true"``?"""
    body = activity.body
    return (
        isinstance(body, Route)
        and is_event_gateway(activity)
        and said_instantiate(body.extra_attrs)
    )


def instantiating_receive(activity: Activity) -> bool:
    """Is ``activity`` a receive task whose ``TaskReceive`` says ``Instantiate="true"``?"""
    body = activity.body
    if not isinstance(body, TaskImplementation) or body.task is not TaskKind.RECEIVE:
        return False
    return body.detail is not None and said_instantiate(body.detail.attrs)


__all__ = ["instantiating_gateway", "instantiating_receive", "said_instantiate"]
