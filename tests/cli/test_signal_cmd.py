"""``wfengine signal send`` and ``wfengine message send --start``: the contracts."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine, PackageBuilder, ProcessState


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("waiter")
    p.data_field("rate", "FLOAT")
    p.intermediate("hear", signal="price_change").activity("went").transition("hear", "went")
    q = pb.process("orders")
    q.data_field("item", "STRING")
    q.start("ordered", trigger="Message", message="new_order").activity("pack")
    q.transition("ordered", "pack")
    return pb


def test_signal_send_reaches_every_waiting_instance(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    path = write(tmp_path, _package())
    started = cli("instance", "start", path, "--process", "waiter", "--db", url, "--count", "3")
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # the catches now wait
    sent = cli("signal", "send", "price_change", "--db", url, "--set", "rate=1.5")
    assert sent.exit_code == 0 and sent.stdout == "3 taken\n", sent.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as e:
        for summary in e.instance_summaries():
            inst = e.instance(summary.id)
            assert inst.state is ProcessState.COMPLETED and inst.data["rate"] == 1.5
    lost = cli("signal", "send", "price_change", "--db", url)
    assert lost.exit_code == 0 and lost.stdout == "0 taken\n"


def test_message_send_start_starts_an_instance_at_the_message_start(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    path = write(tmp_path, _package())
    deployed = cli("instance", "start", path, "--process", "waiter", "--db", url)
    assert deployed.exit_code == 0, deployed.output
    sent = cli("message", "send", "new_order", "--db", url, "--start", "--set", "item=kettle")
    assert sent.exit_code == 0 and sent.stdout.endswith(" started\n"), sent.output
    iid = sent.stdout.split()[0]
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as e:
        assert e.trace(iid) == ["ordered", "pack"]
        assert e.instance(iid).data["item"] == "kettle"
    both = cli("message", "send", "new_order", "--db", url, "--start", "--instance", iid)
    assert both.exit_code == 2
    unknown = cli("message", "send", "nothing_starts_on_this", "--db", url, "--start")
    assert unknown.exit_code == 1 and "nothing_starts_on_this" in unknown.stderr


def test_message_send_keeps_what_a_catch_will_take_and_refuses_a_typo(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("asking")
    p.data_field("answer", "STRING")
    p.activity("ask", performer="clerk").intermediate("reply", message="customer_reply")
    p.transition("ask", "reply")
    url = sqlite_url(tmp_path)
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()
    early = cli("message", "send", "customer_reply", "--db", url, "--instance", iid)
    assert early.exit_code == 0 and early.stdout == f"{iid} kept\n"  # before the catch waits
    typo = cli("message", "send", "customer_repyl", "--db", url, "--instance", iid)
    assert typo.exit_code == 1, typo.output
    assert "no catch event for message 'customer_repyl'" in typo.stderr
    assert "it catches: customer_reply" in typo.stderr
    with Engine(db_url=url) as e:  # nothing of the typo was kept
        kept = [ev.payload for ev in e.audit(iid) if ev.kind == "message.kept"]
    assert len(kept) == 1


def test_signal_send_checks_its_data_against_older_versions_with_instances(
    tmp_path: Path,
) -> None:
    # version 2 no longer catches the signal; an instance of version 1 still waits for it
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as e:
        e.deploy(_package().build())
        iid = e.start_process("waiter")
        newer = PackageBuilder("pkg")
        newer.process("waiter").data_field("rate", "FLOAT").activity("went")
        e.deploy(newer.build())
    wrong = cli("signal", "send", "price_change", "--db", url, "--set", "rate=fast")
    assert wrong.exit_code == 2 and "rate" in wrong.stderr, wrong.output
    sent = cli("signal", "send", "price_change", "--db", url, "--set", "rate=1.5")
    assert sent.exit_code == 0 and sent.stdout == "1 taken\n", sent.output
    with Engine(db_url=url) as e:
        assert e.instance(iid).data["rate"] == 1.5


def test_an_empty_signal_or_message_name_is_a_usage_error(tmp_path: Path) -> None:
    """It was a traceback (exit 1) naming broadcast_signal / correlated_instance."""
    url = sqlite_url(tmp_path)
    path = write(tmp_path, _package())
    assert cli("instance", "start", path, "--process", "waiter", "--db", url).exit_code == 0
    for args in (
        ("signal", "send", ""),
        ("message", "send", "", "--instance", "pi-1"),
        ("message", "send", "", "--correlate", "k=1"),
    ):
        result = cli(*args, "--db", url)
        assert result.exit_code == 2, result.output
        assert "'' is empty: give the name the catch events wait for" in result.stderr
        assert "Traceback" not in result.output


def test_signal_send_checks_a_start_against_the_version_valid_now(tmp_path: Path) -> None:
    """v1 (``level`` INTEGER) starts instances now, v2 (``level`` STRING) from 2099: the
    check reads ``--set`` by v1, as the engine starts v1. Before, it read it by the latest
    stored version, v2: ``abc`` passed and the engine refused it (exit 1, not 2)."""
    url = sqlite_url(tmp_path)

    def alert(kind: str, valid_from: str | None = None) -> PackageBuilder:
        pb = PackageBuilder("alerts")
        p = pb.process("alert")
        if valid_from is not None:
            p.header(valid_from=valid_from)
        p.data_field("level", kind)
        p.start("s", signal="fire").activity("handle").end("e").sequence("s", "handle", "e")
        return pb

    with Engine(db_url=url) as e:
        e.deploy(alert("INTEGER").build())
        e.deploy(alert("STRING", valid_from="2099-01-01").build())
    wrong = cli("signal", "send", "fire", "--db", url, "--set", "level=abc")
    assert wrong.exit_code == 2 and "expected INTEGER" in wrong.stderr, wrong.output
    sent = cli("signal", "send", "fire", "--db", url, "--set", "level=3")
    assert (sent.exit_code, sent.stdout) == (0, "1 taken\n"), sent.output
    with Engine(db_url=url) as e:
        (started,) = e.instances()
        assert (started.version, started.data["level"]) == (1, 3)
