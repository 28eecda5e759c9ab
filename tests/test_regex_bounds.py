"""Regular expressions that read text a definition or a caller controls run in linear time.

A process definition may come from someone the host does not trust, and one text of it (an
initial value, the bytes of the document) may be megabytes long. Each pattern here once
backtracked on such a text for minutes; the texts below are sized so that the old code would
take minutes again (nothing asserts a wall-clock time), and each new pattern is checked to
accept exactly the texts the old one did.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wfengine import load_xpdl, validate
from wfengine.definition import durations, literals
from wfengine.definition.durations import counts_months_or_years, parse_duration
from wfengine.definition.literals import parse_literal
from wfengine.definition.model import BasicTypeKind
from wfengine.definition.reading import ReadKind, read_duration
from wfengine.definition.xpdl import secure
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.secure import exact_lines, parse_xml
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, Language, java_numbers, js_numbers, parse

# -- a FLOAT literal (a data field's initial value) ------------------------------------------

#: the pattern before: ``\d+\.?\d*`` tried every split of a run of digits that was no FLOAT
_OLD_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

_FLOAT_CORPUS = [
    *("0", "12", "-3", "+4", "2.5", ".5", "3.", "-.5", "+7.", "1e3", "1E-3", "2.5e+10"),
    *(".5e2", "5.e2", "007", "1.2.3", ".", "", "+", "-", "e3", "1e", "1e+", "1.e", ".e1"),
    *("1 ", " 1", "1x", "1,5", "١٢", "1_000", "inf", "nan", "0x10", "1e3.5", "--1", "+-1"),
    *("1" * 50 + "x", "1" * 50 + "." + "2" * 50 + "e" + "3" * 50, "." * 3, "1..2"),
]


@pytest.mark.parametrize("text", _FLOAT_CORPUS)
def test_the_float_pattern_accepts_what_it_accepted(text: str) -> None:
    assert (literals._FLOAT.fullmatch(text) is None) == (_OLD_FLOAT.fullmatch(text) is None)


@given(st.text(alphabet="0123456789.eE+-x٣ ", max_size=14))
def test_the_float_pattern_agrees_with_the_old_on_any_short_text(text: str) -> None:
    assert (literals._FLOAT.fullmatch(text) is None) == (_OLD_FLOAT.fullmatch(text) is None)


def test_a_float_literal_of_100_000_digits_is_refused_without_backtracking() -> None:
    """The old pattern took about 5 s for 10,000 digits and 9 minutes for 100,000."""
    digits = "1" * 100_000
    assert literals._FLOAT.fullmatch(digits + "x") is None
    assert literals._FLOAT.fullmatch(digits + "." + digits + "e") is None
    with pytest.raises(ValueError, match="a FLOAT of more than 400 characters"):
        parse_literal(digits + "x", BasicTypeKind.FLOAT)
    # under the limit, what was read is read, and what was refused is refused as before
    assert parse_literal("1" * 300 + ".5", BasicTypeKind.FLOAT) == float("1" * 300 + ".5")
    with pytest.raises(ValueError, match="is not a FLOAT"):
        parse_literal("1" * 300 + "x", BasicTypeKind.FLOAT)


def _float_field_package(initial: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="fl" Name="fl">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>now</Created>
  </PackageHeader>
  <WorkflowProcesses><WorkflowProcess Id="p"><ProcessHeader/>
    <DataFields>
      <DataField Id="amount"><DataType><BasicType Type="FLOAT"/></DataType>
        <InitialValue>{initial}</InitialValue></DataField>
    </DataFields>
    <Activities>
      <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
      <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
    </Activities>
    <Transitions><Transition Id="t" From="s" To="e"/></Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


def test_validating_a_float_initial_value_of_100_000_digits_finishes_with_a_finding() -> None:
    package = load_xpdl(_float_field_package("1" * 100_000 + "x"))
    codes = {d.code for d in validate(package)}
    assert codes & {"expression-syntax", "initial-value-type", "expression-too-long"}, codes
    assert "expression-syntax" not in {
        d.code for d in validate(load_xpdl(_float_field_package("2.5")))
    }


# -- the markup scan that counts lines past libxml2's 65,535 ---------------------------------

#: ``室`` is the bytes ``<<`` in ISO-2022-JP, and ``◆`` the bytes ``"!``: text whose bytes the
#: scan (which reads an 8-bit document as bytes) took for 100,000 unclosed start tags
_LT_LT, _QUOTE = "室", "◆"


def _iso_2022_jp_document(kanji: int, lines: int = 70_000) -> bytes:
    """A package of ``lines`` lines whose header's description is ``kanji`` times ``室``."""
    filler = "\n".join(f"<!-- {i} -->" for i in range(lines))
    return f"""<?xml version="1.0" encoding="ISO-2022-JP"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="jp" Name="jp">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>now</Created>
    <Description>{_LT_LT * kanji}{_QUOTE}</Description></PackageHeader>
{filler}
  <WorkflowProcesses><WorkflowProcess Id="p"><ProcessHeader/>
    <Activities>
      <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
    </Activities>
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode("iso2022_jp")


def test_a_long_document_whose_bytes_hold_stray_angle_brackets_is_scanned_once() -> None:
    """Before, each of the 100,000 ``<`` bytes was tried as a start tag to the end of the
    text (5 s for 10,000, 2 minutes for 40,000, more here); now the scan stops at the first
    ``<`` that begins no markup, and the elements keep libxml2's lines, as for any document
    the scan cannot read."""
    data = _iso_2022_jp_document(50_000)
    tree = parse_xml(data)
    assert tree.getroot()[0][-1].text == _LT_LT * 50_000 + _QUOTE
    assert exact_lines(data, tree) == {}
    package = read_package(data, schema=False)  # (loading runs the same scan)
    assert package.header.description == _LT_LT * 50_000 + _QUOTE
    assert package.process("p").activity("s").line is not None


def _old_start_tag_lines(text: str) -> list[int]:
    """The scan as it was (a search from each match to the next), for documents it reads."""
    out: list[int] = []
    line, position = 1, 0
    for match in secure._MARKUP_TEXT.finditer(text):
        if match.group()[1:2] in {"!", "?", "/"}:
            continue
        line += text.count("\n", position, match.end())
        position = match.end()
        out.append(line)
    return out


_WELL_FORMED = [
    "<r/>",
    '<?xml version="1.0"?>\n<r a="1 > 0" b=\'"\'>\n<x/>\n</r>',
    "<r><!-- <a> --><![CDATA[ <b> ]]><?pi <c> ?>\n<d\n  e='>'\n/>t &gt; &lt;</r>",
    "<r>\n<!---->\n<?p?>\n<![CDATA[]]>\n<a b=\"'\" c='\"'>x > y</a>\n</r>\n<!-- end -->",
    "<r>" + "<a>\n<b/></a>" * 50 + "</r>",
]


@pytest.mark.parametrize("text", _WELL_FORMED)
def test_the_scan_finds_the_lines_it_found_in_documents_it_reads(text: str) -> None:
    parse_xml(text.encode())  # (each is a document the parser accepts)
    assert secure._start_tag_lines(text, secure._MARKUP_TEXT, "<", "\n") == (
        _old_start_tag_lines(text)
    )
    data = text.encode()
    assert secure._start_tag_lines(data, secure._MARKUP_BYTES, b"<", b"\n") == (
        _old_start_tag_lines(text)
    )


def test_a_lone_angle_bracket_ends_the_scan_with_no_lines() -> None:
    assert secure._start_tag_lines('<a><<"</a>', secure._MARKUP_TEXT, "<", "\n") is None
    assert secure._start_tag_lines("no markup", secure._MARKUP_TEXT, "<", "\n") == []


# -- Java's Double.parseDouble and JavaScript's Number / isNaN ----------------------------

_OLD_JAVA_DOUBLE = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)", re.ASCII
)
_OLD_JAVA_HEX_DOUBLE = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?", re.ASCII
)
_OLD_JS_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z", re.ASCII)

_NUMBER_CORPUS = [
    *_FLOAT_CORPUS,
    *("NaN", "-Infinity", "+NaN", "1.5d", "2f", "1e3D", "1F", "1df", ".5f", "Infinityf"),
    *("0x1.8p1", "0X.8P-2", "0x1p3d", "-0xAp0", "0x1.p1", "0x.p1", "0x1", "0xp1", "0x1.8"),
    *("0xfp1f", "0x1e3p2", "0x1p", "0x1p+", "1d1", "١.٥", "0x" + "f" * 60 + "p1"),
]


@pytest.mark.parametrize("text", _NUMBER_CORPUS)
def test_the_java_and_javascript_number_patterns_accept_what_they_accepted(text: str) -> None:
    for new, old in (
        (java_numbers._JAVA_DOUBLE, _OLD_JAVA_DOUBLE),
        (java_numbers._JAVA_HEX_DOUBLE, _OLD_JAVA_HEX_DOUBLE),
    ):
        assert (new.fullmatch(text) is None) == (old.fullmatch(text) is None), new.pattern
    assert (js_numbers._DECIMAL.match(text) is None) == (_OLD_JS_DECIMAL.match(text) is None)


@given(st.text(alphabet="0123456789abcdefxXpP.eE+-dDfFINa ", max_size=14))
def test_the_number_patterns_agree_with_the_old_on_any_short_text(text: str) -> None:
    assert (java_numbers._JAVA_DOUBLE.fullmatch(text) is None) == (
        _OLD_JAVA_DOUBLE.fullmatch(text) is None
    )
    assert (java_numbers._JAVA_HEX_DOUBLE.fullmatch(text) is None) == (
        _OLD_JAVA_HEX_DOUBLE.fullmatch(text) is None
    )
    assert (js_numbers._DECIMAL.match(text) is None) == (_OLD_JS_DECIMAL.match(text) is None)


def test_the_number_patterns_refuse_a_long_run_of_digits_without_backtracking() -> None:
    """The readers take at most 400 characters, where the old patterns cost 17 ms (Java)
    and 11 ms (JavaScript) a call, and an expression of 600 ``Number(x)`` 7 s; on 100,000
    digits here they would take minutes."""
    digits = "1" * 100_000
    assert java_numbers._JAVA_DOUBLE.fullmatch(digits + "'") is None
    assert java_numbers._JAVA_HEX_DOUBLE.fullmatch("0x" + digits + "'") is None
    assert js_numbers._DECIMAL.match(digits + "(") is None
    text = "1" * 399 + "("
    values = parse("[" + ", ".join(["Number(x)"] * 600) + "]", dialect=Dialect.JAVASCRIPT)
    assert all(v != v for v in values.evaluate({"x": text}))  # NaN, each of them
    with pytest.raises(ExpressionEvaluationError, match="Java reads no number"):
        parse("Double.parseDouble(x)", dialect=Dialect.JAVA).evaluate({"x": text})


# -- a duration's quantities (``3 days``, ``1h 30min``) --------------------------------------

# the pattern before its bound, in the digits durations are read in since: 0-9 only (a
# full-width or Arabic-Indic digit is no quantity: test_duration_ascii_digits)
_OLD_QUANTITY = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]+)")

_QUANTITY_CORPUS = [
    *("3 days", "1h 30min", "10 s", "2 weeks, 1 day", "1.5h", "1,5 h", "3days5hours", "5"),
    *("12=3 days", "1.5.3days", "1.5.3 months", "1..2 h", "1, 2 h", "a1 h", "1a2b3c", "١٢ h"),
    *("3 months", "1 year 2 days", "2.h", ".5 h", "7  \t min", "1e3 s", "x 1 y 2 z 3"),
    *("1" * 199 + "=", "1" * 150 + " days", "1." + "1" * 150 + "=", "1 " * 99 + "x"),
]


def _quantities_of(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str, str]]:
    return [(m.span(), m.group(1), m.group(2)) for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", _QUANTITY_CORPUS)
def test_the_quantity_pattern_finds_what_it_found(text: str) -> None:
    assert _quantities_of(durations._QUANTITY, text) == _quantities_of(_OLD_QUANTITY, text)
    assert durations._QUANTITY.findall(text) == _OLD_QUANTITY.findall(text)


@given(st.text(alphabet="0123456789٣.,  \tdayshminx=", max_size=16))
def test_the_quantity_pattern_agrees_with_the_old_on_any_short_text(text: str) -> None:
    assert _quantities_of(durations._QUANTITY, text) == _quantities_of(_OLD_QUANTITY, text)


def test_digits_other_than_0_to_9_are_no_quantity() -> None:
    assert durations._QUANTITY.findall("\u0661\u0662 h") == []
    assert durations._QUANTITY.findall("\uff13 days") == []


def test_a_long_run_of_digits_is_no_quantity_without_backtracking() -> None:
    """Durations are read up to 200 characters (19 ms each for such a run before); the
    pattern alone, on 100,000 digits, took hours."""
    assert durations._QUANTITY.findall("1" * 100_000 + "=") == []
    assert durations._QUANTITY.findall("1" * 100_000 + " days") == [("1" * 100_000, "days")]
    text = "1" * 199 + "="
    assert parse_duration(text) is None
    assert not counts_months_or_years(text)
    assert read_duration(text, Language.NATIVE).kind is ReadKind.UNPARSEABLE
    assert parse_duration("1h 30min") == parse_duration("PT1H30M")
