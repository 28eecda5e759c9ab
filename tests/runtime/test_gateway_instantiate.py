"""An event-based gateway with ``Instantiate="true"`` and no way in (a process started by
whichever of its messages comes first, as BPMN tools draw it) is a way in for
:meth:`Engine.start_by_message` and ``wfengine message send NAME --start``: the instance
starts at the gateway with the message kept, and the gateway's catch of that message takes
it, beginning first: the rival ways are withdrawn before they begin (a person's task there
is never offered, a timer never armed), where a gateway reached otherwise begins them all."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, NotFoundError, ProcessState, load_xpdl
from wfengine.definition.model import Package
from wfengine.runtime.clock import VirtualClock

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pkg">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2030</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="orders">
      <ProcessHeader/>
      <DataFields><DataField Id="qty"><DataType><BasicType Type="INTEGER"/></DataType>
      </DataField></DataFields>
      <Activities>
"""
_CATCH = """        <Activity Id="c_{m}"><Event><IntermediateEvent Trigger="Message">
          <TriggerResultMessage><Message Id="{m}" Name="{m}"/></TriggerResultMessage>
        </IntermediateEvent></Event></Activity>
        <Activity Id="after_{m}"><Implementation><No/></Implementation></Activity>
"""
_TIMER = """        <Activity Id="c_late"><Event><IntermediateEvent Trigger="Timer">
          <TriggerTimer><TimeCycle>PT1H</TimeCycle></TriggerTimer>
        </IntermediateEvent></Event></Activity>
        <Activity Id="after_late"><Implementation><No/></Implementation></Activity>
"""


def _xpdl(route: str, *, timer: bool = False, way_in: bool = False) -> str:
    """Gateway ``gw`` (its Route's attributes ``route``) leads to catches of ``order`` and
    ``quote`` (and, with ``timer``, a one-hour timer), each to an activity of its own; with
    ``way_in`` an activity ``first`` leads into the gateway."""
    ways = ["order", "quote", *(["late"] if timer else [])]
    text = _HEAD + f'        <Activity Id="gw"><Route {route}/></Activity>\n'
    text += _CATCH.format(m="order") + _CATCH.format(m="quote") + (_TIMER if timer else "")
    if way_in:
        text += '        <Activity Id="first"><Implementation><No/></Implementation></Activity>\n'
    text += "      </Activities>\n      <Transitions>\n"
    flows = [("gw", f"c_{w}") for w in ways] + [(f"c_{w}", f"after_{w}") for w in ways]
    if way_in:
        flows.append(("first", "gw"))
    for n, (a, b) in enumerate(flows):
        text += f'        <Transition Id="t{n}" From="{a}" To="{b}"/>\n'
    return (
        text + "      </Transitions>\n    </WorkflowProcess>\n  </WorkflowProcesses>\n</Package>\n"
    )


_ROUTE_22 = 'GatewayType="Exclusive" ExclusiveType="Event" Instantiate="true"'
_ROUTE_21 = 'GatewayType="XOR" XORType="Event" Instantiate="1"'


def _load(tmp_path: Path, text: str) -> Package:
    path = tmp_path / "orders.xpdl"
    path.write_text(text)
    return load_xpdl(path)


@pytest.mark.parametrize("route", [_ROUTE_22, _ROUTE_21], ids=["ExclusiveType", "XORType"])
@pytest.mark.parametrize("message", ["order", "quote"])
def test_either_message_starts_the_process_at_the_gateway(
    engine: Engine, tmp_path: Path, route: str, message: str
) -> None:
    engine.deploy(_load(tmp_path, _xpdl(route)))
    i = engine.start_by_message(message, {"qty": "2"})
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert engine.trace(i) == ["gw", f"c_{message}", f"after_{message}"]
    assert engine.instance(i).data["qty"] == 2
    audit = engine.audit(i)
    received = [(a.activity_id) for a in audit if a.kind == "message.received"]
    assert received == [f"c_{message}"]  # once, by its catch
    assert "message.kept" not in {a.kind for a in audit}
    assert not [a for a in engine.activity_instances(i) if a.state.is_open]  # rival withdrawn


def test_a_timer_way_is_withdrawn_with_nothing_left_armed(
    engine: Engine, clock: VirtualClock, tmp_path: Path
) -> None:
    engine.deploy(_load(tmp_path, _xpdl(_ROUTE_22, timer=True)))
    i = engine.start_by_message("order")
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert engine.timers(i) == []
    clock.advance(timedelta(hours=2))
    assert engine.fire_due_timers() == 0
    assert engine.trace(i) == ["gw", "c_order", "after_order"]


def test_a_gateway_with_a_way_in_is_no_start(engine: Engine, tmp_path: Path) -> None:
    engine.deploy(_load(tmp_path, _xpdl(_ROUTE_22, way_in=True)))
    with pytest.raises(NotFoundError, match=r"no Message start event 'order'"):
        engine.start_by_message("order")


def test_without_instantiate_the_gateway_is_no_start(engine: Engine, tmp_path: Path) -> None:
    engine.deploy(_load(tmp_path, _xpdl('GatewayType="Exclusive" ExclusiveType="Event"')))
    with pytest.raises(NotFoundError, match=r"no Message start event 'order'"):
        engine.start_by_message("order")


