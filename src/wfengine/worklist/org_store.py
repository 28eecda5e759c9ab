"""The organisation in a SQL store: written whole, read whole.

``wfengine org load`` replaces the stored organisation in one transaction (every org row
deleted, the new ones inserted), so an engine reading it sees the old one or the new one,
never a mixture. An engine reads it when it opens (:func:`read_organisation`).

Each load also counts up the organisation's *revision* (a row of ``id_blocks``, kind
:data:`REVISION_KIND`: a number stored beside the organisation, so no schema change), in the
same transaction. A long-running engine (``wfengine worker``) asks for that one number between
polls (:func:`organisation_revision`: one indexed read, instead of the whole organisation) and
reads the organisation again only when it changed (:mod:`wfengine.worklist.org_watch`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.org_model import OrgDocument, OrgRole, OrgUnit, OrgUser
from wfengine.worklist.organisation import Organisation

_ORG_TABLES = (t.org_admins, t.org_memberships, t.org_roles, t.org_units, t.org_users)

#: the ``id_blocks`` kind whose number counts the organisation loads (id kinds are short
#: prefixes such as ``pi``, so this one is never handed out as ids)
REVISION_KIND = "organisation.revision"


def save_organisation(store: SqlStore, organisation: Organisation) -> int:
    """Replace the organisation stored in ``store`` with ``organisation``; returns its
    revision (what :func:`organisation_revision` reads while no other load replaced it)."""
    doc = organisation.document
    users = [
        {"id": u.id, "position": i, "name": u.name, "email": u.email, "phone": u.phone}
        for i, u in enumerate(doc.users)
    ]
    units = [
        {"id": u.id, "position": i, "name": u.name, "supervisor": u.supervisor, "parent": u.parent}
        for i, u in enumerate(doc.units)
    ]
    roles = [{"id": r.id, "position": i, "name": r.name} for i, r in enumerate(doc.roles)]
    memberships = [
        {"user_id": u.id, "kind": kind, "group_id": group, "position": i}
        for u in doc.users
        for kind, groups in (("role", u.roles), ("unit", u.units))
        for i, group in enumerate(groups)
    ]
    admins = [{"user_id": a, "position": i} for i, a in enumerate(doc.admins)]
    replaced = (
        (t.org_users, users),
        (t.org_units, units),
        (t.org_roles, roles),
        (t.org_memberships, memberships),
        (t.org_admins, admins),
    )

    def replace(conn: sa.Connection) -> int:
        for table in _ORG_TABLES:
            conn.execute(table.delete())
        for table, rows in replaced:
            if rows:
                conn.execute(table.insert(), rows)
        return _count_up_revision(conn)

    return store.transaction(replace)


def _count_up_revision(conn: sa.Connection) -> int:
    """The organisation's revision one higher (1 for the first load that counts)."""
    b = t.id_blocks
    bumped = conn.execute(
        b.update().where(b.c.kind == REVISION_KIND).values(next_value=b.c.next_value + 1)
    )
    if not bumped.rowcount:
        conn.execute(b.insert().values(kind=REVISION_KIND, next_value=1))
    return _revision(conn)


def _revision(conn: sa.Connection) -> int:
    b = t.id_blocks
    found = conn.execute(sa.select(b.c.next_value).where(b.c.kind == REVISION_KIND)).scalar()
    return int(found or 0)


def organisation_revision(store: SqlStore) -> int:
    """How many loads (that counted them) replaced the stored organisation: 0 for none.
    One short read, for an engine that watches for a new organisation between polls."""
    return store.transaction(_revision, write=False)


def read_organisation(store: SqlStore) -> Organisation | None:
    """The organisation stored in ``store``, or None when none was loaded."""
    return read_organisation_revision(store)[1]


def read_organisation_revision(store: SqlStore) -> tuple[int, Organisation | None]:
    """The stored organisation (None when none was loaded) and its revision, read in one
    snapshot (so the revision is the organisation's, even while another load commits)."""
    m = t.org_memberships

    def read(conn: sa.Connection) -> tuple[int, tuple[list[dict[str, Any]], ...] | None]:
        revision = _revision(conn)
        users = _rows(conn, t.org_users, t.org_users.c.position)
        if not users:
            return revision, None
        return revision, (
            users,
            _rows(conn, t.org_units, t.org_units.c.position),
            _rows(conn, t.org_roles, t.org_roles.c.position),
            _rows(conn, m, m.c.user_id, m.c.kind, m.c.position),
            _rows(conn, t.org_admins, t.org_admins.c.position),
        )

    # one snapshot: an organisation loaded meanwhile is read whole or not at all
    revision, found = store.transaction(read, write=False)
    if found is None:
        return revision, None
    users, units, roles, memberships, admins = found
    groups: dict[tuple[str, str], list[str]] = {}
    for row in memberships:
        groups.setdefault((row["user_id"], row["kind"]), []).append(row["group_id"])
    document = OrgDocument(
        users=tuple(
            OrgUser(
                id=u["id"],
                name=u["name"],
                email=u["email"],
                phone=u["phone"],
                roles=tuple(groups.get((u["id"], "role"), ())),
                units=tuple(groups.get((u["id"], "unit"), ())),
            )
            for u in users
        ),
        units=tuple(OrgUnit(**_without(u, "position")) for u in units),
        roles=tuple(OrgRole(**_without(r, "position")) for r in roles),
        admins=tuple(a["user_id"] for a in admins),
    )
    return revision, Organisation(document)


def _rows(conn: sa.Connection, table: sa.Table, *order: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sa.select(table).order_by(*order)).mappings()]


def _without(row: dict[str, Any], column: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != column}
