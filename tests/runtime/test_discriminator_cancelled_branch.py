"""A blocking discriminator (Complex join ``arrived >= 1``) in a loop whose next round starts
as soon as it fires: an operator cancels a branch still open from round 1. docs/semantics.md:
"a round that lost a branch, cancelled or with its way in false, still ends, and the next fires
as soon as its condition holds". Round 1 stayed open past its last live branch (the next
round's branch at the cancelled one's place could still come), took round 2's first arrival
as its own, and round 2 fired one arrival late, on every store."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime.engine import Engine


def _loop() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("round", "INTEGER", initial="0")
    p.start("st")
    p.route("top")
    p.route("s", gateway="Parallel")
    for b in ("b1", "b2", "b3"):
        p.activity(b, performer="clerk")
    p.route("d", join=Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 1"))
    for b in ("b1", "b2", "b3"):
        p.transition("s", b).transition(b, "d")
    p.activity("fired", script="round = round + 1")
    p.route("x")
    p.end("en")
    p.sequence("st", "top", "s")
    p.sequence("d", "fired", "x")
    p.transition("x", "top", condition="round < 2")
    p.transition("x", "en", otherwise=True)
    return pb


def test_a_round_that_lost_a_cancelled_branch_ends_and_the_next_fires_at_once(
    engine: Engine,
) -> None:
    iid = run(engine, _loop())

    def oldest(activity: str) -> str:
        return next(w.id for w in engine.work_items(iid) if w.activity_id == activity)

    engine.complete_work_item(oldest("b1"))  # round 1 fires; round 2's branches are offered
    old_b2 = next(w.activity_instance_id for w in engine.work_items(iid) if w.activity_id == "b2")
    engine.cancel_activity(iid, old_b2)  # round 1's b2 is not needed
    engine.complete_work_item(oldest("b3"))  # round 1's last live branch: the round ends
    engine.complete_work_item(oldest("b2"))  # round 2's first arrival fires it
    assert engine.trace(iid).count("d") == 2  # was 1: absorbed as round 1's missing b2
    assert engine.instance(iid).data["round"] == 2


def test_whichever_b2_is_cancelled_after_the_rest_came_the_round_ends(engine: Engine) -> None:
    # round 1's b3 came before the cancel, and the operator cancels the NEWER b2 (round 2's):
    # the two b2 tokens are alike, so round 1 ends at the cancel and the b2 left is round 2's
    iid = run(engine, _loop())

    def items(activity: str) -> list[str]:
        return [w.id for w in engine.work_items(iid) if w.activity_id == activity]

    engine.complete_work_item(items("b1")[0])  # round 1 fires
    engine.complete_work_item(items("b3")[0])  # round 1's b3
    newest_b2 = [w for w in engine.work_items(iid) if w.activity_id == "b2"][-1]
    engine.cancel_activity(iid, newest_b2.activity_instance_id)
    engine.complete_work_item(items("b2")[0])  # the b2 left: round 2's first arrival
    assert engine.trace(iid).count("d") == 2
