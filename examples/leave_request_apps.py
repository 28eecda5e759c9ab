"""Applications of ``leave_request.xpdl``: the HR system's leave record and a notification.

Bind them to a run with ``wfengine run examples/leave_request.xpdl --apps
examples/leave_request_apps.py --set employee_name=Ada --set days=3``. A real deployment
registers calls to the HR system and the mail server under the same application ids.
"""

from __future__ import annotations

import sys

from wfengine import ApplicationRegistry

#: leave recorded by this process: (employee, days)
RECORDED: list[tuple[str | None, int]] = []


def record_leave(record_employee: str | None, record_days: int) -> None:
    RECORDED.append((record_employee, record_days))


def notify_employee(notify_employee_name: str | None, notify_approved: bool | None) -> None:
    outcome = "approved" if notify_approved else "recorded" if RECORDED else "refused"
    print(f"to {notify_employee_name}: your leave request is {outcome}", file=sys.stderr)


def register(registry: ApplicationRegistry) -> None:
    registry.register("record_leave", record_leave)
    registry.register("notify_employee", notify_employee)
