"""The instance document's format version, and the upgrades that bring older documents up to it.

The SQL store keeps an instance's navigation records as one JSON document (the
``state_blob`` column; :mod:`~wfengine.runtime.sql.serialize` writes and reads it). Instances
live for months, so a database holds documents written by every wfengine that ran on it. Each
document says which format it is in (``"format"``); reading one applies the upgrades from its
format to :data:`CURRENT_FORMAT` in order, so the reader only ever knows the current format,
and the next commit of the instance writes it in that format. Nothing is rewritten in bulk.

Formats:

1. Documents without ``"format"`` (every wfengine up to commit 050403c). Keys added during
   its life may be missing: ``depth`` and ``timer_firings`` at the top, ``app`` and
   ``attempts`` in incidents.
2. ``"format": 2``; the writer writes every top-level key and every incident key (``job``
   only in the incident of a failed job, as before). The reader still gives the keys format 1
   added late their defaults when they are missing, so a document edited by hand keeps
   loading.
3. ``"format": 3``; only live activity instances are in it (closed ones nothing open refers
   to move to the ``activity_instances`` rows at each commit), the trace entries move to
   ``trace_entries`` once there are more than a few (``trace_base`` counts those moved), and
   the summaries the rules once read from closed activity instances are kept:
   ``performers`` (activity -> who completed its work item last), ``last_performer``, and
   per scope ``done`` (indexes of the activities that completed in it; left out when empty).
4. ``"format": 4``; ``next_scope``, the id the instance's next scope gets (one past every
   scope it made). Format 3 numbered a new scope ``len(scopes)``, which, once closed scopes
   had left the document, could repeat the id of a scope still in it or fall below its
   owner's scope; its documents go on from one past their highest scope (the reader no
   longer needs an owner's scope to come first, so those already stored that way load).

5. ``"format": 5``; an activity instance that made an application call keeps what its calls'
   idempotency keys are made of (``ck``; see ``NavigatorBase.call_key``). Format 4 keys were
   made of the activity instance's id; its documents' activity instances get the number in
   their id as ``ck``, which makes the same keys (an incident's retry sends the failed call's
   key again).

6. ``"format": 6``; the summaries (``performers``, ``co_performers``) may key an activity by
   ``<set Id>/<Id>`` (``scoped_keys``, below). Format 5 documents read the same (the upgrade
   changes nothing but the number). The format exists so a wfengine that reads its Ids as
   shared entries refuses such documents, and, through its revision (0021), the database,
   instead of sending work back to the wrong person.

A key the writer leaves out when it holds nothing, and the reader takes as holding nothing
when it is missing, needs no new format: no older document held anything there. Such keys:
``nonce``, ``sent_back``, ``messages``, ``sensitive`` (the fields a subflow's instance
hides in its trail besides those its process marks, because its caller filled them from a
sensitive field: ``ProcessInstance.sensitive_extra``) and ``co_performers`` (delegates whose
work under delegation-confirm went back to its owner, whom four eyes keeps off a check, and
everyone who completed an instance of a multi-instance activity a four-eyes rule names).
``performers`` and ``co_performers`` may also hold ``<key> #<scope id>`` entries, for the
copies of a multi-instance block: an older reader never looks them up, and behaves as it did.
An activity instance's ``gw`` (the event-based gateway activation that began it; ``""``
none) needs no format either: an instance without it withdraws its rivals as it did before.
Nor does the top-level ``parked_gw`` (``[[place in parked, activation], ...]``: the activation
a parked begin of an event-based gateway's target carries, ``""`` none; left out when no parked
begin is such a target): an older reader never reads it and begins that work as plain begins,
and a document without it has parked begins that race as they did before activations were kept.

``scoped_keys`` (``true``) looks like such a key, but it came with format 6: the summaries
(``performers``, ``co_performers``) key an activity by its Id, but an activity of an activity
set whose Id another scope of the process repeats by ``<set Id>/<Id>`` (``CActivity.key``),
and the writer says so only for a process that repeats one. This reader needs no format for
it (a document of such a process without it was written when the holders of a repeated Id
shared one entry, and the reader gives each holder a copy: ``instance.carry_scoped_keys``),
but an older reader does: it reads ``performers["Review"]`` (now the top level's entry) for
every holder of ``Review``, so it sent work back to, or kept off a four-eyes check, the wrong
person in a database it opened without a word. A key whose absence an older reader takes for
"nothing" needs no format; a key that changes what a key it knows means does.

To change the document otherwise: raise :data:`CURRENT_FORMAT`, write the new shape in
``serialize``, add the upgrade from the previous format to :data:`_UPGRADES`, keep a
document of the old format as a test fixture (``tests/runtime/fixtures``), and add a schema
revision for the new format (its ``upgrade`` may do nothing) that says
``document_format = <the format>``, named in :data:`FORMAT_REVISIONS`. A wfengine that cannot
read the new format does not know that revision, so it refuses the whole database when it
opens it (``SchemaOutdatedError``: written by a newer wfengine) instead of running on until
it meets a document it cannot read, mid-command, instance by instance
(``tests/runtime/test_upgrade_document_format.py`` ties the three together).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wfengine.errors import StoreError

#: the format :func:`~wfengine.runtime.sql.serialize.instance_document` writes
CURRENT_FORMAT = 6

#: format -> the schema revision that came with it (which says ``document_format = n``): a
#: database at it or later may hold documents of that format. The rule began with format 5,
#: marked by 0020: formats 4 and 5 came without a revision of their own (both while 0015 was
#: the newest), so a wfengine of format 3 at 0015 could open a database holding them; format
#: 3 came with 0012, before the rule
FORMAT_REVISIONS: dict[int, str] = {5: "0020", 6: "0021"}

Document = dict[str, Any]


def document_format(document: Mapping[str, Any]) -> int:
    """The format ``document`` is written in (1 for documents from before formats)."""
    found = document.get("format", 1)
    if not isinstance(found, int) or isinstance(found, bool) or found < 1:
        raise ValueError(f"format {found!r} is not a format number")
    return found


def _from_1(document: Document) -> Document:
    """Format 1 to 2: the keys older writers left out, with the values they meant."""
    document.setdefault("depth", 0)  # before subflow depth was counted: started on its own
    document.setdefault("timer_firings", 0)  # before timer firings were counted
    # before incidents named their application and counted its attempts
    document["incidents"] = [{"app": None, "attempts": 0, **i} for i in document["incidents"]]
    return document


def _from_2(document: Document) -> Document:
    """Format 2 to 3: a format 2 document holds every activity instance and the whole trace;
    it keeps them, as history not stored yet (``trace_base`` 0), until its instance's next
    commit moves them to their tables. ``performers`` None tells the reader to derive the
    summaries from the activity instances it holds."""
    document["trace_base"] = 0
    document["performers"] = None
    document["last_performer"] = None
    return document


def _from_3(document: Document) -> Document:
    """Format 3 to 4: the next scope's id, one past the highest scope in the document."""
    document["next_scope"] = max((s["id"] for s in document["scopes"]), default=-1) + 1
    return document


