"""The findings about one reading of a text (:mod:`wfengine.definition.reading`): shared by
the expression checks and the initial-value checks, so that both word them alike."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from wfengine.definition import field_names
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.definition.namespaces import XPDL22_NS
from wfengine.definition.reading import (
    Reading,
    ReadKind,
    UnreadDurationError,
    language_name,
)
from wfengine.expressions import Language

#: how much of an expression a message quotes (scripts in deadlines run to many lines)
_QUOTED = 80


def quote(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(text if len(text) <= _QUOTED else text[: _QUOTED - 3] + "...")


def shared_names(package: Package, process: WorkflowProcess) -> dict[str, tuple[str, ...]]:
    """Names two or more data fields or formal parameters carry, with their Ids. Such a Name
    stands for none of them (:func:`~wfengine.definition.reading.name_aliases`), so a text
    using it finds no field; saying which fields share it spares the modeller a hunt for a
    missing one (TIBCO keys its fields by UUIDs and names two alike). Names are chosen as
    ``name_aliases`` chooses them (:func:`~wfengine.definition.reading.is_identifier`: two
    fields named ``Größe`` are told as two named ``amount`` are)."""
    return field_names.shared_names(package, process)


def shared_hint(name: str, shared: Mapping[str, tuple[str, ...]] | None) -> str:
    """`` (data fields '_u1', '_u2' are all named 'amount'; ...)`` when ``name`` is shared."""
    found = shared.get(name) if shared else None
    if not found:
        return ""
    ids = ", ".join(repr(i) for i in found)
    return (
        f" (data fields or parameters {ids} are all named {name!r}, so the Name stands for "
        "none of them; use one's Id, or give each its own Name)"
    )


#: the global names of a language that its front end does not provide: a text using one (not
#: shadowed by a field of that name) is in more of its language than wfengine reads, not a
#: typo of a field name
LANGUAGE_GLOBALS: dict[Language, frozenset[str]] = {
    Language.JAVASCRIPT: frozenset(
        {
            "undefined",
            "NaN",
            "Infinity",
            "Math",
            "JSON",
            "Number",
            "String",
            "Boolean",
            "Date",
            "Object",
            "Array",
            "window",
            "document",
            "globalThis",
        }
    ),
    Language.JAVA: frozenset(
        {
            "Boolean",
            "Integer",
            "Long",
            "Double",
            "Float",
            "Short",
            "Byte",
            "Character",
            "String",
            "Math",
            "Objects",
            "System",
            "BigDecimal",
            "BigInteger",
        }
    ),
}


#: how the expression checks begin the ``what`` of a deadline's duration
DEADLINE_SITE = "a deadline duration"


def _beyond(language: Language) -> str:
    """What of ``language`` a text that did not parse is in: more of a language wfengine
    reads part of (Java, JavaScript) than it reads, or a language it does not read at all,
    whose text was tried as wfengine's own."""
    if language is Language.FOREIGN:
        return f"{language_name(language)}, and is no expression in wfengine's own language either"
    return f"{language_name(language)} beyond what wfengine reads"


def _foreign_outcome(what: str) -> str:
    """What becomes of an instance that reaches a text in more of its language than wfengine
    reads: the engine sets no timer for such a deadline and carries on (auditing
    ``deadline.invalid``); anywhere else the instance stops with an incident."""
    if what.startswith(DEADLINE_SITE):
        return (
            "the deadline sets no timer: an instance reaching it records deadline.invalid in "
            "its audit trail and runs on without the deadline"
        )
    return "an instance reaching it stops with an incident"


#: the declarations the reader may keep as XML, unread, whose Id a text then names in vain
_DECLARATIONS = ("DataField", "FormalParameter")


def unread_names(package: Package, process: WorkflowProcess) -> dict[str, str]:
    """The Ids of the data fields and formal parameters of ``process`` (and its package) that
    the reader kept as XML, unread, each with what to say where a text uses one: "no data
    field" alone sent the modeller looking for a missing declaration when the field is
    declared and only its type (``INTEGR``) or another part could not be read. The reader's
    own reason is quoted when the model still carries it (a file ``convert`` wrote keeps the
    element with no warning)."""
    reasons = {
        (d.element_id, d.line): d.message
        for d in package.load_diagnostics
        if d.code == "xpdl-unreadable" and d.element_id
    }
    found: dict[str, str] = {}
    for node in (*package.extras, *process.extras):
        if node.namespace != XPDL22_NS or node.local_name not in _DECLARATIONS:
            continue
        ident = (node.get("Id") or "").strip()
        if not ident or ident in found:
            continue
        at = f" at line {node.line}" if node.line else ""
        reason = reasons.get((ident, node.line), "")
        why = reason[reason.find("(") + 1 : reason.rfind(")")] if "(" in reason else ""
        found[ident] = (
            f" (its <{node.local_name}>{at} could not be read{': ' + why if why else ''}; it "
            "is kept as XML, unread: correct the declaration)"
        )
    return found


