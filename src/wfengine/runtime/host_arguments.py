"""Checks of what a host passes to an engine command, made before the command runs.

Why: a first-day mistake (a list of pairs where a dict of data belongs) otherwise surfaced
as a bare ``AttributeError: 'list' object has no attribute 'items'`` from deep inside
navigation, naming neither the argument nor the command. A ``TypeError`` naming both says
what to change. The checks are for the host's programming mistakes, so they are
``TypeError`` (not a :class:`~wfengine.errors.WorkflowError`, which is about a process or
an instance). They run once per command and cost one type test when the value is a dict.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping

#: how a refused value is shown: enough to recognise it, never a whole large value
#: (attributes, not keyword arguments, which Python 3.11's Repr does not take)
_shown = reprlib.Repr()
_shown.maxstring = _shown.maxother = 40
_shown.maxlist = _shown.maxtuple = _shown.maxset = 4
_shown.maxlevel = 2


def check_mapping(value: object, name: str, command: str, *, required: bool = False) -> None:
    """Raise ``TypeError`` naming ``command``'s argument ``name`` when ``value`` is not a
    mapping of data field names to values (a dict, or another ``Mapping``); None passes
    unless the argument is ``required``."""
    if type(value) is dict or (value is None and not required) or isinstance(value, Mapping):
        return
    raise TypeError(
        f"{command}: {name} must be a mapping of data field names to values, such as "
        f"{{'amount': 10}}, not {described(value)}"
    )


def described(value: object) -> str:
    """``value``'s type and repr, cut short; its type alone when its repr fails."""
    try:
        return f"{type(value).__name__} {_shown.repr(value)}"
    except Exception:  # a broken __repr__, an integer too long for text
        return type(value).__name__
