"""A database outlives the wfengine that filled it: a deployment stored by an earlier version,
whose rules for new definitions were looser, keeps its instances running under the current
one, and one that truly no longer compiles fails only what needs it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.errors import DeployError, NotFoundError
from wfengine.runtime.clock import VirtualClock


def _deploy_both(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("desk")
    p.activity(
        "answer",
        performer="clerk",
        extended={"wfengine:reminder-after": "PT5M", "wfengine:reminder-every": "PT5M"},
    )
    engine.deploy(pb.build())
    other = PackageBuilder("other")
    other.process("other").activity("work", performer="clerk")
    engine.deploy(other.build())


def test_a_stored_reminder_rhythm_a_newer_wfengine_refuses_runs_at_the_shortest(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    clock = VirtualClock()
    with Engine(db_url=db_url, clock=clock) as e:
        _deploy_both(e)
        iid = e.start_process("desk")
    # an earlier wfengine let a rhythm of 30 seconds deploy; this one refuses it for new ones
    rewrite_stored(db_url, "desk", '"PT5M"', '"PT30S"')
    with (
        caplog.at_level(logging.WARNING, logger="wfengine.deploy"),
        Engine(db_url=db_url, clock=clock) as e,
    ):
        (item,) = e.work_items(iid)
        clock.advance(timedelta(minutes=6))  # the first reminder, then one a minute
        e.fire_due_timers()
        clock.advance(timedelta(seconds=119))
        e.fire_due_timers()
        reminded = [ev for ev in e.audit(iid) if ev.kind == "work_item.reminder"]
        assert len(reminded) == 3  # at 5, 6 and 7 minutes; every 30 s would be six
        other = e.start_process("other")  # the rest of the database is untouched
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
        e.terminate(other)
    assert "shorter than a minute" in caplog.text
    assert "taken as a minute" in caplog.text


def test_a_stored_reminder_longer_than_the_engine_waits_is_left_out(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An earlier wfengine deployed reminders up to 1,000 years; this one waits at most 100
    for any timer. The stored one is left out (it would never come), not taken as a minute."""
    clock = VirtualClock()
    with Engine(db_url=db_url, clock=clock) as e:
        _deploy_both(e)
        iid = e.start_process("desk")
    rewrite_stored(db_url, "desk", '"PT5M"', '"P36600D"')
    with (
        caplog.at_level(logging.WARNING, logger="wfengine.deploy"),
        Engine(db_url=db_url, clock=clock) as e,
    ):
        (item,) = e.work_items(iid)
        clock.advance(timedelta(days=2))
        e.fire_due_timers()
        assert not [ev for ev in e.audit(iid) if ev.kind == "work_item.reminder"]
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
    assert "longer than the engine waits" in caplog.text
    assert "it is left out" in caplog.text


def test_a_stored_deployment_that_no_longer_compiles_fails_only_its_own_instances(
    db_url: str,
) -> None:
    with Engine(db_url=db_url) as e:
        _deploy_both(e)
        broken = e.start_process("desk")
        fine = e.start_process("other")
    # a stored process this wfengine cannot compile (here: a reminder of no duration at all)
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    with Engine(db_url=db_url) as e:
        with pytest.raises(DeployError, match=r"'desk' v1, deployed in .* does not compile"):
            e.instance(broken)
        with pytest.raises(DeployError, match="does not compile"):  # each time it is asked
            e.suspend(broken)
        (item,) = e.work_items(fine)
        e.complete_work_item(item.id)
        assert e.instance(fine).state is ProcessState.COMPLETED


def test_a_fixed_version_deploys_after_one_that_no_longer_compiles(db_url: str) -> None:
    # the operator's way out: deploy the definition again, fixed; it follows the stored one
    with Engine(db_url=db_url) as e:
        _deploy_both(e)
        broken = e.start_process("desk")
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    fixed = PackageBuilder("desk")
    fixed.process("desk").activity("answer", performer="clerk")
    with Engine(db_url=db_url) as e:
        (deployed,) = e.deploy(fixed.build())
        assert deployed.version == 2
        iid = e.start_process("desk")
        assert e.instance(iid).version == 2
        with pytest.raises(DeployError, match="does not compile"):  # v1's own still fail
            e.instance(broken)


def test_start_by_message_passes_over_a_stored_process_that_no_longer_compiles(
    db_url: str,
) -> None:
    """It raised the broken process's DeployError for every message, of any process."""
    with Engine(db_url=db_url) as e:
        _deploy_both(e)
        pb = PackageBuilder("orders")
        p = pb.process("orders")
        p.start("ordered", message="order").activity("pack", performer="clerk").end("e")
        p.sequence("ordered", "pack", "e")
        e.deploy(pb.build())
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    with Engine(db_url=db_url) as e:
        iid = e.start_by_message("order")
        assert [w.activity_id for w in e.work_items(iid)] == ["pack"]
        with pytest.raises(NotFoundError, match=r"'refund'.*no longer compiles: 'desk'"):
            e.start_by_message("refund")  # perhaps desk's: the error says it was passed over


def test_a_message_by_correlation_passes_over_a_stored_process_that_no_longer_compiles(
    db_url: str,
) -> None:
    """Looking up the processes correlated by the keys compiled every latest version, and a
    stored one that no longer compiles failed every correlated message, of any process."""
    from tests.runtime.test_message_correlation import _complaints

    with Engine(db_url=db_url) as e:
        _deploy_both(e)
        e.deploy(_complaints().build())
        iid = e.start_process("complaint", {"acceptance_no": "A-1", "phone": "555"})
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    with Engine(db_url=db_url) as e:
        assert e.send_message("reply", correlation={"acceptance_no": "A-1"}) is True  # taken
        assert e.instance(iid).state is ProcessState.COMPLETED
