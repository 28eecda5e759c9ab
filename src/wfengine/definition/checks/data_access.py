"""``undefined-data-field`` (a warning) for the fields a person's work item may read or write
(``wfengine:reads`` / ``wfengine:writes``, JaWE's ``VariableToProcess_VIEW`` /
``VariableToProcess_UPDATE``) that name no declared field.

The engine takes those names as given (an instance may carry data its definition does not
declare), so a misspelt one deploys: the work item then shows nothing under the name it meant,
and a completion giving the field meant (``amount``) is refused, since the activity lets its
person write only the misspelt one (``amout``). A warning, not an error, as the runtime does
run it; it names the activity, the list and the name, and a declared field it may have meant,
at the line of the ``<ExtendedAttribute>`` that lists the name.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import get_close_matches

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.reading import name_aliases
from wfengine.definition.work_rules import attribute_entries

#: the extended attributes listing what a work item may read, and what it may write (the runtime
#: compiler reads them as :func:`wfengine.runtime.compile_people.data_access`), and what a
#: name in them that is no field means to the person
_LISTS = (
    ("VariableToProcess_VIEW", "read", "its work item shows nothing under it"),
    ("wfengine:reads", "read", "its work item shows nothing under it"),
    (
        "VariableToProcess_UPDATE",
        "write",
        "a completion may write only that name, one giving a declared field is refused",
    ),
    (
        "wfengine:writes",
        "write",
        "a completion may write only that name, one giving a declared field is refused",
    ),
)


def check_data_access(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per activity, list and name that is no data field or formal parameter."""
    for scope in ctx.scopes:
        process = scope.process
        aliases = name_aliases(ctx.package, process)
        for activity in scope.activities:
            known = ctx.data_names(process, activity)
            seen: set[tuple[str, str]] = set()
            for attribute, verb, effect in _LISTS:
                for name, element in attribute_entries(activity, attribute):
                    if name in known or name in aliases or (verb, name) in seen:
                        continue
                    seen.add((verb, name))
                    close = get_close_matches(name, sorted(known), n=1)
                    meant = f" (did you mean {close[0]!r}?)" if close else ""
                    yield make(
                        "undefined-data-field",
                        f"activity {activity.id!r} in {scope.where} lets its work item {verb} "
                        f"{name!r} ({attribute}), which is no data field or formal parameter "
                        f"of the process or package{meant}: {effect}",
                        element_id=activity.id,
                        line=element.line if element.line is not None else activity.line,
                        severity=Severity.WARNING,
                    )
