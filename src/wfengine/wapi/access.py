"""Who may read or control a process instance through a WAPI session: the rule of
:mod:`wfengine.worklist.instance_access` (administrators everything, an instance's creator,
and for a subflow instance its root caller's, controls and reads it, the users its work items
concern read what those items may read, a user the organisation does not know nothing; each
refusal recorded in the instance's audit trail). It lives in the worklist so that the audit's
detailed status, read as a user, applies the same rule (the audit may not import the WAPI).
"""

from __future__ import annotations

from wfengine.worklist.instance_access import WHOLE, InstanceAccess, Reading, shown

__all__ = ["WHOLE", "InstanceAccess", "Reading", "shown"]
