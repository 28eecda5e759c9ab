"""The argument the definition functions take: a loaded package, said plainly when it is not.

``validate``, ``dump_xpdl``, ``package_to_dot`` and ``unique_ids`` take a
:class:`~wfengine.definition.model.Package`, never a file. Given a path or XPDL text (an easy
slip: ``simulate`` takes a path) they used to fail deep inside with a bare ``AttributeError``
on some attribute of ``str``; they now say what to do, as ``Engine.deploy`` does.
"""

from __future__ import annotations

import reprlib

from wfengine.definition.model import Package

_shown = reprlib.Repr()
_shown.maxstring = 60
_shown.maxother = 60


def require_package(value: object, function: str) -> Package:
    """``value`` when it is a package, else a ``TypeError`` naming ``function`` and saying to
    load the file first."""
    if isinstance(value, Package):
        return value
    try:
        shown = f"{type(value).__name__} {_shown.repr(value)}"
    except Exception:  # a broken __repr__
        shown = type(value).__name__
    raise TypeError(
        f"{function}: package must be a Package: load an XPDL file (a path or its bytes) with "
        f"load_xpdl(source) first, or build one with PackageBuilder(...).build(); not {shown}"
    )


__all__ = ["require_package"]
