"""An ``&`` in any text the diagram draws says exactly that text. Graphviz decodes entities
in a quoted label, so a name ``Research &amp; Development &#1; step`` (as ``show`` prints it)
was drawn "Research & Development" with a raw U+0001, and the SVG was no well-formed XML
(``&#xFFFE;`` and a transition's ``&#8;`` alike). ``dot_quote`` now writes ``&`` as
``&amp;``, so Graphviz gives back the text as written."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from wfengine import PackageBuilder
from wfengine.definition.model import WorkflowProcess
from wfengine.definition.render import dot_quote, process_to_dot

TEXTS = ("R &amp; D &#1;", "x &#xFFFE; y", "a&#8;b")
_SVG = "{http://www.w3.org/2000/svg}"


def _process() -> WorkflowProcess:
    b = PackageBuilder("pk")
    p = b.process("p&amp;", name="Plan &amp; do &#1;")
    p.data_field("n", "INTEGER", initial="1")
    p.start("st")
    for i, text in enumerate(TEXTS):
        p.activity(f"a{i}&#1;", name=text)
    p.end("e")
    p.transition("st", "a0&#1;", name="yes &#8; &amp;", condition="n > 0 and 'x&#1;' != ''")
    p.sequence("a0&#1;", "a1&#1;", "a2&#1;", "e")
    return b.build().workflow_processes[0]


def test_dot_quote_writes_each_ampersand_as_an_entity() -> None:
    assert dot_quote("R &amp; D &#1;") == '"R &amp;amp; D &amp;#1;"'
    assert dot_quote("a\ufffeb\uffff") == '"ab"'  # (no XML character: dropped as controls are)
    dot = process_to_dot(_process())
    assert dot.count("&") == dot.count("&amp;")  # no entity of the definition's is left
    assert 'label="R &amp;amp; D &amp;#1;"' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_the_svg_is_xml_and_draws_each_text_as_written() -> None:
    result = subprocess.run(
        [str(shutil.which("dot")), "-Tsvg"],
        input=process_to_dot(_process()).encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    svg = ET.fromstring(result.stdout)  # (raised on a raw U+0001 or &#1;: not well-formed)
    drawn = [t.text or "" for t in svg.iter(f"{_SVG}text")]
    titles = [t.text or "" for t in svg.iter(f"{_SVG}title")]
    for text in TEXTS:
        assert text in drawn
    assert any("Plan &amp; do &#1;" in line for line in drawn)  # the process's label
    assert "\u201cyes &#8; &amp;\u201d" in drawn  # the transition's name
    assert any("'x&#1;'" in line for line in drawn)  # its condition
    assert "a0&#1;" in titles  # a node's name, which Graphviz does not decode
