"""What the XES writer (:func:`~wfengine.audit.exports.write_xes`) reads from, checked before
anything is read or written: the engine it reads the trail from (the filters' names are
checked in :mod:`~wfengine.audit.export_arguments`).

Why: a mistake in what the writer is given surfaced from inside it, naming an attribute the
caller never used: ``write_xes(out, engine)`` (the order ``write_csv(events, out)`` takes,
the other way round) and ``write_xes(events, out)`` were a bare ``AttributeError`` (``'list'
object has no attribute 'instance_summaries'``).
"""

from __future__ import annotations

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
