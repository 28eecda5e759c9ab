"""Subscribing a handler that is subscribed already (for that kind, or for every kind) does not
add it again: each entry reaches it once. Before, it was called once per subscription, so a
Worker whose make_engine subscribed on a shared OutboxHandlers sent every notice once per
thread, and one unsubscribe() then removed all of them at once."""

from __future__ import annotations

from wfengine import Engine, OutboxHandlers, OutboxRecord, PackageBuilder


class Listener:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def on_entry(self, entry: OutboxRecord) -> None:
        self.keys.append(entry.key)


def _offers(handlers: OutboxHandlers) -> int:
    """How many entries reached the handlers for one offered work item."""
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    with Engine(outbox_handlers=handlers) as engine:
        engine.deploy(pb.build())
        engine.start_process("ticket")
        return engine.deliver_outbox()


def test_the_same_handler_subscribed_twice_for_a_kind_is_called_once() -> None:
    handlers = OutboxHandlers()
    listener = Listener()
    # (a bound method is a new object each time it is written: compared by equality)
    handlers.subscribe(listener.on_entry, "work_item.offered")
    handlers.subscribe(listener.on_entry, ["work_item.offered", "instance.state_changed"])
    assert handlers.handlers("work_item.offered") == [listener.on_entry]
    _offers(handlers)
    offered = [k for k in listener.keys if k.endswith("/offered")]
    assert len(offered) == 1
    handlers.unsubscribe(listener.on_entry)
    assert not handlers.subscribed()


def test_a_handler_for_every_kind_is_not_added_for_one_kind_again() -> None:
    handlers = OutboxHandlers()
    listener = Listener()
    handlers.subscribe(listener.on_entry, "work_item.offered")
    handlers.subscribe(listener.on_entry)  # every kind: once, with those for every kind
    handlers.subscribe(listener.on_entry, "work_item.offered")
    handlers.subscribe(listener.on_entry)
    assert handlers.handlers("work_item.offered") == [listener.on_entry]
    assert handlers.handled_kinds() is None
    _offers(handlers)
    assert len(listener.keys) == len(set(listener.keys))
