"""The CRM complaint example (issue 15): one test per path of ``examples/crm_complaint``,
driven through the worklist API as the real people would (the coordinator, agents and
department desks of ``organisation.yaml`` completing their own work items), asserting the
complaint history, the notifications, the audit trail and the brief and detailed status."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.examples.example_modules import example_module
from wfengine import Engine, ProcessState, VirtualClock, dump_xpdl
from wfengine.audit.status import brief_status, detailed_status
from wfengine.worklist.org_files import load_organisation

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"
PHONE = "+86 138 0000 0101"


def _module(name: str) -> ModuleType:
    return example_module(name)


definition = _module("definition")
crm_module = _module("crm")


class Desk:
    """The example's engine, CRM and people."""

    def __init__(self, engine: Engine, crm: Any, clock: VirtualClock) -> None:
        self.engine, self.crm, self.clock = engine, crm, clock

    def intake(self, agent: str | None = None, **data: Any) -> str:
        """The complaint typed at the hotline (by ``agent``), or the web form
        (``channel="web"``)."""
        values = {"phone": PHONE, "channel": "hotline", "category": "billing",
                  "severity": 2, "text": "I was charged twice"}  # fmt: skip
        values.update(data)
        return crm_module.take_complaint(self.engine, values, agent=agent)

    def item(self, iid: str, activity: str) -> Any:
        [found] = [w for w in self.engine.work_items(iid) if w.activity_id == activity]
        return found

    def do(self, iid: str, activity: str, user: str, **data: Any) -> None:
        """``user`` completes the open work item of ``activity`` with ``data``."""
        item = self.item(iid, activity)
        assert user in item.assignees, (user, item.assignees)
        if item.holder is None:  # offered: they take it (work given to them is theirs)
            self.engine.claim_work_item(item.id, user)
        crm_module.submit_form(self.engine, item.id, data, user=user)

    def stage(self, iid: str) -> str | None:
        """The last public milestone the case reached (what the customer is told)."""
        milestones = brief_status(self.engine, iid).milestones
        return milestones[-1].label if milestones else None


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    clock = VirtualClock()
    org = load_organisation(EXAMPLE / "organisation.yaml")
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=clock)
    crm.add_customers([{"phone": PHONE, "name": "Wei Zhang", "value": "gold"}])
    with Engine(clock=clock, directory=org) as engine:
        crm.register(engine.applications)
        engine.deploy(definition.build())
        yield Desk(engine, crm, clock)


def test_the_shipped_xpdl_is_the_built_definition_and_validates_clean() -> None:
    from wfengine import load_xpdl, validate

    shipped = (EXAMPLE / "complaint.xpdl").read_bytes()
    assert shipped == dump_xpdl(definition.build()), "run examples/crm_complaint/definition.py"
    assert validate(load_xpdl(EXAMPLE / "complaint.xpdl")) == []


def test_instant_answer(desk: Desk) -> None:
    iid = desk.intake(instant_answer="The second charge is a hold; it drops in 3 days",
                      satisfied=True)  # fmt: skip
    inst = desk.engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    assert inst.data["customer_name"] == "Wei Zhang"  # from the customer table
    assert inst.data["acceptance_no"] is None  # never entered the workflow
    [row] = desk.crm.history(PHONE)
    assert row["answer"].startswith("The second charge") and row["acceptance_no"] is None
    assert desk.crm.sent(PHONE) == []
    assert desk.stage(iid) == "Answered at once"


def _accepted(desk: Desk, agent: str | None = None, **data: Any) -> str:
    iid = desk.intake(agent, **data)
    number = desk.engine.instance(iid).data["acceptance_no"]
    assert number == "0101-0001" or number.startswith("0101-")
    [told] = desk.crm.sent(PHONE)
    assert told["channel"] == "sms" and number in told["text"]
    assert desk.stage(iid) == "Accepted for handling"
    assert desk.item(iid, "coordinate").assignees == ("cora", "dan")
    return iid


def test_one_phone_written_two_ways_is_one_customer_with_one_numbering(desk: Desk) -> None:
    """The hotline writes "+86 138 0000 0101", the web form "13800000101": the same
    customer (found in the customer table either way), numbered on from one sequence, never
    told the same acceptance number twice."""
    first = desk.intake()
    second = desk.intake(phone="13800000101", channel="web", email="wei@example.com")
    third = desk.intake(phone="0086-138-0000-0101")
    numbers = [desk.engine.instance(i).data["acceptance_no"] for i in (first, second, third)]
    assert numbers == ["0101-0001", "0101-0002", "0101-0003"]
    assert desk.engine.instance(second).data["customer_name"] == "Wei Zhang"
    assert len(desk.crm.sent("13800000101")) == 3  # every notification under one key
    other = desk.intake(phone="+86 139 5555 0101")  # another customer: their own numbering
    assert desk.engine.instance(other).data["customer_name"] == "new customer"
    assert [crm_module.phone_key(p) for p in ("+86 138 0000 0101", "+1 555 0101", "0101")] == [
        "13800000101",
        "+15550101",  # another country's number keeps its code: it is no national one
        "0101",
    ]


def test_the_coordinator_handles_and_closes_it(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="close", reply="We refunded the charge",
            draft_conclusion="Charged twice by mistake", draft_solution="Refund")  # fmt: skip
    inst = desk.engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    [row] = desk.crm.history(PHONE)
    assert row["answer"] == "We refunded the charge"
    assert row["acceptance_no"] == inst.data["acceptance_no"]
    number = inst.data["acceptance_no"]
    assert desk.crm.sent(PHONE)[-1]["text"] == f"Your complaint {number}: We refunded the charge"
    brief = brief_status(desk.engine, iid)
    assert desk.stage(iid) == "Answer sent" and brief.state == "completed"
    assert [m.label for m in brief.milestones] == [
        "Complaint received",
        "Accepted for handling",
        "Reviewed by the coordinator",
        "Answer sent",
    ]
    assert brief.fields["conclusion"] == "Charged twice by mistake"
    assert "reply" not in brief.fields and "opinions" not in brief.fields  # kept inside
    detail = detailed_status(desk.engine, iid)
    assert detail.instance.data["reply"] == "We refunded the charge"
    trail = desk.engine.audit(iid)
    [done] = [e for e in trail if e.kind == "work_item.completed"]
    assert done.activity_id == "coordinate" and done.user == "cora"
    called = [e.activity_id for e in trail if e.kind == "application.returned"]
    assert called == ["lookup_customer", "accept", "tell_customer", "tell_reviewed",
                      "record_reply", "notify_reply"]  # fmt: skip


