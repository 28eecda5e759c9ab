"""``Engine.instances`` and ``Engine.instance_summaries`` take a state by its WfMC name
(``open.running``) or its last word (``running``), as the WAPI listing and ``wfengine
instances --state`` do: they refused the last word with "state must be one of
open.not_running.not_started, ..."; one helper now reads the state for every listing."""

from __future__ import annotations

from enum import StrEnum

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.queries import state_or_last_word
from wfengine.wapi import connect


def _two(engine: Engine) -> tuple[str, str]:
    """A running instance waiting for a person, and one created but not started."""
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("ticket"), engine.create_instance("ticket")


def test_the_engine_lists_by_a_states_last_word_as_by_its_name(engine: Engine) -> None:
    running, waiting = _two(engine)
    for word, state, listed in [
        ("running", ProcessState.RUNNING, [running]),
        ("not_started", ProcessState.NOT_STARTED, [waiting]),
        ("completed", ProcessState.COMPLETED, []),
    ]:
        assert [i.id for i in engine.instances(state=word)] == listed
        assert [s.id for s in engine.instance_summaries(state=word)] == listed
        assert [s.id for s in engine.instance_summaries(state=state.value)] == listed
        assert [s.id for s in engine.instance_summaries(state=state)] == listed
    session = connect(engine, "admin")
    assert [s.id for s in session.open_process_instances_list(state="running")] == [running]


def test_a_state_neither_form_names_is_refused_naming_both_forms(engine: Engine) -> None:
    _two(engine)
    expected = (
        r"^instances: state must be one of open\.not_running\.not_started, .*, closed\.aborted, "
        r"not_started, running, suspended, completed, terminated, aborted, not 'open'$"
    )
    with pytest.raises(ValueError, match=expected):
        engine.instances(state="open")
    with pytest.raises(ValueError, match=r"^instance_summaries: state must be one of .*running.*"):
        engine.instance_summaries(state="runing")


class _Shared(StrEnum):
    DONE_OK = "closed.done"
    DONE_AGAIN = "archived.done"
    OPEN = "open"


def test_a_last_word_two_states_end_with_is_refused_naming_their_full_names() -> None:
    with pytest.raises(
        ValueError, match=r"'done' is the last word of closed\.done, archived\.done"
    ):
        state_or_last_word(_Shared, "done", "listing")
    assert state_or_last_word(_Shared, "archived.done", "listing") is _Shared.DONE_AGAIN
    assert state_or_last_word(_Shared, "open", "listing") is _Shared.OPEN
    with pytest.raises(ValueError, match=r"one of closed\.done, archived\.done, open, not 'x'$"):
        state_or_last_word(_Shared, "x", "listing")
