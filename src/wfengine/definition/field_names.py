"""Which Names stand for data fields and formal parameters, worked out once per package.

Tools that key data fields by generated ids (TIBCO writes UUIDs) use the fields' Names in
scripts; a Name that is an identifier (:func:`is_identifier`) and names exactly one field or
formal parameter (and is no other one's Id) stands for that field (:func:`name_aliases`), and
one that several carry stands for none (:func:`shared_names`).

Why a module of its own: both are asked per process, by validation (several checks each) and
by the runtime compiler, and each answer spans the package's fields as well as the process's.
Worked out from scratch each time, a package of N processes and N package-level fields cost
N x N: a 600 KB file took a minute to validate, a 16 MiB one hours. The package's part is
now worked out once per package object (kept while the package lives) and each process adds
only its own fields.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wfengine.definition.model import DataField, FormalParameter, Package, WorkflowProcess
from wfengine.expressions.lexer import name_problem


def is_identifier(name: str) -> bool:
    """Whether an expression reads ``name`` as the name written: an identifier in any script
    (``größe``, ``名前``) that Python does not read as another (``ﬁle``, a decomposed ``café``:
    :func:`~wfengine.expressions.lexer.name_problem`). Such a Name may stand for its field
    (:func:`name_aliases`), also as a key of data given from outside (one that is no such
    name is refused: :mod:`.non_identifier_names`), and a script may assign to it
    (:mod:`.scripts`)."""
    return name.isidentifier() and name_problem(name) is None


def _owners(items: Iterable[DataField | FormalParameter]) -> dict[str, list[str]]:
    """Each Name that may stand for a field (an identifier other than the item's own Id)
    with the Ids carrying it, each once, in order."""
    owners: dict[str, list[str]] = {}
    for item in items:
        name = (item.name or "").strip()
        if name and name != item.id and is_identifier(name):
            found = owners.setdefault(name, [])
            if item.id not in found:
                found.append(item.id)
    return owners


@dataclass(frozen=True)
class _PackageNames:
    """The package-level fields' part of every process's answer."""

    ids: frozenset[str]
    #: the package's fields by Id (the first of an Id repeated: ``duplicate-id`` says so)
    by_id: dict[str, DataField]
    #: the Ids of the package's fields declared ``ReadOnly``
    read_only: frozenset[str]
    owners: dict[str, list[str]]
    #: what :func:`name_aliases` answers for a process with no fields or parameters
    aliases: dict[str, str]
    #: what :func:`shared_names` answers for such a process
    shared: dict[str, tuple[str, ...]]


#: id(package) -> (a weak reference to it, its names): a package compares by value, and
#: hashing a large one for each look-up would cost what this cache saves
_CACHE: dict[int, tuple[weakref.ref[Package], _PackageNames]] = {}
_LOCK = threading.Lock()


def _package_names(package: Package) -> _PackageNames:
    key = id(package)
    held = _CACHE.get(key)
    if held is not None and held[0]() is package:
        return held[1]
    ids = frozenset(f.id for f in package.data_fields)
    owners = _owners(package.data_fields)
    by_id: dict[str, DataField] = {}
    for f in package.data_fields:
        by_id[f.id] = f  # a later one of an Id wins, as the engine reads them
    names = _PackageNames(
        ids,
        by_id,
        frozenset(f.id for f in by_id.values() if f.read_only),
        owners,
        {n: found[0] for n, found in owners.items() if len(found) == 1 and n not in ids},
        {n: tuple(found) for n, found in owners.items() if len(found) > 1 and n not in ids},
    )

    def forget(ref: weakref.ref[Package], key: int = key) -> None:
        with _LOCK:
            held = _CACHE.get(key)
            if held is not None and held[0] is ref:
                del _CACHE[key]

    with _LOCK:
        _CACHE[key] = (weakref.ref(package, forget), names)
    return names


def _merged(
    package: Package, process: WorkflowProcess
) -> tuple[_PackageNames, frozenset[str], dict[str, list[str]]] | None:
    """The package's part, the process's own Ids, and each Name the process's own items
    carry with all its owners (the package's first); None when the process has no items."""
    names = _package_names(package)
    items: tuple[DataField | FormalParameter, ...] = (
        *process.data_fields,
        *process.formal_parameters,
    )
    if not items:
        return None
    own = _owners(items)
    merged = {
        n: [*names.owners.get(n, ()), *(i for i in found if i not in names.owners.get(n, ()))]
        for n, found in own.items()
    }
    return names, frozenset(item.id for item in items), merged


def name_aliases(package: Package, process: WorkflowProcess) -> dict[str, str]:
    """Names that stand for data fields and formal parameters keyed by another Id.

    Only a Name that is an identifier (:func:`is_identifier`), that exactly one field or
    parameter carries, and that is not itself the Id of a field or parameter: an alias never
    hides an Id. A new dict each time: a caller may change its own.
    """
    return _process_names(package, process)[0]


def shared_names(package: Package, process: WorkflowProcess) -> dict[str, tuple[str, ...]]:
    """Names two or more data fields or formal parameters carry, with their Ids (none of
    which such a Name stands for); a Name that is some field's or parameter's Id is none."""
    return _process_names(package, process)[1]


def _process_names(
    package: Package, process: WorkflowProcess
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The aliases (:func:`name_aliases`) and shared names (:func:`shared_names`) of
    ``process`` in ``package``, sorted in one pass over the Names its own fields and
    parameters carry: one Name is an alias when one of them carries it, shared when several
    do, and neither when it is some field's or parameter's Id."""
    found = _merged(package, process)
    if found is None:
        names = _package_names(package)
        return dict(names.aliases), dict(names.shared)
    names, ids, merged = found
    aliases = {n: i for n, i in names.aliases.items() if n not in ids}
    shared = {n: owners for n, owners in names.shared.items() if n not in ids}
    for n, owners in merged.items():
        own = n not in ids and n not in names.ids  # (set in place: the order stays the rule's)
        if own and len(owners) == 1:
            aliases[n] = owners[0]
        else:
            aliases.pop(n, None)
        if own and len(owners) > 1:
            shared[n] = tuple(owners)
        else:
            shared.pop(n, None)
    return aliases, shared


def package_fields(package: Package) -> Mapping[str, DataField]:
    """The package's data fields by Id (a later one of a repeated Id wins), worked out once
    per package: not to be changed (copy it to add a process's own)."""
    return _package_names(package).by_id


def package_read_only(package: Package) -> frozenset[str]:
    """The Ids of the package's data fields declared ``ReadOnly``, worked out once."""
    return _package_names(package).read_only
