"""Writability checks: what a definition holds that an XPDL file cannot, or that breaks the
schema the written file is checked against.

A package read from a file holds only what XML could carry, but one built in code
(``PackageBuilder``, the model's constructors) may hold anything a Python string can: a form
feed pasted from a word processor into a name, an Id with a space in it. Writing it (``dump_xpdl``,
and a SQL store's deploy, which keeps the XPDL text) would then fail deep inside lxml, or write a
file that strict XPDL tools refuse. These checks say so first, naming the element:

* ``xml-character`` (error): a text holds a character XML 1.0 cannot hold (a control character
  other than tab, line feed and carriage return; U+FFFE, U+FFFF; a lone surrogate);
* ``id-syntax`` (warning): an Id is not an XML name token (letters, digits, ``.``, ``-``,
  ``_``, ``:``), which every XPDL schema's Id type requires; the engine itself does not mind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from pydantic import BaseModel

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Package
from wfengine.definition.model_nodes import descendants

#: what XML 1.0 cannot hold (its Char production, as Python sees str)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: the name-token characters besides letters and digits (XML's NameChar)
_TOKEN_PUNCTUATION = frozenset("._-:\u00b7")
#: Unicode categories of name characters that ``str.isalnum`` does not cover (marks)
_TOKEN_CATEGORIES = frozenset({"Mn", "Mc"})


def _is_name_token(text: str) -> bool:
    return bool(text) and all(
        c.isalnum() or c in _TOKEN_PUNCTUATION or unicodedata.category(c) in _TOKEN_CATEGORIES
        for c in text
    )


def _label(node: BaseModel, owner: str) -> tuple[str, str | None]:
    """How a finding names ``node``: its kind and Id where it has one, else its owner's."""
    element_id = getattr(node, "id", None)
    if isinstance(element_id, str):
        return f"{type(node).__name__} {element_id!r}", element_id
    return owner, None


def _texts(node: BaseModel, owner: str) -> Iterator[tuple[str, str, str | None, int | None, str]]:
    """(element label, field, element Id, line, text) for every text under ``node``."""
    label, element_id = _label(node, owner)
    line = getattr(node, "line", None)
    for field, value in node.__dict__.items():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, str):
                yield label, field, element_id, line, item
            elif isinstance(item, tuple):  # (name, value) attribute pairs
                for part in item:
                    if isinstance(part, str):
                        yield label, field, element_id, line, part
            elif isinstance(item, BaseModel):
                yield from _texts(item, label)


def unwritable_texts(package: Package) -> Iterator[Diagnostic]:
    """An ``xml-character`` finding for each text of ``package`` XML cannot hold."""
    for label, field, element_id, line, text in _texts(package, f"package {package.id!r}"):
        found = _NOT_XML.search(text)
        if found is not None:
            yield make(
                "xml-character",
                f"{label} has a character XML cannot hold (U+{ord(found.group()):04X}) in its "
                f"{field.replace('_', ' ')}: the definition cannot be written as XPDL",
                element_id=element_id,
                line=line,
            )


def check_xml_characters(ctx: Context) -> Iterator[Diagnostic]:
    """``xml-character``: a text the XPDL file could not hold."""
    yield from unwritable_texts(ctx.package)


def check_id_tokens(ctx: Context) -> Iterator[Diagnostic]:
    """``id-syntax``: an Id the XPDL schemas would refuse."""
    for node in descendants(ctx.package):
        element_id = getattr(node, "id", None)
        if not isinstance(element_id, str):
            continue
        if not _is_name_token(element_id) and not _NOT_XML.search(element_id):
            yield make(
                "id-syntax",
                f"{type(node).__name__} Id {element_id!r} is not an XML name token (letters, "
                "digits, '.', '-', '_', ':'): XPDL's schemas refuse it, so a written file does "
                "not validate",
                element_id=element_id,
                line=getattr(node, "line", None),
            )