def test_abort(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "dan", decision="abort")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED
    assert desk.engine.trace(iid)[-1] == "aborted"
    assert desk.stage(iid) == "Closed without action"


def test_sent_back_to_the_agent_who_took_the_call_to_amend(desk: Desk) -> None:
    iid = _accepted(desk, agent="ben")
    assert desk.engine.instance(iid).data["intake_agent"] == "ben"
    desk.do(iid, "coordinate", "cora", decision="amend")
    assert desk.item(iid, "amend").assignees == ("ben",)  # not every agent
    desk.do(iid, "amend", "ben", text="Charged twice on 3 May", category="billing")
    assert desk.engine.instance(iid).data["text"] == "Charged twice on 3 May"
    desk.item(iid, "coordinate")  # back with the coordinator


def test_an_agent_replies_with_the_coordinators_opinion(desk: Desk) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", reply_agent="ben",
            opinion="Apologise and refund")  # fmt: skip
    assert desk.item(iid, "agent_reply").assignees == ("ben",)  # the agent named
    desk.do(iid, "agent_reply", "ben", reply="Sorry, refunded", draft_conclusion="Refunded")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED
    assert desk.crm.history(PHONE)[-1]["answer"] == "Sorry, refunded"


def test_the_coordinator_corrects_the_work_order_and_hands_it_on_with_an_opinion(
    desk: Desk,
) -> None:
    """The coordinator may amend the work order, write an opinion and hand it to the agent to
    reply (the work-order flow): the form writes the work order's fields."""
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", category="network", severity=3,
            text="No signal since Monday; billed for it", opinion="Credit the days")  # fmt: skip
    item = desk.item(iid, "agent_reply")
    seen = desk.engine.work_item_data(item.id).values
    assert (seen["category"], seen["severity"], seen["opinion"]) == (
        "network", 3, "Credit the days")  # fmt: skip


def test_with_no_agent_named_the_agent_who_took_the_call_replies(desk: Desk) -> None:
    iid = _accepted(desk, agent="ben")
    desk.do(iid, "coordinate", "cora", decision="reply", opinion="Apologise")
    assert desk.item(iid, "agent_reply").assignees == ("ben",)


def test_a_web_complaint_which_no_agent_took_goes_to_the_agents(desk: Desk) -> None:
    iid = desk.intake(channel="web", email="wei@example.com")
    assert desk.engine.instance(iid).data["intake_agent"] is None
    desk.do(iid, "coordinate", "cora", decision="amend")
    assert desk.item(iid, "amend").assignees == ("amy", "ben")
    desk.do(iid, "amend", "amy", text="Charged twice on 3 May")
    desk.do(iid, "coordinate", "cora", decision="reply")
    assert desk.item(iid, "agent_reply").assignees == ("amy", "ben")


@pytest.mark.parametrize("who", ["bob", "eva", "coordinator", "agent", 7])
def test_a_reply_agent_who_is_not_an_agent_is_refused_at_the_form(desk: Desk, who: Any) -> None:
    """It was taken as typed: a stranger left the reply waiting for nobody (an incident), a
    desk or a role got it. Now the coordinator's form is refused naming the field and the
    agents, and stays open with them."""
    from wfengine.errors import DataTypeError

    iid = _accepted(desk, agent="amy")
    item = desk.item(iid, "coordinate")
    with pytest.raises(DataTypeError, match=r"reply_agent: .* not one of .*amy, ben"):
        desk.do(iid, "coordinate", "cora", decision="reply", reply_agent=who)
    assert desk.item(iid, "coordinate").holder == "cora"  # still open, with her
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert desk.engine.incidents(iid) == []
    crm_module.submit_form(desk.engine, item.id, {"decision": "reply", "reply_agent": " ben "},
                           user="cora")  # fmt: skip
    assert desk.item(iid, "agent_reply").assignees == ("ben",)


def test_an_empty_reply_agent_is_none_named(desk: Desk) -> None:
    iid = _accepted(desk, agent="amy")
    desk.do(iid, "coordinate", "cora", decision="reply", reply_agent="")
    assert desk.item(iid, "agent_reply").assignees == ("amy",)  # the case's agent
    assert desk.engine.incidents(iid) == []


@pytest.mark.parametrize("who", ["eva", "cora", "agent", "nobody"])
def test_a_hotline_complaint_taken_by_someone_not_an_agent_is_refused(desk: Desk, who: str) -> None:
    from wfengine.errors import DataTypeError

    with pytest.raises(DataTypeError, match="intake_agent"):
        desk.intake(agent=who)
    assert desk.engine.instance_summaries() == []


def test_one_department(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    assert desk.item(iid, "department").assignees == ("eva",)
    assert desk.stage(iid) == "Reviewed by the coordinator"
    desk.do(iid, "department", "eva", dept_outcome="done", opinion="Duplicate charge reversed")
    data = desk.engine.instance(iid).data
    assert data["opinions"] == "billing: Duplicate charge reversed\n"
    desk.item(iid, "coordinate")  # the departments are done: back to the coordinator
    assert desk.stage(iid) == "Handled by a department"


def test_several_departments_in_sequence(desk: Desk) -> None:
    iid = _accepted(desk, category="network")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done", opinion="Line fixed",
            next_department="billing")  # fmt: skip
    item = desk.item(iid, "department")
    assert item.assignees == ("eva",)  # the next one the previous named
    seen = desk.engine.work_item_data(item.id)
    assert seen.values["opinions"] == "network: Line fixed\n"  # the earlier ones, to read
    assert "opinions" not in seen.writable  # but not to change: the desk writes its own
    assert "opinion" in seen.writable
    desk.do(iid, "department", "eva", dept_outcome="done", opinion="Credit for the outage")
    assert desk.engine.instance(iid).data["opinions"] == (
        "network: Line fixed\nbilling: Credit for the outage\n"
    )
    desk.do(iid, "coordinate", "cora", decision="close", reply="Fixed and credited")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED


def test_the_coordinators_opinion_is_filed_as_theirs_and_a_silent_desk_adds_none(
    desk: Desk,
) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion="Looks like a duplicate charge")  # fmt: skip
    seen = desk.engine.work_item_data(desk.item(iid, "department").id)
    assert seen.values["opinions"] == "coordinator: Looks like a duplicate charge\n"
    desk.do(iid, "department", "eva", dept_outcome="done")  # writes no opinion
    assert desk.engine.instance(iid).data["opinions"] == (
        "coordinator: Looks like a duplicate charge\n"  # not filed again as billing's
    )


