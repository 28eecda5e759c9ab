"""The instance data an XES trace carries (:func:`~wfengine.audit.exports.write_xes`): the
data fields a definition marks ``wfengine:export`` = ``true`` (or ``yes`` or ``1``, as every
yes/no mark of a field is read: :mod:`wfengine.definition.checks.field_marks`), read per
process version."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from wfengine.applications.redaction import REDACTED
from wfengine.definition.checks.field_marks import EXPORT, marked
from wfengine.errors import DeployError

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.instance import ProcessInstance
    from wfengine.runtime.snapshots import InstanceSnapshot
    from wfengine.runtime.store import Loaded

#: where an instance whose trace is written without its data is named
_log = logging.getLogger("wfengine.audit")


class TraceData:
    """The instance data a trace carries: the fields its definition marks
    ``wfengine:export`` = ``true``, those also marked ``wfengine:sensitive`` as ``***`` (the
    declarations read once per process version)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: (process, version) -> (exported fields, sensitive fields)
        self.fields: dict[tuple[str, int], tuple[frozenset[str], frozenset[str]]] = {}

    def of(self, instance_id: str) -> dict[str, Any]:
        """The exported data of ``instance_id``; none for an instance on a stored version
        that no longer compiles (stored by an earlier wfengine), whose trace is written all
        the same, as CSV and JSON Lines write its events: which fields its definition
        exports cannot be known, and one such instance must not cost the whole log. A
        warning on the ``wfengine.audit`` logger names it."""
        try:
            return self._of(instance_id)
        except DeployError as exc:
            _log.warning(
                "instance %r: its trace is written without instance data (%s)", instance_id, exc
            )
            return {}

    def loaded(self, instance_id: str, loaded: Loaded | None) -> dict[str, Any]:
        """:meth:`of` for an instance already read (:meth:`Store.loaded_instances
        <wfengine.runtime.store.Store.loaded_instances>`): the same data, the same warning
        for a version that no longer compiles; one not read (None) is read now."""
        if loaded is None:
            return self.of(instance_id)
        if isinstance(loaded, DeployError):
            _log.warning(
                "instance %r: its trace is written without instance data (%s)", instance_id, loaded
            )
            return {}
        return self._data(loaded)

    def _of(self, instance_id: str) -> dict[str, Any]:
        return self._data(self.engine.instance(instance_id))

    def _data(self, inst: InstanceSnapshot | ProcessInstance) -> dict[str, Any]:
        key = (inst.process_id, inst.version)
        found = self.fields.get(key)
        if found is None:
            deployed = self.engine.deployed(*key)
            declared = (*deployed.package.data_fields, *deployed.definition.data_fields)
            # (true/yes/1, as wfengine:sensitive is read: the fields' marks read alike)
            names = frozenset(f.id for f in declared if marked(f, EXPORT))
            found = self.fields[key] = (names, deployed.compiled.sensitive_fields)
        names, hidden = found
        return {
            k: REDACTED if k in hidden else v
            for k, v in inst.data.items()
            if k in names and v is not None
        }


#: what the key of a field whose id cannot be one as it stands starts with
DATA_PREFIX = "wfengine:data:"

#: XML's NameStartChar and NameChar beyond ASCII (XML 1.0 fifth edition)
_NAME_START = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_MORE = "\u00b7\u0300-\u036f\u203f-\u2040"
_ASCII_START = re.compile("[A-Za-z_]")
_ASCII_MORE = re.compile("[A-Za-z0-9._-]")
_WIDE_START = re.compile(f"[{_NAME_START}]")
_WIDE_MORE = re.compile(f"[{_NAME_MORE}]")


def _starts_name(c: str) -> bool:
    """Whether ``c`` may start a name: beyond ASCII only a letter in XML's ranges, so every
    XML Schema reader (some still read names by XML's older, narrower letter tables) takes it."""
    if c.isascii():
        return _ASCII_START.fullmatch(c) is not None
    return c.isalpha() and _WIDE_START.fullmatch(c) is not None


def _in_name(c: str) -> bool:
    """Whether ``c`` may stand in a name after its first character (as :func:`_starts_name`:
    beyond ASCII a letter or digit in XML's ranges, or one of its joining marks)."""
    if c.isascii():
        return _ASCII_MORE.fullmatch(c) is not None
    return (
        _starts_name(c)
        or (c.isdigit() and _WIDE_START.fullmatch(c) is not None)
        or (_WIDE_MORE.fullmatch(c) is not None)
    )


def xes_key(field_id: str) -> str:
    """The XES attribute key of the data field ``field_id`` on a trace.

    Why not always the id: an XES key is an ``xs:Name`` and a key with a colon names an
    extension's attribute. An id that is no name (``2nd_contact``, ``-lead``, ``a b``) made
    the log invalid XES, and an id such as ``concept:name`` gave the trace a second name
    (process-mining tools merged cases by it). So an id that is a name without a colon (the
    ordinary case: ``customer``, ``order-no``) is the key as it stands, as always; any other is
    ``wfengine:data:`` and the id with each character a name cannot hold written
    ``_xHHHH_`` (its code point in hex; a ``_`` before an ``x`` is ``_x005F_``, so two ids
    never share a key): ``2nd_contact`` is ``wfengine:data:2nd_contact``, ``concept:name`` is
    ``wfengine:data:concept:name``, ``a b`` is ``wfengine:data:a_x0020_b``. Such a key cannot
    be a plain id's (it has a colon) nor a standard key or one the writer sets (the
    ``wfengine:data:`` prefix is the engine's own)."""
    if _is_plain(field_id):
        return field_id
    return DATA_PREFIX + "".join(_escaped(field_id, i) for i in range(len(field_id)))


def _is_plain(field_id: str) -> bool:
    return field_id != "" and _starts_name(field_id[0]) and all(_in_name(c) for c in field_id[1:])


def _escaped(text: str, i: int) -> str:
    """The ``i``-th character of ``text`` as it stands in a ``wfengine:data:`` key."""
    c = text[i]
    marks_escape = c == "_" and text[i + 1 : i + 2] == "x"
    if c == ":" or (_in_name(c) and not marks_escape):
        return c
    return f"_x{ord(c):04X}_"
