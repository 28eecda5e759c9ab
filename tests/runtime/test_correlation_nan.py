"""A FLOAT correlation key holding NaN (a FLOAT takes ``nan``): SQLite and PostgreSQL found
the instance by it, as they compare the stored forms, while the memory store compared with
``==``, by which a NaN equals nothing, and found none. Every store finds it now."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package


def _package() -> Package:
    b = PackageBuilder("p")
    p = b.process("proc")
    p.extended_attribute("wfengine:correlation", "k")
    p.data_field("k", "FLOAT")
    p.start("s0").intermediate("wait", trigger="Message", message="m").end("e0")
    p.sequence("s0", "wait", "e0")
    return b.build()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_an_instance_is_found_by_a_nan_key(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url, clock=VirtualClock())
    try:
        engine.deploy(_package())
        iid = engine.start_process("proc", {"k": "nan"})
        other = engine.start_process("proc", {"k": 1.5})
        assert engine.correlated_instance({"k": float("nan")}) == iid
        assert engine.correlated_instance({"k": 1.5}) == other
        assert engine.send_message("m", {}, correlation={"k": "nan"})
        assert engine.instance(iid).state.value == "closed.completed"
        assert engine.instance(other).state.value == "open.running"
    finally:
        engine.close()
