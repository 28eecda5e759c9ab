"""``performer-syntax``: a performer that is neither a name nor an expression that parses.

A performer no participant declares is read as an expression over the process's data when it
is one (``dept + "-desk"``), else as a name (``boss``, ``010``, ``Human Resources``: the
runtime compiler, :mod:`wfengine.runtime.compile_people`). A text that is neither
(``employee_name +``) used to be taken for a name nobody has: the work item was offered to no
one, with no finding and no incident, and the case waited for ever. It is told as the
compiler tells it (:func:`~wfengine.definition.work_rules.unparseable_performer`):

* on an activity the engine offers to a person (:func:`~wfengine.definition.modes.needs_person`,
  judged as the compiler judges it: a Reference activity by the activity it names, an
  activity naming no performer with its lane's): an **error** in wfengine's own language
  (deploy refuses the process); a **warning** in JavaScript, Java or a foreign language, whose
  texts may use more of the language than wfengine reads (:mod:`wfengine.definition.reading`),
  and an instance that comes to offer the work stops with an incident (operation ``offer``);
* on an activity the engine runs by itself (a Tool, a script, a subflow: its performer is
  who is responsible, never asked), a **warning**: the text is never evaluated, so it does no
  harm, but it would the day the activity became a person's work.

Why a check of its own: the reference checks judge names (``undefined-participant``) and the
expression checks judge texts that are always expressions; a performer is either.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.lanes import LanePerformers, as_referenced
from wfengine.definition.model import Activity, ReferenceImplementation
from wfengine.definition.modes import needs_person
from wfengine.definition.reading import language_name
from wfengine.definition.work_rules import unparseable_performer


def check_performer_texts(ctx: Context) -> Iterator[Diagnostic]:
    """``performer-syntax`` for each performer of an activity (its own, the named activity's
    for a Reference, its lane's when it names none) that does not parse and is no label-like
    name (words and spaces, which stay a name as they always were)."""
    lanes: LanePerformers | None = None
    for scope in ctx.scopes:
        for activity in scope.activities:
            judged = activity
            if isinstance(activity.body, ReferenceImplementation):
                # (by Id as the compiler finds them: a repeated Id names its last holder)
                named = ctx.process_index(scope.process).activities
                judged = as_referenced(activity, named)
            if not judged.performers and ctx.package.pools:
                lanes = lanes or ctx.once(LanePerformers, lambda: LanePerformers(ctx.package))
                judged = lanes.applied(judged)
            declared = ctx.participant_ids(scope.process)
            for performer in judged.performers:
                if performer in declared:  # (never read as an expression)
                    continue
                found = _finding(ctx, scope.where, activity, judged, performer)
                if found is not None:
                    yield found


def _finding(
    ctx: Context, where: str, activity: Activity, judged: Activity, performer: str
) -> Diagnostic | None:
    """The finding about one performer text, or None when it is a name or an expression."""
    reading = unparseable_performer(performer, ctx.language)
    if reading is None:
        return None
    assert reading.error is not None
    error = reading.error
    reason = error.message + (f" at offset {error.offset}" if error.offset is not None else "")
    own = performer in activity.performers
    whose = "" if own else " (which it has from its lane, or the activity it references)"
    what = (
        f"activity {activity.id!r} in {where} has performer {quote(performer.strip())}{whose}, "
        f"which is neither a name nor an expression that parses ({reason})"
    )
    if not needs_person(judged):
        message = (
            f"{what}; the engine runs this activity itself and never offers it to anyone, so "
            "the performer is not evaluated, but it would name no one if a person did this work"
        )
        severity = Severity.WARNING
    elif reading.refused:
        message = (
            f"{what}; its work would be offered to no one: write a participant's Id or an "
            "expression over the process's data"
        )
        severity = Severity.ERROR
    else:
        message = (
            f"{what}, read as {language_name(reading.language)}; an instance that comes to "
            "offer its work stops with an incident (operation offer)"
        )
        severity = Severity.WARNING
    line = activity.performer_line(performer) if own else activity.line
    return make("performer-syntax", message, element_id=activity.id, line=line, severity=severity)
