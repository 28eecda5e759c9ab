"""What the runtime works out once per package model, not once per process of it.

Why: a deploy handles each process of a package on its own (compiles it, fingerprints it,
compares it with its stored version), and what each of those steps reads from the rest of
the package (its processes by Id, the dump of its types, participants, applications and data
fields, its lanes) is the same for every process. Worked out again for each process, a package
of N processes cost N times its size to deploy, while it validated in the time its size takes.
A package is a frozen model, so what is worked out from it never goes stale.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from wfengine.definition.model import Package

_T = TypeVar("_T")

#: how many packages a memo is kept for (a deploy asks about its package and the stored one
#: it compares it with, many times running)
_KEPT = 4
#: the packages asked about, the last one last (by a weak reference: a memo does not keep its
#: package alive), each with what was worked out from it
_memos: tuple[tuple[weakref.ref[Package], dict[Hashable, Any]], ...] = ()


def package_memo(package: Package, key: Hashable, compute: Callable[[], _T]) -> _T:
    """What ``compute()`` returns, worked out once for ``package`` (this very model, by
    identity) and kept under ``key`` (the function computing it, by convention).
    ``compute`` must read ``package`` alone."""
    global _memos
    memos = _memos  # (read once: another thread may replace it meanwhile)
    for ref, found in reversed(memos):
        if ref() is package:
            memo = found
            break
    else:
        memo = {}
        _memos = (*memos[1 - _KEPT :], (weakref.ref(package), memo))
    if key not in memo:
        memo[key] = compute()
    return cast(_T, memo[key])


__all__ = ["package_memo"]
