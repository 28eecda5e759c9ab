"""Where a case stands: the detailed status for the people inside, and the brief status for
outsiders, which shows what the definition declares public and never anything else."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.cli.databases import cli, sqlite_url, write
from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    VirtualClock,
    brief_status,
    detailed_status,
)
from wfengine.definition.build_arguments import deadline, multi_instance
from wfengine.worklist.notes import notes_for
from wfengine.worklist.worklists import worklist


def _complaint() -> PackageBuilder:
    pb = PackageBuilder("crm")
    p = pb.process("complaint").extended_attribute("wfengine:public-name", "Your complaint")
    p.data_field("phone", "STRING", extended={"wfengine:public": "true"})
    p.data_field("internal_note", "STRING")
    p.activity("intake", extended={"wfengine:milestone": "Received"})
    p.activity(
        "handle",
        performer="clerk",
        writes=["internal_note"],
        deadlines=[("PT1H", "Late", "ASYNCHR")],
    )
    p.activity("answer", extended={"wfengine:milestone": "Answered"})
    p.transition("intake", "handle").transition("handle", "answer")
    return pb


def test_the_brief_status_shows_public_milestones_and_fields_only() -> None:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        e.deploy(_complaint().build())
        iid = e.start_process("complaint", {"phone": "555-0100", "internal_note": "VIP"})
        brief = brief_status(e, iid)
        assert brief.process == "Your complaint" and brief.state == "in progress"
        assert [m.label for m in brief.milestones] == ["Received"]
        assert brief.fields == {"phone": "555-0100"}
        text = json.dumps(brief.as_dict())
        assert "handle" not in text and "VIP" not in text and "clerk" not in text
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id, {"internal_note": "refund"}, user="alice")
        done = brief_status(e, iid)
        assert [m.label for m in done.milestones] == ["Received", "Answered"]
        assert done.state == "completed" and done.completed_at is not None


def test_the_detailed_status_has_performers_notes_overdue_work_and_history() -> None:
    clock = VirtualClock()
    with Engine(clock=clock, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_complaint().build())
        iid = e.start_process("complaint", {"phone": "555-0100"})
        (item,) = e.work_items(iid)
        e.claim_work_item(item.id, "bob")
        notes_for(e).add_comment("bob", iid, "called the customer back", work_item_id=item.id)
        early = detailed_status(e, iid)
        assert [(w.item.id, w.overdue) for w in early.open_work] == [(item.id, False)]
        assert early.open_work[0].due == clock.now() + timedelta(hours=1)
        clock.advance(timedelta(hours=2))  # past the one-hour deadline: it fired
        late = detailed_status(e, iid, user="bob")
        (work,) = late.open_work
        assert work.overdue
        assert [c.text for c in late.comments] == ["called the customer back"]
        e.complete_work_item(item.id, user="bob")
        full = detailed_status(e, iid).as_dict()
        handled = [a for a in full["activities"] if a["activity_id"] == "handle"]
        assert handled[0]["performer"] == "bob"
        assert full["data"]["phone"] == "555-0100"
        assert full["history"][0]["kind"] == "instance.created"
        assert any(h["user"] == "bob" for h in full["history"])


_NAMES = st.sampled_from(["a", "b", "c", "d"])


@given(
    public_fields=st.sets(_NAMES),
    milestones=st.sets(_NAMES),
    values=st.dictionaries(_NAMES, st.text(min_size=1, max_size=8), min_size=1),
)
def test_nothing_undeclared_ever_reaches_the_brief_status(
    public_fields: set[str], milestones: set[str], values: dict[str, str]
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    for name in ("a", "b", "c", "d"):
        extended = {"wfengine:public": "true"} if name in public_fields else None
        p.data_field(f"f_{name}", "STRING", extended=extended)
    steps = [f"s_{n}" for n in ("a", "b", "c", "d")]
    for n, step in zip(("a", "b", "c", "d"), steps, strict=True):
        label = {"wfengine:milestone": f"M-{n}"} if n in milestones else None
        p.activity(step, extended=label)
    for a, b in itertools.pairwise(steps):
        p.transition(a, b)
    with Engine() as e:
        e.deploy(pb.build())
        data: dict[str, Any] = {f"f_{k}": f"secret-{v}" for k, v in values.items()}
        brief = brief_status(e, e.start_process("p", data))
    public = {f"f_{n}" for n in public_fields}
    assert brief.fields == {k: data.get(k) for k in public}  # declared: None until set
    assert [m.label for m in brief.milestones] == [f"M-{n}" for n in sorted(milestones)]
    outside_fields = json.dumps(brief.as_dict() | {"fields": None})
    assert "s_" not in outside_fields  # no activity id, milestone or not
    assert "secret-" not in outside_fields


def test_the_status_command(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    pb = PackageBuilder("crm")
    p = pb.process("complaint").extended_attribute("wfengine:public-name", "Your complaint")
    p.data_field("phone", "STRING", extended={"wfengine:public": "true"})
    p.activity("intake", extended={"wfengine:milestone": "Received"}).activity("handle")
    p.transition("intake", "handle")
    assert cli("run", write(tmp_path, pb), "--db", db, "--set", "phone=555").exit_code == 0
    listed = json.loads(cli("instances", "--db", db, "--json").stdout)
    iid = listed[0]["id"]
    brief = cli("status", iid, "--db", db, "--brief", "--json")
    assert brief.exit_code == 0, brief.output
    assert json.loads(brief.stdout) | {"started_at": None, "completed_at": None} == {
        "instance_id": iid,
        "process": "Your complaint",
        "state": "completed",
        "started_at": None,
        "completed_at": None,
        "milestones": [
            {
                "label": "Received",
                "reached_at": json.loads(brief.stdout)["milestones"][0]["reached_at"],
            }
        ],
        "fields": {"phone": "555"},
    }
    text = cli("status", iid, "--db", db, "--brief")
    assert text.exit_code == 0 and "Received" in text.stdout and "handle" not in text.stdout
    full = json.loads(cli("status", iid, "--db", db, "--json").stdout)
    assert [a["activity_id"] for a in full["activities"]] == ["intake", "handle"]
    detailed = cli("status", iid, "--db", db)
    assert detailed.exit_code == 0
    assert "data phone = '555'" in detailed.stdout  # the data, as README says it shows
    missing = cli("status", "nope", "--db", db, "--brief")
    assert missing.exit_code == 1 and "nope" in missing.stderr


def test_milestones_reached_together_keep_their_order_past_nine_activities() -> None:
    # activity instance ids end in a number: "…:10" must not sort before "…:9"
    pb = PackageBuilder("pkg")
    p = pb.process("chain")
    names = [f"step{n}" for n in range(12)]
    for name in names:
        p.activity(name, extended={"wfengine:milestone": name})
    p.sequence(*names)
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("chain")
        assert [m.label for m in brief_status(engine, iid).milestones] == names


def test_the_status_command_shows_when_open_work_is_due(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    clock = VirtualClock()  # long past: the deadline has passed by the time the command runs
    with Engine(clock=clock, db_url=db, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_complaint().build())
        iid = e.start_process("complaint")
        (open_work,) = detailed_status(e, iid).open_work
    assert open_work.due is not None and open_work.due == clock.now() + timedelta(hours=1)
    out = cli("status", iid, "--db", db)
    assert out.exit_code == 0, out.output
    (line,) = [x for x in out.stdout.splitlines() if "waiting:" in x]
    assert f"due {open_work.due.isoformat(timespec='seconds')} OVERDUE" in line


def test_a_multi_instance_milestone_is_reached_once_when_the_activity_completes() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    p.activity(
        "check",
        performer="clerk",
        loop=multi_instance("3"),
        extended={"wfengine:milestone": "Items checked"},
    )
    p.activity("ship", extended={"wfengine:milestone": "Shipped"})
    p.transition("check", "ship")
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(pb.build())
        iid = e.start_process("p")
        first, *rest = e.work_items(iid)
        e.complete_work_item(first.id)
        assert brief_status(e, iid).milestones == ()  # two of three items still open
        for item in rest:
            clock.advance(timedelta(minutes=5))
            e.complete_work_item(item.id)
        reached = [(m.label, m.reached_at - clock.now()) for m in brief_status(e, iid).milestones]
    assert reached == [("Items checked", timedelta(0)), ("Shipped", timedelta(0))]


def _due_work() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.route("par", gateway="Parallel")
    p.activity("plain", performer="clerk", deadlines=[deadline("PT1H", "late")])
    p.activity(
        "mi", performer="clerk", deadlines=[deadline("PT1H", "late")], loop=multi_instance("2")
    )
    p.activity("chased", performer="clerk")  # no deadline, a boundary timer that repeats
    p.intermediate("chase", timer="R/PT30M", attached_to="chased", interrupting=False)
    p.activity("note").activity("late_handler").end("e2").end("e3")
    p.sequence("chase", "note", "e3")
    p.route("j", gateway="Parallel")
    for a in ("plain", "mi", "chased"):
        p.transition("par", a).transition(a, "j")
        if a != "chased":
            p.transition(a, "late_handler", exception="late")
    p.sequence("late_handler", "e2")
    return pb


def test_work_is_due_at_its_activity_deadline_even_after_it_fired_or_in_a_multi_instance() -> None:
    # the worklist's due and the status's overdue: a multi-instance item has the activity's
    # deadline, one whose asynchronous deadline fired is still due then (and overdue), and a
    # boundary timer attached to the activity is no deadline
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(_due_work().build())
        iid = e.start_process("main")
        t0 = clock.now()

        def due() -> dict[tuple[str, int | None], tuple[timedelta | None, bool]]:
            overdue = {w.item.id: w.overdue for w in detailed_status(e, iid).open_work}
            return {
                (w.item.activity_id, w.item.mi_index): (
                    None if w.due is None else w.due - t0,
                    overdue[w.item.id],
                )
                for w in worklist(e, "clerk")
            }

        hour = timedelta(hours=1)
        assert due() == {
            ("plain", None): (hour, False),
            ("mi", 0): (hour, False),
            ("mi", 1): (hour, False),
            ("chased", None): (None, False),
        }
        clock.advance(timedelta(minutes=70))
        assert due() == {
            ("plain", None): (hour, True),
            ("mi", 0): (hour, True),
            ("mi", 1): (hour, True),
            ("chased", None): (None, False),
        }


def test_the_detailed_status_text_shows_comments_attachments_and_history(tmp_path: Path) -> None:
    # README: the detailed view has the comments, attachments, data and history (not counts)
    db = sqlite_url(tmp_path)
    with Engine(db_url=db, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_complaint().build())
        iid = e.start_process("complaint", {"phone": "555"})
        (item,) = e.work_items(iid)
        notes = notes_for(e)
        notes.add_comment("alice", iid, "Customer called twice", work_item_id=item.id)
        notes.attach("alice", iid, "letter.txt", "text/plain", b"Dear sir", work_item_id=item.id)
        events = e.audit(iid)
    out = cli("status", iid, "--db", db)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    (comment,) = [x for x in lines if x.strip().startswith("comment ")]
    assert f"on {item.id}" in comment and comment.endswith(": Customer called twice")
    (attachment,) = [x for x in lines if x.strip().startswith("attachment ")]
    assert "'letter.txt' (text/plain, 8 bytes)" in attachment
    history = [x.split()[1:4:2] for x in lines if x.strip().startswith("history ")]
    assert history == [[str(ev.seq), ev.kind] for ev in events]
