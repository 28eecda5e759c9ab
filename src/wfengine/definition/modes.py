"""Who starts and who finishes an activity: the engine, or a person through a work item.

XPDL gives every activity a ``StartMode`` and a ``FinishMode`` (1.0: ``<StartMode><Automatic/>``
elements; 2.x: ``StartMode="Automatic"`` attributes), both optional. WfMC means: *Automatic*,
the engine starts (finishes) the activity by itself; *Manual*, a person does, through the
worklist. The performer says who is *responsible*, not who must click: a Tool activity whose
performer is the ERP system still runs its applications by itself.

When a mode is not written, it follows from what the activity is (:func:`modes`), which is
what the tools that write these files mean:

============================  =================  =========================================
activity                      unwritten mode     a Manual start (or finish) means
============================  =================  =========================================
Route, Event                  (always automatic) ignored: a gateway never waits for a person
SubFlow, BlockActivity        (always automatic) ignored: the called work decides
Implementation No / TaskNone  Manual with a      a work item; completing it completes the
                              performer, else    activity (Automatic start and finish: it
                              Automatic          completes at once, performer or not)
Tool / TaskApplication        Automatic          start Manual: a work item first, its
TaskService, TaskScript,                         completion runs the applications (a
TaskSend, TaskBusinessRule,                      script's assignments); start Automatic
TaskReference                                    and finish Manual: they run, then a work
                                                 item confirms
TaskReceive                   Automatic          ignored: it waits for its message
TaskScript naming no          Automatic          ignored: it runs at once (its work would
performer                                        be offered to nobody)
TaskUser, TaskManual          Manual             a work item offered to the performers (to
                                                 nobody when none is named: it waits for an
                                                 administrator to reassign it)
============================  =================  =========================================

A written mode always wins over the default, except where the table says it is ignored; a
finish mode left out follows a written start mode.
The runtime compiles this once per activity; ``show``, ``render`` and validation read the
same functions, so what they say is what runs.
"""

from __future__ import annotations

from wfengine.definition.model import (
    Activity,
    BlockActivity,
    Event,
    Mode,
    NoImplementation,
    Route,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
)

#: task kinds a person performs
_PERSON_TASKS = frozenset({TaskKind.USER, TaskKind.MANUAL})


def can_wait_for_a_person(activity: Activity, *, performers: bool | None = None) -> bool:
    """False for routes, events, subflows, blocks and receive tasks, whose modes are ignored
    (a receive task waits for its message, as a catch event does), and for a script task
    that names no performer: a Manual mode there would offer its work to nobody, and tools
    write one on script tasks that simply run.

    ``performers``: whether the activity has performers when it is judged before its lane's
    are applied (:mod:`.lanes`: a script task drawn in a lane that names performers is that
    lane's work, as one naming its own is); None: the performers it names itself."""
    body = activity.body
    if isinstance(body, TaskImplementation) and not body.tools:
        if body.task is TaskKind.SCRIPT:
            return bool(activity.performers) if performers is None else performers
        return body.task is not TaskKind.RECEIVE
    return not isinstance(body, Route | Event | SubFlowImplementation | BlockActivity)


def default_mode(activity: Activity) -> Mode:
    """The mode an activity has when its definition writes none (see the module's table)."""
    body = activity.body
    if not can_wait_for_a_person(activity):
        return Mode.AUTOMATIC
    if isinstance(body, TaskImplementation):
        if body.task in _PERSON_TASKS and not body.tools:
            return Mode.MANUAL
        if body.task is TaskKind.NONE and not body.tools:
            return Mode.MANUAL if activity.performers else Mode.AUTOMATIC
        return Mode.AUTOMATIC
    assert isinstance(body, NoImplementation) or body.kind == "reference"
    return Mode.MANUAL if activity.performers else Mode.AUTOMATIC


def modes(activity: Activity) -> tuple[Mode, Mode]:
    """The effective ``(start mode, finish mode)`` of ``activity``."""
    if not can_wait_for_a_person(activity):
        return Mode.AUTOMATIC, Mode.AUTOMATIC
    default = default_mode(activity)
    start = activity.start_mode or default
    # a finish mode left out follows a start mode that is written: StartMode="Automatic"
    # alone means the engine does the whole activity
    return start, activity.finish_mode or activity.start_mode or default


def needs_person(activity: Activity) -> bool:
    """True when a person must start or finish ``activity`` (it waits on a work item)."""
    start, finish = modes(activity)
    return start is Mode.MANUAL or finish is Mode.MANUAL
