"""Loading and dumping XPDL: the public entry points over the codec.

``load_xpdl`` accepts a path or the document bytes so a host application can load from a file,
a database column or an upload alike. Errors that make the document unreadable raise
:class:`~wfengine.errors.XpdlLoadError`; everything else becomes a diagnostic on the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from wfengine.definition.model import Package


def load_xpdl(source: str | os.PathLike[str] | bytes, *, schema: bool = True) -> Package:
    """Read an XPDL 1.0/2.0/2.1/2.2 document from a path or from its bytes.

    ``schema=False`` skips the XSD check (faster; no schema-violation warnings).
    Raises ``XpdlLoadError`` when the document is not usable XML or not XPDL, and ``OSError``
    when the file cannot be read.
    """
    from wfengine.definition.xpdl.reader import read_package

    if isinstance(source, bytes | bytearray):
        return read_package(bytes(source), source=None, schema=schema)
    path = Path(source)
    data = path.read_bytes()
    return read_package(data, source=str(path), schema=schema)


def dump_xpdl(package: Package) -> bytes:
    """Write a package as an XPDL 2.2 document (UTF-8 bytes with an XML declaration)."""
    from wfengine.definition.xpdl.writer import write_package

    return write_package(package)