def test_a_department_that_cannot_handle_it_sends_it_back(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="sales")
    desk.do(iid, "department", "gus", dept_outcome="cannot", opinion="Not a sales matter",
            next_department="billing")  # fmt: skip
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert "sales: Not a sales matter" in desk.engine.instance(iid).data["opinions"]


def test_the_customer_replies(desk: Desk) -> None:
    iid = _accepted(desk)
    number = desk.engine.instance(iid).data["acceptance_no"]
    desk.do(iid, "coordinate", "cora", decision="ask_customer",
            question="Which card was charged?")  # fmt: skip
    assert desk.crm.sent(PHONE)[-1]["text"] == f"Your complaint {number}: Which card was charged?"
    assert desk.stage(iid) == "Asked you for more information"
    taken = desk.engine.send_message(
        "customer_reply",
        {"customer_info": "the Visa ending 4242"},
        instance_id=crm_module.find_case(desk.engine, PHONE, number),
    )
    assert taken
    assert desk.engine.instance(iid).data["customer_info"] == "the Visa ending 4242"
    desk.item(iid, "coordinate")
    assert desk.engine.timers(iid) == []  # the three-day wait was withdrawn


def test_the_customer_does_not_reply_in_time(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3))
    assert desk.engine.instance(iid).data["customer_timed_out"] is True
    desk.item(iid, "coordinate")


def test_a_late_reply_is_put_on_the_case_and_answers_no_later_question(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3, minutes=1))  # the wait ran out
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is False
    assert desk.engine.instance(iid).data["customer_info"] == "the Visa"  # to read
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Since when?")
    data = desk.engine.instance(iid).data
    assert desk.stage(iid) == "Asked you for more information"  # waiting for the answer
    assert (data["customer_info"], data["customer_timed_out"]) == ("", False)  # a new question
    assert crm_module.customer_reply(desk.engine, iid, "since Monday") is True
    assert desk.engine.instance(iid).data["customer_info"] == "since Monday"
    desk.item(iid, "coordinate")


def test_reminders_every_two_hours_and_escalation_to_the_supervisor(desk: Desk) -> None:
    iid = _accepted(desk)
    for _ in range(4):
        desk.clock.advance(timedelta(hours=2))
    reminders = [e for e in desk.engine.audit(iid) if e.kind == "work_item.reminder"]
    assert len(reminders) == 4
    [escalated] = [e for e in desk.engine.audit(iid) if e.kind == "work_item.escalated"]
    assert "ivy" in str(escalated.detail)  # the call centre's supervisor


# -- the status export for the web centre outside the firewall -------------------------------

status_export = _module("status_export")


def _two_cases(desk: Desk) -> None:
    """Two cases of one customer: one with the billing desk, one just accepted."""
    first = _accepted(desk)
    desk.do(first, "coordinate", "cora", decision="departments", next_department="billing")
    desk.intake(text="My line is down", category="network")


def test_the_status_export_round_trips_to_the_web_centre(desk: Desk, tmp_path: Path) -> None:
    _two_cases(desk)
    key = status_export.new_key()
    data = status_export.export_statuses(desk.engine, key, 1, desk.clock.now())
    assert b"charged twice" not in data.lower() and b"Reviewed" not in data  # encrypted
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    assert web.load(data, desk.clock.now()) == 2
    cases = web.lookup(PHONE)  # all the customer's complaints, by phone number
    assert [c.acceptance_no for c in cases] == ["0101-0001", "0101-0002"]
    [one] = web.lookup(PHONE, "0101-0001")
    assert one.stage == "Reviewed by the coordinator" and one.state == "in progress"
    assert "opinions" not in one.fields and "text" not in one.fields  # only what is public
    assert web.lookup("+86 000") == []


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:], "does not verify"),  # a flipped byte
        (lambda d: d[:-7], "does not verify"),  # truncated
        (lambda d: d[:20], "cut short"),  # truncated into the header
        (lambda d: d[:5] + (9).to_bytes(8, "big") + d[13:], "does not verify"),  # renumbered
        (lambda d: b"<xml/>" + d, "not a status export"),
    ],
)
def test_a_spoilt_export_is_refused_and_nothing_loaded(
    desk: Desk, tmp_path: Path, spoil: Any, words: str
) -> None:
    _two_cases(desk)
    key = status_export.new_key()
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    good = status_export.export_statuses(desk.engine, key, 1, desk.clock.now())
    with pytest.raises(status_export.ExportRefused, match=words):
        web.load(spoil(good), desk.clock.now())
    assert web.lookup(PHONE) == []
    assert web.load(good, desk.clock.now()) == 2  # the real one still loads


def test_a_replayed_or_foreign_export_is_refused(desk: Desk, tmp_path: Path) -> None:
    _two_cases(desk)
    key, other = status_export.new_key(), status_export.new_key()
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    first = status_export.export_statuses(desk.engine, key, 1, desk.clock.now())
    assert web.load(first, desk.clock.now()) == 2
    desk.do(desk.engine.instance_summaries()[0].id, "department", "eva", dept_outcome="done")
    second = status_export.export_statuses(desk.engine, key, 2, desk.clock.now())
    assert web.load(second, desk.clock.now()) == 2
    before = web.lookup(PHONE)
    with pytest.raises(status_export.ExportRefused, match="replayed"):
        web.load(first, desk.clock.now())
    foreign = status_export.export_statuses(desk.engine, other, 3, desk.clock.now())
    with pytest.raises(status_export.ExportRefused, match="another key"):
        web.load(foreign, desk.clock.now())
    assert web.lookup(PHONE) == before


def test_keys_come_from_a_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64

    key = status_export.new_key()
    path = tmp_path / "export.key"
    path.write_text(base64.b64encode(key).decode())
    assert status_export.key_from_file(path) == key
    monkeypatch.setenv(status_export.KEY_ENV, base64.b64encode(key).decode())
    assert status_export.key_from_env() == key
    monkeypatch.setenv(status_export.KEY_ENV, base64.b64encode(b"short").decode())
    with pytest.raises(status_export.ExportRefused, match="32"):
        status_export.key_from_env()
    monkeypatch.delenv(status_export.KEY_ENV)
    with pytest.raises(status_export.ExportRefused, match="no key"):
        status_export.key_from_env()


