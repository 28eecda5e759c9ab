"""Token navigation: what one engine command does to the instances it touches.

A :class:`Navigator` lives for one command. It keeps an agenda (FIFO) of ready work, so long
chains and cycles run in a loop rather than by recursion, and the order in which work runs is
fixed by definition order: a run is reproducible. Everything the command changed is collected
in ``step`` for the store to commit together.

Failure policy ("not half-navigated"): every decision that can fail (a condition, a loop or MI
expression, an application call, a parameter mapping) is made *before* the records change.
When it fails, the activity instance stays open, an :class:`Incident` names the instance,
activity, transition and expression, and the rest of the instance carries on where it can.
Retrying the incident (after fixing data or binding an application) redoes exactly the failed
operation. Work completed earlier in the same command is kept, as with save points between
activities.
"""

from wfengine.runtime.navigation.activities import Activities
from wfengine.runtime.navigation.agenda import Agenda
from wfengine.runtime.navigation.deadlines import Deadlines
from wfengine.runtime.navigation.event_subs import EventSubprocesses
from wfengine.runtime.navigation.events import Events
from wfengine.runtime.navigation.incidents import Incidents
from wfengine.runtime.navigation.joins import Joins
from wfengine.runtime.navigation.lifecycle import Lifecycle
from wfengine.runtime.navigation.messages import Messages
from wfengine.runtime.navigation.multi import MultiInstance
from wfengine.runtime.navigation.scripts import Scripts
from wfengine.runtime.navigation.subflows import Subflows
from wfengine.runtime.navigation.work import Work


class Navigator(
    Agenda,
    Lifecycle,
    Joins,
    Activities,
    Work,
    Scripts,
    Messages,
    Events,
    EventSubprocesses,
    Subflows,
    MultiInstance,
    Deadlines,
    Incidents,
):
    """Works out what one command changes (see the module notes)."""


__all__ = ["Navigator"]
