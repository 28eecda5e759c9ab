"""An engine that keeps offering work by the organisation stored in its database.

``wfengine org load`` replaces the stored organisation and counts up its revision
(:mod:`wfengine.worklist.org_store`). An engine opened on the database reads the organisation
once (:func:`use_stored_organisation`); one that runs for long, a ``wfengine worker`` thread,
would otherwise go on offering work to people who left and escalating to former supervisors.
So the watch registered here is called by the worker between polls
(:func:`wfengine.runtime.worker.between_polls`): it reads the revision (one short read) and,
only when that changed, the organisation whole, which becomes ``engine.directory``. Commands
never pay for it: the check is made between polls, at most once every :data:`LOOK_EVERY`
seconds (the first poll looks at once), not per command, and a command in flight finishes
with the organisation it started with. Why not at every poll: a busy worker polls after every
job it claims, and a read per claim was a statement more per job, and lengthened the moment
between two jobs in which the worker holds none.

When the stored organisation is gone (a load of one without users), the engine goes back to
the directory it had before any was stored, as an engine opened then would have.

Taking up a new organisation, the watch also re-offers by it the work its engine offered by
the old one since it last saw that one current (:func:`~wfengine.runtime.reoffer.
reoffer_work` with ``since``): ``org load`` re-offers the open work it finds as it ends, but
a worker offering meanwhile, by the organisation it still had, offered work that load never
saw, which stayed with people who may have left (and whom nobody could then reassign it
from). Only what it offered since its last look is read again, so a load costs each worker
little; and a re-offer stops when yet another organisation has been stored (its own
re-offers then take over).
"""

from __future__ import annotations

import logging
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING

from wfengine.errors import StoreUnavailableError
from wfengine.runtime.reoffer import reoffer_work
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.org_store import organisation_revision, read_organisation_revision

if TYPE_CHECKING:
    from wfengine.runtime.directory import Directory
    from wfengine.runtime.engine import Engine

_log = logging.getLogger("wfengine.worker")

#: seconds at least between two looks at the stored revision by one watch
LOOK_EVERY = 1.0


class OrganisationWatch:
    """Sets an engine's directory to the stored organisation whenever its revision changes.

    It holds no reference to the engine (it is given one per call), so registering it beside
    the engine does not keep the engine alive.
    """

    def __init__(
        self,
        revision: int,
        without: Directory,
        every: float = LOOK_EVERY,
        seen_at: datetime | None = None,
    ) -> None:
        #: the revision the engine's directory is (or, after a failed read, was tried)
        self.revision = revision
        #: the engine's time just before it last read ``revision`` as the stored one: work it
        #: offered by that organisation after another was stored was offered since then
        self.seen_at = seen_at
        #: the directory to offer work by while no organisation is stored
        self.without = without
        #: seconds at least between two looks (``__call__``; :meth:`refresh` always looks)
        self.every = every
        self._next = 0.0  # the first call looks at once

    def __call__(self, engine: Engine) -> None:
        now = monotonic()
        if now < self._next:
            return
        self._next = now + self.every
        self.refresh(engine)

    def refresh(self, engine: Engine) -> bool:
        """Use the stored organisation if it changed since the last look; True if it did."""
        store = engine.store
        if not isinstance(store, SqlStore):
            return False
        looked = engine.clock.now()  # (before the read: see seen_at)
        if organisation_revision(store) == self.revision:
            self.seen_at = looked
            return False
        try:
            revision, organisation = read_organisation_revision(store)
        except StoreUnavailableError:
            raise  # the worker waits out the outage and asks again
        except Exception as exc:  # a stored organisation this version cannot read: keep ours
            self.revision = organisation_revision(store)  # said once, not every poll
            _log.error(
                "the organisation stored in %s (revision %d) cannot be read, work is still "
                "offered by the previous one: %s: %s",
                store,
                self.revision,
                type(exc).__name__,
                exc,
            )
            return False
        engine.directory = self.without if organisation is None else organisation
        # what this engine offered by the old organisation since it last saw it current
        # (a failure here leaves the revision unseen: the next look does it again)
        reoffered = [  # (withdrawn: not those their holder keeps, Reoffered.kept)
            r
            for r in reoffer_work(
                engine,
                since=self.seen_at,
                still_current=lambda: organisation_revision(store) == revision,
            )
            if not r.kept
        ]
        self.revision, self.seen_at = revision, looked
        _log.info(
            "%s offers work by the organisation stored in revision %d%s%s",
            engine.worker_id,
            revision,
            "" if organisation is not None else " (none: the default directory)",
            f"; re-offered {len(reoffered)} work item(s) it had offered by the previous one"
            if reoffered
            else "",
        )
        return True


def use_stored_organisation(engine: Engine) -> OrganisationWatch | None:
    """Offer work by the organisation stored in the engine's database, when there is one,
    and return the watch that keeps it current (None for a store that keeps none)."""
    store = engine.store
    if not isinstance(store, SqlStore):
        return None
    without = engine.directory
    seen_at = engine.clock.now()
    revision, organisation = read_organisation_revision(store)
    if organisation is not None:
        engine.directory = organisation
    return OrganisationWatch(revision, without, seen_at=seen_at)
