"""``sensitive-mark``: a ``wfengine:sensitive`` that hides nothing it was meant to hide.

On an Application the attribute lists formal parameters whose values the audit trail shows as
``***``; on a DataField it says yes or no. Both were read silently: a name that is no formal
parameter of the Application (a typo, ``crad``; another case, ``CARD``; a separator the list
did not take, ``card;other``) or a DataField value that is no yes/no word (``treu``) hid
nothing, and the secret went in clear into the audit trail, which is append-only. An error,
so the deploy refuses the definition: the mistake is found before the first secret is
written, not after.

How the attribute is read lives here, once, for validation and for the runtime's redaction
(:mod:`wfengine.applications.redaction` imports it), so the two cannot disagree on a
separator or a word.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Application, DataField, ExtendedAttribute

#: the extended attribute that marks secrets (on an Application: formal parameter ids; on a
#: DataField: yes or no)
SENSITIVE_ATTRIBUTE = "wfengine:sensitive"

#: what separates the formal parameter ids an Application lists: white space, ``,`` or ``;``
_SEPARATORS = re.compile(r"[\s,;]+")

_YES = frozenset({"true", "yes", "1"})
_NO = frozenset({"false", "no", "0"})


def listed_names(text: str | None) -> list[str]:
    """The formal parameter ids an Application's ``wfengine:sensitive`` text lists, in order."""
    return [name for name in _SEPARATORS.split(text or "") if name]


def field_flag(attribute: ExtendedAttribute) -> bool | None:
    """A DataField's ``wfengine:sensitive`` as read: True for ``true``/``yes``/``1`` in any
    case, and for the attribute given with no value; False for ``false``/``no``/``0``; None
    for anything else (which validation reports)."""
    text = attribute.value if attribute.value is not None else attribute.text
    value = (text or "true").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def mark_findings(node: Application | DataField) -> Iterator[Diagnostic]:
    """The ``sensitive-mark`` findings of one Application or DataField."""
    for ea in node.extended_attributes:
        if ea.name != SENSITIVE_ATTRIBUTE:
            continue
        line = ea.line if ea.line is not None else node.line
        if isinstance(node, Application):
            for problem in _unknown_formals(node, ea):
                yield make("sensitive-mark", problem, element_id=node.id, line=line)
        elif field_flag(ea) is None:
            text = ea.value if ea.value is not None else ea.text
            yield make(
                "sensitive-mark",
                f"DataField {node.id!r} has {SENSITIVE_ATTRIBUTE} {text!r}, which is neither "
                "true nor false (true/false, yes/no or 1/0, in any case): write true to show "
                "its values as *** in the audit trail, or false",
                element_id=node.id,
                line=line,
            )
        return  # (a repeated attribute is duplicate-extended-attribute's; the first is read)


def _unknown_formals(app: Application, ea: ExtendedAttribute) -> Iterator[str]:
    """One text per name ``ea`` lists that is no formal parameter id of ``app``."""
    formals = [fp.id for fp in app.formal_parameters]
    for name in listed_names(ea.value if ea.value is not None else ea.text):
        if name in formals:
            continue
        yield (
            f"Application {app.id!r} marks {name!r} sensitive ({SENSITIVE_ATTRIBUTE}), but "
            f"has no formal parameter {name!r} (ids match exactly): nothing is hidden by "
            f"that name, and the value goes into the audit trail in clear; {_hint(name, formals)}"
        )


def _hint(name: str, formals: list[str]) -> str:
    """The closest formal parameter id to ``name`` (compared without case), else the ids."""
    if not formals:
        return "the application has no formal parameters"
    by_folded = {formal.casefold(): formal for formal in reversed(formals)}
    close = difflib.get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    listed = ", ".join(formals)
    if close:
        return f"did you mean {by_folded[close[0]]!r}? (its formal parameters: {listed})"
    return f"its formal parameters are {listed} (separate several with spaces, ',' or ';')"
