"""Loading and dumping XPDL: the public entry points over the codec.

``load_xpdl`` accepts a path, the document bytes or a binary stream so a host application can
load from a file, a database column or an upload alike. A path or a stream is read only up to
the size limit (one byte more, to know it was exceeded), so neither ``/dev/zero`` nor an endless
upload can exhaust memory before the limit is applied. Errors that make the document unreadable
raise :class:`~wfengine.errors.XpdlLoadError`; everything else becomes a diagnostic on the
package.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

from wfengine.definition.model import Package
from wfengine.errors import DefinitionError, XpdlLoadError

_TEXT_STREAM = (
    "load_xpdl: this stream is open in text mode (it reads str, not bytes): open the file in "
    "binary mode (open(path, 'rb')), or pass its path or the document's bytes"
)


def load_xpdl(source: str | os.PathLike[str] | bytes | BinaryIO, *, schema: bool = True) -> Package:
    """Read an XPDL 1.0/2.0/2.1/2.2 document from a path, its bytes or a binary stream.

    ``schema=False`` skips the XSD check (faster; no schema-violation warnings). Diagnostics
    name the file when ``source`` is a path. Raises ``XpdlLoadError`` when the document is not
    usable XML or not XPDL (``xml-too-large`` as soon as a file or stream yields more than the
    limit, the rest unread), and ``OSError`` when it cannot be read. XPDL *text* given as a
    ``str`` (it starts with ``<`` or holds a line break: no path does) is a ``TypeError``
    saying to pass its bytes, rather than an ``OSError`` quoting the document as a file name;
    so is anything that is neither a path, bytes nor a stream, and a stream in text mode
    (``open(path)``, ``io.StringIO``): the reader needs the bytes, whose encoding the XML
    declaration names. An empty path (``""``) is a ``ValueError``: read as a path it named
    the current directory, an ``IsADirectoryError`` about ``'.'``.
    """
    from wfengine.definition.xpdl.reader import read_package

    if isinstance(source, bytes | bytearray):
        return read_package(bytes(source), source=None, schema=schema)
    if isinstance(source, str) and (
        source.lstrip("\ufeff \t\r\n").startswith("<") or "\n" in source
    ):
        raise TypeError(
            "load_xpdl: this text is an XML document, not a path: pass its bytes "
            "(load_xpdl(text.encode())) or the path of its file"
        )
    if isinstance(source, io.TextIOBase):  # open(path), io.StringIO: yields str, not bytes
        raise TypeError(_TEXT_STREAM)
    if not isinstance(source, str | os.PathLike) and not callable(getattr(source, "read", None)):
        raise TypeError(
            "load_xpdl: source must be a path, the document's bytes or a binary stream, not "
            f"{type(source).__name__}"
        )
    if isinstance(source, str | os.PathLike):
        if not os.fspath(source):  # (Path("") is "."): IsADirectoryError naming "."
            raise ValueError("load_xpdl: the path is empty (''): pass the path of an XPDL file")
        path = Path(source)
        with path.open("rb") as stream:
            data = _read_named(stream, str(path))
        return read_package(data, source=str(path), schema=schema)
    return read_package(_read_named(source, None), source=None, schema=schema)


def _read_named(stream: BinaryIO, name: str | None) -> bytes:
    """:func:`~wfengine.definition.xpdl.secure.read_limited`, its refusal naming the source."""
    from wfengine.definition.xpdl.secure import read_limited

    try:
        return read_limited(stream)
    except TypeError:
        if callable(getattr(stream, "read", None)) and isinstance(stream.read(0), str):
            raise TypeError(_TEXT_STREAM) from None  # a text stream not of io's classes
        raise
    except XpdlLoadError as exc:
        if name is None:
            raise
        raise XpdlLoadError(exc.diagnostic.model_copy(update={"file": name})) from None


def dump_xpdl(package: Package) -> bytes:
    """Write a package as an XPDL 2.2 document (UTF-8 bytes with an XML declaration).

    Raises :class:`~wfengine.errors.DefinitionError` naming the element and what fails when a
    text holds a character XML cannot, or a name (a verbatim tag, an attribute name, a
    namespace declaration) is not one XML can hold (validation reports them as
    ``xml-character`` and ``xml-name``): also the names lxml would write without complaint
    into a file that then does not read back (an attribute called ``xmlns``, a prefix bound
    to no namespace), so no file is written that is not the package."""
    from wfengine.definition.checks.writability import unwritable_names, unwritable_texts
    from wfengine.definition.package_arg import require_package
    from wfengine.definition.xpdl.writer import write_package

    require_package(package, "dump_xpdl")

    found = next(unwritable_names(package), None)
    if found is not None:
        raise DefinitionError(f"cannot write package {package.id!r}: {found.message}")
    try:
        return write_package(package)
    except ValueError:
        found = next(unwritable_texts(package), None)
        if found is None:
            raise
        raise DefinitionError(f"cannot write package {package.id!r}: {found.message}") from None
