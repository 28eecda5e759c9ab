"""The call centre's side of a complaint, as its screens and the customers' replies drive
the engine: the intake of both channels (:func:`take_complaint`: the web form and the hotline
agent's screen), the people's forms (:func:`submit_form`) and a customer's reply
(:func:`customer_reply`), with the checks of what was typed (an e-mail address, an agent).

Why a module of its own: these act on the engine only (they start, complete and message
instances), while ``crm.py`` holds the CRM's database and the applications the process calls;
``crm.py`` re-exports them, so ``crm.take_complaint`` and the rest stay where hosts call them.
"""

from __future__ import annotations

import re
import runpy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import idna

from wfengine import ProcessState
from wfengine.errors import DataTypeError

#: an e-mail address as a web form accepts it: a local part of the usual characters (no
#: leading, trailing or double dot), one ``@``, and a domain of labels with a top level
#: (letters, or an internationalised one in its ASCII form: ``xn--fiqs8s``, 中国)
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{0,58}[A-Za-z0-9])"
)


def email_address(text: str | None) -> str | None:
    """The e-mail address as the CRM keeps it (trimmed, the domain in lower case, an
    internationalised domain in its ASCII form: ``wei@例子.中国`` is kept as
    ``wei@xn--fsqu00a.xn--fiqs8s``, which every mail server takes), None for none given;
    ``DataTypeError`` naming ``email`` for one that is no address."""
    if text is None or not str(text).strip():
        return None
    address = str(text).strip()
    local, at, domain = address.rpartition("@")
    if at and not domain.isascii():
        # IDNA 2008 (UTS 46, non-transitional), as mail servers and browsers read a domain
        # today: ``straße.de`` is ``xn--strae-oqa.de``, not ``strasse.de`` (Python's own
        # "idna" codec, IDNA 2003, maps ß to ss and ς to σ, and drops a zero-width joiner:
        # another domain, another owner, who would get the customer's mail)
        try:
            domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            domain = ""  # no domain IDNA 2008 can write: refused below
        address = f"{local}@{domain}"
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise DataTypeError(f"email: {text!r} is not an e-mail address (name@example.com)")
    return f"{local}@{domain.lower()}"


#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]


#: how the CRM keys a phone number (``phones.py``: the intake refuses one it cannot key)
phones = sibling("phones")


def check_phone(values: Mapping[str, Any]) -> None:
    """Refuse an intake whose ``phone`` is left out, none, no text (nor a whole number), or
    text with no digits the CRM can key (``""``, ``"abc"``, a bare ``"+"``:
    :func:`phones.phone_key` makes no key of it), with a ``DataTypeError`` naming the field.
    Why: the case is numbered, found and answered under that key; without one it stopped in
    an incident at ``lookup_customer``, after it had started, where every other bad intake
    value is refused before anything starts. A float (``13800000101.0``, as a JSON post or a
    spreadsheet import gives a number) is refused too: the engine wrote it as the text
    ``"13800000101.0"``, whose key has a 12th digit, another customer's, whom no SMS reaches
    and under whom the customer could not find their case. A whole number (``13800000101``)
    is the digits it writes. So is text that reads as such a float (``"13800000101.0"``,
    ``"1.38000001E+10"``: a spreadsheet's export; :func:`phones.reads_as_decimal`), which
    keyed a 12th digit or a stranger's mobile. Digits that make no complete number (an
    extension, a typo) are kept, as the CRM keeps them, up to the length its tables keep
    (:data:`phones.KEY_LENGTH`); a whole number longer than that is refused by its size
    (Python writes no integer of over 4,300 digits as text). The refusals are
    :func:`phones.refusal`'s, as ``lookup_customer`` and the customer import make them."""
    refused = phones.refusal(values.get("phone"))
    if refused is not None:
        raise DataTypeError(
            f"phone: {refused}; a complaint needs the customer's phone number alone, as "
            'written ("+86 138 0000 0101"; an extension or a note goes in the complaint\'s '
            "text): the case is numbered, found and answered under it; nothing was started"
        )


#: a suspended case's state as its trail's ``instance.state`` events name it
_SUSPENDED = ProcessState.SUSPENDED.value

#: the role of the call centre's agents (``complaint.xpdl``'s participant)
AGENT_ROLE = "agent"


