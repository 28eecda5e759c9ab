"""The instance data an XES trace carries (:func:`~wfengine.audit.exports.write_xes`): the
data fields a definition marks ``wfengine:export`` = ``true``, read per process version."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from wfengine.applications.redaction import REDACTED
from wfengine.errors import DeployError

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

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

    def _of(self, instance_id: str) -> dict[str, Any]:
        inst = self.engine.instance(instance_id)
        key = (inst.process_id, inst.version)
        found = self.fields.get(key)
        if found is None:
            deployed = self.engine.deployed(*key)
            declared = (*deployed.package.data_fields, *deployed.definition.data_fields)
            names = frozenset(
                f.id
                for f in declared
                if (f.extended_attribute(EXPORT) or "").strip().lower() == "true"
            )
            found = self.fields[key] = (names, deployed.compiled.sensitive_fields)
        names, hidden = found
        return {
            k: REDACTED if k in hidden else v
            for k, v in inst.data.items()
            if k in names and v is not None
        }


#: the data-field extended attribute that puts a field's value on its instances' XES traces
EXPORT = "wfengine:export"
