"""The Names of data fields and formal parameters that are no identifier (``Days
requested``): a Name data given from outside cannot stand for its field by.

Why they are looked for: an expression cannot write such a Name, so it is no alias of its
field (:func:`~wfengine.definition.reading.name_aliases` takes identifiers only, in any
script: :func:`~wfengine.definition.reading.is_identifier`), and
``start_process(data={"Days requested": 2})`` stored the 2 under an undeclared key that no
condition reads, while the field kept its initial value. The engine refuses such a key
instead, naming the field's Id to give (WAPI already refused it as no declared field).
"""

from __future__ import annotations

from wfengine.definition.model import DataField, FormalParameter, Package, WorkflowProcess
from wfengine.definition.reading import is_identifier


def non_identifier_names(package: Package, process: WorkflowProcess) -> dict[str, tuple[str, ...]]:
    """Each Name (stripped) of a field or formal parameter of ``process`` (or its package)
    that is no identifier (:func:`~wfengine.definition.reading.is_identifier`, as the Names
    that stand for their fields are chosen: ``Größe`` is one, so data given under it maps to
    its field) and no declaration's Id -> the Ids that carry it, in declaration order. Empty
    for most processes."""
    items: list[DataField | FormalParameter] = [
        *package.data_fields,
        *process.data_fields,
        *process.formal_parameters,
    ]
    ids = {item.id for item in items}
    owners: dict[str, list[str]] = {}
    for item in items:
        name = (item.name or "").strip()
        if name and name not in ids and not is_identifier(name):
            found = owners.setdefault(name, [])
            if item.id not in found:
                found.append(item.id)
    return {name: tuple(found) for name, found in owners.items()}