def check_agent(engine: Any, field: str, user: Any) -> str | None:
    """``user`` when it names one of the call centre's agents (the engine's directory's
    members of :data:`AGENT_ROLE`), None for none named; ``DataTypeError`` naming ``field``
    and the agents otherwise (a desk, a role, a stranger: work sent there would wait for
    nobody, or for the wrong people). A directory that knows no agents (one resolving every
    name to itself) checks nothing."""
    if user is None or (isinstance(user, str) and not user.strip()):
        return None
    agents = tuple(engine.directory.members(AGENT_ROLE))
    if agents == (AGENT_ROLE,):
        return str(user)
    if not isinstance(user, str) or user.strip() not in agents:
        raise DataTypeError(
            f"{field}: {user!r} is not one of the call centre's agents ({', '.join(agents)})"
        )
    return user.strip()


#: the fields of the people's forms that name an agent (:func:`submit_form` checks them)
AGENT_FIELDS = ("reply_agent",)
#: the case's field saying its agent (``intake_agent``) is no longer one of the agents
AGENT_LEFT = "intake_agent_left"


def note_agent_left(engine: Any, case: str, *, user: str | None = None) -> None:
    """Keep case ``case``'s :data:`AGENT_LEFT` true while the hotline agent who took it is
    not one of the call centre's agents (:func:`check_agent`: they left, or moved on to
    another role), false again once they are: the process then offers the agent's steps
    (``amend``, ``agent_reply`` with no agent named) to the agents, whoever takes them.

    Why: the case is the call centre's, not the agent's. Sent to an agent who left, the work
    stopped in an incident (the name reaches no one); to one who moved on, it went to someone
    who no longer does that work. Refusing the coordinator's form instead would leave the case
    with no way back to amend. ``intake_agent`` keeps who took the call. A case of an earlier
    definition, which has no such field, is left as it is."""
    data = engine.instance(case).data
    if AGENT_LEFT not in data:
        return
    try:
        check_agent(engine, "intake_agent", data.get("intake_agent"))
    except DataTypeError:
        left = True
    else:
        left = False
    if left != bool(data[AGENT_LEFT]):
        engine.set_data(case, {AGENT_LEFT: left}, user=user)


def submit_form(
    engine: Any, work_item_id: str, data: Mapping[str, Any] | None, *, user: str
) -> None:
    """Complete ``user``'s work item with what they typed, as the call centre's screens do.

    A field naming an agent (:data:`AGENT_FIELDS`: the coordinator's ``reply_agent``) is
    checked first (:func:`check_agent`; an empty one is none named): another value is
    refused with a ``DataTypeError`` naming the field and the agents, and the item stays
    open with the person, rather than the reply waiting for nobody (an incident) or going to
    a desk or a role. So is a ``severity`` outside 1-3, or none, as the intake refuses it
    (:func:`check_severity`). The engine checks the rest (the enumerations, what the step
    may write). Whether the case's agent is still one of the agents is noted first
    (:func:`note_agent_left`): the step the form starts goes to the agents when they are not.
    """
    values = dict(data or {})
    for name in AGENT_FIELDS:
        if name in values:
            values[name] = check_agent(engine, name, values[name])
    if "severity" in values:
        check_severity(values["severity"])
    note_agent_left(engine, engine.work_item(work_item_id).instance_id, user=user)
    engine.complete_work_item(work_item_id, values or None, user=user)


#: the severities a complaint may have (``complaint.xpdl``'s ``severity``: 1 low, 2 normal,
#: 3 high) and the channels it may come by
SEVERITIES, CHANNELS = (1, 2, 3), ("web", "hotline")