def _from_4(document: Document) -> Document:
    """Format 4 to 5: every activity instance keeps the call keys format 4 made for it."""
    document["activities"] = [
        {"ck": a["id"].rpartition(":")[2], **a} for a in document["activities"]
    ]
    return document


def _from_5(document: Document) -> Document:
    """Format 5 to 6: nothing to change. A format 5 document written after scoped keys
    already says ``scoped_keys`` when it holds them; one without it is carried forward by
    the reader (``instance.carry_scoped_keys``) as it was before."""
    return document


#: format n -> the function that turns a (copied) document of format n into format n + 1
_UPGRADES: dict[int, Callable[[Document], Document]] = {
    1: _from_1,
    2: _from_2,
    3: _from_3,
    4: _from_4,
    5: _from_5,
}


def current_document(document: Mapping[str, Any], instance_id: str) -> Mapping[str, Any]:
    """``document`` in :data:`CURRENT_FORMAT` (itself when it already is; never changed in
    place). A document of a newer or unknown format raises :class:`StoreError`."""
    try:
        found = document_format(document)
    except ValueError as exc:
        raise StoreError(
            f"process instance {instance_id!r}: its stored document has {exc}"
        ) from exc
    if found == CURRENT_FORMAT:
        return document
    if found > CURRENT_FORMAT:
        raise StoreError(
            f"process instance {instance_id!r} was stored by a newer wfengine (document format "
            f"{found}; this one reads formats up to {CURRENT_FORMAT}): upgrade wfengine"
        )
    upgraded = dict(document)
    for version in range(found, CURRENT_FORMAT):
        upgraded = _UPGRADES[version](upgraded)
        upgraded["format"] = version + 1
    return upgraded
