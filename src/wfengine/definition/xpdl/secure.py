"""Hardened XML parsing for documents that may come from someone the host does not trust.

A process definition is often uploaded by a modeller, fetched from a repository or read from a
database column, so the parser must not be a way into the host: no entity expansion (billion
laughs), no external entities or DTDs (file disclosure, server-side requests), no network, and
size limits (on the bytes read, on the number of elements, and libxml2's own limits on nesting
depth and on the length of one text node). Every refusal is an
:class:`~wfengine.errors.XpdlLoadError` carrying a diagnostic, so callers never see a raw lxml
exception.

Why refuse every entity declaration instead of only the dangerous ones: real XPDL tools never
write a DTD, so a document that declares entities is either hand-crafted or hostile, and telling
the two apart is exactly the kind of cleverness attacks exploit.
"""

from __future__ import annotations

import io
import re
from typing import AnyStr, BinaryIO

from lxml import etree

from wfengine.definition import diagnostics
from wfengine.errors import XpdlLoadError

#: 16 MiB: two orders of magnitude above the largest real XPDL file we know of (~230 KB).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024

#: 250,000 elements: the largest real XPDL files we know of (~230 KB) hold a few thousand, so
#: this is a margin of about a hundred times, yet it stops what the byte limit lets through:
#: 16 MiB of ``<v:b/>`` is over two million elements, each of which wfengine keeps as a model
#: object (about 1.3 KB apiece: 3 GB and minutes for one file). Counted before the tree is
#: built (:func:`count_elements`), so a refused document never costs more than this many.
DEFAULT_MAX_ELEMENTS = 250_000

#: libxml2's nesting limit without ``huge_tree``: a 257th level of elements is refused. Real
#: XPDL nests about 10 deep; the limit keeps recursive walks of the tree (ours and lxml's) safe.
MAX_DEPTH = 256

#: libxml2's limit without ``huge_tree`` on one text node (and, depending on how the input is
#: decoded, on one attribute value or CDATA section).
MAX_TEXT_BYTES = 10_000_000