_INTAKE_SCRIPT = """
import runpy, sys
from wfengine import Engine
example, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
crm = runpy.run_path(example + "/siblings.py")["sibling"]("crm")
with Engine(db_url=url) as engine:
    crm.CrmApps(url).register(engine.applications)
    for n in range(count):
        engine.start_process("complaint", {"phone": "+86 138 0000 0101", "text": f"no. {n}"})
"""


def _intake_in_two_processes(pg_url: str, tmp_path: Path, per_process: int) -> list[str]:
    import subprocess

    with Engine(db_url=pg_url) as engine:
        engine.deploy(definition.build())
    script = tmp_path / "intake.py"
    script.write_text(_INTAKE_SCRIPT)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(EXAMPLE), pg_url, str(per_process)],
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
    with Engine(db_url=pg_url) as engine:
        return [engine.instance(s.id).data["acceptance_no"] for s in engine.instance_summaries()]


def test_acceptance_numbers_stay_unique_under_two_intake_processes(
    pg_url: str, tmp_path: Path
) -> None:
    """Two processes take complaints from the same phone number at once on PostgreSQL: every
    case gets its own acceptance number, and none is skipped."""
    import sqlalchemy as sa

    db = sa.create_engine(pg_url)
    crm_module.metadata.drop_all(db)
    crm_module.metadata.create_all(db)
    try:
        numbers = _intake_in_two_processes(pg_url, tmp_path, 25)
    finally:  # the session's database is shared: leave no CRM tables behind
        crm_module.metadata.drop_all(db)
        db.dispose()
    assert len(numbers) == 50
    assert sorted(numbers) == [f"0101-{n:04d}" for n in range(1, 51)]


def test_attachments_and_comments_along_the_way(desk: Desk) -> None:
    """An agent attaches the customer's bill; the department reads it and comments; the
    coordinator sees both; the agent removes a wrong attachment; a stranger sees nothing."""
    from wfengine.errors import NotAuthorizedError
    from wfengine.worklist.notes import notes_for

    notes = notes_for(desk.engine)
    iid = _accepted(desk)
    bill = notes.attach("cora", iid, "bill-may.pdf", "application/pdf", b"%PDF-1.4 bill")
    wrong = notes.attach("cora", iid, "other.txt", "text/plain", b"not this one")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    [seen] = [a for a in notes.attachments("eva", iid) if a.name == "bill-may.pdf"]
    assert notes.download("eva", seen.id)[1] == b"%PDF-1.4 bill"
    notes.add_comment("eva", iid, "Second charge is the May bill's")
    notes.delete_attachment("cora", wrong.id)
    assert [a.name for a in notes.attachments("dan", iid)] == ["bill-may.pdf"]
    assert [c.text for c in notes.comments("dan", iid)] == ["Second charge is the May bill's"]
    with pytest.raises(NotAuthorizedError):
        notes.delete_attachment("eva", bill.id)  # not the author
    with pytest.raises(NotAuthorizedError):
        notes.attachments("hal", iid)  # after-sales never had this case


def test_customers_are_told_through_the_channel_they_came_by(desk: Desk) -> None:
    """Web complaints are answered by e-mail, hotline ones by SMS; another adapter of the same
    protocol (a fax, say) replaces one."""
    web = desk.intake(channel="web", email="wei@example.com")
    assert desk.crm.sent(PHONE)[-1]["channel"] == "email"
    assert desk.engine.instance(web).data["acceptance_no"] in desk.crm.sent(PHONE)[-1]["text"]

    class Fax:
        name = "fax"

        def __init__(self) -> None:
            self.pages: list[tuple[str, str]] = []

        def send(self, customer: Any, text: str) -> None:
            self.pages.append((customer.phone, text))

    fax = Fax()
    desk.crm.channels["hotline"] = fax
    desk.intake(channel="hotline")
    assert fax.pages and fax.pages[0][0] == crm_module.phone_key(PHONE)


def test_a_web_complaint_is_answered_at_the_e_mail_address_the_form_captured(
    desk: Desk,
) -> None:
    """The web form's address is kept on the case (as typed, the domain in lower case) and
    every message of the case goes there by e-mail: the acceptance number, the coordinator's
    review, a question, the answer."""
    iid = desk.intake(channel="web", email=" Wei.Zhang@Example.COM ")
    assert desk.engine.instance(iid).data["email"] == "Wei.Zhang@example.com"
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    assert crm_module.customer_reply(desk.engine, iid, "the Visa") is True
    desk.do(iid, "coordinate", "cora", decision="close", reply="Refunded")
    sent = desk.crm.sent(PHONE)
    assert [(m["channel"], m["address"]) for m in sent] == [("email", "Wei.Zhang@example.com")] * 4
    number = desk.engine.instance(iid).data["acceptance_no"]
    assert [m["text"] for m in sent][1:] == [
        f"Your complaint {number}: Reviewed by the coordinator",
        f"Your complaint {number}: Which card?",
        f"Your complaint {number}: Refunded",
    ]
    assert "email" not in brief_status(desk.engine, iid).fields  # kept inside
    desk.intake(phone="+86 139 5555 0101")  # at the hotline: by SMS, to the phone
    assert desk.crm.sent("+86 139 5555 0101")[-1]["address"] == "13955550101"


@pytest.mark.parametrize(
    "email",
    [None, "", "wei.example.com", "wei@", "wei@@example.com", "wei zhang@example.com",
     "wei@example", "a..b@example.com"],
)  # fmt: skip
def test_a_web_complaint_without_a_valid_e_mail_address_is_refused_at_intake(
    desk: Desk, email: str | None
) -> None:
    from wfengine.errors import DataTypeError

    with pytest.raises(DataTypeError, match="email"):
        desk.intake(channel="web", email=email)
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == []
    with pytest.raises(DataTypeError, match="email"):  # checked at the hotline too, if given
        desk.intake(email=email or "wei@")


