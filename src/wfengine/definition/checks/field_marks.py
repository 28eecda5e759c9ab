"""How a DataField's yes/no marks are read, and ``field-mark``: a ``wfengine:public`` or
``wfengine:export`` that is neither yes nor no.

A DataField carries three yes/no marks: ``wfengine:sensitive`` (its values show as ``***``),
``wfengine:public`` (the brief status shows its value to outsiders,
:mod:`wfengine.audit.status`) and ``wfengine:export`` (its value goes on its instances' XES
traces, :mod:`wfengine.audit.trace_data`). They are read one way, here (:func:`mark_flag`):
``true``/``yes``/``1`` and ``false``/``no``/``0`` in any case, white space around them
ignored. The mark given with no value is yes for ``sensitive`` (as it always was: a bare mark
hides more, never less) but neither yes nor no for ``public`` and ``export``: those show a
value to outsiders or write it into a log that leaves the engine, so they take a word said on
purpose. Why one reading: ``sensitive`` took
``yes`` and ``1`` while ``public`` and ``export`` took only ``true``, so a field its author
marked ``wfengine:public="yes"`` was hidden from the customers it was meant for, and one
marked ``wfengine:export="1"`` was left out of the process-mining log, with no word.

Any other value (``treu``, ``on``) is a ``field-mark`` error, as ``sensitive-mark`` is one
for ``wfengine:sensitive`` (:mod:`wfengine.definition.checks.sensitive_marks`): the deploy
refuses it, so the author hears of it before a customer misses the field. A definition
deployed before this check may still hold one: there it is read as no (:func:`marked`), the
way it was read before; a value shown to an outsider or written into an exported log by
mistake cannot be taken back, one left out loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import DataField, ExtendedAttribute, Package, WorkflowProcess
from wfengine.definition.model_nodes import Extensible

#: the data-field mark that shows a field's value in the brief status
PUBLIC = "wfengine:public"
#: the data-field mark that puts a field's value on its instances' XES traces
EXPORT = "wfengine:export"

#: what each mark this check reads does when it is yes (for the finding's words)
_DOES = {
    PUBLIC: "to show its value to outsiders in the brief status (wfengine status --brief)",
    EXPORT: "to put its value on its instances' XES traces (wfengine audit --format xes)",
}

_YES = frozenset({"true", "yes", "1"})
_NO = frozenset({"false", "no", "0"})


def mark_flag(attribute: ExtendedAttribute, *, bare: bool | None = True) -> bool | None:
    """A DataField's yes/no mark as read: True for ``true``/``yes``/``1`` in any case (white
    space around it ignored); False for ``false``/``no``/``0``; ``bare`` for the mark given
    with no value (yes for ``sensitive``; None, no word, for ``public`` and ``export``: see
    the module notes); None for anything else (which validation reports)."""
    text = attribute.value if attribute.value is not None else attribute.text
    if not text:
        return bare
    value = text.strip().lower()  # (blanks alone are neither: as they always were)
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def first_mark(node: Extensible, name: str) -> ExtendedAttribute | None:
    """``node``'s first extended attribute ``name`` (a data field's mark, an activity's
    ``wfengine:cancelRemaining``; a repeated one is ``duplicate-extended-attribute``'s: the
    first is read)."""
    for ea in node.extended_attributes:
        if ea.name == name:
            return ea
    return None


def marked(data_field: DataField, name: str) -> bool:
    """Whether ``data_field``'s ``wfengine:public`` or ``wfengine:export`` (``name``) says
    yes; absent, no, or unreadable (a definition deployed before ``field-mark``): not."""
    ea = first_mark(data_field, name)
    return ea is not None and mark_flag(ea, bare=None) is True


def check_field_marks(ctx: Context) -> Iterator[Diagnostic]:
    """One ``field-mark`` finding per ``wfengine:public`` or ``wfengine:export`` that is
    neither yes nor no: on the package's own DataFields, and on those of the processes under
    validation (their activities' too, as ``sensitive-mark`` looks at them)."""
    for process in (None, *ctx.processes):
        for data_field in _data_fields(ctx.package, process):
            for name in (PUBLIC, EXPORT):
                ea = first_mark(data_field, name)
                if ea is not None and mark_flag(ea, bare=None) is None:
                    yield _finding(data_field, name, ea)


def _data_fields(package: Package, process: WorkflowProcess | None) -> Iterator[DataField]:
    """The package's own DataFields (``process`` None), or the process's and its activities'."""
    if process is None:
        yield from package.data_fields
        return
    yield from process.data_fields
    for activity in process.activities:
        yield from activity.data_fields
    for activity_set in process.activity_sets:
        for activity in activity_set.activities:
            yield from activity.data_fields


def _finding(data_field: DataField, name: str, ea: ExtendedAttribute) -> Diagnostic:
    text = ea.value if ea.value is not None else ea.text
    said = f"{text!r}, which is" if text else "with no value, which is"
    return make(
        "field-mark",
        f"DataField {data_field.id!r} has {name} {said} neither true nor false "
        f"(true/false, yes/no or 1/0, in any case): write true {_DOES[name]}, or false",
        element_id=data_field.id,
        line=ea.line if ea.line is not None else data_field.line,
    )