def check_severity(value: Any) -> None:
    """Refuse a severity that is none (null) or a number outside :data:`SEVERITIES`, with a
    ``DataTypeError`` naming the field: the engine's type check takes any integer, and a
    case with severity 7 or -3 was triaged on it, one with none stopped in an incident at
    triage (after it was numbered). Text the engine's type check reads as a number
    (``"2"``) is checked as that number; other text is left to that check."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return  # not a number: the engine refuses it naming the field
    numeric = isinstance(number, int | float) and not isinstance(number, bool)
    if value is None or (numeric and number not in SEVERITIES):
        raise DataTypeError(
            f"severity: {value!r} is none of 1 (low), 2 (normal) or 3 (high); nothing was changed"
        )


def check_instant_answer(values: Mapping[str, Any]) -> None:
    """Refuse a complaint marked ``satisfied`` (``true``, or text the engine reads as true:
    ``"true"`` in any case) whose ``instant_answer`` is left out, none or blank, with a
    ``DataTypeError`` naming the field. Why: the process closes such a case "answered at
    once" and files the answer in the complaint history; with none, the history said the
    customer was answered with nothing, and the case never reached a person."""
    satisfied = values.get("satisfied")
    if isinstance(satisfied, str):
        satisfied = satisfied.strip().lower() == "true"
    if satisfied is not True:
        return
    answer = values.get("instant_answer")
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        given = "none given" if answer is None else f"{answer!r} is blank"
        raise DataTypeError(
            f"instant_answer: {given}, for a complaint the customer was satisfied with at "
            "once: give the answer they were given, or leave satisfied false for the case to "
            "enter the workflow; nothing was changed"
        )


#: the fields an intake may give (the web form's and the hotline agent's screen's; the
#: hotline agent may also be given in ``intake_agent`` instead of ``agent=``): the rest of the
#: case is the process's and its people's to write
INTAKE_FIELDS = ("phone", "channel", "email", "category", "severity", "text",
                 "instant_answer", "satisfied", "route_to", "intake_agent")  # fmt: skip
#: of those, the one only the hotline agent's screen gives (the agent's choice of department:
#: a web complaint, which no agent took, is routed by the process)
HOTLINE_FIELDS = ("route_to",)


def _check_intake_fields(values: Mapping[str, Any]) -> None:
    """Refuse fields an intake may not give (``DataTypeError`` naming them and the fields
    it may give)."""
    other = [str(name) for name in values if name not in INTAKE_FIELDS]
    if other:
        raise DataTypeError(
            f"{', '.join(map(repr, other))}: not a field of a complaint's intake (it takes "
            f"{', '.join(INTAKE_FIELDS)}; the rest of the case is the process's to write); "
            "nothing was started"
        )
    if values.get("channel") == "web":
        given = [name for name in HOTLINE_FIELDS if values.get(name) is not None]
        if given:
            raise DataTypeError(
                f"{', '.join(given)}: the hotline agent's choice, not a web complaint's (the "
                "process routes it); nothing was started"
            )


def form_values(data: object) -> dict[str, Any]:
    """The complaint's form ``data`` as a dict of its fields; a ``DataTypeError`` naming the
    form when it is none or no mapping. Why: ``dict(None)`` failed with a bare
    ``TypeError: 'NoneType' object is not iterable``, naming neither the form nor what to
    give, and ``dict("text")`` with a ``ValueError`` about sequence elements."""
    if isinstance(data, Mapping):
        return dict(data)
    given = "none given" if data is None else f"a {type(data).__name__}, not a mapping"
    raise DataTypeError(
        f"form: {given}; a complaint's form is its fields by name (phone, channel, text, ...: "
        "intake.INTAKE_FIELDS); nothing was started"
    )


def take_complaint(engine: Any, data: Mapping[str, Any], *, agent: str | None = None) -> str:
    """Start a complaint from the web form or the hotline agent's screen (``data``: the
    complaint's fields, as ``complaint.xpdl`` declares them; ``agent``: the hotline agent who
    typed it); the case's instance id.

    A web complaint is answered by e-mail: without a valid address in ``email`` it is refused
    (``DataTypeError`` naming the field) and nothing is started; an address given at the
    hotline is checked too, and kept. The hotline's agent must be one of the agents
    (:func:`check_agent`): the case is theirs (``intake_agent``: sent back to amend, it goes
    to them; so does the reply, unless the coordinator names another agent). A web complaint
    has no agent of its own.

    A ``channel`` or ``severity`` given as none (null), or a severity outside 1-3, is refused
    (``DataTypeError`` naming the field) before anything starts: without a channel the
    customer could not be told their acceptance number, without a severity triage stops in
    an incident, and which channel or severity was meant is not the intake's to guess. Left
    out, each takes the process's initial value (``hotline``, 2).

    A complaint without a phone number the CRM can key (left out, none, ``""``, ``"abc"``) is
    refused (``DataTypeError`` naming ``phone``, :func:`check_phone`) before anything starts:
    it would stop in an incident at ``lookup_customer``; so is a phone given as a float
    (``13800000101.0``), whose text would key another number.

    A complaint the customer was ``satisfied`` with at once needs the answer they were given
    (``instant_answer``): without one (left out, none, or blank) it is refused
    (``DataTypeError`` naming ``instant_answer``) before anything starts; it would close the
    case as answered at once, with an empty answer in the complaint history.

    Only the intake's fields (:data:`INTAKE_FIELDS`) are taken; any other (the case's
    ``acceptance_no``, ``opinions``, ``conclusion``, ...: what the process and its people
    write) is refused (``DataTypeError`` naming them) before anything starts, and so is a
    ``route_to`` from the web (the agent's choice of department: a web complaint goes to the
    coordinator). Taken as given, a web form posting them preset the acceptance number (the
    phone's next case was given the same one) or faked a coordinator's opinion.

    A form that is none (a web post without a body) or no mapping is refused
    (``DataTypeError`` naming the form, :func:`form_values`) before anything starts."""
    values = form_values(data)
    _check_intake_fields(values)
    if "channel" in values and values["channel"] is None:
        raise DataTypeError(f"channel: none given; a complaint comes by {' or '.join(CHANNELS)}")
    check_phone(values)
    check_instant_answer(values)
    if "severity" in values:
        check_severity(values["severity"])
    email = email_address(values.get("email"))
    web = values.get("channel") == "web"
    if web and email is None:
        raise DataTypeError("email: a web complaint needs the customer's e-mail address")
    values["email"] = email
    agent = agent if agent is not None else values.get("intake_agent")
    values["intake_agent"] = None if web else check_agent(engine, "intake_agent", agent)
    case: str = engine.start_process("complaint", values, user=values["intake_agent"])
    return case


def customer_reply(engine: Any, case: str, text: str) -> bool:
    """Deliver the customer's reply ``text`` to case ``case`` (an instance id, found by
    phone and acceptance number: :func:`find_case`).

    When the case waits for a reply (its ``customer_reply`` event is open) the reply answers
    the question and the coordinator gets the case back (True). Otherwise the three days ran
    out or nothing was asked: the reply is added to the case (``customer_info``, after the
    replies filed since the coordinator last asked, a line each) for the coordinator to
    read, and answers no later question (False); kept as a message, it would be handed to
    the next wait, as the answer to a question the customer has not seen yet. "Is the case
    waiting?" and the delivery are one command (``send_message(..., keep=False)``): the
    three days running out just before the reply cannot leave it kept. A new question
    starts ``customer_info`` afresh (the process's ``new_question`` step: no answer to it
    yet), so an answer that is taken is the only text there; replies filed before the
    question was asked stay in the case's trail, not under the new answer.

    A case an operator suspended while it waited still takes the reply (True): the reply is
    added to the case and a ``customer_reply`` message, kept by the engine, answers the
    question when the case is resumed (the engine gives a suspended case's messages and due
    timers back in the order they came). Filed only, the reply would answer nothing and the
    case would time out after the resume, as though the customer had never answered. The
    message carries no text: a further reply during the suspension answers no later question
    (False: one message is kept, :func:`_answered_on_resume`) and is added after the first,
    where the message's own text would have replaced both when it was taken. Not when the
    three days ran out during the suspension: the timeout comes first on resume, so the reply
    is filed only.

    A reply that is no text (None) or only blanks is refused with a ``DataTypeError`` naming
    ``reply``, nothing sent: taken, it answered the question with nothing for the coordinator.
    """
    if not isinstance(text, str) or not text.strip():
        raise DataTypeError(f"reply: {repr(text)[:40]} is no text for the case")
    if engine.send_message("customer_reply", {"customer_info": text}, instance_id=case, keep=False):
        return True
    answers = _answered_on_resume(engine, case)
    earlier = str(engine.instance(case).data.get("customer_info") or "")
    engine.set_data(case, {"customer_info": f"{earlier}\n{text}" if earlier else text})
    if answers:
        engine.send_message("customer_reply", None, instance_id=case)  # kept until resumed
    return answers


def _answered_on_resume(engine: Any, case: str) -> bool:
    """Is case ``case`` suspended while it waits for a reply whose three days (the
    ``no_reply`` timer) have not yet run out, with no reply kept for it yet? Then a kept
    reply answers the question when the case is resumed. A timer due by now fires first on
    resume (it came first), and a second reply kept would be left for the wait after, so
    either would answer the coordinator's next question, before the customer has seen it.
    (An operator resuming the case between this look and the send is the one window left: a
    suspended case's timers do not fire, so only a resume and a timeout together can fall
    into it.)"""
    if engine.instance(case).state is not ProcessState.SUSPENDED:
        return False
    if not engine.waits_for_message(case, "customer_reply"):
        return False
    timing = {
        a.id
        for a in engine.activity_instances(case)
        if a.activity_id == "no_reply" and a.state.is_open
    }
    now = engine.clock.now()
    if any(t.due <= now for t in engine.timers(case) if t.activity_instance_id in timing):
        return False
    return not _reply_kept(engine, case)


def _reply_kept(engine: Any, case: str) -> bool:
    """Is a ``customer_reply`` message kept for suspended case ``case``? Read from its
    trail since it was last suspended: a suspended case takes no message, and resuming it
    gave back every one kept before (each answered the question it was kept for)."""
    for event in reversed(engine.audit(case)):
        if event.kind == "instance.state" and event.detail.get("state") == _SUSPENDED:
            return False
        if event.kind == "message.kept" and event.detail.get("message") == "customer_reply":
            return True
    return False
