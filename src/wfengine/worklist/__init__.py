"""wfengine.worklist: Interface 2, the people who do the work.

The organisation (users, roles, units, supervisors, administrators) that work items are
offered by: :class:`Organisation`, read from a file with :func:`load_organisation` or from a
database with :func:`~wfengine.worklist.org_store.read_organisation`, and given to the engine
as its directory (``Engine(directory=organisation)``).
"""

from wfengine.worklist.org_files import load_organisation
from wfengine.worklist.organisation import Organisation

__all__ = ["Organisation", "load_organisation"]
