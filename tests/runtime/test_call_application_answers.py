"""What the public ``call_application`` returns: the callable's answer, unchecked, but for a
mapping that is not a dict (a database row, a read-only proxy), which is read into a plain
dict once, inside the attempt (as its docstring says since 1a5e8824 made it so)."""

from __future__ import annotations

from types import MappingProxyType

from wfengine.applications import call_application, make_binding


def test_a_mapping_answer_is_returned_as_a_plain_dict_and_any_other_as_it_came() -> None:
    row = MappingProxyType({"status": "ok"})
    answered = call_application(
        make_binding("lookup", lambda: row), {}, "k-1", sleep=print, record=lambda e: None
    )
    assert type(answered) is dict and answered == {"status": "ok"}
    listed = ["not", "a", "mapping"]
    same = call_application(
        make_binding("lookup", lambda: listed), {}, "k-2", sleep=print, record=lambda e: None
    )
    assert same is listed