def test_a_web_case_started_without_an_address_stops_before_it_is_numbered(desk: Desk) -> None:
    """Started around the web form (``wfengine instance start``), a web complaint without an
    address is an incident naming it, before an acceptance number is taken; a known customer's
    address in the customer table is used when none was typed."""
    bare = desk.engine.start_process(
        "complaint", {"phone": "+86 139 5555 0101", "channel": "web", "text": "x"}
    )
    [incident] = desk.engine.incidents(bare)
    assert "e-mail address" in incident.message
    assert desk.engine.instance(bare).data["acceptance_no"] is None
    desk.crm.add_customers([{"phone": "13911112222", "name": "Li Na", "value": "standard",
                             "email": "li.na@example.com"}])  # fmt: skip
    known = desk.engine.start_process(
        "complaint", {"phone": "+86 139 1111 2222", "channel": "web", "text": "x"}
    )
    assert desk.engine.instance(known).data["email"] == "li.na@example.com"
    assert desk.crm.sent("13911112222")[-1]["address"] == "li.na@example.com"


def test_routed_by_the_agents_choice(desk: Desk) -> None:
    iid = desk.intake(route_to="network", category="network")
    assert desk.item(iid, "department").assignees == ("fay",)  # no coordinator first
    desk.do(iid, "department", "fay", dept_outcome="done", opinion="Reset the line")
    desk.item(iid, "coordinate")  # then the coordinator reviews it


def test_routed_by_conditions_a_gold_customers_severe_complaint(desk: Desk) -> None:
    iid = desk.intake(severity=3, category="repair")  # the customer table says gold
    assert desk.engine.instance(iid).data["customer_value"] == "gold"
    assert desk.item(iid, "department").assignees == ("hal",)  # after-sales handles repairs
    routed = [e.activity_id for e in desk.engine.audit(iid) if e.kind == "activity.script"]
    assert routed[:2] == ["urgent", "route_department"]


def test_whatif_scenarios_run_the_complaint_process() -> None:
    """The example's what-if scenarios fit the process and a third coordinator shortens the
    wait for coordination (the README says so)."""
    from wfengine import compare

    here = EXAMPLE
    definition = here / "complaint.xpdl"
    result = compare(
        (definition, here / "whatif.yaml"),
        (definition, here / "whatif-three-coordinators.yaml"),
        instances=150,
        seed=1,
    )
    a, b = result.a.replications[0], result.b.replications[0]
    assert a.metrics.completed == b.metrics.completed == 150
    assert a.incident_count == b.incident_count == 0
    assert result.b.activities["coordinate"].waiting.mean < (
        result.a.activities["coordinate"].waiting.mean
    )
    assert result.b.utilisation["coordinator"].mean < result.a.utilisation["coordinator"].mean
    # every simulated decision moves the case on, so each review is followed by its status
    # notice (the scenarios set no decision: without coordinate's branches none was sent)
    for variant in (result.a, result.b):
        reviewed = variant.activities.get("tell_reviewed")
        assert reviewed is not None
        assert reviewed.count.mean == variant.activities["coordinate"].count.mean


def test_in_the_whatif_a_case_comes_back_to_the_coordinator_who_handled_it(
    tmp_path: Path,
) -> None:
    """The simulated coordinators follow the process's rule: every case that came back to
    coordination was handled by one coordinator throughout (two were at work), and none
    waited for ever for one (a case kept for its coordinator overnight is still theirs)."""
    from wfengine import Scenario, simulate

    url = f"sqlite:///{tmp_path / 'whatif.db'}"
    scenario = Scenario.from_data(yaml.safe_load((EXAMPLE / "whatif.yaml").read_text()))
    report = simulate(EXAMPLE / "complaint.xpdl", scenario, instances=150, seed=1, db_url=url)
    assert report.replications[0].metrics.completed == 150
    assert report.replications[0].incident_count == 0
    with Engine(db_url=url) as engine:
        who: dict[str, list[str]] = {}
        for e in engine.audit_events(activity_id="coordinate", kind="work_item.completed"):
            who.setdefault(e.instance_id, []).append(str(e.user))
    again = [people for people in who.values() if len(people) > 1]
    assert len(again) > 10  # cases did come back
    assert all(len(set(people)) == 1 for people in again)
    assert len({p for people in who.values() for p in people}) == 2


# -- one phone, one key: the CRM, the engine's correlation and the web centre agree -----------


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (
            [
                "+86 138 0000 0101",
                "0086-138-0000-0101",
                "86 138 0000 0101",
                "13800000101",
                "+86 (0)138 0000 0101",
            ],
            "13800000101",
        ),
        (
            [
                "010 5550 0101",
                "+86 10 5550 0101",
                "0086 10 5550 0101",
                "86 10 5550 0101",
                "+86 010 5550 0101",
                "(010) 5550-0101",
            ],
            "1055500101",
        ),
        (["0755 8888 1234", "+86 755 8888 1234"], "75588881234"),
    ],
)
def test_every_spelling_of_one_phone_number_is_one_key(spellings: list[str], key: str) -> None:
    """A mobile with its country code written bare, a landline written nationally (with the
    trunk 0) and internationally: one number, one key, so one customer and one numbering."""
    assert {crm_module.phone_key(s) for s in spellings} == {key}


def test_a_landline_written_two_ways_never_gets_the_same_acceptance_number_twice(
    desk: Desk,
) -> None:
    desk.crm.add_customers([{"phone": "010 5550 0101", "name": "Li Na", "value": "gold"}])
    first = desk.intake(phone="010 5550 0101")  # typed by the agent
    second = desk.intake(phone="+86 10 5550 0101", channel="web",
                         email="li.na@example.com")  # by the customer  # fmt: skip
    data = [desk.engine.instance(i).data for i in (first, second)]
    assert [d["acceptance_no"] for d in data] == ["0101-0001", "0101-0002"]
    assert [d["customer_name"] for d in data] == ["Li Na", "Li Na"]


def test_a_case_is_found_by_its_phone_written_any_way(desk: Desk, tmp_path: Path) -> None:
    """The case keeps the phone as the CRM keys it, so the engine's correlation (phone and
    acceptance number) and the web centre's lookup find the customer's cases whichever way
    the phone was typed at intake and is typed now."""
    hotline = desk.intake(phone="+86 138 0000 0101")
    web = desk.intake(phone="13800000101", channel="web", email="wei@example.com")
    numbers = [desk.engine.instance(i).data["acceptance_no"] for i in (hotline, web)]
    assert [desk.engine.instance(i).data["phone"] for i in (hotline, web)] == ["13800000101"] * 2
    for typed in ("0086 138 0000 0101", "13800000101"):
        assert crm_module.find_case(desk.engine, typed, numbers[0]) == hotline
        assert crm_module.find_case(desk.engine, typed, numbers[1]) == web
    key = status_export.new_key()
    centre = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    centre.load(
        status_export.export_statuses(desk.engine, key, 1, desk.clock.now()), desk.clock.now()
    )
    for typed in ("+86 138 0000 0101", "13800000101", "0086 138 0000 0101"):
        assert [c.acceptance_no for c in centre.lookup(typed)] == numbers
        assert [c.acceptance_no for c in centre.lookup(typed, numbers[1])] == [numbers[1]]