def global_outcome(what: str) -> str:
    """What becomes of an instance that reaches a text using a global of its language that
    wfengine does not provide (JavaScript's ``Math``): the text is read, so it is evaluated,
    and fails on the unknown name. At a deadline the engine audits ``deadline.invalid`` and
    opens an incident before the activity's work begins (unlike an unread text, which only
    leaves the deadline out); anywhere else the instance stops with an incident."""
    if what.startswith(DEADLINE_SITE):
        return (
            "the deadline cannot be set: an instance reaching it records deadline.invalid in "
            "its audit trail and stops with an incident before the activity's work begins"
        )
    return "an instance reaching it stops with an incident"


def reading_findings(
    reading: Reading,
    what: str,
    element_id: str,
    line: int | None,
    known: set[str],
    *,
    unknown_is_error: bool = False,
    shared: Mapping[str, tuple[str, ...]] | None = None,
    unread: Mapping[str, str] | None = None,
) -> Iterator[Diagnostic]:
    """The findings about one reading of a text; ``shared``: the Names several fields carry
    (:func:`shared_names`), named when a text uses one; ``unread``: the declarations kept as
    XML (:func:`unread_names`), said to be so when a text names one."""
    text = quote(reading.text)
    if reading.kind is ReadKind.LABEL and unknown_is_error:  # an initial value
        yield make(
            "expression-label",
            f"{what} is a label for people, not an expression (in {text}): no instance could "
            "be created, as no one can choose a value for it",
            element_id=element_id,
            line=line,
            severity=Severity.ERROR,
        )
    elif reading.kind is ReadKind.LABEL:
        yield make(
            "expression-label",
            f"{what} is a label for people, not an expression (in {text}); an instance that "
            "reaches it stops with an incident until an operator chooses the way on",
            element_id=element_id,
            line=line,
        )
    elif reading.kind is ReadKind.UNPARSEABLE:
        assert reading.error is not None
        if isinstance(reading.error, UnreadDurationError):  # P1M, R0/PT1H
            yield make(
                "expression-syntax",
                f"{what} is {text}: {reading.error.message}",
                element_id=element_id,
                line=line,
            )
        elif reading.refused:
            yield make(
                "expression-syntax",
                f"{what} does not parse: {reading.error.message} (in {text})",
                element_id=element_id,
                line=line,
            )
        else:
            yield make(
                "expression-foreign",
                f"{what} is in {_beyond(reading.language)} ({reading.error.message}; in "
                f"{text}); {_foreign_outcome(what)}",
                element_id=element_id,
                line=line,
            )
    elif reading.kind is ReadKind.EXPRESSION:
        assert reading.expression is not None
        for name in sorted(reading.expression.names - known):
            if unknown_is_error and name in LANGUAGE_GLOBALS.get(reading.language, ()):
                yield make(  # (NaN, Infinity are a FLOAT's literals: Math.PI, or NaN elsewhere)
                    "expression-foreign",
                    f"{what} uses {language_name(reading.language)}'s {name!r}, which "
                    f"wfengine's reading of {language_name(reading.language)} does not provide "
                    f"(in {text}): no instance could be created",
                    element_id=element_id,
                    line=line,
                    severity=Severity.ERROR,
                )
                continue
            if unknown_is_error:
                yield make(
                    "expression-unknown-name",
                    f"{what} uses {name!r}, which is no data field declared before it: an "
                    "initial value sees only the fields declared earlier"
                    + _hint(name, shared, unread),
                    element_id=element_id,
                    line=line,
                    severity=Severity.ERROR,
                )
                continue
            yield make(
                "expression-unknown-name",
                f"{what} uses {name!r}, which is no data field or formal parameter "
                "of the process or package" + _hint(name, shared, unread),
                element_id=element_id,
                line=line,
            )


def _hint(
    name: str, shared: Mapping[str, tuple[str, ...]] | None, unread: Mapping[str, str] | None
) -> str:
    return (unread or {}).get(name) or shared_hint(name, shared)


def listed(names: Sequence[str], most: int = 5) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b' and 'c'`` (``names`` already quoted); past
    ``most``, the first ``most`` and how many more, so that a message stays short."""
    shown = list(names) if len(names) <= most else [*names[:most], f"{len(names) - most:,} more"]
    return " and ".join((", ".join(shown[:-1]), shown[-1])) if len(shown) > 1 else shown[0]
