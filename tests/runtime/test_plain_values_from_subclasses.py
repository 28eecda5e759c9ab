"""A StrEnum, IntEnum or other subclass of text or a number given as data is held as the
plain ``str``, ``int`` or ``float`` on every store, as a database gives it back: the same
program sees the same data on the memory store as on SQLite."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.coercion import coerce
from wfengine.definition.model import BasicTypeKind, Package
from wfengine.runtime.values import owned


class Status(enum.StrEnum):
    OPEN = "open"


class Old(str, enum.Enum):  # noqa: UP042 (its str() is "Old.DONE": the value is kept)
    DONE = "done"


class Prio(enum.IntEnum):
    HIGH = 1


class Ratio(float):
    pass


def _package() -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("status", "STRING")
    p.data_field("prio", "INTEGER")
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    return b.build()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_every_store_holds_the_plain_values(store: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}" if store == "sqlite" else None
    e = Engine(clock=VirtualClock(), db_url=url) if url else Engine(clock=VirtualClock())
    e.deploy(_package())
    given = {
        "status": Status.OPEN,
        "prio": Prio.HIGH,
        "note": Old.DONE,  # undeclared: not converted by a type, but stored plain
        "ratio": Ratio(0.5),
        "tags": [Status.OPEN, Prio.HIGH],
    }
    iid = e.start_process("proc", given)
    data = e.instance(iid).data
    assert data == {"status": "open", "prio": 1, "note": "done", "ratio": 0.5, "tags": ["open", 1]}
    assert [type(data[k]) for k in ("status", "prio", "note", "ratio")] == [str, int, str, float]
    assert [type(v) for v in data["tags"]] == [str, int]


def test_coerce_and_owned_make_them_plain() -> None:
    assert type(coerce(Status.OPEN, BasicTypeKind.STRING)) is str
    assert type(coerce(Prio.HIGH, BasicTypeKind.INTEGER)) is int
    assert type(coerce(Status.OPEN, frozenset({"open"}))) is str
    assert owned(Old.DONE) == "done" and type(owned(Old.DONE)) is str
