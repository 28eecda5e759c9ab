"""Process instances to their stored document (JSON) and back, for the SQL store.

The compiled process graph is *not* stored: an instance refers to its definition by
``(process_id, version)`` and the store re-attaches the deployment's compiled graph when it
loads the row. Records that point into the graph (a scope's graph, an activity instance's
activity, parked work) are stored as indexes into it:

* a scope is its id, its owner (the activity instance running the block, or none for the
  top level) and its counters; its graph is the process graph for the top level, else the
  owner's activity's block graph, so it is found again without storing names;
* an activity instance is its id, its scope id and the index of its activity in that scope's
  graph, and its plain fields (multi-instance bookkeeping refers to other activity instances
  by id). Only the instances still live are in it: a commit moves closed ones, and the trace
  entries, to their tables (:func:`~wfengine.runtime.instance.retire`); the document keeps
  how many trace entries are stored (``trace_base``) and the summaries later rules read
  (``performers``, ``co_performers`` when a delegate wrote any work, ``last_performer``,
  each scope's ``done``). The summaries key an activity by its
  :attr:`~wfengine.runtime.compiled.CActivity.key`; a document of a process that repeats an
  activity Id across scopes says ``"scoped_keys": true`` (one without it was written before
  those keys, and :func:`~wfengine.runtime.instance.carry_scoped_keys` carries it forward).

Instance data and audit details are user values, stored as :mod:`wfengine.runtime.values`
encodes them (the engine checks data with the same function when it enters, so the memory
store refuses exactly what this one cannot store).

A document names its format (``"format"``); this module writes and reads only the current one
and :mod:`~wfengine.runtime.sql.document_format` upgrades older documents before they get here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from wfengine.errors import StoreError
from wfengine.runtime.compiler import CompiledProcess
from wfengine.runtime.instance import (
    ActivityInstance,
    ChoiceBegin,
    Incident,
    MultiInstanceState,
    ProcessInstance,
    Scope,
    carry_scoped_keys,
)
from wfengine.runtime.sql.document_format import CURRENT_FORMAT
from wfengine.runtime.states import ActivityState, ProcessState
from wfengine.runtime.values import decode_value, encode_value

__all__ = ["decode_value", "encode_data", "encode_value", "instance_document", "load_instance"]
#: agenda operations (navigator._OP_BEGIN / _OP_BODY) as stored in parked work
_OP_BEGIN = 0


def encode_data(data: Mapping[str, Any], instance_id: str) -> dict[str, Any]:
    """Instance data, each field named in the error when it cannot be stored."""
    out = encode_value(data, f"instance {instance_id!r}, data")
    assert isinstance(out, dict)
    return out


# --------------------------------------------------------------------------- instances


def _iso(when: datetime) -> str:
    """``when`` as the document keeps it: ISO text in UTC, as the columns keep their times. A
    naive time (read from a document written by hand, see :func:`_dt`) is kept as it is:
    ``astimezone`` would take it for the host's local time and shift it by the host's zone
    each time the instance is stored."""
    return _utc(when).isoformat()


def _utc(when: datetime) -> datetime:
    """``when`` in UTC; a naive time as it is (:func:`_iso`, :func:`_dt`)."""
    return when if when.tzinfo is UTC or when.tzinfo is None else when.astimezone(UTC)


def _dt(text: str) -> datetime:
    """A time of the document, in UTC. Why on reading too: documents written before
    :func:`_iso` kept the clock's zone (``+02:00`` from a clock in ``Europe/Berlin``), so an
    open activity instance's or an incident's time came back in it where every column's
    time, and every time the memory store gives, is UTC (a naive time, only ever written by
    hand, is left as it is)."""
    return _utc(datetime.fromisoformat(text))


def _undt(value: str | None) -> datetime | None:
    return None if value is None else _dt(value)


def instance_document(inst: ProcessInstance) -> dict[str, Any]:
    """The navigator's records of ``inst`` (everything the row's columns do not hold), in
    the current document format."""
    activities = []
    for ai in inst.activities.values():
        rec: dict[str, Any] = {
            "id": ai.id,
            "scope": ai.scope.id,
            "act": ai.act.index,
            "state": ai.state.value,
            "started": _iso(ai.started_at),
        }
        if ai.completed_at is not None:
            rec["completed"] = _iso(ai.completed_at)
        if ai.iterations:
            rec["iterations"] = ai.iterations
        if ai.mi is not None:
            mi = ai.mi
            rec["mi"] = [mi.total, mi.started, mi.completed, mi.routed, [c.id for c in mi.children]]
            if mi.added:  # (a key of its own: a document without it reads as none added)
                rec["mi_added"] = mi.added
        if ai.mi_parent is not None:
            rec["mi_parent"] = ai.mi_parent.id
        if ai.mi_index is not None:
            rec["mi_index"] = ai.mi_index
        if ai.work_item is not None:
            rec["work_item"] = ai.work_item
        if ai.performer is not None:
            rec["performer"] = ai.performer
        if ai.running_at is not None:
            rec["running"] = _iso(ai.running_at)
        if ai.late:
            rec["late"] = True
        if ai.child_instance is not None:
            rec["child_instance"] = ai.child_instance
        if ai.child_scope is not None:
            rec["child_scope"] = ai.child_scope.id
        if ai.timers:
            rec["timers"] = list(ai.timers)
        if ai.incident is not None:
            rec["incident"] = ai.incident
        if ai.fired:
            rec["fired"] = sorted(ai.fired.items())
        if ai.call_key is not None:
            rec["ck"] = ai.call_key
        if ai.activation is not None:  # (an event-based gateway's target; see the reader)
            rec["gw"] = ai.activation
        activities.append(rec)
    scopes = [
        {
            "id": s.id,
            "owner": s.owner.id if s.owner is not None else None,
            "count": s.count,
            "places": sorted(s.places.items()),
            "tokens": sorted(s.tokens.items()),
            "rounds": sorted(s.rounds.items()),
            "pending": sorted(s.pending),
            "closed": s.closed,
            **({"timers": list(s.timers)} if s.timers else {}),
            **({"fired": sorted(s.fired.items())} if s.fired else {}),
            **({"done": _indexes(s.done)} if s.done else {}),
        }
        for s in inst.scopes.values()
    ]
    incidents = [
        {
            "id": i.id,
            "ai": i.activity_instance_id,
            "activity": i.activity_id,
            "operation": i.operation,
            "message": i.message,
            "created": _iso(i.created_at),
            "resolved": i.resolved,
            "scope": i.scope_id,
            "join": i.join_index,
            "app": i.application_id,
            "attempts": i.attempts,
            **({"job": i.job_id} if i.job_id is not None else {}),
        }
        for i in inst.incidents.values()
    ]
    parked = [
        [op, a.id, b.index] if op == _OP_BEGIN else [op, a.id, None] for op, a, b in inst.parked
    ]
    # the activation a parked begin of an event-based gateway's target carries (ChoiceBegin;
    # "": a plain begin, in no choice), by its place in ``parked``; left out when none is
    # such a target (an older reader never reads it: the begins are plain to it, as then)
    parked_gw = [
        [n, getattr(item, "activation", "")]
        for n, item in enumerate(inst.parked)
        if item[0] == _OP_BEGIN and item[2].rivals
    ]
    return {
        "format": CURRENT_FORMAT,
        "parent_waits": inst.parent_waits,
        "seq": inst.seq,
        "depth": inst.depth,
        "timer_firings": inst.timer_firings,
        "root": inst.root.id if inst.root is not None else None,
        "next_scope": inst.next_scope,
        "scopes": scopes,
        "activities": activities,
        "incidents": incidents,
        "trace_base": inst.trace_base,
        "trace": inst.trace,
        "performers": inst.performers,
        "last_performer": inst.last_performer,
        "parked": parked,
        **({"parked_gw": parked_gw} if parked_gw else {}),
        **({"nonce": inst.nonce} if inst.nonce else {}),
        **({"sent_back": inst.sent_back} if inst.sent_back else {}),
        **({"co_performers": inst.co_performers} if inst.co_performers else {}),
        **({"scoped_keys": True} if inst.compiled.scoped_keys else {}),
        **({"sensitive": sorted(inst.sensitive_extra)} if inst.sensitive_extra else {}),
        **(
            {
                "messages": [
                    [
                        name,
                        encode_value(data, f"instance {inst.id!r}, message {name!r}"),
                        _iso(at),
                    ]
                    for name, data, at in inst.messages
                ]
            }
            if inst.messages
            else {}
        ),
    }


def load_instance(
    row: Mapping[Any, Any], blob: Mapping[str, Any], compiled: CompiledProcess
) -> ProcessInstance:
    """Rebuild an instance from its row (the columns) and document ``blob`` (of the current
    format), on ``compiled``."""

    inst = ProcessInstance(
        id=row["id"],
        process_id=row["process_id"],
        version=row["definition_version"],
        compiled=compiled,
        state=ProcessState(row["state"]),
        data=decode_value(row["data"]),
        created_at=row["created_at"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        parent_instance=row["parent_instance_id"],
        parent_activity_instance=row["parent_activity_instance_id"],
        parent_waits=blob["parent_waits"],
        seq=blob["seq"],
        # always written; read with their defaults so that a document a tool or a person
        # edited without them still loads (format 1 documents are completed by the upgrade)
        depth=blob.get("depth", 0),
        timer_firings=blob.get("timer_firings", 0),
        messages=[
            (name, decode_value(data), _dt(at)) for name, data, at in blob.get("messages", ())
        ],
        trace=list(blob["trace"]),
        trace_base=blob["trace_base"],
        performers=dict(blob["performers"] or {}),
        last_performer=blob["last_performer"],
        nonce=blob.get("nonce", ""),  # (none in documents written before nonces)
        sent_back=dict(blob.get("sent_back") or {}),  # (only while work sent back waits)
        # (only once a delegate's work went back to its owner: none in older documents)
        co_performers={a: list(who) for a, who in (blob.get("co_performers") or {}).items()},
        # (only in a subflow's instance given a caller's secret)
        sensitive_extra=frozenset(blob.get("sensitive") or ()),
    )
    # scopes first with a provisional graph; activity instances next; then the real graphs,
    # in scope order (an owner always lives in an earlier scope than the scope it runs)
    scopes: dict[int, Scope] = {}
    owners: dict[int, str | None] = {}
    for s in blob["scopes"]:
        scope = Scope(
            id=s["id"],
            graph=compiled.graph,
            instance=inst,
            owner=None,
            count=s["count"],
            places={int(k): v for k, v in s["places"]},
            tokens={int(k): list(v) for k, v in s["tokens"] if any(v)},  # (a fired join
            # left all zeros by an engine before ca72c6e is no entry, as now: see joins.py)
            rounds={int(k): list(v) for k, v in s["rounds"]},
            pending=set(s["pending"]),
            closed=s["closed"],
            timers=list(s.get("timers", ())),
            fired={int(k): v for k, v in s.get("fired", ())},
            done=sum(1 << i for i in set(s.get("done") or ())),
        )
        scopes[scope.id] = scope
        owners[scope.id] = s["owner"]
    records = {r["id"]: r for r in blob["activities"]}
    ais: dict[str, ActivityInstance] = {}
    for r in blob["activities"]:
        ais[r["id"]] = ActivityInstance(
            id=r["id"],
            act=None,  # type: ignore[arg-type]  # set below, once the scope's graph is known
            scope=scopes[r["scope"]],
            state=ActivityState(r["state"]),
            started_at=_dt(r["started"]),
            completed_at=_undt(r.get("completed")),
            iterations=r.get("iterations", 0),
            mi_index=r.get("mi_index"),
            work_item=r.get("work_item"),
            performer=r.get("performer"),
            running_at=_undt(r.get("running")),
            late=r.get("late", False),
            child_instance=r.get("child_instance"),
            timers=list(r.get("timers", ())),
            incident=r.get("incident"),
            fired={int(k): v for k, v in r.get("fired", ())},
            call_key=r.get("ck"),
            # missing: written before activations were kept (None: it races as it did then)
            activation=r.get("gw"),
        )
    _resolve_graphs(inst.id, scopes, owners, ais, records)
    for ai_id, ai in ais.items():
        r = records[ai_id]
        ai.act = ai.scope.graph.activities[r["act"]]
        if "child_scope" in r:
            ai.child_scope = scopes[r["child_scope"]]
        if "mi_parent" in r:
            ai.mi_parent = ais[r["mi_parent"]]
        if "mi" in r:
            total, started, completed, routed, children = r["mi"]
            ai.mi = MultiInstanceState(
                total=total,
                started=started,
                completed=completed,
                routed=routed,
                children=[ais[c] for c in children],
                added=r.get("mi_added", 0),
            )
    inst.activities = ais
    inst.scopes = scopes
    # (never below a scope it holds: a document edited by hand still loads)
    inst.next_scope = max(blob.get("next_scope", 0), max(scopes, default=-1) + 1)
    inst.root = scopes[blob["root"]] if blob["root"] is not None else None
    for i in blob["incidents"]:
        inst.incidents[i["id"]] = Incident(
            id=i["id"],
            instance_id=inst.id,
            activity_instance_id=i["ai"],
            activity_id=i["activity"],
            operation=i["operation"],
            message=i["message"],
            created_at=_dt(i["created"]),
            resolved=i["resolved"],
            scope_id=i["scope"],
            join_index=i["join"],
            application_id=i.get("app"),  # as depth above
            attempts=i.get("attempts", 0),
            job_id=i.get("job"),
        )
    if blob["performers"] is None:  # a format 2 document: it holds every activity instance
        _summarise_history(inst)
    elif not blob.get("scoped_keys"):  # (stored before scoped keys; nothing to do for most)
        carry_scoped_keys(inst)
    # missing: parked before activations were kept; a target's begin then races as it did
    gw = None if "parked_gw" not in blob else dict(blob["parked_gw"])
    for n, (op, a, b) in enumerate(blob["parked"]):
        if op == _OP_BEGIN:
            scope = scopes[a]
            ca = scope.graph.activities[b]
            activation = "" if not ca.rivals else None if gw is None else gw.get(n, "")
            if activation == "":
                inst.parked.append((op, scope, ca))
            else:
                inst.parked.append(ChoiceBegin(scope, ca, activation))
        else:
            inst.parked.append((op, ais[a], None))
    return inst


def _resolve_graphs(
    instance_id: str,
    scopes: Mapping[int, Scope],
    owners: Mapping[int, str | None],
    ais: Mapping[str, ActivityInstance],
    records: Mapping[str, Mapping[str, Any]],
) -> None:
    """Give each scope its owner and the graph of the block that owner runs, the owner's own
    scope first (its graph says which block that is).

    Why not simply in id order: before :attr:`ProcessInstance.next_scope`, a new scope was
    numbered ``len(scopes)``, which, once closed scopes had left the instance, could be below
    its owner's scope; documents stored then still load.
    """
    done: set[int] = set()
    for start in scopes:
        chain: list[int] = []  # from ``start`` out to the first scope already done
        scope_id: int | None = start
        while scope_id is not None and scope_id not in done:
            if scope_id in chain:
                raise StoreError(
                    f"process instance {instance_id!r}: its stored scopes {chain} own each other"
                )
            chain.append(scope_id)
            owner_id = owners[scope_id]
            scope_id = None if owner_id is None else ais[owner_id].scope.id
        for scope_id in reversed(chain):  # outermost first
            owner_id = owners[scope_id]
            if owner_id is not None:
                owner = ais[owner_id]
                block = owner.scope.graph.activities[records[owner_id]["act"]].block
                if block is None:
                    raise StoreError(
                        f"process instance {instance_id!r}: stored scope {scope_id} is run by "
                        f"{owner_id!r}, which is no block activity"
                    )
                scope = scopes[scope_id]
                scope.owner = owner
                scope.graph = block
            done.add(scope_id)


def _summarise_history(inst: ProcessInstance) -> None:
    """The summaries a format 3 document keeps, derived from the closed activity instances a
    format 2 document still holds (as the rules read them then: who performed an activity
    last by creation order, whose work closed last by completion time)."""
    last: tuple[datetime, int, str] | None = None
    for n, ai in enumerate(inst.activities.values()):
        if ai.state is ActivityState.COMPLETED:
            ai.scope.done |= 1 << ai.act.index
        if ai.performer is not None:
            inst.performers[ai.act.key] = ai.performer
            if ai.completed_at is not None and (last is None or (ai.completed_at, n) > last[:2]):
                last = (ai.completed_at, n, ai.performer)
    inst.last_performer = None if last is None else last[2]


def _indexes(bits: int) -> list[int]:
    """The positions of the bits set in ``bits``, lowest first (a scope's ``done``)."""
    return [i for i, bit in enumerate(reversed(f"{bits:b}")) if bit == "1"]
