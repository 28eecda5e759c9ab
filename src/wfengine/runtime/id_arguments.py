"""The check of an id an engine command is given (a process id, an instance id).

Why: an id that is not a string went on to the store, which failed in its own way: a list
was a bare "unhashable type: 'list'" in memory and a ``sqlalchemy`` ``ProgrammingError`` on
SQLite, and ``10**30`` a ``NotFoundError`` in memory but an ``OverflowError`` on SQLite. Now
it is a ``TypeError`` naming the command and the argument, on every store alike, in the
words of the listings' id filters (``instances(process_id=['t'])``, which allow None too:
``queries.check_id_filter``).

An id no store can hold is a ``ValueError`` alike: one with a lone surrogate (what
``sys.argv`` or ``os.fsdecode`` make of a byte that is not UTF-8) was a ``NotFoundError`` in
memory but a bare ``UnicodeEncodeError`` on SQLite, or a ``StoreError`` saying the
instance's row "cannot be read", as if the database were damaged; one with NUL a driver's
error on PostgreSQL. No stored id holds either (``deploy`` refuses them in a definition's
ids, the engine makes the others). The common case costs an ``isinstance`` and two scans of
a short string: each check first asks whether the id is a plain ASCII string without NUL,
written out (no call: a command's id nearly always is one, and calling ``text_problem`` for it
cost more than the check); any other goes on to :func:`check_id`, which says what is wrong or
takes it (text that is not ASCII but encodes).
"""

from __future__ import annotations

from wfengine.runtime.host_arguments import described
from wfengine.runtime.stored_text import text_problem


def check_id(value: object, name: str, what: str, command: str) -> None:
    """Raise ``TypeError`` naming ``command`` and its argument ``name`` unless ``value`` is
    one ``what`` (a string), ``ValueError`` when it is one no store can hold."""
    if not isinstance(value, str):
        raise TypeError(f"{command}: {name} must be one {what} (a string), not {described(value)}")
    problem = text_problem(value)
    if problem is None:
        return
    if "surrogate" in problem:  # how a command line's or a file name's undecodable byte arrives
        problem = (
            "holds a byte that is not UTF-8 (read as a lone surrogate), which no stored id "
            "holds: decode the id as UTF-8 (is the terminal's encoding UTF-8?)"
        )
    raise ValueError(f"{command}: {name} {value[:40]!r} {problem}")


def check_instance_id(instance_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``instance_id``."""
    if type(instance_id) is not str or not instance_id.isascii() or "\x00" in instance_id:
        check_id(instance_id, "instance_id", "process instance id", command)


def check_process_id(process_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``process_id``."""
    if type(process_id) is not str or not process_id.isascii() or "\x00" in process_id:
        check_id(process_id, "process_id", "process id", command)


def check_work_item_id(work_item_id: object, command: str) -> None:
    """:func:`check_id` of a command's ``work_item_id``."""
    if type(work_item_id) is not str or not work_item_id.isascii() or "\x00" in work_item_id:
        check_id(work_item_id, "work_item_id", "work item id", command)
