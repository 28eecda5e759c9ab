"""What the export writers (:mod:`wfengine.audit.exports`) read from, checked before anything is
read or written: the engine :func:`~wfengine.audit.exports.write_xes` reads the trail from,
and the names of the listing's filters :func:`~wfengine.audit.exports.iter_events` passes on.

Why: a mistake in what a writer is given surfaced from inside it, naming an attribute or a
method the caller never used: ``write_xes(out, engine)`` (the order ``write_csv(events, out)``
takes, the other way round) and ``write_xes(events, out)`` were a bare ``AttributeError``
(``'list' object has no attribute 'instance_summaries'``), and ``iter_events(engine,
instance="pi-1")`` a ``TypeError`` naming ``Queries.audit_events()``, which the caller never
called.
"""

from __future__ import annotations

from collections.abc import Mapping

from wfengine.audit.export_arguments import XES_FILTERS

#: the filters of the listing (``Engine.audit_events``) by name, as ``write_xes`` names them:
#: the instances', then the events'
FILTERS = ("process_id", "instance_id", *XES_FILTERS)

#: what :func:`~wfengine.audit.exports.write_xes` asks of its ``engine``: it reads the events
#: and the instances itself
_ENGINE_READS = ("audit_events", "instance_summaries", "instance", "deployed")


def check_engine(engine: object, out: object) -> None:
    """Refuse an ``engine`` that is none (a file, a list of events) with a ``TypeError`` that
    says what ``write_xes`` takes, and that the two are swapped when ``out`` is the engine."""
    if all(callable(getattr(engine, name, None)) for name in _ENGINE_READS):
        return
    swapped = " (the two are swapped)" if callable(getattr(out, "audit_events", None)) else ""
    raise TypeError(
        "write_xes takes the Engine first, then the binary file: write_xes(engine, out, "
        f"**filters){swapped}, not a {type(engine).__name__} first; it reads the events "
        "itself (write_csv and write_jsonl take the events: write_csv(iter_events(engine), out))"
    )


def check_filter_names(filters: Mapping[str, object], caller: str) -> None:
    """Refuse a keyword that is no filter (``instance=`` for ``instance_id=``) with the
    ``TypeError`` ``write_xes`` gives: ``caller``, the name, and the filters there are."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"{caller}: no filter {unknown[0]!r} (the filters: {', '.join(FILTERS)})")
