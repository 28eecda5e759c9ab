"""Refusing a definition's setting that a built-in agent does not take.

Why: an Application bound to the HTTP, subprocess or Python-callable agent with a misspelt
setting (``wfengine:retires="3"``, ``wfengine:metod="GET"``) was valid, passed the binding
check and ran without its retries, POSTing: each factory read the keys it knows and ignored
the rest. Definition validation cannot judge them (which agent a kind names, and what its
factory takes, is the host's: ``unknown-extension`` leaves an agent's settings alone), but the
factory knows, and the binding check (``ApplicationRegistry.check``: ``wfengine validate
--apps``, a deploy that checks bindings) makes it, so the mistake is reported there, and at
the latest the agent is not made, the call stopping with an incident that names it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from wfengine.definition.checks.extensions import KNOWN, PREFIX
from wfengine.definition.model import Application

#: what every agent's Application may set besides its agent's own settings: the agent
#: selector, the sensitive list and the registry's call settings (retries, timeout, backoff,
#: max-backoff, asynchronous), which the registry reads before the factory is called
EVERY_AGENT: frozenset[str] = frozenset(name[len(PREFIX) :] for name in KNOWN[Application])


class UnknownSettingError(ValueError):
    """A definition gives a setting its agent does not take; ``setting`` names it (without
    the ``wfengine:`` prefix). The binding check reports it as ``application-setting-unknown``
    (the registry names the application and the agent kind)."""

    def __init__(self, message: str, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


def refuse_unknown(
    agent: str,
    settings: Mapping[str, str],
    known: Iterable[str],
    *,
    prefixes: Iterable[str] = (),
) -> None:
    """Raise :class:`UnknownSettingError` for the first of ``settings`` (keys without the
    ``wfengine:`` prefix) that is neither one of ``known`` (the ``agent``'s own settings), one
    starting with one of ``prefixes`` (``header:``), nor one of :data:`EVERY_AGENT`; the
    message suggests the nearest known setting."""
    own = tuple(known)
    starts = tuple(prefixes)
    for name in settings:
        if name in own or name in EVERY_AGENT or (starts and name.startswith(starts)):
            continue
        names = sorted({*own, *EVERY_AGENT})
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        if not near and starts:
            near = [p + "..." for p in starts if difflib.get_close_matches(name, [p], cutoff=0.6)]
        meant = f"; did you mean {PREFIX + near[0]!r}?" if near else ""
        taken = ", ".join(PREFIX + n for n in own) or "none"
        raise UnknownSettingError(
            f"{PREFIX + name!r} is no setting of the {agent} agent, which does not read it"
            f"{meant} (its own settings: {taken}"
            + "".join(f", {PREFIX}{p}NAME" for p in starts)
            + "; every agent's: "
            + ", ".join(PREFIX + n for n in sorted(EVERY_AGENT))
            + ")",
            name,
        )
