"""Compiling what an activity says about the people who work on it: who its work item goes to
(:class:`~wfengine.runtime.compiled.CAssignment`) and which data it may read and write
(:class:`~wfengine.runtime.compiled.CDataAccess`).

**Performers evaluated at run time.** A performer names a declared Participant, or (when none
is declared by that Id) a role, unit or user of the directory by name. When no Participant
declares it and its text is an expression over the process's data (a data field's Id such as
``department``, or ``dept + "-desk"``), it is evaluated when the work item is offered: the value
(a name, or a list of names) is what the performer is. An undeclared text that is not such an
expression stays a name, as before (external participant repositories write those: ``010``,
``Human Resources``); but one that is no name and does not parse (``employee_name +``:
:func:`~wfengine.definition.work_rules.unparseable_performer`) is none: offering its work
fails with an incident (operation ``offer``) naming the performer and the parser's reason,
where it was offered to a name no one has and the case waited for ever with nothing said.
Validation refuses such a performer in wfengine's own language (``performer-syntax``), so a
deploy never brings one here; a JavaScript or Java one (a warning there) and a deployment
stored before the check do. On an activity the engine runs by itself (a Tool, a script) a
performer is never evaluated, and such a text stays what it was.

**Lane performers.** An activity that names no performer and is drawn in a pool lane that
names some (XPDL 2.x tools: the lane is the role) has the lane's performers: the activity
compiler gives them to it once, at deploy time, before anything reads its performers or
modes (:mod:`wfengine.definition.lanes`; its own performer always wins), so they are
compiled here as its own would be: a declared participant, a directory name, or an
expression over the data.

**Assignment extended attributes** (Enhydra Shark and JaWE write them; the files in
``../shared/conformance/xpdl/jawe`` use them):

* ``AssignToPerformerOfActivity`` = activity Id: the item is allocated to whoever completed
  that activity last in the instance (offered as usual when nobody did);
* ``DoNotAssignToPerformerOfActivity`` = activity Id (repeatable): never offered to whoever
  completed it, nor to a delegate whose work on it went back to its owner to confirm (four
  eyes);
* ``ReassignToOriginalPerformer``: when the activity runs again (a loop, work sent back), its
  item is allocated to whoever completed it last time;
* ``MANAGER_OF_PREVIOUS``: offered to the nearest supervisors of whoever completed the step
  before it: back along its incoming transitions, through routes, events and automatic
  steps; after a join, whoever arrived last; a level up when four eyes forbids all of them
  (its performers' members when the directory knows no supervisor).

**Data access** (``VariableToProcess_VIEW`` / ``VariableToProcess_UPDATE``, repeatable, as
JaWE writes them, or ``wfengine:reads`` / ``wfengine:writes`` with comma-separated Ids): a
work item reads every field unless some are listed to view (then those and the updatable
ones) and writes only the fields listed to update. The names are taken as given (an
instance may carry fields its definition does not declare, as completions write them).
``wfengine:delegation-confirm`` = ``true`` makes work that a
delegate completes come back to its owner to confirm. A deployment stored by a wfengine from
before that rule (:func:`writing_as_deployed`) lets a person write any field its process
declares, as that wfengine did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from wfengine.definition.model import Activity, Participant
from wfengine.definition.modes import needs_person
from wfengine.definition.reading import Reading, ReadKind, read_expression, site_language
from wfengine.definition.work_rules import (
    attribute_values,
    performer_activities,
    unparseable_performer,
)
from wfengine.errors import DeployError, ExpressionEvaluationError
from wfengine.runtime.compiled import CAssignment, CDataAccess, CompiledProcess
from wfengine.runtime.evaluation import CompiledExpression, ExpressionReader, compiled

ORIGINAL_PERFORMER = "ReassignToOriginalPerformer"
MANAGER_OF_PREVIOUS = "MANAGER_OF_PREVIOUS"
VIEW, UPDATE = "VariableToProcess_VIEW", "VariableToProcess_UPDATE"
READS, WRITES = "wfengine:reads", "wfengine:writes"
DELEGATION_CONFIRM = "wfengine:delegation-confirm"

#: the access of an activity that declares none: read everything, write nothing
OPEN_READ = CDataAccess(None, frozenset())


def _has(a: Activity, name: str) -> bool:
    return any(ea.name == name for ea in a.extended_attributes)


def performer_expression(
    exprs: ExpressionReader,
    text: str,
    where: str,
    variables: frozenset[str],
    offered: bool = True,
) -> CompiledExpression | None:
    """``text`` as an expression over ``variables``, or None when it is a plain name (or not
    an expression whose every name is a variable). A text that does not parse is no name:
    on an activity whose work is ``offered`` to people it compiles to an expression whose
    evaluation fails (:func:`_unparseable`), an incident when the work is offered, rather
    than a name no one has; elsewhere it is never evaluated, and None."""
    language = site_language(exprs.language)
    unparseable = unparseable_performer(text, language, exprs.aliases)
    if unparseable is not None:
        return _unparseable(unparseable, where) if offered else None
    reading = read_expression(text, language, exprs.aliases)
    if reading.kind is not ReadKind.EXPRESSION:  # a label: words and spaces, a name
        return None
    assert reading.expression is not None
    names = reading.expression.names
    if not names or not names <= variables:
        return None
    return compiled(reading, where, exprs.shared)


def _unparseable(reading: Reading, where: str) -> CompiledExpression:
    """A performer text that does not parse, failing each time its work is offered: the
    navigator turns the failure into an incident (operation ``offer``), which names the
    performer and why it does not parse."""
    assert reading.error is not None
    error = reading.error
    reason = error.message + (f" at offset {error.offset}" if error.offset is not None else "")
    text = reading.text
    message = (
        f"performer {text!r} is neither a name nor an expression that parses ({reason}): its "
        "work cannot be offered to anyone; correct the performer in the definition and deploy "
        "it again (validation: performer-syntax)"
    )

    def fail(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
        raise ExpressionEvaluationError(message)

    return CompiledExpression(text, where, fail, frozenset(), ReadKind.UNPARSEABLE)


def assignment(
    where: str,
    a: Activity,
    exprs: ExpressionReader,
    participants: Mapping[str, Participant],
    variables: frozenset[str],
    activity_ids: frozenset[str],
) -> CAssignment | None:
    """The activity's assignment rules, or None when it has only declared performers."""
    offered = needs_person(a)  # (``a`` as compiled: a Reference's body, its lane's performers)
    expressions = tuple(
        None
        if p in participants
        else performer_expression(exprs, p, f"{where}, performer {p!r}", variables, offered)
        for p in a.performers
    )
    to, not_to = performer_activities(a)
    for named in (to, *not_to):
        if named is not None and named not in activity_ids:  # validation: performer-activity
            raise DeployError(f"{where}: the performer of {named!r}: no such activity")
    original, manager = _has(a, ORIGINAL_PERFORMER), _has(a, MANAGER_OF_PREVIOUS)
    if not (any(expressions) or to or not_to or original or manager):
        return None
    return CAssignment(
        expressions=expressions,
        declared=participants,
        to_performer_of=to,
        not_performer_of=not_to,
        original_performer=original,
        manager_of_previous=manager,
    )


