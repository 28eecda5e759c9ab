"""Outbox keys are unique beyond their database: ids restart at ``pi-1``/``wi-1`` in every
database and every in-memory engine, so each key carries its instance's stamp, and a receiver
that drops repeats by key (or by the e-mail notifier's Message-ID) drops only real repeats."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar

from wfengine import Engine, Organisation, OutboxRecord, PackageBuilder, VirtualClock
from wfengine.worklist import notifiers

ORG = {"users": [{"id": "ann", "email": "ann@example.com", "roles": ["clerk"]}]}


def _desk(url: str | None) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine


def _urls(tmp_path: Path) -> list[str | None]:
    """Two in-memory engines (a host restarted) and two SQLite databases (two tenants)."""
    return [None, None, f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"]


def test_the_same_ids_in_other_stores_make_other_keys(tmp_path: Path) -> None:
    keys: list[list[str]] = []
    for url in _urls(tmp_path):
        with _desk(url) as engine:
            iid = engine.start_process("ticket")
            [item] = engine.work_items(iid)
            assert (iid, item.id) == ("pi-1", "wi-1")  # ids alone are the same everywhere
            keys.append([e.key for e in engine.outbox.entries()])
    assert all(len(found) == 2 for found in keys)
    every = [key for found in keys for key in found]
    assert len(set(every)) == len(every)
    for started, offered in keys:  # each names its change, stamped after the first id
        assert started.startswith("pi-1@") and started.endswith("/started")
        assert offered.startswith("wi-1@") and offered.endswith("/offered")
        assert started.split("/")[0][4:] == offered.split("/")[0][4:]  # the instance's stamp


def test_an_entry_keeps_its_key_on_every_delivery_and_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    calls: list[OutboxRecord] = []

    def flaky(record: OutboxRecord) -> None:
        calls.append(record)
        if len(calls) == 1:
            raise ConnectionError("mail server down")

    with _desk(url) as engine:
        engine.outbox.subscribe(flaky, kinds=["work_item.offered"])
        engine.start_process("ticket")
        engine.deliver_outbox()
        [stored] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    with _desk(url) as again:  # another process on the same database
        again.outbox.subscribe(flaky, kinds=["work_item.offered"])
        assert isinstance(again.clock, VirtualClock)
        again.clock.advance(timedelta(hours=1))  # past the back-off
        again.deliver_outbox()
        [delivered] = [e for e in again.outbox.entries() if e.kind == "work_item.offered"]
    assert [r.key for r in calls] == [stored.key, stored.key]
    assert delivered.key == stored.key


class _Smtp:
    sent: ClassVar[list[EmailMessage]] = []

    def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
        pass

    def __enter__(self) -> _Smtp:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        self.sent.append(message)


def test_e_mails_about_different_work_items_have_different_message_ids(tmp_path: Path) -> None:
    _Smtp.sent = []
    email = notifiers.notifier(
        "email", {"host": "smtp", "sender": "wf@example.com", "smtp_class": _Smtp}
    )
    for url in _urls(tmp_path):
        with _desk(url) as engine:
            notifiers.subscribe(engine.outbox.handlers, engine.directory, [email])  # type: ignore[arg-type]
            engine.start_process("ticket")
            engine.deliver_outbox()
    subjects = [m["Subject"] for m in _Smtp.sent]
    assert subjects == ["work item wi-1 (answer) offered"] * 4  # the same ids every time
    ids = [m["Message-ID"] for m in _Smtp.sent]
    assert len(set(ids)) == 4
    assert all(i.startswith("<wfengine.wi-1.") and i.endswith("@example.com>") for i in ids)
