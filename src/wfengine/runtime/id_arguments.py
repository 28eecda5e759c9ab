"""The check of an id an engine command is given (a process id, an instance id).

Why: an id that is not a string went on to the store, which failed in its own way: a list
was a bare "unhashable type: 'list'" in memory and a ``sqlalchemy`` ``ProgrammingError`` on
SQLite, and ``10**30`` a ``NotFoundError`` in memory but an ``OverflowError`` on SQLite. Now
it is a ``TypeError`` naming the command and the argument, on every store alike, in the
words of the listings' id filters (``instances(process_id=['t'])``, which allow None too:
``queries.check_id_filter``). One ``isinstance`` on the path every command takes.
"""

from __future__ import annotations

from wfengine.runtime.host_arguments import described


def check_id(value: object, name: str, what: str, command: str) -> None:
    """Raise ``TypeError`` naming ``command`` and its argument ``name`` unless ``value`` is
    one ``what`` (a string)."""
    if not isinstance(value, str):
        raise TypeError(f"{command}: {name} must be one {what} (a string), not {described(value)}")


def check_instance_id(instance_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``instance_id``."""
    if not isinstance(instance_id, str):
        check_id(instance_id, "instance_id", "process instance id", command)


def check_process_id(process_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``process_id``."""
    if not isinstance(process_id, str):
        check_id(process_id, "process_id", "process id", command)


def check_work_item_id(work_item_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``work_item_id``."""
    if not isinstance(work_item_id, str):
        check_id(work_item_id, "work_item_id", "work item id", command)
