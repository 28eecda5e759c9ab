"""Whether a number is finite, asked of an integer however wide.

``math.isfinite`` converts its argument to a float, so an integer past the float range (about
``1.8e308``; instance data holds integers up to 4,096 bits, about 1,233 digits) raised
``OverflowError`` where the answer is plain: every integer is finite. An MI_Condition of
``10**400`` or a deadline computed as that many seconds then stopped ``validate`` with a
traceback and the engine with a bare error, where a too-large count or wait gives a finding or
an incident naming the activity and the limit. Validation and the runtime ask here, so they
judge such a number alike.
"""

from __future__ import annotations

import math


def finite(value: int | float) -> bool:
    """Whether ``value`` is a finite number: true of every ``int`` (``bool`` included), and
    of a float that is neither NaN nor an infinity."""
    return isinstance(value, int) or math.isfinite(value)
