"""How the text of an XPDL element becomes a string of the model: one rule per kind of text,
which the XPDL reader reads by and the builder builds by.

Why the builder shares them: it promises the model the reader produces for the equivalent
document, and a deployment tells versions apart by that model. A built package kept
``script="\\nx = 1\\n"`` or ``initial=""`` as given while the file written from it read back
as ``"x = 1"`` and None, so a host deploying the built package and a user deploying the file
it wrote made a new version each time. Each rule is here once, so the two cannot drift apart.

The rules differ by what the text is. An expression, a name, a number or a date written as an
element's text (``Script``, ``Expression``, ``InitialValue``, ``Priority``, ``Performer``,
``ValidFrom``) is read without the indentation around it, and a blank one says nothing
(:func:`element_value`); an item of a list keeps its place even when blank
(:func:`list_item`, an actual parameter). A Description's spaces and line breaks are its
author's (:func:`prose`). Kept XML (a trigger element's ``TimeCycle``) is kept as written, but
whitespace alone between elements is indentation (:func:`node_text`).
"""

from __future__ import annotations


def element_value(text: str | None) -> str | None:
    """An element's text as a value (an expression, a name, a date): without the whitespace
    around it, None when there is nothing else."""
    if text is None:
        return None
    return text.strip() or None


def list_item(text: str) -> str:
    """An item of a positional list (an actual parameter) as a value: without the whitespace
    around it, and ``""`` when blank, since the list's positions are what it means."""
    return text.strip()


def prose(text: str | None) -> str | None:
    """Free text (a Description) exactly as written; None only when there is none at all."""
    return text or None


def node_text(text: str | None) -> str | None:
    """The text of kept XML as written; None when blank (indentation between elements)."""
    return text if text is not None and text.strip() else None
