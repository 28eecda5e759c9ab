"""A version number no store can hold (beyond 64 bits) is no deployed version, on every store:
``NotFoundError`` naming the versions there are. Before, the SQL stores' driver raised a bare
``OverflowError`` (the memory store said NotFoundError)."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import NotFoundError
from wfengine.runtime.engine import Engine


@pytest.mark.parametrize("version", [2**63, 2**70, -(2**63) - 1])
def test_a_version_beyond_64_bits_is_not_found(engine: Engine, version: int) -> None:
    pb = PackageBuilder("pk")
    pb.process("p").activity("work", performer="clerk")
    engine.deploy(pb.build())
    with pytest.raises(NotFoundError, match=r"versions 1\.\.1"):
        engine.deployed("p", version)
    with pytest.raises(NotFoundError, match=r"versions 1\.\.1"):
        engine.start_process("p", version=version)
    assert engine.instance_summaries() == []