def test_an_instance_without_a_phone_number_is_an_incident_naming_it(desk: Desk) -> None:
    """Started without the intake's checks (``wfengine run``; ``crm.take_complaint``
    refuses it: test_crm_intake_phone), the case stops at ``lookup_customer``, naming it."""
    iid = desk.engine.start_process("complaint", {"phone": "", "text": "Charged twice"})
    [incident] = desk.engine.incidents(iid)
    assert "no phone number" in incident.message


# -- the coordinator's decision: made anew each time the case comes back ----------------------


def _back_by_the_customers_reply(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    assert crm_module.customer_reply(desk.engine, iid, "the Visa ending 4242") is True


def _back_by_the_timeout(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="ask_customer", question="Which card?")
    desk.clock.advance(timedelta(days=3))


def _back_from_the_agent(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="amend")
    desk.do(iid, "amend", "amy", text="Charged twice on 3 May")


def _back_from_the_departments(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done")


@pytest.mark.parametrize(
    "come_back",
    [
        _back_by_the_customers_reply,
        _back_by_the_timeout,
        _back_from_the_agent,
        _back_from_the_departments,
    ],
)
def test_a_case_back_with_the_coordinator_repeats_no_earlier_decision(
    desk: Desk, come_back: Any
) -> None:
    """The form comes back without the last decision: submitted as it is, it chooses
    nothing (the work order comes back again), rather than asking the customer the same
    question again (wiping their answer) or sending the case back to the agent again."""
    iid = _accepted(desk)
    come_back(desk, iid)
    item = desk.item(iid, "coordinate")
    assert desk.engine.work_item_data(item.id).values["decision"] is None
    before = (len(desk.crm.sent(PHONE)), desk.engine.instance(iid).data["customer_info"])
    desk.do(iid, "coordinate", "cora")  # submitted unchanged
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert desk.engine.incidents(iid) == []
    assert (len(desk.crm.sent(PHONE)), desk.engine.instance(iid).data["customer_info"]) == before


def _back_as_the_department_cannot(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="sales")
    desk.do(iid, "department", "gus", dept_outcome="cannot", opinion="Not a sales matter")


def _sent_back_by_the_first_department(desk: Desk, iid: str) -> None:
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="back", opinion="Which charge?")


WAYS_BACK = [
    _back_by_the_customers_reply,
    _back_by_the_timeout,
    _back_from_the_agent,
    _back_from_the_departments,
    _back_as_the_department_cannot,
    _sent_back_by_the_first_department,
]


@pytest.mark.parametrize("come_back", WAYS_BACK)
def test_a_case_back_with_the_coordinator_goes_to_the_one_who_handled_it(
    desk: Desk, come_back: Any
) -> None:
    """Cora handled the case: whichever way it comes back, it is hers at once (she knows
    it), not offered to every coordinator, and she decides again."""
    iid = _accepted(desk)
    come_back(desk, iid)
    item = desk.item(iid, "coordinate")
    assert (item.assignees, item.holder) == (("cora",), "cora")
    desk.do(iid, "coordinate", "cora", decision="close", reply="Sorted")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED


def test_a_case_back_for_a_coordinator_who_is_one_no_longer_goes_to_every_coordinator(
    desk: Desk,
) -> None:
    """Cora handled the case, then moved to the agents' desk: it comes back offered to the
    coordinators (Dan), not to her."""
    from wfengine.worklist.organisation import Organisation

    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    data = yaml.safe_load((EXAMPLE / "organisation.yaml").read_text(encoding="utf-8"))
    for user in data["users"]:
        if user["id"] == "cora":
            user["roles"] = ["agent"]
    desk.engine.directory = Organisation.from_data(data)
    desk.do(iid, "department", "eva", dept_outcome="done")
    item = desk.item(iid, "coordinate")
    assert (item.assignees, item.holder) == (("dan",), None)
    desk.do(iid, "coordinate", "dan", decision="close", reply="Sorted")
    assert desk.engine.instance(iid).state is ProcessState.COMPLETED


def test_departments_chosen_without_naming_one_brings_the_form_back(desk: Desk) -> None:
    """It stalled the case in an incident (no performer for the department's step)."""
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", opinion="please check")
    assert [w.activity_id for w in desk.engine.work_items(iid)] == ["coordinate"]
    assert desk.engine.incidents(iid) == []
    item = desk.item(iid, "coordinate")
    assert desk.engine.work_item_data(item.id).values["opinion"] == "please check"
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    assert desk.engine.instance(iid).data["department"] == "network"


# -- departments: a desk sends the case back to the previous department -----------------------


def _opinions(desk: Desk, iid: str) -> list[str]:
    return str(desk.engine.instance(iid).data["opinions"]).splitlines()


def test_a_department_sends_it_back_to_the_previous_one_who_then_hands_it_on_again(
    desk: Desk,
) -> None:
    """Network, then billing; billing sends it back (its reason filed as billing's opinion);
    network redoes its part (filed as network's), and billing has its turn again."""
    iid = _accepted(desk, category="network")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done", opinion="Line fixed",
            next_department="billing")  # fmt: skip
    desk.do(iid, "department", "eva", dept_outcome="back",
            opinion="Please recheck the line first")  # fmt: skip
    assert desk.item(iid, "department").assignees == ("fay",)  # network's turn again
    assert desk.engine.instance(iid).data["department"] == "network"
    desk.do(iid, "department", "fay", dept_outcome="done", opinion="Rechecked: fine")
    assert desk.item(iid, "department").assignees == ("eva",)  # billing's turn again
    desk.do(iid, "department", "eva", dept_outcome="done", opinion="Credit for the outage")
    assert _opinions(desk, iid) == [
        "network: Line fixed",
        "billing: Please recheck the line first",
        "network: Rechecked: fine",
        "billing: Credit for the outage",
    ]
    desk.item(iid, "coordinate")  # every department done: back to the coordinator


