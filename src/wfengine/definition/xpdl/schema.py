"""Validation of XPDL documents against the official XSDs shipped with the package.

Why warnings and not errors: real modelling tools write files that break their own schema and
still open them, so schema findings are reported with their line and the import carries on.
The schemas are compiled once per process (compiling the 2.x XSDs takes a noticeable fraction
of a second) and never fetched: the 1.0 import of the 2.x schemas is resolved to the local copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, cast

from lxml import etree

from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.xpdl.read_nodes import line_of
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
    """Schema findings for ``tree`` against the XSD of ``version``, as warnings with lines."""
    try:
        schema = load_schema(version)
    except (KeyError, etree.XMLSchemaParseError) as exc:
        return [make("schema-unavailable", f"no usable XPDL {version} schema: {exc}")]
    if schema.validate(tree):
        return []
    out: list[Diagnostic] = []
    errors = list(cast(Iterable[_LogEntry], schema.error_log))
    for err in errors[:MAX_SCHEMA_FINDINGS]:
        out.append(
            make(
                "schema-violation",
                f"XPDL {version} schema: {err.message}",
                line=_line(tree, err),
                severity=Severity.WARNING,
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
