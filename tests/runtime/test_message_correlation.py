"""Messages found by correlation keys (``wfengine:correlation`` on the process): the right
open instance, by an index lookup on the SQL stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from tests.runtime.plans import query_plan
from wfengine import Engine, IllegalStateError, PackageBuilder, ProcessState
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode

XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _complaints() -> PackageBuilder:
    pb = PackageBuilder("crm")
    p = pb.process("complaint").extended_attribute("wfengine:correlation", "acceptance_no, phone")
    p.data_field("acceptance_no", "STRING")
    p.data_field("phone", "STRING")
    named = XmlNode(tag=XPDL + "Message", attrs=(("Id", "r"), ("Name", "reply")))
    trigger = XmlNode(tag=XPDL + "TriggerResultMessage", children=(named,))
    catch = Event(position=EventPosition.INTERMEDIATE, trigger="Message", detail=(trigger,))
    p.add_activity(Activity(id="wait_reply", body=catch)).activity("close")
    p.transition("wait_reply", "close")
    return pb


def test_the_message_reaches_the_instance_its_keys_name(engine: Engine) -> None:
    engine.deploy(_complaints().build())
    first = engine.start_process("complaint", {"acceptance_no": "A-1", "phone": "555"})
    second = engine.start_process("complaint", {"acceptance_no": "A-2", "phone": "555"})
    assert engine.send_message("reply", {"answer": "ok"}, correlation={"acceptance_no": "A-2"})
    assert engine.instance(second).state is ProcessState.COMPLETED
    assert engine.instance(first).state is ProcessState.RUNNING
    with pytest.raises(KeyError, match="acceptance_no='A-2'"):  # closed: no longer found
        engine.send_message("reply", correlation={"acceptance_no": "A-2"})
    with pytest.raises(KeyError):
        engine.send_message("reply", correlation={"acceptance_no": "A-9"})
    with pytest.raises(KeyError):  # not a key the process declares
        engine.send_message("reply", correlation={"answer": "ok"})
    third = engine.start_process("complaint", {"acceptance_no": "A-3", "phone": "555"})
    with pytest.raises(IllegalStateError, match="correlated with 2 open instances"):
        engine.send_message("reply", correlation={"phone": "555"})
    engine.send_message("reply", correlation={"phone": "555", "acceptance_no": "A-3"})
    assert engine.instance(third).state is ProcessState.COMPLETED
    with pytest.raises(ValueError, match="one of them"):
        engine.send_message("reply", instance_id=first, correlation={"phone": "555"})


def test_a_value_is_read_by_its_key_fields_type_on_every_store(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "amount, order_no, ref")
    p.data_field("amount", "FLOAT")
    p.data_field("order_no", "INTEGER")
    p.data_field("ref", "STRING")
    p.start("s").intermediate("c", message="paid").end("e").sequence("s", "c", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"amount": 10, "order_no": 2})  # amount held as 10.0
    assert engine.correlated_instance({"amount": 10}) == iid
    assert engine.correlated_instance({"amount": 10.0, "order_no": 2.0}) == iid
    assert engine.correlated_instance({"order_no": "2"}) == iid
    with pytest.raises(KeyError):  # a key without a value correlates nothing
        engine.correlated_instance({"ref": None})
    with pytest.raises(KeyError):  # a value its field cannot hold matches nothing
        engine.correlated_instance({"order_no": 2.5})
    assert engine.send_message("paid", correlation={"amount": 10})
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_lookup_is_an_index_hit(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    assert url is not None
    with Engine(db_url=url) as e:
        e.deploy(_complaints().build())
        e.start_process("complaint", {"acceptance_no": "A-1", "phone": "555"})
    engine = sa.create_engine(url)
    query = (
        "SELECT instance_id FROM correlation_keys WHERE key = 'acceptance_no' AND value = '\"A-1\"'"
    )
    try:
        with engine.connect() as conn:
            assert len(conn.execute(sa.text(query)).scalars().all()) == 1
    finally:
        engine.dispose()
    plan = query_plan(url, query)
    if kind == "sqlite":
        assert "INDEX" in plan and "SCAN correlation_keys" not in plan
    else:
        assert "Index" in plan and "Seq Scan" not in plan


def test_the_message_command(tmp_path: Path) -> None:
    from tests.cli.databases import cli, sqlite_url, write

    url = sqlite_url(tmp_path)
    started = cli("instance", "start", write(tmp_path, _complaints()), "--db", url,
                  "--set", "acceptance_no=A-1", "--set", "phone=555")  # fmt: skip
    assert started.exit_code == 0, started.output
    iid = started.stdout.strip()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # the catch now waits
    sent = cli("message", "send", "reply", "--db", url, "--correlate", "acceptance_no=A-1",
               "--set", "answer=\"fine\"", "--allow-undeclared")  # fmt: skip
    assert sent.exit_code == 0 and sent.stdout == f"{iid} taken\n", sent.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as e:
        inst = e.instance(iid)
        assert inst.state is ProcessState.COMPLETED and inst.data["answer"] == "fine"
    gone = cli("message", "send", "reply", "--db", url, "--instance", iid)
    assert gone.exit_code == 1 and "closed.completed" in gone.stderr
    missing = cli("message", "send", "reply", "--db", url, "--correlate", "acceptance_no=A-9")
    assert missing.exit_code == 1 and "A-9" in missing.stderr
    assert cli("message", "send", "reply", "--db", url).exit_code == 2
    both = cli("message", "send", "x", "--db", url, "--instance", iid, "--correlate", "a=1")
    assert both.exit_code == 2


def test_two_engines_delivering_to_one_instance_apply_each_message_once(
    db_url: str,
) -> None:
    """Two engines (as two workers would) send 40 messages each to one instance at once: a
    loop takes them one by one and counts them; each is applied exactly once (taken, or kept
    and taken when the loop comes round: never lost, never twice), whichever engine loses a
    race retrying on fresh state."""
    import threading

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("begin").intermediate("hear", message="ping", join="Exclusive")
    p.activity("count", script="n = n + 1")
    p.activity("done", join="Exclusive")  # never reached: the loop needs a way out
    p.transition("begin", "hear").transition("hear", "count")
    p.transition("count", "done", condition="n >= 1000").transition("count", "hear", otherwise=True)
    with Engine(db_url=db_url) as first:
        first.deploy(pb.build())
        iid = first.start_process("main")
    per_engine = 40
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def send() -> None:
        try:
            with Engine(db_url=db_url) as engine:
                engine.max_conflict_retries = 1000  # the two race on every message
                start.wait()
                for _ in range(per_engine):
                    engine.send_message("ping", instance_id=iid)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Engine(db_url=db_url) as engine:
        taken = [e for e in engine.audit(iid) if e.kind == "message.received"]
        assert len(taken) == 2 * per_engine
        assert engine.instance(iid).data["n"] == 2 * per_engine
        assert engine.verify_audit().ok


def test_a_read_only_correlation_key_still_finds_its_instance(engine: Engine) -> None:
    """Reading the keys by the process's types is no write: a key field declared ReadOnly (the
    process's constant) was refused as if the message wrote it, so the key was not read as the
    process's type and no instance matched."""
    pb = PackageBuilder("crm")
    p = pb.process("complaint").extended_attribute("wfengine:correlation", "desk")
    p.data_field("desk", "INTEGER", initial="7", read_only=True)
    named = XmlNode(tag=XPDL + "Message", attrs=(("Id", "r"), ("Name", "reply")))
    trigger = XmlNode(tag=XPDL + "TriggerResultMessage", children=(named,))
    catch = Event(position=EventPosition.INTERMEDIATE, trigger="Message", detail=(trigger,))
    p.add_activity(Activity(id="wait_reply", body=catch)).activity("close")
    p.transition("wait_reply", "close")
    engine.deploy(pb.build())
    iid = engine.start_process("complaint")
    # "7" is read as the INTEGER the process declares, as for any key
    assert engine.send_message("reply", correlation={"desk": "7"}) is True
    assert engine.instance(iid).state is ProcessState.COMPLETED