def test_sent_back_twice_every_department_has_its_turn_again_in_order(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="sales")
    desk.do(iid, "department", "gus", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="back", opinion="network first")
    desk.do(iid, "department", "fay", dept_outcome="back", opinion="sales first")
    turns = []
    while [w.activity_id for w in desk.engine.work_items(iid)] == ["department"]:
        item = desk.item(iid, "department")
        turns.append(item.assignees[0])
        desk.do(iid, "department", item.assignees[0], dept_outcome="done")
    assert turns == ["gus", "fay", "eva"]
    desk.item(iid, "coordinate")


def test_the_first_department_sends_it_back_to_the_coordinator(desk: Desk) -> None:
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="back", opinion="Which charge?")
    desk.item(iid, "coordinate")
    assert _opinions(desk, iid) == ["billing: Which charge?"]


def test_the_engines_generic_send_back_cannot_misfile_a_departments_turn(desk: Desk) -> None:
    """Each turn is a scope of its own: the engine's send-back from a desk finds no earlier
    step there (it would restart the previous turn under this turn's department, filing its
    opinion under the wrong name and skipping this department) and is refused; the desk
    sends the case back with ``dept_outcome``."""
    from wfengine.errors import NotFoundError

    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done", next_department="billing")
    item = desk.item(iid, "department")
    desk.engine.claim_work_item(item.id, "eva")
    for earlier in ("department", "coordinate"):
        with pytest.raises(NotFoundError, match=earlier):
            desk.engine.send_back_work_item(item.id, "eva", earlier, "recheck the line")
    assert desk.item(iid, "department").holder == "eva"  # nothing changed


# -- routing values: refused at the form, never an incident later -----------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("decision", "Close"), ("next_department", "Billing"), ("decision", "")],
)
def test_a_routing_value_outside_its_choices_is_refused_at_the_form(
    desk: Desk, field: str, value: str
) -> None:
    from wfengine.errors import DataTypeError

    iid = _accepted(desk)
    item = desk.item(iid, "coordinate")
    desk.engine.claim_work_item(item.id, "cora")
    with pytest.raises(DataTypeError, match=field):
        desk.engine.complete_work_item(item.id, {field: value, "reply": "x"}, user="cora")
    assert desk.item(iid, "coordinate").id == item.id  # still open, with the coordinator
    assert desk.engine.incidents(iid) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "delivery"), ("channel", "Web"), ("route_to", "Billing")],
)
def test_a_complaint_with_a_value_outside_its_choices_is_refused_at_intake(
    desk: Desk, field: str, value: str
) -> None:
    from wfengine.errors import DataTypeError

    with pytest.raises(DataTypeError, match=field):
        desk.intake(**{field: value})
    assert desk.engine.instance_summaries() == []
    assert desk.crm.sent() == []


def test_a_department_outcome_outside_its_choices_is_refused(desk: Desk) -> None:
    from wfengine.errors import DataTypeError

    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    with pytest.raises(DataTypeError, match="dept_outcome"):
        desk.do(iid, "department", "eva", dept_outcome="Cannot")


# -- the customer is told how their case ended ------------------------------------------------


def test_a_close_without_a_written_reply_tells_the_customer_it_was_dealt_with(
    desk: Desk,
) -> None:
    iid = _accepted(desk)
    number = desk.engine.instance(iid).data["acceptance_no"]
    desk.do(iid, "coordinate", "cora", decision="close")
    told = f"Your complaint {number} has been dealt with"
    assert desk.crm.sent(PHONE)[-1]["text"] == told  # not an empty SMS
    assert desk.crm.history(PHONE)[-1]["answer"] == told


def test_an_aborted_case_is_told_to_the_customer(desk: Desk) -> None:
    iid = _accepted(desk)
    number = desk.engine.instance(iid).data["acceptance_no"]
    desk.do(iid, "coordinate", "dan", decision="abort")
    last = desk.crm.sent(PHONE)[-1]
    assert last["text"] == f"Your complaint {number} was closed without further action"
    assert desk.stage(iid) == "Closed without action"


# -- every ending is in the complaint history ----------------------------------------------------


def test_every_closed_case_is_in_the_history_with_how_it_ended(desk: Desk) -> None:
    """Answered at once, answered, aborted by the coordinator, terminated or aborted by an
    operator: each case is in the customer's history, found by phone or by phone and
    acceptance number (written any way), with how it ended."""
    desk.crm.subscribe(desk.engine.outbox.handlers, desk.engine)
    desk.intake(instant_answer="A hold, not a charge", satisfied=True)
    answered = _accepted(desk)
    desk.do(answered, "coordinate", "cora", decision="close", reply="Refunded")
    aborted = desk.intake()
    desk.do(aborted, "coordinate", "dan", decision="abort")
    terminated, killed = desk.intake(text="Line down"), desk.intake(text="Wrong tariff")
    desk.engine.terminate(terminated)
    desk.engine.abort(killed)
    desk.engine.deliver_outbox()
    desk.engine.deliver_outbox()  # delivered again: nothing recorded twice

    def number(iid: str) -> str:
        return str(desk.engine.instance(iid).data["acceptance_no"])

    assert [(r["acceptance_no"], r["outcome"]) for r in desk.crm.history(PHONE)] == [
        (None, "answered at once"),
        (number(answered), "answered"),
        (number(aborted), "closed without action"),
        (number(terminated), "terminated"),
        (number(killed), "aborted"),
    ]
    [row] = desk.crm.history("13800000101", number(aborted))
    assert row["answer"] == f"Your complaint {number(aborted)} was closed without further action"
    [row] = desk.crm.history("0086 138 0000 0101", number(terminated))
    assert (row["complaint"], row["answer"]) == ("Line down", "")  # nobody answered it


def test_a_case_is_recorded_in_the_history_once(desk: Desk) -> None:
    """A retried call (the first one's write went through) adds no second row."""
    for _ in range(2):
        desk.crm.record_history(PHONE, "Charged twice", "Refunded", "0101-0001", "answered")
    assert len(desk.crm.history(PHONE, "0101-0001")) == 1


# -- the customer is told of progress: the brief status pushed ---------------------------------


#: the brief status's milestones (``definition.py``: the public names)
MILESTONES = ("Complaint received", "Answered at once", "Accepted for handling",
              "Reviewed by the coordinator", "Handled by a department",
              "Asked you for more information", "Answer sent", "Closed without action")  # fmt: skip


