"""A pool added to the builder is the pool its written XPDL file reads back as.

Why: a ``Pool`` that does not say whether its boundary is visible was kept as None, while the
writer writes the attribute the schema requires as ``true`` and the reader reads True, so the
built package was not equal to itself after a round trip; a lane's performer with spaces
around it was read back stripped (its lane performers count in the deployment's identity).
The builder normalises rather than the model's default changing, which would change the
stored models' JSON shape.
"""

from __future__ import annotations

import pytest

from wfengine import Lane, PackageBuilder, Pool, dump_xpdl, load_xpdl
from wfengine.definition.model import Package


def _with(pool: Pool) -> Package:
    b = PackageBuilder("pkg")
    b.participant("clerk")
    b.process("main").start("s").end("e").sequence("s", "e")
    return b.pool(pool).build()


@pytest.mark.parametrize(
    ("pool", "visible"),
    [
        (Pool(id="pool", process="main"), True),
        (Pool(id="pool", process="main", boundary_visible=True), True),
        (Pool(id="pool", process="main", boundary_visible=False), False),
        (Pool(id="pool", process="main", lanes=(Lane(id="L", performers=("clerk",)),)), True),
    ],
)
def test_a_built_pool_reads_back_equal(pool: Pool, visible: bool) -> None:
    built = _with(pool)
    assert built.pools[0].boundary_visible is visible
    assert load_xpdl(dump_xpdl(built)) == built


def test_a_lanes_performers_are_read_as_an_activitys() -> None:
    lane = Lane(id="L", performers=(" clerk\n", "  ", "boss"))
    built = _with(Pool(id="pool", process="main", lanes=(lane,)))
    assert built.pools[0].lanes[0].performers == ("clerk", "boss")
    assert load_xpdl(dump_xpdl(built)) == built