def read_limited(stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole document from ``stream``, but never more than ``max_bytes + 1`` bytes.

    Why not ``read()`` and then check: a hostile or mistaken input (``/dev/zero``, an endless
    pipe on standard input) would be read until memory runs out before any limit is applied.
    One byte past the limit is enough to know the document is too large, so the rest is never
    read. Raises ``XpdlLoadError`` (``xml-too-large``) for a longer input.
    """
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        # a pipe or raw stream may return less than asked for before its end: ask again
        chunk = stream.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise _refuse(
            "xml-too-large",
            f"document is larger than the limit of {max_bytes} bytes; the rest was not read",
        )
    return b"".join(chunks)


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


def parse_xml(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_elements: int = DEFAULT_MAX_ELEMENTS
) -> etree._ElementTree:
    """Parse ``data`` safely and return the tree (source lines kept on every element).

    Raises ``XpdlLoadError`` with code ``xml-too-large`` (more than ``max_bytes``, or more
    than ``max_elements`` elements, :func:`count_elements`),
    ``xml-forbidden`` (a DTD: entity declarations, an external DTD, attribute defaults;
    entity references),
    ``xml-too-deep`` (elements nested more than :data:`MAX_DEPTH` levels),
    ``xml-text-too-large`` (one text or attribute value over :data:`MAX_TEXT_BYTES`) or
    ``xml-malformed`` (not well-formed; the message has lxml's reason and the line).
    """
    check_size(data, max_bytes=max_bytes, max_elements=max_elements)
    try:
        root = etree.fromstring(_lines_end_in_lf(data), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        if _is_entity_abuse(exc, data):
            raise _refuse(
                "xml-forbidden",
                f"entity declarations are refused (the parser stopped: {exc.msg})",
                line,
            ) from None
        limit = _resource_limit(exc, line)
        if limit is not None:
            raise limit from None
        raise _refuse("xml-malformed", f"not well-formed XML: {exc.msg}", line) from None
    except (etree.LxmlError, ValueError) as exc:
        raise _refuse("xml-malformed", f"not well-formed XML: {exc}") from None
    tree = root.getroottree()
    _check_doctype(tree, data)
    _check_entity_references(root)
    _begin_lines(_lines_end_in_lf(data), tree)
    return tree


def check_size(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_elements: int = DEFAULT_MAX_ELEMENTS
) -> None:
    """Refuse ``data`` (``xml-too-large``) when it is over either load limit: more than
    ``max_bytes`` bytes, or more than ``max_elements`` elements (:func:`count_elements`).

    Why one function: :func:`parse_xml` refuses by it, and ``wfengine convert`` asks it of
    what it wrote, so the warning that the output cannot be loaded back follows every limit
    the reader has, not only the one it was written for."""
    if len(data) > max_bytes:
        raise _refuse(
            "xml-too-large",
            f"document is {len(data)} bytes; the limit is {max_bytes} bytes",
        )
    count_elements(data, max_elements=max_elements)


def count_elements(data: bytes, *, max_elements: int = DEFAULT_MAX_ELEMENTS) -> None:
    """Refuse ``data`` (``xml-too-large``) when it holds more than ``max_elements`` elements,
    naming the limit and the line of the first element past it.

    Why before the parse proper: the tree, and the model read from it, cost memory per element
    (hundreds of bytes in libxml2, over a kilobyte as a model object), and the byte limit does
    not bound the element count. Every element begins with a ``<``, which is a ``0x3C`` byte
    in UTF-8, the ISO and Windows code pages and UTF-16 or UTF-32 alike, so a document with no
    more ``<`` bytes than the limit passes at the cost of one byte count (every real file).
    Only one with more is counted exactly: its start tags are read one by one by the same
    hardened parser settings, each dropped once seen (memory stays that of a few elements),
    and the count stops at the first element past the limit. A document the count cannot read
    (not well-formed, a DTD) is left for :func:`parse_xml` to refuse with its own finding.
    """
    if data.count(b"<") <= max_elements:
        return
    count = 0
    try:
        events = etree.iterparse(
            io.BytesIO(_lines_end_in_lf(data)),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        for event, element in events:
            if event == "end":
                element.clear(keep_tail=False)
                # drop the elements already seen, so memory stays that of one path
                while element.getprevious() is not None:
                    del element.getparent()[0]
                continue
            count += 1
            if count > max_elements:
                line = _line_of_element(data, count, element.sourceline)
                where = f" (element {count:,} is at line {line})" if line is not None else ""
                raise _refuse(
                    "xml-too-large",
                    f"document has more than {max_elements:,} elements, the limit{where}; "
                    "the rest was not read",
                    line,
                )
    except (etree.LxmlError, ValueError):
        return  # not readable: parse_xml says why


def _line_of_element(data: bytes, number: int, known: object) -> int | None:
    """The line on which the start tag of element ``number`` (counted from 1 in document
    order) of ``data`` begins: libxml2's ``known`` line below :data:`BIG_LINE` when no start
    tag is broken over lines, else scanned (:func:`_tag_lines`, stopping at that element), as
    :func:`parse_xml` makes the lines of its tree; ``known`` (None if not a line) when the
    scan cannot read the document."""
    raw = _lines_end_in_lf(data)
    if isinstance(known, int) and known < BIG_LINE and _BROKEN_START.search(raw) is None:
        return known
    lines: list[tuple[int, int]] | None = None
    for start, codec, mark in _WIDE_STARTS:
        if raw.startswith(start):
            try:
                lines = _tag_lines(raw[mark:].decode(codec), _MARKUP_TEXT, "<", "\n", number)
            except UnicodeDecodeError:
                lines = None
            break
    else:
        lines = _tag_lines(raw, _MARKUP_BYTES, b"<", b"\n", number)
    if lines is None or len(lines) < number:
        return known if isinstance(known, int) else None
    return lines[number - 1][0]


#: how a document in UTF-16 or UTF-32 begins (a byte order mark, or the ``<`` of its XML
#: declaration beside NULs), its codec, and how many bytes of byte order mark it has; UTF-32's
#: marks before UTF-16's, which begin the same
_WIDE_STARTS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00", "utf-16-le", 0),
    (b"\x00<", "utf-16-be", 0),
)


def _lines_end_in_lf(data: bytes) -> bytes:
    """``data`` with its line ends as line feeds, which is what an XML parser reads them as
    anyway (XML 1.0, 2.11): libxml2 counts lines by line feeds only, so a file from a tool
    that ends lines with a bare carriage return had every finding "at line 1". A document in
    a 16- or 32-bit encoding is changed in its own code units (its byte order mark kept); one
    that does not decode as its start says is left as it is, for the parser to report."""
    if b"\r" not in data:
        return data
    for start, codec, mark in _WIDE_STARTS:
        if data.startswith(start):
            try:
                text = data[mark:].decode(codec)
            except UnicodeDecodeError:
                return data
            if "\r" not in text:
                return data
            return data[:mark] + text.replace("\r\n", "\n").replace("\r", "\n").encode(codec)
    if data.startswith(b"\x00"):  # another 32-bit byte order: not ours to guess
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


#: libxml2 keeps an element's line in 16 bits: from this line on, lxml's ``sourceline`` is
#: derived from the text after the element, and is often one too many
BIG_LINE = 65535

#: one piece of markup, in document order: a comment, CDATA, a processing instruction, a
#: declaration, an end tag, or a start tag (to its ``>``, quoted attribute values passed over)
_MARKUP = (
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>|</[^>]*>"
    r"|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
)
_MARKUP_TEXT = re.compile(_MARKUP, re.DOTALL)
_MARKUP_BYTES = re.compile(_MARKUP.encode("ascii"), re.DOTALL)


#: a ``<`` that may begin a start tag broken over lines (``<Transition Id="t"`` and a line
#: end before any ``<`` or ``>``): whether a document needs the scan for the lines its start
#: tags begin on (a cheap search; a ``>`` in an attribute value before the line end hides
#: one, whose element keeps the line its tag ends on)
_BROKEN_START = re.compile(rb"<[^!?/<>][^<>]*\n")


def exact_lines(data: bytes, tree: etree._ElementTree) -> dict[etree._Element, int]:
    """The true line of each element of ``tree`` (parsed from ``data`` by :func:`parse_xml`)
    at or after line :data:`BIG_LINE`, where libxml2's own is unreliable; empty for a
    shorter document.

    The line is where the element's start tag begins, as :func:`parse_xml` makes it below
    the limit: the start tags are found in ``data`` in document order (every ``<`` of a
    well-formed document begins markup) and matched one to one with the elements. Should the
    two not agree (an encoding the scan cannot read, say), nothing is returned and lxml's
    lines stand. Only documents of that many lines pay for the scan; it runs after the
    parse, on a document the parser accepted, so it reads nothing the parser did not.
    """
    raw = _lines_end_in_lf(data)
    if raw.count(b"\n") < BIG_LINE - 1:  # (in a 16-bit encoding, a few too many at worst)
        return {}
    tags = _scanned(raw, tree)
    if tags is None:
        return {}
    return {
        element: first
        for element, first, _ in tags
        if not (isinstance(known := element.sourceline, int) and known < BIG_LINE)
    }


def _begin_lines(raw: bytes, tree: etree._ElementTree) -> None:
    """Give each element whose start tag is broken over lines the line the tag begins on
    (libxml2 keeps the line it ends on: a ``Transition`` whose ``To`` is wrong was reported
    two lines below it), below :data:`BIG_LINE` (:func:`exact_lines` past it)."""
    if _BROKEN_START.search(raw) is None:
        return
    for element, first, last in _scanned(raw, tree) or ():
        known = element.sourceline
        if first != last and isinstance(known, int) and known == last < BIG_LINE:
            element.sourceline = first


def _scanned(raw: bytes, tree: etree._ElementTree) -> list[tuple[etree._Element, int, int]] | None:
    """Each element of ``tree`` with the lines its start tag begins and ends on, scanned
    from ``raw`` (its document, line ends made line feeds); None when the scan does not
    read the document as libxml2 did (an element's known line is neither)."""
    lines: list[tuple[int, int]] | None = None
    for start, codec, mark in _WIDE_STARTS:
        if raw.startswith(start):
            try:
                lines = _tag_lines(raw[mark:].decode(codec), _MARKUP_TEXT, "<", "\n")
            except UnicodeDecodeError:
                return None
            break
    else:
        lines = _tag_lines(raw, _MARKUP_BYTES, b"<", b"\n")
    elements = [el for el in tree.getroot().iter() if isinstance(el.tag, str)]
    if lines is None or len(lines) != len(elements):
        return None
    for element, both in zip(elements, lines, strict=True):
        known = element.sourceline
        if isinstance(known, int) and known < BIG_LINE and known not in both:
            return None
    return [(el, first, last) for el, (first, last) in zip(elements, lines, strict=True)]


def _start_tag_lines(
    text: AnyStr, markup: re.Pattern[AnyStr], opener: AnyStr, newline: AnyStr
) -> list[int] | None:
    """The line on which each start tag of ``text`` ends, in document order; None when an
    ``opener`` (``<``) begins no markup (:func:`_tag_lines`)."""
    lines = _tag_lines(text, markup, opener, newline)
    return None if lines is None else [last for _, last in lines]


def _tag_lines(
    text: AnyStr,
    markup: re.Pattern[AnyStr],
    opener: AnyStr,
    newline: AnyStr,
    stop: int | None = None,
) -> list[tuple[int, int]] | None:
    """The lines on which each start tag of ``text`` begins and ends, in document order (the
    first ``stop`` of them, when given); None when an ``opener`` (``<``) begins no markup.

    Why stop there: every ``<`` of a document the parser accepted begins markup, so one that
    begins none means the scan does not read the document as the parser did (the bytes of
    an ``ISO-2022-JP`` text hold ``<`` and ``"`` inside its characters), and its lines would
    be guesses. Searching on from there, as a search for the next match does, tried every
    later ``<`` against the rest of the text: a run of such bytes cost time quadratic in
    its length (5 s for 10,000 such bytes, 2 minutes for 40,000). Each piece of
    markup is now matched once, where its ``<`` is, and only the first failure reads on to
    the end: linear in the document's size."""
    out: list[tuple[int, int]] = []
    line, position, start = 1, 0, text.find(opener)
    while start >= 0:
        match = markup.match(text, start)
        if match is None:
            return None
        if match.group()[1:2] not in _NOT_START:
            first = line + text.count(newline, position, start)
            line = first + text.count(newline, start, match.end())
            position = match.end()
            out.append((first, line))
            if len(out) == stop:
                break
        start = text.find(opener, match.end())
    return out


#: what follows the ``<`` of markup other than a start tag
_NOT_START = frozenset({"!", "?", "/", b"!", b"?", b"/"})


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
    if isinstance(code, int) and "ENTITY" in name and name != "ERR_UNDECLARED_ENTITY"
)


def _is_entity_abuse(exc: etree.XMLSyntaxError, data: bytes) -> bool:
    """Whether a parse failure comes from entity declarations rather than broken XML.

    libxml2 stops some attacks itself (the billion-laughs amplification limit) even though
    entities are not substituted; those must still be reported as refused, not as malformed.
    A resource limit counts only when the document declares entities: without declarations
    it is one of the limits :func:`_resource_limit` names.
    """
    # lxml-stubs lacks XMLSyntaxError.code (libxml2's error number of this very failure)
    if exc.code in _ENTITY_ERROR_CODES:  # type: ignore[attr-defined]
        return True
    return any(form in data for form in _ENTITY_DECLARATION_FORMS)


#: lower-case fragments of libxml2's messages for each limit (its current wording and older ones)
_DEPTH_MESSAGES = ("excessive depth",)
_TEXT_MESSAGES = ("text node too long", "huge text node", "buffer size limit", "too big found")


def _resource_limit(exc: etree.XMLSyntaxError, line: int | None) -> XpdlLoadError | None:
    """The refusal for a libxml2 resource limit (nesting depth, text length), if it was one.

    libxml2 reports these with one generic error number (or none useful, in older versions),
    so the message is what tells them apart. Each gets its own code and says which limit was
    hit and where, because "not well-formed" or "entities refused" would send the author
    looking for a fault that is not there.
    """
    reason = exc.msg.lower()
    where = f" at line {line}" if line is not None else ""
    if any(fragment in reason for fragment in _DEPTH_MESSAGES):
        return _refuse(
            "xml-too-deep",
            f"elements nest deeper than the limit of {MAX_DEPTH} levels{where}",
            line,
        )
    if any(fragment in reason for fragment in _TEXT_MESSAGES):
        return _refuse(
            "xml-text-too-large",
            f"a text, comment or attribute value{where} is longer than the limit of "
            f"{MAX_TEXT_BYTES} bytes",
            line,
        )
    return None


def _check_doctype(tree: etree._ElementTree, data: bytes) -> None:
    """Refuse a document type declaration, at the line of its ``<!DOCTYPE``."""
    why = _doctype_refusal(tree)
    if why is not None:
        raise _refuse("xml-forbidden", why, _doctype_line(data))


def _doctype_refusal(tree: etree._ElementTree) -> str | None:
    """Why the document's type declaration is refused: entity declarations, an external DTD
    reference, or any other (each named as what it is); None without one."""
    docinfo = tree.docinfo
    # lxml-stubs lacks DocInfo.system_url and DTD.iterentities; both exist since lxml 2.x
    external = docinfo.system_url or docinfo.public_id  # type: ignore[attr-defined]
    if external:
        return f"the document refers to an external DTD ({external}); DTDs are not loaded"
    dtd = docinfo.internalDTD
    if dtd is None:
        return None
    for entity in dtd.iterentities():  # type: ignore[attr-defined]
        kind = "external entity" if entity.system_url else "entity"
        return (
            f"the DTD declares {kind} {entity.name!r}; entity declarations are refused "
            "(XPDL documents never need them)"
        )
    # any other DTD too: an XML parser applies the attribute defaults of an internal subset
    # (`<!ATTLIST Activity StartMode CDATA "Automatic">`), so a DTD could change what the
    # document says without the elements showing it
    # lxml-stubs lacks DocInfo.doctype (the declaration as written, since lxml 2.x)
    declared = docinfo.doctype or "<!DOCTYPE>"  # type: ignore[attr-defined]
    return (
        f"the document has a document type declaration ({declared}); DTDs "
        "are refused (XPDL documents never need one, and its attribute defaults would "
        "change what the elements say)"
    )


def _doctype_line(data: bytes) -> int | None:
    """The line of the document's ``<!DOCTYPE``, which libxml2 does not keep (in the 16- or
    32-bit encoding the document begins in, :data:`_WIDE_STARTS`; else in bytes, as ASCII
    writes it); None when not found."""
    raw = _lines_end_in_lf(data)
    codec = next((c for start, c, _ in _WIDE_STARTS if raw.startswith(start)), "latin-1")
    text = raw.decode(codec, errors="replace")
    at = _prolog_doctype(text)
    return text.count("\n", 0, at) + 1 if at is not None else None


#: the prolog's spans that may hold ``<!DOCTYPE`` as text: a comment, a processing instruction
_PROLOG_SKIPPED = (("<!--", "-->"), ("<?", "?>"))


def _prolog_doctype(text: str) -> int | None:
    """Where the document type declaration begins in ``text``: its prolog read markup by
    markup, past comments and processing instructions (whose text may say ``<!DOCTYPE``
    too), once through (linear); None when another markup (the root element) or the end
    comes first."""
    at = text.find("<")
    while at >= 0:
        if text.startswith("<!DOCTYPE", at):
            return at
        close = next((c for o, c in _PROLOG_SKIPPED if text.startswith(o, at)), None)
        if close is None:
            return None
        end = text.find(close, at + 2)
        at = text.find("<", end + len(close)) if end >= 0 else -1
    return None


def _check_entity_references(root: etree._Element) -> None:
    """Refuse entity references left in the tree (only possible without a declaration check)."""
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise _refuse(
                "xml-forbidden",
                f"entity reference {node.text} is refused",
                line if isinstance(line := node.sourceline, int) else None,
            )
