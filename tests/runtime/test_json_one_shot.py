"""``one_shot(encoder)`` writes what ``encoder.encode`` writes, and refuses what it refuses.

The SQL store's JSON columns (:mod:`~wfengine.runtime.sql.wire`) and the audit chain's
canonical detail text (:mod:`~wfengine.runtime.audit_chain`) call the C encoder directly; a
hash or a stored text that came out otherwise would break every trail's chain, or change
what a reader sees.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from wfengine.runtime.audit_chain import _CANONICAL, detail_text
from wfengine.runtime.json_one_shot import one_shot
from wfengine.runtime.sql.wire import _JSON_TEXT

VALUES: list[Any] = [
    None,
    True,
    "plain",
    "é\u2028\x00\"'\ud800",
    10**30,
    -0.0,
    1.5e300,
    float("nan"),
    float("-inf"),
    [1, "a", {"b": None, "a": [True, False]}],
    {"z": 1, "a": {"$wf": "tuple", "v": ["é"]}, "1": 2.5},
    {1: "int key", None: "none key", 2.5: "float key", False: "bool key"},
    (1, 2),
]

ENCODERS = [
    _JSON_TEXT,
    _CANONICAL,
    json.JSONEncoder(),
    json.JSONEncoder(check_circular=False, allow_nan=False, skipkeys=True),
]


def _outcome(encode: Any, value: Any) -> tuple[str, str]:
    """The text, or the error's class and message (NaN refused, keys that do not sort)."""
    try:
        return "text", encode(value)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("encoder", ENCODERS)
def test_the_text_is_the_encoders_own(encoder: json.JSONEncoder) -> None:
    text = one_shot(encoder)
    for value in VALUES:
        assert _outcome(text, value) == _outcome(encoder.encode, value)
    assert detail_text({"b": "é", "a": 1}) == '{"a":1,"b":"é"}'


@pytest.mark.parametrize("encoder", ENCODERS[:3])
def test_what_the_encoder_refuses_is_refused_alike(encoder: json.JSONEncoder) -> None:
    loop: list[Any] = []
    loop.append(loop)
    text = one_shot(encoder)
    for bad, kind in (({"s": {1}}, TypeError), (loop, ValueError), ({(1,): 2}, TypeError)):
        with pytest.raises(kind) as ours:
            text(bad)
        with pytest.raises(kind) as theirs:
            encoder.encode(bad)
        assert str(ours.value) == str(theirs.value)


def test_an_encoder_that_writes_its_own_text_is_asked_itself() -> None:
    """An indenting encoder (the C encoder does not indent) and a subclass (it may override
    ``default`` or ``encode``) are not bypassed."""

    class Sets(json.JSONEncoder):
        def default(self, o: Any) -> Any:
            return sorted(o) if isinstance(o, set) else super().default(o)

    indenting = json.JSONEncoder(indent=2)
    assert one_shot(indenting)({"a": [1]}) == indenting.encode({"a": [1]})
    assert one_shot(Sets())({"s": {2, 1}}) == '{"s": [1, 2]}'


@pytest.mark.parametrize("encoder", ENCODERS[:3])  # (the fourth checks no circles)
def test_a_kept_encoder_after_a_failure_mid_way_encodes_as_a_new_one(
    encoder: json.JSONEncoder,
) -> None:
    """A failure inside nested containers leaves their ids in the encoder's circular check:
    the next value, holding the same containers, is not taken for a circular one."""
    text = one_shot(encoder)
    inner: dict[str, Any] = {"a": [1, 2]}
    outer = [inner, {"x": inner}]
    looped: list[Any] = [1]
    looped.append(looped)
    for bad in ([inner, {"b": object()}], [inner, float("nan")], looped, [{"k": looped}]):
        _outcome(text, bad)  # (refused, or NaN written: whatever the encoder does)
        assert _outcome(text, outer) == _outcome(encoder.encode, outer)
        assert _outcome(text, looped) == _outcome(encoder.encode, looped)
    # the very containers a failure was in, mended, are encoded (no circle is seen in them)
    mended: dict[str, Any] = {"list": [1, 2, object()]}
    assert _outcome(text, mended)[0] == "TypeError"
    mended["list"].pop()
    assert text(mended) == encoder.encode(mended)


def test_threads_each_encode_their_own_values() -> None:
    import threading

    text = one_shot(_JSON_TEXT)
    values = [{"n": n, "v": [n, {"s": str(n) * (n % 7)}]} for n in range(300)]
    wrong: list[Any] = []

    def run() -> None:
        for _ in range(20):
            for value in values:
                if text(value) != _JSON_TEXT.encode(value):
                    wrong.append(value)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
