"""An application call's idempotency key names one logical call: a command that loses a race
and runs again sends its call's key again, and the winner's call for another activity never
gets that key. Before, keys were made of the activity instance's id, which two racing commands
count on from the same value: bob's committed call was sent with the key alice's rolled-back
call had used, and a service that keeps answers by key dropped bob's notification."""

from __future__ import annotations

import threading

from wfengine import Engine, PackageBuilder


def _order() -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    pb.application("notify", params=[("who", "IN", "STRING")])
    p = pb.process("order")
    p.data_field("a", "STRING", initial="'alice'")
    p.data_field("b", "STRING", initial="'bob'")
    p.start("s")
    p.route("split", gateway="Parallel")
    p.activity("pack", performer="clerk")
    p.activity("tell_a", tool="notify", args=["a"])
    p.end("ea")
    p.activity("bill", performer="clerk")
    p.activity("tell_b", tool="notify", args=["b"])
    p.end("eb")
    p.sequence("s", "split")
    p.sequence("split", "pack", "tell_a", "ea")
    p.sequence("split", "bill", "tell_b", "eb")
    return pb


def test_a_call_run_again_after_a_lost_race_keeps_its_key(db_url: str) -> None:
    calls: list[tuple[str, str]] = []
    alice_calling, bob_done = threading.Event(), threading.Event()

    def notify(who: str, idempotency_key: str) -> dict[str, object]:
        calls.append((who, idempotency_key))
        if who == "alice" and not alice_calling.is_set():
            alice_calling.set()
            assert bob_done.wait(30)  # the answer is slow: bob's clerk finishes meanwhile
        return {}

    engines = [Engine(db_url=db_url) for _ in range(3)]
    try:
        for e in engines:
            e.applications.register("notify", notify)
        setup, clerk1, clerk2 = engines
        setup.deploy(_order().build())
        pi = setup.start_process("order")
        items = {w.activity_id: w.id for w in setup.work_items(pi)}
        first = threading.Thread(target=clerk1.complete_work_item, args=(items["pack"],))
        first.start()
        assert alice_calling.wait(30)
        clerk2.complete_work_item(items["bill"])  # commits while clerk 1 waits on its call
        bob_done.set()
        first.join(30)
        assert setup.instance(pi).state.value == "closed.completed"
    finally:
        for e in engines:
            e.close()

    by_who: dict[str, set[str]] = {}
    for who, key in calls:
        by_who.setdefault(who, set()).add(key)
    assert [who for who, _ in calls] == ["alice", "bob", "alice"]  # clerk 1 ran again
    assert len(by_who["alice"]) == 1  # one logical call, one key
    assert by_who["alice"].isdisjoint(by_who["bob"])
