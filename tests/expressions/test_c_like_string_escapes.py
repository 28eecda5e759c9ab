"""String literals of the Java and JavaScript dialects were read by Python's escapes:
JavaScript's ``'https:\\/\\/'`` kept its backslashes (so ``url.startsWith('https:\\/\\/')``
never held and the instance took the other way), ``'\\d'`` was two characters, ``'\\a'`` a bell,
``'\\N{BULLET}'`` and ``'\\U0001F600'`` escapes neither language has, and Python's prefixes
(``r''``, ``u''``, ``b''``, ``f''``) were read as Python's. Now each language's table reads
them (checked against node 20 and OpenJDK 17); what the language refuses is a syntax error
naming the escape, except in a deployment an earlier wfengine stored, read as then."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse
from wfengine.expressions.name_spelling import composing_stored_names

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r"'https:\/\/x.org'", "https://x.org"),
        (r"'\d'", "d"),
        (r"'\a'", "a"),
        (r"'\N{BULLET}'", "N{BULLET}"),
        (r"'\U0001F600'", "U0001F600"),
        (r"'\x41\u0042\u{43}'", "ABC"),
        (r"'\u{1F600}'", "\U0001f600"),
        (r"'\uD83D\uDE00'", "\U0001f600"),  # a surrogate pair is the one character
        (r"'\b\f\n\r\t\v\0'", "\b\f\n\r\t\v\x00"),
        (r"'\101\08'", "A\x008"),  # legacy octal, as the engines tools run read it
        (r"'it\'s' + " + r'"\"q\""', 'it\'s"q"'),
        ("'a\\\nb'", "ab"),  # a line continuation
        (r"'\\d'", "\\d"),
    ],
)
def test_javascript_reads_its_own_escapes(text: str, value: str) -> None:
    assert parse(text, dialect=JS).evaluate({}) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r'"a\tb\n"', "a\tb\n"),
        (r'"\b\f\r\s"', "\b\f\r "),
        (r'"\"\'\\"', "\"'\\"),
        (r'"\101\7\377"', "A\x07\xff"),
        (r'"\u0041\uu0042"', "AB"),
        (r'"\\d".length()', 2),
    ],
)
def test_java_reads_its_own_escapes(text: str, value: object) -> None:
    assert parse(text, dialect=JAVA).evaluate({}) == value


@pytest.mark.parametrize(
    ("dialect", "text", "message", "offset"),
    [
        (JAVA, r'"\d+"', r"'\d' is no escape in Java", 1),
        (JAVA, r'x + "a\/b"', r"'\/' is no escape in Java", 6),
        (JAVA, r'"\x41"', r"'\x' is no escape in Java", 1),
        (JAVA, r'"\N{BULLET}"', r"'\N' is no escape in Java", 1),
        (JS, r"'\x4'", r"'\x' takes two hex digits", 1),
        (JS, r"'\u12'", r"'\u' takes four hex digits", 1),
        (JS, r"'\u{110000}'", "beyond U+10FFFF", 1),
        (JS, r"r'\n'", "r'...' is Python's string prefix, which JavaScript does not have", 0),
        (JAVA, "u'x'", "u'...' is Python's string prefix, which Java does not have", 0),
        (JS, "f'{x}'", "f-strings are not supported", 0),
        (JAVA, "b'x'", "bytes literals not supported", 0),
    ],
)
def test_what_the_language_refuses_is_a_syntax_error_naming_it(
    dialect: Dialect, text: str, message: str, offset: int
) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text, dialect=dialect)
    assert message in info.value.message
    assert info.value.offset == offset


def test_the_native_language_keeps_python_strings() -> None:
    assert parse(r"r'\d' + '\x41'").evaluate({}) == "\\dA"


def test_a_stored_deployment_reads_what_is_now_refused_as_before() -> None:
    with composing_stored_names():
        assert parse(r'"\d"', dialect=JAVA).evaluate({}) == "\\d"
        assert parse(r"r'\n'", dialect=JS).evaluate({}) == "\\n"
    with pytest.raises(ExpressionSyntaxError):
        parse(r'"\d"', dialect=JAVA)


def test_a_javascript_condition_on_a_url_takes_the_way_javascript_takes() -> None:
    builder = PackageBuilder("p", script="text/javascript")
    process = builder.process("proc")
    process.data_field("url", "STRING")
    process.start("s")
    process.route("r", gateway="Exclusive")
    process.activity("secure")
    process.activity("insecure")
    process.end("e1")
    process.end("e2")
    process.sequence("s", "r")
    process.transition("r", "secure", condition=r"url.startsWith('https:\/\/')")
    process.transition("r", "insecure", otherwise=True)
    process.sequence("secure", "e1")
    process.sequence("insecure", "e2")
    engine = Engine(clock=VirtualClock())
    engine.deploy(builder.build())
    instance_id = engine.start_process("proc", {"url": "https://bank.example"})
    assert "secure" in engine.trace(instance_id)
