"""An id generator that repeats an id for good, on SQL: the command is run again once (two
engines each counting from 1 recover so), then the store raises the memory store's
IdTakenError naming the id generator. Before, every run met the same refusal and the command
ended "lost 11 races in a row ... try it again" (11 runs); a repeated timer or job id was a
bare IntegrityError on SQL, and on the memory store the second instance's job replaced the
first one's (its deadline never fired)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, SequentialIds
from wfengine.errors import ConcurrencyError, StoreError


@pytest.fixture(params=("sqlite", "postgres"))
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    found = store_url(request, request.param, tmp_path)
    assert found is not None
    return found


def _package() -> PackageBuilder:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("work", performer="clerk", deadlines=[("PT1H", "Late")])
    p.activity("notify").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "notify", exception="Late")
    p.sequence("notify", "e2")
    return pb


class Repeats:
    """Fresh ids, except ``kind`` (always ``<kind>-1``); counts the ids of that kind."""

    def __init__(self, kind: str) -> None:
        self._fresh = SequentialIds()
        self.kind = kind
        self.asked = 0

    def new(self, kind: str) -> str:
        if kind != self.kind:
            return self._fresh.new(kind)
        self.asked += 1
        return f"{kind}-1"


@pytest.mark.parametrize(
    ("kind", "what"), [("wi", "work item"), ("pi", "process instance"), ("tm", "job")]
)
def test_a_repeating_generator_is_run_again_once_then_refused(
    url: str, kind: str, what: str
) -> None:
    ids = Repeats(kind)
    with Engine(ids=ids, db_url=url) as engine:
        engine.deploy(_package().build(), check_bindings=False)
        first = engine.start_process("ticket")
        asked = ids.asked
        with pytest.raises(
            StoreError,
            match=rf"{what} '{kind}-1' is stored already: the id generator "
            r"\(Engine\(ids=\.\.\.\)\) handed out an id in use, and the command, run again "
            r"with fresh ids, met an id in use again",
        ) as refused:
            engine.start_process("ticket")
        assert not isinstance(refused.value, ConcurrencyError)
        assert "races in a row" not in str(refused.value)
        assert ids.asked - asked == 2  # the first run and one run again
        assert [s.id for s in engine.instance_summaries()] == [first]
        assert [j.instance_id for j in engine.jobs()] == [first]  # its deadline, kept
