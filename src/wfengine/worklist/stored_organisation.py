"""A host's engine offering work by the organisation ``wfengine org load`` stored.

Why: the engines of ``wfengine`` commands, ``wfengine worker`` among them, offer work by the
organisation stored in their database (:mod:`wfengine.worklist.org_watch`), but a host's
``Engine(db_url=...)`` on the same database kept the directory it was given (without one,
each participant's own id), and only internal modules could read the stored one: the same
activity was offered to alice, bob and carol by a worker and to ``'clerk'`` by the host.
:func:`use_stored_organisation` is the one public way to do what the commands do.
"""

from __future__ import annotations

import threading
import weakref

from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine
from wfengine.runtime.engine_check import check_engine
from wfengine.runtime.reoffer import reoffer_work
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.worker import between_polls
from wfengine.worklist.org_store import organisation_revision, read_organisation_revision
from wfengine.worklist.org_watch import OrganisationWatch
from wfengine.worklist.organisation import Organisation

#: engines already following the stored organisation, with their watch (a second call adds
#: no second watch: it has this one look at once)
_FOLLOWING: weakref.WeakKeyDictionary[Engine, OrganisationWatch] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def use_stored_organisation(engine: Engine) -> Organisation | None:
    """Have ``engine`` offer work by the organisation stored in its database, as the
    ``wfengine`` commands and ``wfengine worker`` do, and return it, the engine's
    :attr:`~wfengine.Engine.directory` (None: none is stored, and the engine keeps the
    directory it has).

    The first call that finds one stored re-offers by it the open work (as ``wfengine org
    load`` does as it ends, :func:`~wfengine.runtime.reoffer.reoffer_work`): what the engine
    offered before, by the directory it had (without one, to each participant's own id,
    which is nobody's worklist), goes to the organisation's people; work already offered by
    it is left as it is. That reads each instance with open work once, so call it as the
    engine is made.

    From then on a :class:`~wfengine.Worker` running on ``engine`` takes up an organisation
    ``wfengine org load`` stores later, between its polls (one short read a second),
    re-offering by it the work it offered by the old one, as a ``wfengine worker`` does; an
    engine used without a worker reads the stored organisation only when this is called
    (again: the same organisation is returned while the stored one is unchanged). An engine
    on the memory store, which keeps no organisation, is a
    :class:`~wfengine.errors.StoreError`."""
    engine = check_engine(engine, "use_stored_organisation")
    store = engine.store
    if not isinstance(store, SqlStore):
        raise StoreError(
            "use_stored_organisation: the memory store keeps no organisation; one stored by "
            "`wfengine org load` is in a database (Engine(db_url=...))"
        )
    with _lock:
        watch = _FOLLOWING.get(engine)
        if watch is not None:
            watch.refresh(engine)  # a newer one: used, and what was offered since re-offered
            return _in_use(engine, watch)
        without = engine.directory  # (offered by again when the stored one is removed)
        seen_at = engine.clock.now()  # (before the read: see OrganisationWatch.seen_at)
        revision, organisation = read_organisation_revision(store)
        if organisation is not None:
            engine.directory = organisation
            # what it offered by its own directory goes to the organisation's people (a
            # failure raises here, before the watch: calling again does it again)
            reoffer_work(engine, still_current=lambda: organisation_revision(store) == revision)
        watch = _FOLLOWING[engine] = OrganisationWatch(revision, without, seen_at=seen_at)
        between_polls(engine, watch)
        return organisation


def _in_use(engine: Engine, watch: OrganisationWatch) -> Organisation | None:
    """The stored organisation ``engine`` offers work by (its directory, which ``watch``
    set), None when it is back on the directory it had as none is stored."""
    directory = engine.directory
    if directory is watch.without or not isinstance(directory, Organisation):
        return None
    return directory