def data_access(a: Activity) -> CDataAccess:
    """What the activity's work item may read and write."""
    view, update = attribute_values(a, VIEW, READS), attribute_values(a, UPDATE, WRITES)
    confirm = (a.extended_attribute(DELEGATION_CONFIRM) or "").strip().lower() == "true"
    if not view and not update and not confirm:
        return OPEN_READ
    writes = frozenset(update)
    reads = writes | frozenset(view) if view else None
    return CDataAccess(reads, writes, confirm)


def writing_as_deployed(compiled: CompiledProcess) -> None:
    """Let a person's completion of any activity of ``compiled`` write every field its process
    declares (but the read-only ones), whatever the activity lists: ``compiled`` is a
    deployment stored by a wfengine from before a completion wrote only the fields listed
    to update (the store knows it: ``deployments.writes_any_field``, migration 0023).

    Why: that wfengine let a person write any field, and its deployments list none (or list
    them for a rule it did not keep). Under the rule, every person's completion with data of
    their running instances was refused ("its activity lets it write no data"), and a new
    deployment does not move them. A name the process does not declare stays refused: the
    work was designed around the process's fields, and such a name is a slip. What the
    activities read is left as they list it: it refuses nothing."""
    declared = frozenset(name for name, _ in compiled.data_fields)
    declared |= frozenset(p.id for p in compiled.formal_parameters)
    writes = declared - compiled.read_only
    graphs = {id(g): g for g in (compiled.graph, *compiled.activity_graph.values())}
    for graph in graphs.values():
        for act in graph.activities:
            act.access = replace(act.access or OPEN_READ, writes=writes)
