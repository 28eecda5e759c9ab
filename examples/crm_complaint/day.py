"""A working day at the call centre, simulated: ``run_day`` takes N complaints through the
complaint process on an engine with a virtual clock, with simulated agents, coordinators,
department desks and customers acting only as the real ones would: through the worklist API
(claim, start, complete their own work items with the data a person would type, through the
call centre's form, ``crm.submit_form``) and messages
(a customer's reply). ``wfengine demo crm`` runs it and prints the report.

The day: complaints arrive at random between 09:00 and 17:00; each person works on one item
at a time, oldest first among those offered to them, taking a random time per step. What
happens to each case is drawn when it arrives (a plan): answered at once (30%), or into the
workflow where the coordinator closes it, hands it to an agent to reply, routes it to one to
three departments (one in ten of which a department cannot handle, sending it back to the
coordinator; of the others routed to two or three, one in five a later department rejects
back to the department before it, which does its part again, then hands it on), asks the
customer (who answers within a few hours, or not at all and the three-day wait runs out),
sends it back to the agent to amend, or aborts it. A hotline complaint is taken by an agent
(the agents in turn), who then holds it; a web complaint comes with the customer's e-mail
address. A case that comes back to coordination is the coordinator's who handled it (the
process gives it to them: no claim).
After the day the clock runs on until every case is closed. What people are told of their
work (``notices.py``) is delivered from the outbox every few simulated minutes, as a worker
polling it would, and once more at the end.

The plan is what the simulated people mean to do; what happened (a department that cannot
handle a case ends a planned sequence early) is in the audit trail, which the report reads.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import runpy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from wfengine import Engine, VirtualClock

#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]
#: the intake the web form and the hotline use, and the people's forms (``intake.py``)
intake = sibling("intake")

DEPARTMENTS = ("billing", "network", "sales", "after_sales")
#: mean minutes a person takes per step
MEAN_MINUTES = {"coordinate": 6.0, "amend": 5.0, "agent_reply": 8.0, "department": 20.0}
PATHS = (
    ("instant answer", 0.30),
    ("closed by the coordinator", 0.15),
    ("replied by an agent", 0.15),
    ("departments", 0.25),
    ("asked the customer", 0.08),
    ("amended by the agent", 0.04),
    ("aborted", 0.03),
)
#: how long a case waits for the customer's reply (the process's timer)
CUSTOMER_WAIT = timedelta(days=3)
#: how often the outbox is delivered (what people are told of their work)
DELIVER_EVERY = timedelta(minutes=5)
CATEGORIES = {"billing": "billing", "network": "network", "sales": "sales", "repair": "after_sales"}


def organisation(complaints: int, base: Path | None = None) -> Any:
    """``organisation.yaml``'s people, and as many more as a day of ``complaints`` needs: per
    hundred complaints a day, two coordinators, an agent and a desk in each department (the
    figures the simulated times give: a coordinator spends about six minutes per visit),
    each with an e-mail address, and the desks with a mobile number for SMS, as in the file
    (a landline takes no SMS)."""
    import yaml

    from wfengine.worklist.organisation import Organisation

    path = base or Path(__file__).with_name("organisation.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    teams = max(0, math.ceil(complaints / 100) - 1)  # the file's people are the first team
    for n in range(1, teams + 1):
        desks = [
            {"id": f"{d}{n}", "units": [d], "phone": desk_phone(n, k)}
            for k, d in enumerate(DEPARTMENTS)
        ]
        people = [
            {"id": f"agent{n}", "roles": ["agent"], "units": ["call_centre"]},
            {"id": f"coordinator{n}a", "roles": ["coordinator"], "units": ["call_centre"]},
            {"id": f"coordinator{n}b", "roles": ["coordinator"], "units": ["call_centre"]},
            *desks,
        ]
        data["users"] += [{**p, "email": f"{p['id']}@example.com"} for p in people]
    return Organisation.from_data(data)


def desk_phone(team: int, desk: int) -> str:
    """The mobile number of the extra team ``team``'s desk ``desk`` (its department's index in
    :data:`DEPARTMENTS`): ``+86 136`` and the desk's serial in eight digits, so always a mobile
    (11 digits) for any day this can simulate (up to 25 million teams), and never one of
    ``organisation.yaml``'s (``+86 135 ...``). Why: ``+86 135 5551`` and the team and desk in
    two digits each gave team 100's desks (a day of over 10,000 complaints) 12-digit numbers,
    which take no SMS, so those desks were told of no work by SMS."""
    serial = team * len(DEPARTMENTS) + desk
    return f"+86 136 {serial // 10_000:04d} {serial % 10_000:04d}"


@dataclass
class Plan:
    """What happens to one case."""

    path: str
    departments: list[str] = field(default_factory=list)
    cannot: str | None = None
    #: the department that rejects the case back to the one before it, once (``back``)
    back: str | None = None
    replies_after: timedelta | None = None
    visits: int = 0


@dataclass
class DayResult:
    instance_ids: list[str]
    started: datetime
    ended: datetime


class Day:
    """The simulation of one day (see the module notes)."""

    def __init__(self, engine: Engine, clock: VirtualClock, seed: int) -> None:
        self.engine, self.clock = engine, clock
        self.rng = random.Random(seed)
        self.events: list[tuple[datetime, int, str, Any]] = []
        self.seq = itertools.count()
        self.plans: dict[str, Plan] = {}
        self.busy: dict[str, bool] = {}
        self.agents = engine.directory.members("agent")
        #: work items not yet taken: (offered order, id, instance, activity, assignees, and
        #: whether they are given to that one person already: allocated, not to be claimed)
        self.queue: list[tuple[int, str, str, str, tuple[str, ...], bool]] = []
        self.known: set[str] = set()
        #: cases waiting for the customer -> when their three-day wait runs out
        self.waiting_customer: dict[str, datetime] = {}

    # -- the event queue -----------------------------------------------------------------

    def at(self, when: datetime, kind: str, payload: Any) -> None:
        heapq.heappush(self.events, (when, next(self.seq), kind, payload))

    def plan_for(self, category: str) -> Plan:
        path = self.rng.choices([p for p, _ in PATHS], [w for _, w in PATHS])[0]
        plan = Plan(path)
        if path == "departments":
            first = CATEGORIES[category]
            others = [d for d in DEPARTMENTS if d != first]
            plan.departments = [first, *self.rng.sample(others, self.rng.choice((0, 0, 1, 2)))]
            if self.rng.random() < 0.1:
                plan.cannot = self.rng.choice(plan.departments)
            elif len(plan.departments) > 1 and self.rng.random() < 0.2:
                plan.back = self.rng.choice(plan.departments[1:])
        if path == "asked the customer" and self.rng.random() < 0.75:
            plan.replies_after = timedelta(hours=self.rng.expovariate(1 / 2.0))
        return plan

    # -- what the people do ----------------------------------------------------------------

    def refresh(self, iid: str) -> None:
        """Learn the work items ``iid`` offers now (after a command on it)."""
        for item in self.engine.work_items(iid):
            if item.id not in self.known:
                self.known.add(item.id)
                self.queue.append((next(self.seq), item.id, iid, item.activity_id,
                                   tuple(item.assignees), item.holder is not None))  # fmt: skip

    def dispatch(self) -> None:
        """Free people take the oldest item offered to them (a coordinator's case back with
        them is theirs already: no claim)."""
        taken: list[int] = []
        for n, (_, item_id, iid, activity, assignees, allocated) in enumerate(self.queue):
            free = [p for p in assignees if not self.busy.get(p, False)]
            if not free:
                continue
            person = self.rng.choice(free)
            self.busy[person] = True
            if not allocated:
                self.engine.claim_work_item(item_id, person)
            self.engine.start_work_item(item_id, person)
            minutes = self.rng.expovariate(1 / MEAN_MINUTES.get(activity, 5.0))
            self.at(self.clock.now() + timedelta(minutes=minutes), "done",
                    (person, item_id, iid, activity))  # fmt: skip
            taken.append(n)
        for n in reversed(taken):
            del self.queue[n]

    def data_for(self, iid: str, activity: str) -> dict[str, Any]:
        """What the person types when they complete ``activity`` of case ``iid``."""
        plan = self.plans[iid]
        rng = self.rng
        if activity == "coordinate":
            plan.visits += 1
            first = plan.visits == 1
            if first and plan.path == "departments":
                return {"decision": "departments", "next_department": plan.departments[0],
                        "opinion": "Please check and fix"}  # fmt: skip
            if first and plan.path == "asked the customer":
                return {"decision": "ask_customer", "question": "Which invoice is it about?"}
            if first and plan.path == "amended by the agent":
                return {"decision": "amend"}
            if first and plan.path == "aborted":
                return {"decision": "abort"}
            if plan.path == "replied by an agent" or (not first and rng.random() < 0.5):
                return {"decision": "reply", "reply_agent": rng.choice(self.agents),
                        "opinion": "Apologise and explain"}  # fmt: skip
            return {"decision": "close", "reply": "We have put it right",
                    "draft_conclusion": "Handled", "draft_solution": "Correction"}  # fmt: skip
        if activity == "department":
            here = self.engine.instance(iid).data["department"]
            if plan.cannot == here:
                return {"dept_outcome": "cannot", "opinion": "Not ours"}
            if plan.back == here:  # rejected back once: the one before does its part again
                plan.back = None
                return {"dept_outcome": "back", "opinion": "The part before is not done"}
            rest = plan.departments[plan.departments.index(here) + 1 :]
            return {"dept_outcome": "done", "opinion": f"{here} fixed its part",
                    "next_department": rest[0] if rest else None}  # fmt: skip
        if activity == "agent_reply":
            return {"reply": "Sorry for the trouble; it is fixed", "draft_conclusion": "Fixed"}
        if activity == "amend":
            return {"text": "Amended: charged twice on the May invoice"}
        return {}

    # -- the day -----------------------------------------------------------------------------

    def run(self, complaints: int, progress: Callable[[int], None] | None = None) -> DayResult:
        start = self.clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
        if start < self.clock.now():
            start += timedelta(days=1)
        while start.weekday() >= 5:  # a working day: a call centre's Saturday is no example
            start += timedelta(days=1)
        self.clock.set(start)
        for n in range(complaints):
            self.at(start + timedelta(seconds=self.rng.uniform(0, 8 * 3600)), "arrive", n)
        ids: list[str] = []
        done = 0
        delivered = start
        while self.events:
            when, _, kind, payload = heapq.heappop(self.events)
            if when > self.clock.now():
                self.clock.set(when)  # due timers fire: reminders, the customer's wait
                for iid, until in list(self.waiting_customer.items()):
                    if until <= when:  # the wait ran out: the case is back with the coordinator
                        del self.waiting_customer[iid]
                        self.refresh(iid)
            if kind == "arrive":
                ids.append(self.arrive(payload))
            elif kind == "done":
                person, item_id, iid, activity = payload
                self.busy[person] = False
                intake.submit_form(self.engine, item_id, self.data_for(iid, activity), user=person)
                self.after_command(iid)
            elif kind == "reply" and payload in self.waiting_customer:
                self.engine.send_message(
                    "customer_reply", {"customer_info": "It is invoice 2024-05"},
                    instance_id=payload,
                )  # fmt: skip
                del self.waiting_customer[payload]
                self.after_command(payload)
            if self.clock.now() >= delivered + DELIVER_EVERY:
                self.engine.deliver_outbox()  # people hear of their work (notices.py)
                delivered = self.clock.now()
            self.dispatch()
            if progress is not None and kind == "arrive":
                done += 1
                progress(done)
            if not self.events and self.waiting_customer:
                # nobody answered these: let the three-day wait run out
                self.at(min(self.waiting_customer.values()), "tick", None)
        self.engine.deliver_outbox()
        return DayResult(ids, start, self.clock.now())

    def arrive(self, n: int) -> str:
        category = self.rng.choice(list(CATEGORIES))
        plan = self.plan_for(category)
        phone = f"+86 138 {self.rng.randrange(10_000):04d} {self.rng.randrange(10_000):04d}"
        instant = plan.path == "instant answer"
        channel = self.rng.choice(("web", "hotline"))
        iid: str = intake.take_complaint(
            self.engine,
            {
                "phone": phone,
                "channel": channel,
                # the web form asks for the address the answer goes to
                "email": f"customer{n + 1}@example.net" if channel == "web" else None,
                "category": category,
                "severity": self.rng.choice((1, 2, 2, 3)),
                "text": f"Complaint {n + 1} about {category}",
                "instant_answer": "Here is what happened" if instant else "",
                "satisfied": instant,
            },
            # a hotline complaint is the agent's who takes the call (the agents in turn)
            agent=None if channel == "web" else self.agents[n % len(self.agents)],
        )
        self.plans[iid] = plan
        self.after_command(iid)
        return iid

    def awaits_customer(self, iid: str) -> bool:
        return any(
            a.activity_id == "customer_reply" and a.state.is_open
            for a in self.engine.activity_instances(iid)
        )

    def after_command(self, iid: str) -> None:
        """After a command on case ``iid``: its new work, and whether it now waits for the
        customer (who then answers, or not, as planned)."""
        self.refresh(iid)
        plan = self.plans[iid]
        asking = plan.path == "asked the customer" and plan.visits == 1
        if asking and iid not in self.waiting_customer and self.awaits_customer(iid):
            self.waiting_customer[iid] = self.clock.now() + CUSTOMER_WAIT
            if plan.replies_after is not None and plan.replies_after < CUSTOMER_WAIT:
                self.at(self.clock.now() + plan.replies_after, "reply", iid)


def run_day(
    engine: Engine,
    clock: VirtualClock,
    complaints: int,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> DayResult:
    """Simulate a day of ``complaints`` complaints (see the module notes)."""
    return Day(engine, clock, seed).run(complaints, progress)
