"""The memory store's long logs (:mod:`wfengine.runtime.packed_log`): packed chunks and a
tail read back as the values added, in order, with what a store keeps in them (text, times,
state members, details that hold dicts) unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from wfengine.runtime.packed_log import PackedLog, pack
from wfengine.runtime.states import ActivityState

_AT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)

_values = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=8),
    st.just(_AT),
    st.sampled_from(list(ActivityState)),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3).map(lambda d: {"inputs": d}),
)


@given(st.lists(st.lists(_values, max_size=20), max_size=6))
def test_a_log_packed_between_batches_reads_back_every_value_in_order(
    batches: list[list[object]],
) -> None:
    log: list[object] | PackedLog = []
    added: list[object] = []
    for batch in batches:
        log.extend(batch)
        added.extend(batch)
        log = pack(log)  # as an owner does once the log is long (here: after every batch)
    assert list(log) == added
    if batches:
        assert isinstance(log, PackedLog) and log.tail == [] and len(log) == 0
        assert len(log.chunks) == len(batches) and log  # truthy: it holds packed values


def test_values_added_after_packing_follow_the_packed_ones() -> None:
    log = pack(["a", _AT, ActivityState.COMPLETED])
    log.extend([{"inputs": {"n": 1}}, None])
    assert len(log) == 2  # not packed yet
    assert list(log) == ["a", _AT, ActivityState.COMPLETED, {"inputs": {"n": 1}}, None]
    again = pack(log)
    assert again is log and list(again) == list(log) and len(again.chunks) == 2
    first = next(iter(log))
    assert first == "a"
    details = [v for v in log if isinstance(v, dict)]
    details[0]["inputs"]["n"] = 99  # a reader's copy: the log is not changed through it
    assert [v for v in log if isinstance(v, dict)] == [{"inputs": {"n": 1}}]
