"""Activities whose ids differ only in what DOT quoting drops or rewrites (a control character
such as U+0085, which XML 1.0 and so an XPDL file may hold; a tab, written as a space) are
drawn as separate nodes. Before, ``package_to_dot`` gave them one node name as written, so
Graphviz drew one box for both (the second's label won) and their edges met in it; now the
clash is seen on the quoted name and the later one gets the ``#2`` suffix."""

from __future__ import annotations

import re

from wfengine import PackageBuilder, dump_xpdl, load_xpdl, package_to_dot

_NODE = re.compile(r'^\s*("(?:[^"\\]|\\.)*") \[.*label="([^"]*)"', re.MULTILINE)
_EDGE = re.compile(r'^\s*("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*")', re.MULTILINE)


def test_ids_equal_once_quoted_are_separate_nodes() -> None:
    b = PackageBuilder("m")
    p = b.process("proc")
    p.start("s")
    p.activity("check\u0085", name="Check (NEL)")
    p.activity("check", name="Check")
    p.activity("a\tb", name="tab")
    p.activity("a b", name="space")
    p.end("e")
    p.sequence("s", "check\u0085", "check", "a\tb", "a b", "e")
    package = load_xpdl(dump_xpdl(b.build()))  # an XPDL file holds these ids
    dot = package_to_dot(package, "proc")
    nodes = dict(_NODE.findall(dot))
    assert len(nodes) == 6  # every activity its own node
    assert nodes['"check"'] == "Check (NEL)"
    assert nodes['"check#2"'] == "Check"
    assert nodes['"a b"'] == "tab"
    assert nodes['"a b#2"'] == "space"
    assert _EDGE.findall(dot) == [
        ('"s"', '"check"'),
        ('"check"', '"check#2"'),
        ('"check#2"', '"a b"'),
        ('"a b"', '"a b#2"'),
        ('"a b#2"', '"e"'),
    ]
