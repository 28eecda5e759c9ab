"""The notifiers tell a watched outbox delivery's progress
(:func:`~wfengine.runtime.outbox_delivery.delivery_progress`): the dispatcher before each
notifier, the SMS notifier before each recipient. A worker's supervisor times a delivery from
its last sign of progress, so texting a few hundred people one by one, slower in all than
``--job-timeout``, is not stopped half-way (and retried, texting the first ones again) as a
gateway hung for good is. Progress reaches the engine's job observer as the delivery's
``start`` again (:mod:`wfengine.runtime.outbox_watch`)."""

from __future__ import annotations

from collections.abc import Sequence

from wfengine import Engine, Organisation, PackageBuilder
from wfengine.runtime.jobs import Job
from wfengine.runtime.outbox_watch import watched_delivery
from wfengine.worklist import notifiers as n

ORG = {
    "users": [
        {"id": "alice", "phone": "+15550101", "roles": ["clerk"]},
        {"id": "bob", "phone": "+15550102", "roles": ["clerk"]},
        {"id": "carol", "phone": "+15550103", "roles": ["clerk"]},
    ]
}


def test_each_text_and_each_notifier_is_a_sign_of_progress() -> None:
    told: list[str] = []  # what the observer was told of the offer's delivery, and the texts

    class Gateway:
        def send_sms(self, phone: str, text: str, key: str) -> None:
            told.append(f"text {key.rsplit('/', 1)[1]}")

    class Quiet:
        """A second notifier that tells nobody."""

        def notify(self, notification: n.Notification, users: list[object]) -> None:
            told.append("quiet")

    def observe(event: str, owner: str, jobs: Sequence[Job]) -> None:
        delivery = watched_delivery(jobs[0].id) if len(jobs) == 1 else None
        if delivery is not None and delivery.entry_id == offered:
            told.append(event)

    with Engine(directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        n.subscribe(engine.outbox.handlers, None, [n.SmsNotifier(Gateway()), Quiet()])
        engine.start_process("p")
        (offered,) = [e.id for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        engine.job_observer = observe
        engine.deliver_outbox()
    assert told == [
        "start",  # the delivery
        "start",  # the dispatcher called (the outbox, before each handler)
        "start",  # the SMS notifier called (the dispatcher)
        *("start", "text alice", "start", "text bob", "start", "text carol"),
        "start",  # the quiet notifier called
        "quiet",
        "end",
    ]
