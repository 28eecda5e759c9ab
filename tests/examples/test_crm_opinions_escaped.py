"""Every opinion is filed with one rule: as Python writes the text inside a string's quotes
(``str([opinion])[2:-2]``), read back by ``definition.opinion_as_written``. Before, only an
opinion holding a line break was escaped, found by testing it for each of ten kinds of break
(each test charged the opinion's length to the script's budget): an opinion above about
83,000 characters stopped the case in an expression-budget incident no retry could mend,
and a typed ``see C:\\new`` was filed exactly as a real line break after ``C:`` was."""

from __future__ import annotations

import pytest

from tests.examples.test_crm_complaint import Desk, definition, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint


def _filed(desk: Desk, opinion: str) -> str:
    iid = desk.intake()
    desk.do(iid, "coordinate", "cora", decision="departments", next_department="billing",
            opinion=opinion)  # fmt: skip
    assert desk.engine.incidents(iid) == []
    opinions: str = desk.engine.instance(iid).data["opinions"]
    author, _, filed = opinions.removesuffix("\n").partition(": ")
    assert author == "coordinator"
    return filed


@pytest.mark.parametrize(
    "written",
    [
        "see C:\\new",
        "see C:\nnew",
        'It\'s "urgent"\\n, \u4f8b \u00e9 \x85 \u2028 \U0001f600 \x00',
        "customer's 'quote'",
        'a "quote" only',
    ],
)
def test_each_opinion_reads_back_as_written(desk: Desk, written: str) -> None:
    filed = _filed(desk, written)
    assert "\n" not in filed
    assert definition.opinion_as_written(filed) == written


def test_a_typed_backslash_and_a_line_break_are_filed_apart(desk: Desk) -> None:
    assert _filed(desk, "see C:\\new") == "see C:\\\\new"
    assert _filed(desk, "see C:\nnew") == "see C:\\nnew"


def test_a_long_opinion_with_a_line_break_is_filed(desk: Desk) -> None:
    """About five times its length is charged (the 1,000,000 of a script's default budget
    files about 199,980 characters); before, eleven times and more (83,000)."""
    written = "a" * 189_999 + "\n"
    assert _filed(desk, written) == "a" * 189_999 + "\\n"
