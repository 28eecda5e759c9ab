"""The deployments of a SQL store: their rows, and the compiled processes a store keeps.

A deployment row stores the package's XPDL 2.2 text and its SHA-256, and the package's model
as JSON with the model's format (:mod:`wfengine.definition.model_format`); the store hands them
to a :class:`~wfengine.runtime.deployment.DeploymentCache`, which compiles a version the first
time it is needed (also when the deploying engine asks, so what runs is always what a restarted
engine would run) and reads each package once: from its JSON when the running model has that
format (about twenty times faster than parsing the XPDL), else from the XPDL.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Package
from wfengine.definition.model_format import MODEL_FORMAT
from wfengine.errors import ConcurrencyError
from wfengine.runtime.compile_people import writing_as_deployed
from wfengine.runtime.deployment import DeployedProcess, DeploymentCache
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.database import Database
from wfengine.runtime.sql.driver import fetch
from wfengine.runtime.stored_text import storable_text


class Deployments:
    """The ``deployments`` table of ``db``, with the versions compiled so far."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache = DeploymentCache()
        #: compiles the versions stored with ``writes_any_field`` (:meth:`_load`)
        self._as_deployed = DeploymentCache()
        #: a start's latest version is kept per connection (:meth:`_latest`): SQLite files only
        self._keeps_latest = db.dialect.backend == "sqlite" and db.on_file

    def add(self, deployed: Sequence[DeployedProcess]) -> None:
        texts: dict[int, tuple[str, str]] = {}
        rows: list[dict[str, Any]] = []
        now = datetime.now(UTC)
        for d in deployed:
            found = texts.get(id(d.package))
            if found is None:
                found = texts[id(d.package)] = (
                    dump_xpdl(d.package).decode("utf-8"),
                    _model_json(d.package),
                )
            text, model = found
            rows.append(
                {
                    "process_id": d.process_id,
                    "version": d.version,
                    "package_id": d.package_id,
                    "fingerprint": d.fingerprint,
                    "xpdl": text,
                    "xpdl_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "deployed_at": now,
                    "model": model,
                    "model_format": MODEL_FORMAT,
                    "reads_expressions_as_before": False,  # (this wfengine's readings)
                }
            )

        def write(conn: sa.Connection) -> None:
            conn.execute(t.deployments.insert(), rows)

        try:
            self._db.write(write)
        except sa.exc.IntegrityError as exc:
            raise ConcurrencyError(
                "another engine deployed "
                + ", ".join(f"{d.process_id} v{d.version}" for d in deployed)
                + " at the same moment"
            ) from exc
        for d in deployed:
            self._cache.keep(d)
        global _added  # (after the commit: see _latest)
        _added = next(_deploys)

    def get(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        if version is not None:
            found = self._cache.get(process_id, version)
            if found is not None:
                return found
            query, params = _VERSION, {"process_id": process_id, "version": version}
        else:  # asked on every start: another engine may have deployed a newer version
            if self._keeps_latest:
                latest = self._db.read(lambda conn: self._latest(conn, process_id))
                if latest is None:
                    return None
                return self._cache.get(process_id, latest) or self._load(process_id, latest)
            query, params = _LATEST, {"process_id": process_id}
        row = self._db.row(query, params)
        if row is None:
            return None
        got = row["version"]
        return self._cache.get(process_id, got) or self._load(process_id, got)

    def _latest(self, conn: sa.Connection, process_id: str) -> int | None:
        """The latest version of ``process_id`` (None: not deployed), read on ``conn`` once
        for as long as nothing can have deployed since.

        Why: a start asked the database every time, a statement and its read a start, though
        versions are added rarely. SQLite's ``PRAGMA data_version`` on a connection changes
        when any other connection (another engine, process or thread) committed since; its
        own commits do not change it, so the key also holds the count of deployments this
        process stored (:data:`_added`, counted after each deploy's commit): a deploy on
        this very connection, by this store or another sharing it, is seen too. Kept in the
        connection's ``info`` (it goes with the connection); versions are never deleted, so
        nothing else makes it wrong.
        """
        ((changes,),), _codes = fetch(conn, "PRAGMA data_version", ())
        key = (changes, _added)
        info = conn.info
        kept: tuple[tuple[int, int], dict[str, int | None]] | None = info.get(_KEPT)
        if kept is None or kept[0] != key:
            kept = info[_KEPT] = (key, {})
        versions = kept[1]
        if process_id in versions:
            return versions[process_id]
        found = self._db.rows_on(conn, _LATEST, {"process_id": process_id})
        latest = versions[process_id] = found[0]["version"] if found else None
        return latest

    def _load(self, process_id: str, version: int) -> DeployedProcess:
        d = t.deployments
        row = self._db.read(
            lambda c: (
                c.execute(sa.select(d).where(d.c.process_id == process_id, d.c.version == version))
                .mappings()
                .one()
            )
        )
        model = row["model"] if row["model_format"] == MODEL_FORMAT else None
        # one stored before a completion wrote only the fields listed is compiled aside and
        # kept once it writes as then: another thread never finds it in the cache otherwise
        cache = self._as_deployed if row["writes_any_field"] else self._cache
        found = cache.from_text(
            process_id,
            version,
            row["fingerprint"],
            row["xpdl"],
            row["xpdl_sha256"],
            self._db.what,
            model=model,
            reads_as_before=row["reads_expressions_as_before"],
        )
        if cache is self._cache:
            return found
        if cache.get(process_id, version) is not found:
            return found  # (a stand-in while its instance closes: never kept)
        writing_as_deployed(found.compiled)
        self._cache.keep(found)
        return self._cache.get(process_id, version) or found

    def versions(self, process_id: str) -> list[int]:
        d = t.deployments
        query = sa.select(d.c.version).where(d.c.process_id == process_id).order_by(d.c.version)
        return list(self._db.read(lambda c: c.execute(query).scalars().all()))

    def deployed_at(self, process_id: str) -> dict[int, datetime]:
        d = t.deployments
        query = sa.select(d.c.version, d.c.deployed_at).where(d.c.process_id == process_id)
        return dict(self._db.read(lambda c: c.execute(query.order_by(d.c.version)).all()))

    def all_versions(self) -> dict[str, list[int]]:
        """Every process's versions, ascending, by process in :meth:`process_ids` order (its
        first deployment's time, then its id, as the database orders them), in one query."""
        d = t.deployments
        first = sa.func.min(d.c.deployed_at).over(partition_by=d.c.process_id)
        query = sa.select(d.c.process_id, d.c.version).order_by(first, d.c.process_id, d.c.version)
        found: dict[str, list[int]] = {}
        for process_id, version in self._db.read(lambda c: c.execute(query).all()):
            found.setdefault(process_id, []).append(version)
        return found

    def process_ids(self) -> list[str]:
        d = t.deployments
        query = (
            sa.select(d.c.process_id)
            .group_by(d.c.process_id)
            .order_by(sa.func.min(d.c.deployed_at), d.c.process_id)
        )
        return list(self._db.read(lambda c: c.execute(query).scalars().all()))


#: how many deployments this process stored (:meth:`Deployments.add`), part of the key of a
#: latest version kept (:meth:`Deployments._latest`)
_deploys = itertools.count(1)
_added = 0
#: the key of the latest versions kept in a connection's ``info``
_KEPT = "wfengine.latest_versions"

_d = t.deployments
#: the statements :meth:`Deployments.get` runs, built once (a start asks for the latest version
#: every time: building the query was most of the look-up's cost)
_LATEST = (
    sa.select(_d.c.version)
    .where(_d.c.process_id == sa.bindparam("process_id"))
    .order_by(_d.c.version.desc())
    .limit(1)
)
_VERSION = sa.select(_d.c.version).where(
    _d.c.process_id == sa.bindparam("process_id"), _d.c.version == sa.bindparam("version")
)


def _model_json(package: Package) -> str:
    """The package's model as stored JSON. Its source file is the path it was read from, as
    the operating system gave it: a name that is not UTF-8 holds lone surrogates, which
    JSON cannot hold, and a deploy of such a file raised a bare serialisation error; the
    path is kept escaped (it is only shown, never opened again)."""
    source = package.source_file
    if source is not None and storable_text(source) != source:
        package = package.model_copy(update={"source_file": storable_text(source)})
    return package.model_dump_json()
