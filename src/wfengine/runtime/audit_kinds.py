"""Which strings name a kind of audit event, and what a filter by kind is told when one does
not.

Why: a misspelt kind (``work_item.complete``, ``WORK_ITEM_COMPLETED``) matched no event, so
``engine.audit_events(kind=...)``, ``iter_events`` and the exports gave nothing, silently, as
if nothing had happened, while ``wfengine audit --kind`` refused it. One rule and one wording
serve every place that filters by kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from wfengine.runtime.history import EventKind
from wfengine.runtime.host_arguments import described

#: every kind of audit event the engine records, in catalogue order
AUDIT_KINDS: tuple[str, ...] = tuple(k.value for k in EventKind)


def unknown_kind(kind: str) -> str | None:
    """Why ``kind`` selects no audit event, naming the closest kind (its enum name in
    upper case, ``WORK_ITEM_COMPLETED``, names its value) and listing the kinds; None when
    it is a kind."""
    if kind in AUDIT_KINDS:
        return None
    named = EventKind.__members__.get(kind.upper())
    close = (
        [named.value]
        if named is not None
        else difflib.get_close_matches(kind.lower(), AUDIT_KINDS, n=1)
    )
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{kind!r} is no kind of audit event{hint}; the kinds are {', '.join(AUDIT_KINDS)}"


def audit_kinds(kind: str | Iterable[str] | None, where: str) -> tuple[str, ...]:
    """``kind``, a filter's one kind or several (None: every kind), as a tuple of kinds;
    ``ValueError`` (``where`` names the call) for one that is no kind of audit event,
    ``TypeError`` for what is neither a string nor strings."""
    if kind is None:
        return ()
    if isinstance(kind, str):
        kinds: tuple[object, ...] = (kind,)
    else:
        try:
            kinds = tuple(kind)
        except TypeError:
            raise TypeError(
                f"{where}: kind is a kind of audit event or several, not {described(kind)}"
            ) from None
    for one in kinds:
        if not isinstance(one, str):
            raise TypeError(f"{where}: kind is a kind of audit event, not {described(one)}")
        why = unknown_kind(one)
        if why is not None:
            raise ValueError(f"{where}: {why}")
    return tuple(str(one) for one in kinds)
