"""Every XPDL file of the conformance corpus imports, and the model holds all it says.

The corpus is real output of other tools (JaWE, TIBCO, Bizagi, Global 360, shoobx, Joget, the
WfMC samples). The test parametrises over a glob computed at collection time, so a file added
to the corpus is covered without touching this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from pydantic import BaseModel

from tests.conftest import conformance_root
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import DEPRECATED_NS, XPDL_NAMESPACES, Package, XmlNode
from wfengine.definition.xpdl.reader import read_package
from wfengine.errors import XpdlLoadError

_ROOT = conformance_root()
_FILES = sorted((_ROOT / "xpdl").rglob("*.xpdl")) if _ROOT else []
_XPDL_NS = set(XPDL_NAMESPACES) | {DEPRECATED_NS}
_COUNTED = (
    "WorkflowProcess",
    "Activity",
    "Transition",
    "Participant",
    "Application",
    "DataField",
    "Deadline",
)


def _file_id(path: Path) -> str:
    return str(path.relative_to(_ROOT / "xpdl")) if _ROOT else path.name


def _is_xpdl(el: etree._Element) -> bool:
    ns = etree.QName(el).namespace
    return ns is None or ns in _XPDL_NS


def _xml_counts(root: etree._Element) -> Counter[str]:
    """XPDL elements by local name, skipping anything inside extended attributes or vendor XML."""
    counts: Counter[str] = Counter()

    def walk(el: etree._Element) -> None:
        for child in el:
            if not isinstance(child.tag, str) or not _is_xpdl(child):
                continue
            name = etree.QName(child).localname
            if name == "ExtendedAttributes":
                continue
            if name in _COUNTED:
                counts[name] += 1
            walk(child)

    walk(root)
    return counts


def _model_counts(pkg: Package) -> Counter[str]:
    counts: Counter[str] = Counter()
    counts["Participant"] += len(pkg.participants)
    counts["Application"] += len(pkg.applications)
    counts["DataField"] += len(pkg.data_fields)
    for proc in pkg.workflow_processes:
        counts["WorkflowProcess"] += 1
        counts["Participant"] += len(proc.participants)
        counts["Application"] += len(proc.applications)
        counts["DataField"] += len(proc.data_fields)
        activities = list(proc.activities)
        counts["Transition"] += len(proc.transitions)
        for aset in proc.activity_sets:
            activities.extend(aset.activities)
            counts["Transition"] += len(aset.transitions)
        counts["Activity"] += len(activities)
        for act in activities:
            counts["Deadline"] += len(act.deadlines)
            counts["DataField"] += len(act.data_fields)
    return counts


def _top_xml_nodes(value: object) -> Iterator[XmlNode]:
    """Every XmlNode the model holds directly (not inside another XmlNode)."""
    if isinstance(value, XmlNode):
        yield value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _top_xml_nodes(getattr(value, field))
    elif isinstance(value, tuple):
        for item in value:
            yield from _top_xml_nodes(item)


def _vendor_roots_in_model(pkg: Package) -> int:
    """Vendor elements in the model whose parent (if any) is not itself a vendor element."""

    def count(node: XmlNode, parent_foreign: bool) -> int:
        foreign = node.namespace not in _XPDL_NS and node.namespace is not None
        here = 1 if foreign and not parent_foreign else 0
        return here + sum(count(c, foreign or parent_foreign) for c in node.children)

    return sum(count(n, False) for n in _top_xml_nodes(pkg))


def _vendor_roots_in_xml(root: etree._Element) -> int:
    """Vendor elements in the document whose parent is an XPDL element."""
    return sum(
        1
        for el in root.iter()
        if isinstance(el.tag, str)
        and not _is_xpdl(el)
        and (parent := el.getparent()) is not None
        and _is_xpdl(parent)
    )


@pytest.mark.parametrize("path", _FILES, ids=_file_id)
def test_corpus_file_imports_with_every_element_counted(conformance_dir: Path, path: Path) -> None:
    data = path.read_bytes()
    pkg = read_package(data, source=str(path))
    root = etree.fromstring(data)

    namespace = etree.QName(root).namespace
    assert namespace is not None
    assert pkg.source_version == XPDL_NAMESPACES[namespace]
    assert pkg.source_file == str(path)
    # loading reports, never refuses: no error-severity findings on real files
    assert not [d for d in pkg.load_diagnostics if d.severity is Severity.ERROR]
    # and no element of a real file had to be kept whole as XML for want of a model
    whole = [d.message for d in pkg.load_diagnostics if "could not be read" in d.message]
    assert whole == []

    expected = _xml_counts(root)
    actual = _model_counts(pkg)
    for name in _COUNTED:
        assert actual[name] == expected[name], f"{name}: model {actual[name]}, XML {expected[name]}"

    # nothing silently dropped: every vendor element survives as XmlNode somewhere
    assert _vendor_roots_in_model(pkg) == _vendor_roots_in_xml(root)


def test_corpus_is_not_empty(conformance_dir: Path) -> None:
    assert len(_FILES) >= 60


def test_malformed_file_is_refused_as_malformed(conformance_dir: Path) -> None:
    path = conformance_dir / "malformed" / "test-JavaScript.xpdl"
    with pytest.raises(XpdlLoadError) as info:
        read_package(path.read_bytes(), source=str(path))
    diagnostic = info.value.diagnostic
    assert diagnostic.code == "xml-malformed"
    assert diagnostic.line is not None and diagnostic.line > 1
    assert diagnostic.file == str(path)