def _status_notices(desk: Desk, phone: str = PHONE) -> list[str]:
    """The milestones the customer was told of by a status notice, in order (a question or
    an answer names the case the same way, but is no milestone)."""
    return [
        m["text"].partition(": ")[2]
        for m in desk.crm.sent(phone)
        if m["text"].startswith("Your complaint ") and m["text"].partition(": ")[2] in MILESTONES
    ]


def test_the_customer_is_told_of_each_milestone_once_in_the_brief_statuss_words(
    desk: Desk,
) -> None:
    """Between the acceptance and the answer the customer hears how the case moves on, by
    the SMS of their hotline case: the coordinator's review and a department's handling,
    each once (two departments, a second review: nothing new to tell), in the labels the
    brief status shows; the milestones whose step is itself a message (acceptance, answer)
    are not told twice."""
    iid = _accepted(desk)
    number = desk.engine.instance(iid).data["acceptance_no"]
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    assert (
        desk.crm.sent(PHONE)[-1]["text"] == f"Your complaint {number}: Reviewed by the coordinator"
    )
    desk.do(iid, "department", "eva", dept_outcome="done", next_department="network")
    desk.do(iid, "department", "fay", dept_outcome="done")
    desk.do(iid, "coordinate", "cora", decision="close", reply="Fixed and credited")
    sent = desk.crm.sent(PHONE)
    assert [m["text"] for m in sent] == [
        f"Your complaint is number {number}",
        f"Your complaint {number}: Reviewed by the coordinator",
        f"Your complaint {number}: Handled by a department",
        f"Your complaint {number}: Fixed and credited",
    ]
    assert {m["channel"] for m in sent} == {"sms"}
    shown = [m.label for m in brief_status(desk.engine, iid).milestones]
    assert shown == [
        "Complaint received",
        "Accepted for handling",
        "Reviewed by the coordinator",
        "Handled by a department",
        "Handled by a department",
        "Reviewed by the coordinator",
        "Answer sent",
    ]
    assert set(_status_notices(desk)) <= set(shown)  # the brief status's own words


def test_a_web_customer_is_told_of_progress_by_e_mail_at_the_captured_address(
    desk: Desk,
) -> None:
    iid = desk.intake(channel="web", email="wei@example.com")
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(iid, "department", "eva", dept_outcome="done", opinion="Credited")
    assert _status_notices(desk) == ["Reviewed by the coordinator", "Handled by a department"]
    assert {(m["channel"], m["address"]) for m in desk.crm.sent(PHONE)} == {
        ("email", "wei@example.com")
    }


def test_a_case_coming_back_to_the_coordinator_again_and_again_tells_the_customer_once(
    desk: Desk,
) -> None:
    iid = _accepted(desk)
    for _ in range(3):  # sent back to the agent to amend, three times
        desk.do(iid, "coordinate", "cora", decision="amend")
        desk.do(iid, "amend", "amy", text="Charged twice on 3 May")
    assert _status_notices(desk) == ["Reviewed by the coordinator"]
    assert len(desk.crm.sent(PHONE)) == 2  # the acceptance number, the review


def test_a_channel_without_an_adapter_is_an_error_not_an_sms(desk: Desk) -> None:
    from wfengine.errors import PermanentApplicationError

    with pytest.raises(PermanentApplicationError, match="'fax'"):
        desk.crm.notify_customer(PHONE, "fax", "hello")
    assert desk.crm.sent() == []


# -- the people hear of their work -------------------------------------------------------------

notices = _module("notices")


def test_desks_are_told_of_new_work_reminders_and_escalations_by_email_and_sms(
    desk: Desk,
) -> None:
    """A work order reaches the billing desk: Eva is e-mailed and texted (the coordinators,
    at their seats, see new work on their worklist); it waits, and each reminder reaches her
    by e-mail and SMS; after eight hours the supervisor is told of the escalation. Nobody is
    told of the work they took themselves."""
    told = notices.Recorded()
    notices.subscribe_people(
        desk.engine.outbox.handlers,
        load_organisation(EXAMPLE / "organisation.yaml"),
        email=told.email(),
        sms=told.sms(),
    )
    iid = _accepted(desk)
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing")
    desk.engine.deliver_outbox()
    # each names the case by its acceptance number: a desk with several open tells them apart
    assert [(m["To"], m["Subject"]) for m in told.mails] == [
        ("eva@example.com", "complaint 0101-0001: work item wi-2 (department) offered")
    ]
    assert [(t["phone"], t["text"]) for t in told.texts] == [
        ("+86 135 5550 0201", "complaint 0101-0001: work item wi-2 (department) offered")
    ]
    for _ in range(4):
        desk.clock.advance(timedelta(hours=2))
    desk.engine.deliver_outbox()
    counts = told.counts()
    assert counts["e-mail"]["overdue"] == 5  # four to Eva, the last to the supervisor as well
    eva = [t["text"].rpartition(") ")[2] for t in told.texts if t["phone"].endswith("0201")]
    assert eva == ["offered"] + ["overdue"] * 4
    assert all(t["text"].startswith("complaint 0101-0001: ") for t in told.texts)
    escalated = [m for m in told.mails if str(m["Subject"]).endswith("escalated")]
    assert [m["To"] for m in escalated] == ["jon@example.com"]  # billing's supervisor
    assert [t["phone"] for t in told.texts if t["text"].endswith("escalated")] == [
        "+86 135 5550 0302"
    ]
    assert "allocated" not in counts["e-mail"] and "completed" not in counts["e-mail"]


# -- the status export survives an odd character ------------------------------------------------


def test_a_control_character_in_one_case_spoils_neither_it_nor_the_others(
    desk: Desk, tmp_path: Path
) -> None:
    ok = desk.intake()
    odd = desk.intake(phone="+86 139 1111 2222")
    desk.do(odd, "coordinate", "cora", decision="departments", next_department="billing")
    desk.do(odd, "department", "eva", dept_outcome="done",
            draft_conclusion="Refund made\x0b(see the attachment)\x00")  # fmt: skip
    key = status_export.new_key()
    data = status_export.export_statuses(desk.engine, key, 1, desk.clock.now())
    centre = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)
    assert centre.load(data, desk.clock.now()) == 2
    [case] = centre.lookup("+86 139 1111 2222")
    assert case.fields["conclusion"] == "Refund made (see the attachment) "
    number = desk.engine.instance(ok).data["acceptance_no"]
    assert [c.acceptance_no for c in centre.lookup(PHONE)] == [number]
