"""Validation of XPDL documents against the official XSDs shipped with the package.

Why warnings and not errors: real modelling tools write files that break their own schema and
still open them, so schema findings are reported with their line and the import carries on.
The schemas are compiled once per process (compiling the 2.x XSDs takes a noticeable fraction
of a second) and never fetched: the 1.0 import of the 2.x schemas is resolved to the local copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, cast

from lxml import etree

from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.xpdl.read_nodes import XPDL_LIKE_NAMESPACES, line_of, namespace_of
from wfengine.definition.xpdl.secure import BIG_LINE

SCHEMA_FILES: dict[str, str] = {
    "1.0": "TC-1025_schema_10_xpdl.xsd",
    "2.0": "TC-1025_bpmnxpdl_24.xsd",
    "2.1": "bpmnxpdl_31.xsd",
    "2.2": "bpmnxpdl_40a.xsd",
}

#: at most this many schema findings per document; the rest are summarised in one line.
MAX_SCHEMA_FINDINGS = 50


def _schema_dir() -> Path:
    return Path(str(resources.files("wfengine.definition.xpdl") / "schemas"))


class _LogEntry(Protocol):
    """What is used of an lxml error-log entry (lxml-stubs leave ``_ErrorLog`` opaque)."""

    message: str
    line: int
    #: an XPath to the element the finding is about (None when libxml2 gives none)
    path: str | None


def _line(tree: etree._ElementTree, err: _LogEntry) -> int | None:
    """The finding's line: libxml2's, or from its 65,535 on (where libxml2's is one too many,
    or 65,535 for any later line) the element's true line, which
    :func:`~wfengine.definition.xpdl.read_nodes.line_of` knows while a big document is
    read; None when the finding names no element to ask (a key reference's), rather than a
    line that may be thousands of lines off."""
    if err.line < BIG_LINE:
        return err.line or None
    found = None
    if err.path:
        try:
            found = tree.xpath(err.path)
        except etree.XPathError:
            found = None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return line_of(found[0])
    return None


#: the element libxml2 names at the head of a schema finding: ``Element '{ns}Name': ...``
_NAMED_ELEMENT = re.compile(r"Element '([^']+)'")
_XPDL_OR_NONE = frozenset({*XPDL_LIKE_NAMESPACES, None})


class _Owners:
    """The Id a schema finding is about, for its ``[ELEMENT_ID]``: that of the element it
    names, or of the nearest element around it with an ``Id`` (a Transition for its
    ``<Condition>``, an Activity for its ``NodeGraphicsInfo``). Why: a line alone leaves a
    reader of ``validate --json`` to open the file to learn which activity or transition is at
    fault, as every other finding tells. libxml2 gives an XPath for most findings, but none
    for a key reference's (a Transition's ``From`` naming no activity), so that element is
    found by its line and tag, indexed once per document. Where several elements of that tag
    share the line (a file written on one line), the one whose attributes hold the values the
    message quotes (``key-sequence ['nowhere']``) is named, and none when that does not settle
    it: naming a sound element would send the reader to the wrong place."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self._by_line: dict[tuple[int, str], list[etree._Element]] | None = None

    def element_id(self, err: _LogEntry) -> str | None:
        el = self._element(err)
        while el is not None:
            found = el.get("Id")
            # a vendor element's Id is the vendor's: the XPDL element holding it is named
            if namespace_of(el) in _XPDL_OR_NONE and found is not None and found.strip():
                return found.strip()
            el = el.getparent()
        return None

    def _element(self, err: _LogEntry) -> etree._Element | None:
        if err.path:
            try:
                found = self.tree.xpath(err.path)
            except etree.XPathError:
                found = None
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                return found[0]
        named = _NAMED_ELEMENT.match(err.message)
        if named is None or not 0 < err.line < BIG_LINE:
            return None
        if self._by_line is None:
            self._by_line = {}
            for el in self.tree.iter():
                if isinstance(el.tag, str) and isinstance(el.sourceline, int):
                    self._by_line.setdefault((el.sourceline, el.tag), []).append(el)
        candidates = self._by_line.get((err.line, named.group(1)), [])
        if len(candidates) == 1:
            return candidates[0]
        return _holding_quoted_values(candidates, err.message)


#: the key values libxml2 quotes in a key-reference finding: ``key-sequence ['a', 'b']``
_KEY_SEQUENCE = re.compile(r"key-sequence \[(.*?)\]")


def _holding_quoted_values(candidates: list[etree._Element], message: str) -> etree._Element | None:
    """The one element of ``candidates`` whose attribute values hold every value the message
    quotes as its key sequence; None when there is no such sequence, or not exactly one
    element holds it (two transitions on a line naming the same missing activity)."""
    sequence = _KEY_SEQUENCE.search(message)
    if sequence is None:
        return None
    values = re.findall(r"'([^']*)'", sequence.group(1))
    if not values:
        return None
    holding = [
        el for el in candidates if all(v in {a.strip() for a in el.attrib.values()} for v in values)
    ]
    return holding[0] if len(holding) == 1 else None


class _LocalSchemaResolver(etree.Resolver):
    """Maps any reference to a shipped XSD file name onto the local copy; refuses the rest."""

    # lxml calls resolve(url, pubid, context); lxml-stubs omit ``context``, hence its default
    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:
        name = (system_url or "").rsplit("/", 1)[-1]
        path = _schema_dir() / name
        if name and path.is_file():
            # lxml-stubs lack Resolver.resolve_filename, which lxml has had since 2.0
            return self.resolve_filename(str(path), context)  # type: ignore[attr-defined]
        return self.resolve_string("", context, base_url=None)


@cache
def load_schema(version: str) -> etree.XMLSchema:
    """The compiled XSD for an XPDL version ("1.0", "2.0", "2.1", "2.2"); KeyError if none."""
    path = _schema_dir() / SCHEMA_FILES[version]
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemaResolver())
    doc = etree.parse(str(path), parser)
    return etree.XMLSchema(doc)


def check_schema(tree: etree._ElementTree, version: str) -> list[Diagnostic]:
    """Schema findings for ``tree`` against the XSD of ``version``, as warnings with lines
    and the Id of the element each is about (or of the nearest element around it with one)."""
    try:
        schema = load_schema(version)
    except (KeyError, etree.XMLSchemaParseError) as exc:
        return [make("schema-unavailable", f"no usable XPDL {version} schema: {exc}")]
    if schema.validate(tree):
        return []
    out: list[Diagnostic] = []
    errors = list(cast(Iterable[_LogEntry], schema.error_log))
    owners = _Owners(tree)
    for err in errors[:MAX_SCHEMA_FINDINGS]:
        out.append(
            make(
                "schema-violation",
                f"XPDL {version} schema: {err.message}",
                line=_line(tree, err),
                severity=Severity.WARNING,
                element_id=owners.element_id(err),
            )
        )
    if len(errors) > MAX_SCHEMA_FINDINGS:
        out.append(
            make(
                "schema-violation",
                f"XPDL {version} schema: {len(errors) - MAX_SCHEMA_FINDINGS} more violations "
                "not listed",
            )
        )
    return out
