"""Hardened XML parsing for documents that may come from someone the host does not trust.

A process definition is often uploaded by a modeller, fetched from a repository or read from a
database column, so the parser must not be a way into the host: no entity expansion (billion
laughs), no external entities or DTDs (file disclosure, server-side requests), no network, and
a size limit. Every refusal is an :class:`~wfengine.errors.XpdlLoadError` carrying a diagnostic,
so callers never see a raw lxml exception.

Why refuse every entity declaration instead of only the dangerous ones: real XPDL tools never
write a DTD, so a document that declares entities is either hand-crafted or hostile, and telling
the two apart is exactly the kind of cleverness attacks exploit.
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition import diagnostics
from wfengine.errors import XpdlLoadError

#: 16 MiB: two orders of magnitude above the largest real XPDL file we know of (~230 KB).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not thread-safe, and one per document is cheap.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _refuse(code: str, message: str, line: int | None = None) -> XpdlLoadError:
    return XpdlLoadError(diagnostics.make(code, message, line=line))


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    """Parse ``data`` safely and return the tree (source lines kept on every element).

    Raises ``XpdlLoadError`` with code ``xml-too-large`` (more than ``max_bytes``),
    ``xml-forbidden`` (DTD entity declarations, an external DTD, entity references) or
    ``xml-malformed`` (not well-formed; the message has lxml's reason and the line).
    """
    if len(data) > max_bytes:
        raise _refuse(
            "xml-too-large",
            f"document is {len(data)} bytes; the limit is {max_bytes} bytes",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        if _is_entity_abuse(exc, data):
            raise _refuse(
                "xml-forbidden",
                f"entity declarations are refused (the parser stopped: {exc.msg})",
                line,
            ) from None
        raise _refuse("xml-malformed", f"not well-formed XML: {exc.msg}", line) from None
    except (etree.LxmlError, ValueError) as exc:
        raise _refuse("xml-malformed", f"not well-formed XML: {exc}") from None
    tree = root.getroottree()
    _check_doctype(tree)
    _check_entity_references(root)
    return tree


_ENTITY_DECLARATION = "<!ENTITY"
_ENTITY_DECLARATION_FORMS = (
    _ENTITY_DECLARATION.encode("ascii"),
    _ENTITY_DECLARATION.encode("utf-16-le"),
    _ENTITY_DECLARATION.encode("utf-16-be"),
)


#: libxml2 error codes that mean "entities were declared and misused" (not merely undefined)
_ENTITY_ERROR_CODES = frozenset(
    code
    for name, code in vars(etree.ErrorTypes).items()
    if isinstance(code, int)
    and (name == "ERR_RESOURCE_LIMIT" or ("ENTITY" in name and name != "ERR_UNDECLARED_ENTITY"))
)


def _is_entity_abuse(exc: etree.XMLSyntaxError, data: bytes) -> bool:
    """Whether a parse failure comes from entity declarations rather than broken XML.

    libxml2 stops some attacks itself (the billion-laughs amplification limit) even though
    entities are not substituted; those must still be reported as refused, not as malformed.
    """
    # lxml-stubs lacks XMLSyntaxError.code (libxml2's error number of this very failure)
    if exc.code in _ENTITY_ERROR_CODES:  # type: ignore[attr-defined]
        return True
    return any(form in data for form in _ENTITY_DECLARATION_FORMS)


def _check_doctype(tree: etree._ElementTree) -> None:
    """Refuse entity declarations in the internal subset and any external DTD reference."""
    docinfo = tree.docinfo
    # lxml-stubs lacks DocInfo.system_url and DTD.iterentities; both exist since lxml 2.x
    external = docinfo.system_url or docinfo.public_id  # type: ignore[attr-defined]
    if external:
        raise _refuse(
            "xml-forbidden",
            f"the document refers to an external DTD ({external}); DTDs are not loaded",
        )
    dtd = docinfo.internalDTD
    if dtd is None:
        return
    for entity in dtd.iterentities():  # type: ignore[attr-defined]
        kind = "external entity" if entity.system_url else "entity"
        raise _refuse(
            "xml-forbidden",
            f"the DTD declares {kind} {entity.name!r}; entity declarations are refused "
            "(XPDL documents never need them)",
        )


def _check_entity_references(root: etree._Element) -> None:
    """Refuse entity references left in the tree (only possible without a declaration check)."""
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise _refuse(
                "xml-forbidden",
                f"entity reference {node.text} is refused",
                line if isinstance(line := node.sourceline, int) else None,
            )
