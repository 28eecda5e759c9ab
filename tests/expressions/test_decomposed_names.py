"""A name spelt decomposed (``cafe`` and a combining acute accent, as macOS and some editors
write ``café``) passed the guard against names Python reads as others: the lexer's name token
stopped at the combining mark, and Python's parser composed the name. So the text could not
read its own field and silently read the composed field of another. Such a name is now refused
with what to write, as a name spelt with compatibility characters was; names in any script
that are already composed keep working."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, validate
from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

DECOMPOSED = "cafe\u0301"
COMPOSED = "caf\u00e9"


@pytest.mark.parametrize("dialect", list(Dialect))
def test_a_decomposed_name_is_refused_saying_to_write_it_composed(dialect: Dialect) -> None:
    for text in (f"{DECOMPOSED} == 2", f"x + {DECOMPOSED}", f"order.{DECOMPOSED} > 1"):
        with pytest.raises(ExpressionSyntaxError, match=r"composed \(Unicode NFC\)") as caught:
            parse(text, dialect=dialect)
        assert "'cafe\\u0301'" in str(caught.value)  # the spelling written, made visible
        assert repr(COMPOSED) in str(caught.value)  # and the one to write


def test_a_decomposed_name_never_reads_the_composed_field() -> None:
    data = {COMPOSED: 1, DECOMPOSED: 2}  # two fields, as Python's dictionaries keep them
    with pytest.raises(ExpressionSyntaxError):
        parse(DECOMPOSED).evaluate(data)


def test_what_python_would_join_to_a_name_is_checked_with_it() -> None:
    # U+FE4D DASHED LOW LINE: Python reads 'a\ufe4db' as the name 'a_b'
    with pytest.raises(ExpressionSyntaxError, match="compatibility characters"):
        parse("a\ufe4db == 1")


def test_composed_names_in_any_script_still_read_their_fields() -> None:
    for name in (COMPOSED, "größe", "नमस्ते", "名前", "a\u203fb"):  # (Devanagari: marks in NFC)
        for dialect in Dialect:
            assert parse(f"{name} + 1", dialect=dialect).evaluate({name: 1}) == 2


def test_validation_reports_a_decomposed_name_as_a_syntax_error() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field(DECOMPOSED, "INTEGER")
    p.activity("a").activity("big").activity("small")
    p.transition("a", "big", condition=f"{DECOMPOSED} > 10")
    p.transition("a", "small", otherwise=True)
    found = [d for d in validate(pb.build()) if d.code == "expression-syntax"]
    assert len(found) == 1 and "write it composed" in found[0].message