def test_started_by_hand_the_gateway_waits_for_either(engine: Engine, tmp_path: Path) -> None:
    engine.deploy(_load(tmp_path, _xpdl(_ROUTE_22)))
    i = engine.start_process("orders")
    assert engine.waits_for_message(i, "order") and engine.waits_for_message(i, "quote")
    assert engine.send_message("quote", instance_id=i)
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert engine.trace(i)[-2:] == ["c_quote", "after_quote"]


def test_message_send_start_on_the_command_line(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_load(tmp_path, _xpdl(_ROUTE_22)))
    started = cli("message", "send", "quote", "--db", url, "--start", "--set", "qty=3")
    assert started.exit_code == 0, started.output
    with Engine(db_url=url) as engine:
        i = started.stdout.split()[0]
        engine.run_due_jobs()  # (the command line leaves the automatic work to a worker)
        assert engine.instance(i).state is ProcessState.COMPLETED
        assert engine.instance(i).data["qty"] == 3
        assert engine.trace(i) == ["gw", "c_quote", "after_quote"]


def _with_person(text: str) -> str:
    """``text`` with a way from ``gw``, listed before its others, to ``call``: the clerks'
    task (a person's task there races the catches)."""
    call = (
        '        <Activity Id="call"><Implementation><No/></Implementation>'
        "<Performers><Performer>clerk</Performer></Performers></Activity>\n"
    )
    text = text.replace("<Activities>\n", "<Activities>\n" + call, 1)
    way = '        <Transition Id="tc" From="gw" To="call"/>\n'
    text = text.replace("<Transitions>\n", "<Transitions>\n" + way, 1)
    clerk = '<Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>'
    return text.replace(
        "<WorkflowProcesses>", f"<Participants>{clerk}</Participants>\n  <WorkflowProcesses>"
    )


_STARTED_TRAIL = [
    ("instance.created", None),
    ("instance.state", None),
    ("activity.started", "gw"),
    ("activity.completed", "gw"),
    ("activity.started", "c_order"),
    ("message.received", "c_order"),
    ("activity.completed", "c_order"),
    ("activity.started", "after_order"),
    ("activity.completed", "after_order"),
    ("instance.state", None),
]


def _trail(engine: Engine, i: str) -> list[tuple[str, str | None]]:
    return [(str(a.kind), a.activity_id) for a in engine.audit(i)]


def test_a_message_start_never_offers_a_persons_task_its_catch_wins(
    engine: Engine, tmp_path: Path
) -> None:
    engine.deploy(_load(tmp_path, _with_person(_xpdl(_ROUTE_22, timer=True))))
    i = engine.start_by_message("order", {"qty": 3})
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert _trail(engine, i) == _STARTED_TRAIL  # no work offered and withdrawn, nothing armed
    assert [a.activity_id for a in engine.activity_instances(i)] == ["gw", "c_order", "after_order"]
    assert [r.kind for r in engine.outbox.entries(instance_id=i)] == [
        "instance.state_changed",
        "instance.state_changed",
    ]  # no work_item.offered / cancelled told to a notifier
    assert engine.timers(i) == []


def test_started_by_hand_a_persons_task_there_is_offered_and_races(
    engine: Engine, tmp_path: Path
) -> None:
    engine.deploy(_load(tmp_path, _with_person(_xpdl(_ROUTE_22))))
    i = engine.start_process("orders")
    assert [w.activity_id for w in engine.work_items(i)] == ["call"]
    assert engine.send_message("order", instance_id=i)
    assert engine.work_items(i) == []
    kinds = [k for k, a in _trail(engine, i) if a == "call"]
    assert kinds == [
        "activity.created",
        "work_item.offered",
        "work_item.cancelled",
        "activity.aborted",
    ]


def test_message_send_start_on_the_command_line_offers_no_rival(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_load(tmp_path, _with_person(_xpdl(_ROUTE_22))))
    started = cli("message", "send", "order", "--db", url, "--start", "--set", "qty=3")
    assert started.exit_code == 0, started.output
    with Engine(db_url=url) as engine:
        i = started.stdout.split()[0]
        engine.run_due_jobs()  # (the gateway's ways begin in a worker's job)
        assert engine.instance(i).state is ProcessState.COMPLETED
        trail = _trail(engine, i)
        assert trail.pop(2) == ("instance.deferred", None)  # (left to the worker)
        assert trail == _STARTED_TRAIL


def test_started_by_hand_and_deferred_a_message_kept_before_the_gateway_is_taken_first(
    engine: Engine, tmp_path: Path
) -> None:
    # the gateway is the instance's start, however it was started: a message kept before a
    # worker reached it is taken first, its catch begun before the person's way is offered
    engine.deploy(_load(tmp_path, _with_person(_xpdl(_ROUTE_22))))
    i = engine.start_process("orders", defer=True)
    engine.send_message("order", instance_id=i)
    engine.run_due_jobs()
    trail = _trail(engine, i)
    assert ("message.received", "c_order") in trail
    assert not [a for k, a in trail if k.startswith("work_item.") and a == "call"]
