"""wfengine.wapi: the WfMC client API (WAPI) in Python style.

``connect(engine, user)`` opens a :class:`Session` (Interface 2: work lists, work items,
process control and status as one user sees them); ``docs/wapi.md`` maps every WfMC operation
to its method. ``wfengine.wapi.agents`` keeps the tool agents' old import path.
"""

from wfengine.wapi.session import Session, SessionEndedError, WorkList, connect

__all__ = ["Session", "SessionEndedError", "WorkList", "connect"]
