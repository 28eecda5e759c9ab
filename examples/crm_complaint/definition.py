"""The customer-complaint process of a CRM call centre, built with wfengine's PackageBuilder.

``python examples/crm_complaint/definition.py`` writes ``complaint.xpdl`` beside this file
(XPDL 2.2); a test keeps the two the same. The flow (after the complaint prototype of a CRM
and workflow integration, and a call centre's work-order flow):

1. Intake: the customer types the complaint at the web service centre, or an agent types it
   at the free hotline: phone number, channel, category, severity, text. The customer's
   details come from the CRM customer table (``lookup_customer``), and so does the phone
   number as the CRM keys it (``crm.phone_key``: ``"+86 138 0000 0101"`` and
   ``"13800000101"`` are one number), which replaces what was typed in ``phone``: the case is
   found, correlated and exported under one spelling (the trail keeps what was typed). A web
   complaint carries the customer's e-mail address (``email``: the web form requires a valid
   one, ``crm.take_complaint``; ``lookup_customer`` checks it again and takes the customer
   table's when none was typed): the web's customers are told by e-mail there. A hotline
   complaint keeps the agent who took it (``intake_agent``, a user:
   ``crm.take_complaint(..., agent=...)``): the case's agent.
2. Instant answer: when the agent or the website answered at once and the customer is
   satisfied, the complaint and the answer go into the complaint history and the case ends.
3. Otherwise it enters the workflow: an acceptance number unique under the customer's phone
   number is given (``accept``) and told to the customer (``tell_customer``): once, as a
   send-back to ``accept`` or the intake keeps the number it has, and one to
   ``tell_customer`` tells nothing when the customer was told the number (the CRM sends an
   acceptance number once: ``crm.CrmApps.notify_customer``); then it is
   routed (``triage``): to the department the agent chose (``route_to``), straight to the
   department of its category when a gold customer's complaint is severe, else to the
   coordinator.
4. The call-centre coordinator may correct the work order (``category``, ``severity``, ``text``) and
   decides (``decision``): ``close`` (handle it and reply), ``abort`` (the customer is told),
   ``amend`` (send it back to the agent who took it to amend), ``reply`` (hand it, with an opinion,
   to an agent to reply: ``reply_agent``, a user; by default the agent who took it), ``departments``
   (route it to a department: ``next_department``; with none named, the form comes back) or
   ``ask_customer`` (ask the customer ``question``, which must not be empty: without one the form
   comes back; and wait for their reply, correlated by phone and acceptance number, or three days;
   ``crm.customer_reply`` delivers a reply, and one that comes too late is put on the case without
   answering a later question). Whichever way the case comes back to the coordinator
   (``back_to_coordinator``, or the engine's generic send-back from ``amend`` or ``agent_reply``),
   the last decision, the agent named to reply, the last question to the customer and the
   instruction to the agent (``opinion``) are cleared as ``coordinate`` begins: submitting the form
   unchanged chooses nothing, rather than repeating it, and the work order comes back to the
   coordinator: to the one who handled it (``ReassignToOriginalPerformer``: it is theirs at once,
   with what they know of it), offered to every coordinator when they are one no longer.
   The question sent is kept (``asked``): the engine's generic send-back to ``ask`` (or
   ``new_question``) asks the customer it again, its answer awaited afresh; a send-back to
   ``route_department`` gives the department that had the last turn its turn again, one to
   ``file_opinion`` starts the round of departments again at its first department.
5. Departments, one after another: each department's desk says how its turn ended
   (``dept_outcome``): ``done`` (naming the next department, or none: then the case goes
   back to the coordinator; naming its own department is naming none), ``cannot`` (back to
   the coordinator) or ``back`` (rejected to the previous step: the department before it does
   its part again, then the one that sent it back has its turn again; the first department's
   previous step is the coordinator).
   ``handled_by`` holds the departments that finished their turn, in order, ``waiting``
   those that sent the case back and wait for it (the last has the next turn), and before
   them those named by a department that did its part again (``done`` naming a further
   department while others wait: it has its turn once they have had theirs).
6. Opinions accumulate (``opinions``), each on a line of its own under whoever wrote it (each
   filed as Python writes a text inside its quotes: a line break as an escape, so no line
   reads as another author's; ``opinion_as_written`` reads one back): the
   coordinator's, when it sends the case to the departments, then each department's
   (reading the earlier ones, not changing them); a step that writes no opinion adds none.
   The agent's steps go to the agent who holds the case, not to every agent: ``amend`` to the
   hotline agent who took it (``intake_agent``), ``agent_reply`` to the agent the coordinator
   named (``reply_agent``), else to that one; a web complaint, which no agent took, goes to
   the agents (whoever takes it), and so does a case whose agent is no longer one of the
   agents (they left, or moved on: ``intake_agent_left``, kept by ``crm.submit_form``; who
   took the call stays in ``intake_agent``). Every person's step has a
   reminder every two hours and escalates to the supervisors after eight.
7. The reply goes into the complaint history and the customer is told (a close without a
   written reply tells them the case was dealt with). Every ending is in the history with
   how it ended (``history_outcome``): answered at once, answered, closed without action (an
   abort, after the customer is told); a case an operator terminates or aborts runs no
   further, and the CRM records it from the engine's outbox (``crm.CrmApps.subscribe``).

The routing fields are enumerations (``decision``, ``next_department``, ``route_to``,
``category``, ``channel``, ``dept_outcome``): a value outside them (``"Close"``,
``"Billing"``) is refused when the form is submitted or the complaint started
(``DataTypeError``), rather than stalling the case in an incident. "None chosen" is no value
(null), not an empty text.

What the customer may see (the brief status) is declared with ``wfengine:milestone`` on the
steps (the label shown once a step has completed) and ``wfengine:public`` on the fields;
everything else stays inside. The public ``conclusion`` and ``proposed_solution`` (the
staged conclusion and solution the brief status carries to the customer) are written by the
people's forms as private drafts (``draft_conclusion``, ``draft_solution``; the
coordinator's and a desk's form start from what the customer sees, the agent's reply from
the coordinator's draft) and published when a department's turn ends ``done`` or the
customer is answered (the reply, the abort): a coordinator's draft for the departments, or a
desk's note as it cannot handle the case or sends it back, stays inside.

The customer is also told of each milestone the case reaches (the brief status pushed, as
the source's call centre does, by the channel they came by: e-mail at the captured address
for the web, SMS for the hotline), in the milestone's own words: a milestone whose step is a
message to the customer is told by that message (the acceptance number for "Accepted for
handling", the question for "Asked you for more information", the answer for "Answer sent",
the abort for "Closed without action"; each names the case first, "Your complaint
0101-0001: ...", as a status notice does: one phone may have two cases open), and the
coordinator's review and a department's
handling, which have none, are followed by a status notice (``tell_status``: "Your complaint
0101-0001: Reviewed by the coordinator"). The coordinator has reviewed the case when the
decision moves it on: a form that comes back (no decision, ``departments`` with none named,
``ask_customer`` with an empty question) reaches no milestone and tells the customer nothing.
A department has handled the case when its turn
ended ``done``: a desk that cannot handle it, or sends it back, reaches no milestone and
tells the customer nothing. One notice per milestone: a case the coordinator
reviews again, or a second department handles, tells the customer nothing new
(``crm.CrmApps.tell_status`` keeps what it told). The two milestones of the intake
("Complaint received", "Answered at once") are reached while the customer is at the form or
on the phone, and are not pushed.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

from wfengine import PackageBuilder, ProcessBuilder
from wfengine.definition.model import Activity, EnumerationType, Package, XmlNode
from wfengine.definition.namespaces import XPDL22_NS

#: the participants (roles and units of organisation.yaml)
AGENT, COORDINATOR = "agent", "coordinator"
DEPARTMENTS = ("billing", "network", "sales", "after_sales")
#: what a complaint is about (a repair goes to after-sales, the others to their namesake)
CATEGORIES = ("billing", "network", "sales", "repair")
#: how the complaint came in, and so how the customer is told (crm.py's channels)
CHANNELS = ("web", "hotline")
#: what the coordinator may decide (see the module notes)
DECISIONS = ("close", "abort", "amend", "reply", "departments", "ask_customer")
#: how a department's turn ends
OUTCOMES = ("done", "cannot", "back")

#: the agent who holds the case: the hotline agent who took it, else (the web, or an agent
#: who is no longer one: ``intake_agent_left``, which ``crm.submit_form`` keeps) the agents
CASE_AGENT = f'(intake_agent if intake_agent and not intake_agent_left else "{AGENT}")'
#: the engine's assignment rule (XPDL, as Enhydra Shark and JaWE write it): a step that runs
#: again goes to whoever did it last time (the coordinator who handled the case)
ORIGINAL_PERFORMER = "ReassignToOriginalPerformer"
#: every person's step: a reminder every two hours, escalated to the supervisors after eight
REMIND = {"wfengine:reminder-every": "PT2H", "wfengine:escalate-after": "PT8H"}
#: what a customer's reply is correlated by: their phone and the case's acceptance number
CORRELATION = "acceptance_no"
#: the milestones told by a status notice of their own (the others' steps tell the customer)
REVIEWED, HANDLED = "Reviewed by the coordinator", "Handled by a department"


#: an opinion as filed: on one line, written as Python writes the text inside a string's
#: quotes (``str([opinion])[2:-2]``): a line break as an escape (``refunded\\nsee the bill``),
#: a backslash doubled (a typed ``see C:\\new`` is filed ``see C:\\\\new``), an apostrophe
#: escaped only in an opinion that also holds a double quote; the escapes read back (Python's
#: ``unicode_escape``) give the opinion as written, nothing lost. Why: ``opinions`` is one line
#: per opinion under its author, so a break inside one began a line that read as another
#: author's (``coordinator: close it``, written by a desk); the language has no text
#: replacement to indent it instead. Every opinion, so one rule reads them all back, and one
#: expression costs about three times the opinion's length (testing it for each kind of line
#: break first cost ten times more: a long opinion stopped the case in an incident)
_FILED = "str([opinion])[2:-2]"
#: a step's opinion (``opinion``, by ``who``) filed under ``opinions`` when there is one
_FILE_OPINION = (
    'opinions = opinions + {who} + ": " + ' + _FILED + ' + "\\n" if opinion != "" else '
    'opinions; opinion = ""'
)
#: what the customer is told when the case closes without a written reply, or is aborted
#: without one (the sentence names the case)
_DEALT_WITH = f'"Your complaint " + {CORRELATION} + " has been dealt with"'
_CLOSED = f'"Your complaint " + {CORRELATION} + " was closed without further action"'
#: what the history keeps as the answer: the reply, or that sentence
_REPLY_TEXT, _ABORT_TEXT = f"reply if reply else {_DEALT_WITH}", f"reply if reply else {_CLOSED}"


def opinion_as_written(filed: str) -> str:
    """An opinion as its author wrote it, from its line of ``opinions`` (the text after
    ``author: ``): the escapes it was filed with (:data:`_FILED`) read back."""
    return filed.encode("latin-1", "backslashreplace").decode("unicode_escape")


def _of_case(text: str, otherwise: str | None = None) -> str:
    """A message to the customer (the expression ``text``) that names the case first, as a
    status notice does (``crm.status_text``: "Your complaint 0101-0001: ..."): one phone may
    have two open cases, and the customer must know which one a question or an answer is
    about (and which acceptance number to reply under). ``otherwise``: the sentence (naming
    the case itself) sent when ``text`` is empty."""
    named = f'"Your complaint " + {CORRELATION} + ": " + {text}'
    return f"({named}) if {text} else {otherwise}" if otherwise else named


#: a department sent the case back: the one before it has its turn again, this one waits
_STEP_BACK = (
    "waiting = (waiting or []) + [department]; "
    "next_department = handled_by[-1] if handled_by else None; "
    "handled_by = handled_by[:-1] if handled_by else []"
)
#: a department is done: a department waiting for it has its turn again, else the one named;
#: one named while others wait (a department doing its part again names a further one) is
#: queued after all of them (first in the list: ``waiting[-1]`` has the next turn), unless it
#: is already waiting (a department redoing its part names again the one that sent it back:
#: one more turn, not two). A department naming itself names none, whether others wait or
#: not: its turn is over (with nobody waiting, the case goes back to the coordinator rather
#: than to the same desk again, round and round)
_TURN_DONE = (
    "handled_by = (handled_by or []) + [department]; "
    "next_department = None if next_department == department else next_department; "
    "waiting = (([next_department] if next_department != None "
    "and next_department not in waiting else []) + waiting) if waiting else []; "
    "next_department = waiting[-1] if waiting else next_department; "
    "waiting = waiting[:-1] if waiting else []"
)


#: what the coordinator's form forgets as the step begins, whichever way the case came to it
#: (the triage, ``back_to_coordinator``, or the engine's generic send-back from ``amend`` or
#: ``agent_reply``): the last decision, the agent named to reply, the last question to the
#: customer (asked and answered, or timed out: choosing ``ask_customer`` again with the form
#: unchanged would send it again), the department a desk named on its way back (``cannot``
#: with a ``next_department`` typed: ``departments`` chosen with none named would route the
#: case there, not bring the form back) and the instruction to
#: the agent (an opinion not filed would reach the departments as the coordinator's). The
#: opinion typed with departments but none named stays (the form came back to name one; an
#: opinion filed for the departments is cleared by ``file_opinion``)
_ON_ENTRY = (
    ("opinion", 'opinion if decision == "departments" else ""'),
    ("decision", "None"),
    ("reply_agent", "None"),
    ("question", '""'),
    ("next_department", "None"),
)


#: what the customer may see of how the case is being solved (the brief status's staged
#: conclusion and solution, public) and the working copies the people's forms write (private):
#: the coordinator's and a desk's form start from what the customer sees (so neither a
#: coordinator's draft for the departments nor a desk's note as it could not handle the case
#: or sent it back carries over), the agent's reply (``agent_reply``, reached only by the
#: coordinator's ``reply``) from the coordinator's draft, which the agent sends; what a form
#: writes reaches the customer only when a department's turn ends done (``tell_handled``) or
#: the customer is answered (``record_reply``, ``tell_aborted``). Written straight into the
#: public fields, such a draft or note was in the brief status and the web centre's export
#: at once
_PUBLIC_TEXTS = (("conclusion", "draft_conclusion"), ("proposed_solution", "draft_solution"))
_DRAFTS = tuple((draft, public) for public, draft in _PUBLIC_TEXTS)
_PUBLISH = _PUBLIC_TEXTS
#: the fields a person's form writes for the customer (the drafts)
_DRAFT_FIELDS = [draft for _, draft in _PUBLIC_TEXTS]


#: a new question: kept as the one asked (``coordinate`` forgets ``question`` as it begins, so
#: the engine's generic send-back to ``ask`` or ``new_question`` asks the customer this one
#: again, not an empty one), no answer to it yet, and not timed out
_NEW_QUESTION = (
    'asked = question if (question or "").strip() != "" else asked; '
    'customer_info = ""; customer_timed_out = false'
)
#: as ``ask`` begins (also when the engine's generic send-back runs it again): no answer to
#: the question yet, and not timed out
_ASKED_AGAIN = (("customer_info", '""'), ("customer_timed_out", "false"))
#: a department's turn: the department named; none named (the engine's generic send-back to
#: ``route_department`` or ``file_opinion``: ``coordinate`` forgets ``next_department`` as it
#: begins) is the department that had the last turn, which has its turn again
_ROUTE = (
    "department = next_department if next_department != None else department; "
    "next_department = None; dept_outcome = None"
)
#: a new round of departments; none named (the engine's generic send-back to
#: ``file_opinion``) starts it again at the round's first department (the first that
#: finished its turn, else the one that had the last)
_ROUND = (
    "next_department = next_department if next_department != None "
    "else (handled_by[0] if handled_by else department); handled_by = []; waiting = []"
)


def _assignments(rows: tuple[tuple[str, str], ...]) -> XmlNode:
    """XPDL 2.2 ``Assignments`` made as an activity starts (``target = expression``)."""
    x = "{" + XPDL22_NS + "}"

    def one(target: str, expression: str) -> XmlNode:
        return XmlNode(tag=x + "Assignment", attrs=(("AssignTime", "Start"),), children=(
            XmlNode(tag=x + "Target", children=(XmlNode(tag=x + "Expression", text=target),)),
            XmlNode(tag=x + "Expression", text=expression)))  # fmt: skip

    return XmlNode(tag=x + "Assignments", children=tuple(one(t, e) for t, e in rows))


def _on_entry(package: Package, rows: Mapping[str, tuple[tuple[str, str], ...]]) -> Package:
    """``package`` with ``rows[activity_id]`` assigned as that activity starts, in the
    process or in one of its blocks (the builder has no keyword for ``Assignments``)."""
    process = package.workflow_processes[0]

    def entered(activities: tuple[Activity, ...]) -> tuple[Activity, ...]:
        return tuple(
            a.model_copy(update={"extras": (*a.extras, _assignments(rows[a.id]))})
            if a.id in rows else a
            for a in activities
        )  # fmt: skip

    sets = tuple(
        s.model_copy(update={"activities": entered(s.activities)}) for s in process.activity_sets
    )
    process = process.model_copy(
        update={"activities": entered(process.activities), "activity_sets": sets}
    )
    return package.model_copy(update={"workflow_processes": (process,)})


def _public(label: str | None = None) -> dict[str, str]:
    return {"wfengine:milestone": label} if label else {}


#: a desk's turn ended done (no outcome is done too: ``after_department``'s otherwise)
_HANDLED = 'dept_outcome != "cannot" and dept_outcome != "back"'
#: the coordinator routes the case to the departments (none named: the form comes back)
_ROUTED = 'decision == "departments" and next_department != None'
#: the coordinator asks the customer (a question left empty asks nothing: the form comes back,
#: as for departments with none named, rather than an empty message and three days' wait)
_ASKED = 'decision == "ask_customer" and (question or "").strip() != ""'
#: the coordinator's decision moves the case on (``decide`` takes one of its ways other than
#: back to the coordinator): only then has the coordinator reviewed it, as a desk has handled
#: it only when its turn ends done; a form that comes back tells the customer nothing
_REVIEWED = (
    f'decision == "close" or decision == "abort" or decision == "amend" '
    f'or decision == "reply" or ({_ROUTED}) or ({_ASKED})'
)


def _status_notice(p: ProcessBuilder, step: str, label: str, milestone: bool = False) -> None:
    """``step``: the customer told that their case reached the milestone ``label`` (the
    brief status's own words), once per case (``crm.CrmApps.tell_status``); ``milestone``:
    the step is the milestone (its own step, a person's, may end without reaching it)."""
    p.activity(step, tool="tell_status",
               args=["phone", "channel", "email", CORRELATION, f'"{label}"'],
               extended=_public(label if milestone else None))  # fmt: skip


def build() -> Package:
    """The complaint package (one process, ``complaint``)."""
    pb = PackageBuilder("crm_complaint", name="CRM customer complaints")
    pb.participant(AGENT, name="Call-centre agent")
    pb.participant(COORDINATOR, name="Work-order coordinator")
    for dept in DEPARTMENTS:
        pb.participant(dept, type="ORGANIZATIONAL_UNIT", name=dept.replace("_", "-").title())
    p = pb.process("complaint", name="Customer complaint")
    p.extended_attribute("wfengine:public-name", "Your complaint")
    p.extended_attribute("wfengine:correlation", f"phone, {CORRELATION}")
    public = {"wfengine:public": "true"}
    department = EnumerationType(values=DEPARTMENTS)
    # the complaint: common fields of every work order, then the category's
    p.data_field("phone", "STRING", name="Customer phone number (as the CRM keys it)")
    p.data_field("email", "STRING", name="Customer e-mail address (the web answers there)")
    p.data_field("channel", EnumerationType(values=CHANNELS), initial='"hotline"',
                 name="web or hotline")  # fmt: skip
    p.data_field("category", EnumerationType(values=CATEGORIES), extended=public)
    p.data_field("severity", "INTEGER", initial="2", name="1 low, 2 normal, 3 high")
    p.data_field("text", "STRING", name="What the customer says")
    p.data_field("customer_name", "STRING")
    p.data_field("customer_value", "STRING", initial='"standard"')
    p.data_field("intake_agent", "STRING", name="the hotline agent who took it (a user)")
    p.data_field("intake_agent_left", "BOOLEAN", initial="false",
                 name="its agent is no agent now: its steps go to the agents")  # fmt: skip
    p.data_field("instant_answer", "STRING", initial='""')
    p.data_field("satisfied", "BOOLEAN", initial="false")
    p.data_field("route_to", department, name="the agent's choice of department")
    p.data_field(CORRELATION, "STRING", extended=public)
    p.data_field("newly_accepted", "BOOLEAN", initial="true",
                 name="accept gave the number just now (false: the case had one)")  # fmt: skip
    # the coordinator's and departments' work
    p.data_field("decision", EnumerationType(values=DECISIONS))
    p.data_field("reply_agent", "STRING", name="the agent named to reply (a user)")
    p.data_field("next_department", department)
    p.data_field("department", department)
    p.data_field("dept_outcome", EnumerationType(values=OUTCOMES))
    p.data_field("opinion", "STRING", initial='""')
    p.data_field("opinions", "STRING", initial='""')
    p.data_field("question", "STRING", initial='""')
    p.data_field("asked", "STRING", initial='""', name="the question last sent to the customer")
    p.data_field("customer_info", "STRING", initial='""')
    p.data_field("customer_timed_out", "BOOLEAN", initial="false")
    p.data_field("conclusion", "STRING", initial='""', extended=public)
    p.data_field("proposed_solution", "STRING", initial='""', extended=public)
    p.data_field("draft_conclusion", "STRING", initial='""',
                 name="the conclusion being written (published as the case moves on)")  # fmt: skip
    p.data_field("draft_solution", "STRING", initial='""',
                 name="the solution being written (published with the conclusion)")  # fmt: skip
    p.data_field("reply", "STRING", initial='""')
    p.data_field("handled_by", department, is_array=True,
                 name="the departments that finished their turn, in order")  # fmt: skip
    p.data_field("waiting", department, is_array=True,
                 name="the departments that sent the case back and wait for it")  # fmt: skip
    # the applications (bound in crm.py)
    p.application("lookup_customer", params=[("lookup_phone", "IN", "STRING"),
                  ("lookup_channel", "IN", "STRING"), ("lookup_email", "IN", "STRING"),
                  ("found_name", "OUT", "STRING"), ("found_value", "OUT", "STRING"),
                  ("found_phone", "OUT", "STRING"), ("found_email", "OUT", "STRING")])  # fmt: skip
    p.application("record_history", params=[("history_phone", "IN", "STRING"),
                  ("history_text", "IN", "STRING"), ("history_answer", "IN", "STRING"),
                  ("history_acceptance", "IN", "STRING"),
                  ("history_outcome", "IN", "STRING")])  # fmt: skip
    p.application("next_acceptance_number", params=[("acceptance_phone", "IN", "STRING"),
                  ("acceptance_current", "IN", "STRING"),
                  ("acceptance_number", "OUT", "STRING"),
                  ("acceptance_new", "OUT", "BOOLEAN")])  # fmt: skip
    p.application("notify_customer", params=[("notify_phone", "IN", "STRING"),
                  ("notify_channel", "IN", "STRING"), ("notify_text", "IN", "STRING"),
                  ("notify_email", "IN", "STRING")])  # fmt: skip
    p.application("tell_status", params=[("status_phone", "IN", "STRING"),
                  ("status_channel", "IN", "STRING"), ("status_email", "IN", "STRING"),
                  ("status_case", "IN", "STRING"),
                  ("status_milestone", "IN", "STRING")])  # fmt: skip

    # 1-2: intake, customer details (and the phone as the CRM keys it), instant answer
    p.start("intake", extended=_public("Complaint received"))
    p.activity("lookup_customer", tool="lookup_customer",
               args=["phone", "channel", "email", "customer_name", "customer_value", "phone",
                     "email"])  # fmt: skip
    p.route("answered_at_once")
    p.activity("record_instant", tool="record_history",
               args=["phone", "text", "instant_answer", '""', '"answered at once"'],
               extended=_public("Answered at once"))  # fmt: skip
    p.end("answered")
    p.sequence("intake", "lookup_customer", "answered_at_once")
    p.transition("answered_at_once", "record_instant", condition="satisfied")
    p.transition("answered_at_once", "accept", otherwise=True)
    p.transition("record_instant", "answered")

    # 3: into the workflow: an acceptance number, told to the customer
    # (a case is numbered once: accept run again, by a send-back to it or to the intake,
    # keeps the number the customer was told, and tells it no second time)
    p.activity("accept", tool="next_acceptance_number",
               args=["phone", CORRELATION, CORRELATION, "newly_accepted"],
               extended=_public("Accepted for handling"))  # fmt: skip
    told = f'"Your complaint is number " + {CORRELATION}'
    p.activity("tell_customer", tool="notify_customer",
               args=["phone", "channel", told, "email"])  # fmt: skip
    p.transition("accept", "tell_customer", condition="newly_accepted")
    p.transition("tell_customer", "triage")
    # routed by the agent's choice, or by conditions (a gold customer's severe complaint goes
    # straight to the department of its category), else to the coordinator
    p.route("triage")
    p.activity("agent_routed", script="next_department = route_to")
    p.activity("urgent", script=(
        'next_department = "after_sales" if category == "repair" else category'))  # fmt: skip
    p.transition("triage", "agent_routed", condition="route_to != None")
    p.transition("triage", "urgent", condition=(
        'severity >= 3 and customer_value == "gold" and category != None'))  # fmt: skip
    p.transition("triage", "coordinate", otherwise=True)
    p.transition("agent_routed", "route_department").transition("urgent", "route_department")

    # 4: the coordinator decides
    p.activity("coordinate", performer=COORDINATOR, name="Coordinate the work order",
               writes=["decision", "reply_agent", "next_department", "opinion", "question",
                       *_DRAFT_FIELDS, "reply", "category", "severity", "text"],
               extended={**REMIND, ORIGINAL_PERFORMER: "true"})  # fmt: skip
    # the milestone is the notice's: a form that comes back (no decision, departments with
    # none named, an empty question) has not reviewed the case (the customer is told nothing)
    _status_notice(p, "tell_reviewed", REVIEWED, milestone=True)
    p.route("decide")
    p.transition("coordinate", "tell_reviewed", condition=_REVIEWED)
    # close: the coordinator handled it and wrote the reply
    p.transition("decide", "record_reply", condition='decision == "close"')
    # abort: the customer, who was given an acceptance number, is told
    p.end("aborted", extended=_public("Closed without action"))
    p.activity("tell_aborted", tool="notify_customer",
               args=["phone", "channel", _of_case("reply", _CLOSED), "email"])  # fmt: skip
    p.transition("decide", "tell_aborted", condition='decision == "abort"')
    # back to the agent to amend
    p.activity("amend", performer=CASE_AGENT, name="Amend the work order",
               writes=["category", "severity", "text"], extended=REMIND)  # fmt: skip
    p.transition("decide", "amend", condition='decision == "amend"')
    p.transition("amend", "back_to_coordinator")
    # an agent replies (the original, or another: reply_agent)
    p.activity("agent_reply", performer=f"reply_agent if reply_agent else {CASE_AGENT}",
               name="Reply to the customer",
               writes=["reply", *_DRAFT_FIELDS], extended=REMIND)  # fmt: skip
    p.transition("decide", "agent_reply", condition='decision == "reply"')
    p.transition("agent_reply", "record_reply")
    # 5: departments, one after another: the coordinator's opinion, if any, is filed first
    # (as the coordinator's), and a new round of departments begins
    p.activity("file_opinion", script=(
        _FILE_OPINION.format(who='"coordinator"') + "; " + _ROUND
    ))  # fmt: skip
    p.transition("decide", "file_opinion", condition=_ROUTED)
    p.activity("route_department", script=_ROUTE)
    # the desk's step runs in a block of its own, so the engine's generic send-back from it
    # (which would restart an earlier turn with this turn's department) finds no earlier step
    # to go to: a desk sends the case back with its outcome (cannot, back)
    desk = p.activity_set("desk", name="A department's turn")
    desk.activity("department", performer="department", name="Department handles it",
               writes=["dept_outcome", "opinion", "next_department", *_DRAFT_FIELDS],
               extended=REMIND)  # fmt: skip
    p.activity("add_opinion", script=_FILE_OPINION.format(who="department"))
    # the milestone is the notice's: a desk that cannot handle the case, or sends it back,
    # has not handled it (the customer is told nothing, the brief status does not move)
    _status_notice(p, "tell_handled", HANDLED, milestone=True)
    p.route("after_department")
    p.block("department_turn", activity_set="desk")
    p.sequence("route_department", "department_turn", "add_opinion")
    p.transition("add_opinion", "tell_handled", condition=_HANDLED)
    p.transition("after_department", "back_to_coordinator", condition='dept_outcome == "cannot"')
    p.transition("after_department", "step_back", condition='dept_outcome == "back"')
    p.transition("after_department", "turn_done", otherwise=True)
    # (the way back; ``coordinate`` forgets the last decision as it begins: _ON_ENTRY)
    p.route("back_to_coordinator")
    p.transition("back_to_coordinator", "coordinate")
    # ask the customer and wait for their reply, or three days
    p.activity("ask", tool="notify_customer",
               args=["phone", "channel", _of_case("asked"), "email"],
               extended=_public("Asked you for more information"))  # fmt: skip
    # a new question: no answer to it yet, and not timed out
    p.activity("new_question", script=_NEW_QUESTION)
    p.transition("decide", "new_question", condition=_ASKED)
    p.route("await_customer", gateway="EventBased")
    p.intermediate("customer_reply", message="customer_reply")
    p.intermediate("no_reply", timer="P3D")
    p.activity("mark_timeout", script="customer_timed_out = true")
    p.sequence("ask", "await_customer")
    p.transition("await_customer", "customer_reply").transition("await_customer", "no_reply")
    p.transition("customer_reply", "back_to_coordinator")
    p.transition("no_reply", "mark_timeout").transition("mark_timeout", "back_to_coordinator")

    # 7: the reply into the history, the customer told
    p.activity("record_reply", tool="record_history",
               args=["phone", "text", _REPLY_TEXT, CORRELATION, '"answered"'])  # fmt: skip
    p.activity("notify_reply", tool="notify_customer",
               args=["phone", "channel", _of_case("reply", _DEALT_WITH), "email"],
               extended=_public("Answer sent"))  # fmt: skip
    p.end("closed")
    p.sequence("record_reply", "notify_reply", "closed")
    # added later than the rest, so the transitions above keep their Ids (t1...: what
    # scenarios name, as whatif.yaml does)
    p.transition("file_opinion", "route_department").transition("new_question", "ask")
    p.transition("tell_aborted", "record_aborted")
    # no decision (the form submitted as it came back): the work order comes back, rather
    # than stopping in an incident
    p.transition("decide", "back_to_coordinator", otherwise=True)
    # a department's turn over: the next one (a department waiting for this one, or the one
    # named), else back to the coordinator
    p.activity("step_back", script=_STEP_BACK)
    p.activity("turn_done", script=_TURN_DONE)
    p.route("next_turn")
    p.transition("step_back", "next_turn").transition("turn_done", "next_turn")
    p.transition("next_turn", "route_department", condition="next_department != None")
    p.transition("next_turn", "back_to_coordinator", otherwise=True)
    # the status notices after the coordinator's and a department's milestones
    p.transition("tell_reviewed", "decide").transition("tell_handled", "after_department")
    # an aborted case goes into the history too, with how it ended
    p.activity("record_aborted", tool="record_history",
               args=["phone", "text", _ABORT_TEXT, CORRELATION,
                     '"closed without action"'])  # fmt: skip
    p.transition("record_aborted", "aborted")
    # a case numbered already (accept run again) is not told its number again
    p.transition("accept", "triage", otherwise=True)
    # a desk's turn that did not end done (cannot, back) tells the customer nothing
    p.transition("add_opinion", "after_department", otherwise=True)
    # a coordinator's form that comes back tells the customer nothing (``decide`` brings it
    # back: its otherwise)
    p.transition("coordinate", "decide", otherwise=True)
    return _on_entry(pb.build(), {
        "coordinate": _ON_ENTRY + _DRAFTS, "ask": _ASKED_AGAIN,
        "department": _DRAFTS, "tell_handled": _PUBLISH, "record_reply": _PUBLISH,
        "tell_aborted": _PUBLISH,
    })  # fmt: skip


def write(path: Path | None = None) -> Path:
    """Write the package as XPDL 2.2 (beside this file unless told)."""
    from wfengine import dump_xpdl

    target = path or Path(__file__).with_name("complaint.xpdl")
    target.write_bytes(dump_xpdl(build()))
    return target


def main(argv: Sequence[str] | None = None) -> None:
    """``python definition.py [OUTPUT]``: write the package (:func:`write`) and say where.
    Why a parser: the first argument was taken as the file to write whatever it was, so
    ``--help`` wrote the XPDL to a file named ``--help``; now ``--help`` says how to run it
    and an unknown option is refused (exit 2), nothing written. So is an output in a folder
    that does not exist (or is no folder), naming it, and one the system will not write
    (permission denied, a folder of that name), with its reason: not a traceback."""
    parser = argparse.ArgumentParser(
        prog="definition.py",
        description="Write the CRM complaint process as XPDL 2.2.",
    )
    parser.add_argument(
        "output", nargs="?", type=Path,
        help="the file to write (default: complaint.xpdl beside this file)",
    )  # fmt: skip
    output: Path | None = parser.parse_args(argv).output
    if output is not None and not output.parent.is_dir():
        missing = "is no folder" if output.parent.exists() else "does not exist"
        parser.error(f"output: the folder {output.parent} {missing}; nothing was written")
    try:
        print(write(output))
    except OSError as exc:
        parser.error(f"output: {exc.filename or output} could not be written ({exc.strerror})")


if __name__ == "__main__":
    main()
