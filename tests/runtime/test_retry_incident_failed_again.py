"""``Engine.retry_incident`` answers with the incidents its own command opened again.

Why: the command line told "failed again" by looking at the instance before and after the
retry, and took a worker's failing run in between for the retry's own failure. The engine
knows which incidents the retry's command opened; a host reads it from the answer.
"""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.runtime.engine import Engine


def _looped(engine: Engine) -> str:
    """An instance whose loop condition divides by zero: held by an incident at ``a``."""
    pb = PackageBuilder("looped")
    p = pb.process("lp")
    p.data_field("n", "INTEGER", initial="0").data_field("d", "INTEGER", initial="0")
    p.activity("a", loop=standard_loop("n / d > 5")).activity("b").transition("a", "b")
    engine.deploy(pb.build())
    return engine.start_process("lp", {})


def test_a_retry_that_fails_again_in_its_command_answers_the_new_incident() -> None:
    with Engine() as engine:
        iid = _looped(engine)
        [held] = engine.incidents(iid)
        [again] = engine.retry_incident(held.id)
        assert engine.incidents(iid) == [again]
        assert again.id != held.id and again.activity_id == "a" and again.operation == "loop"


def test_a_retry_that_goes_on_answers_nothing() -> None:
    with Engine() as engine:
        iid = _looped(engine)
        [held] = engine.incidents(iid)
        engine.set_data(iid, {"d": 1})
        assert engine.retry_incident(held.id) == []
        assert engine.incidents(iid) == []
