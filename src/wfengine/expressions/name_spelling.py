"""Names Python would read as other names, and the one spelling stored deployments may keep.

Python's parser normalises every identifier (NFKC): ``ｌｅｎ`` reads as ``len``, ``ﬁle`` as
``file``, and ``cafe`` with a combining accent (``café`` as macOS writes it) as the composed
``café``. The lexer refuses such a name (:func:`name_problem`), so a text never reads a name
a reviewer does not see, or another field than its own.

A wfengine before that refusal read a decomposed name as Python does, composed, and stored
deployments keep such texts; their instances must go on running. So while a deployment stored
then is compiled (:func:`composing_stored_names`, which the runtime's compiler opens for one the
store marks so, ``deployments.reads_expressions_as_before``) a name that
only differs from its composed spelling (NFC) is read as before, and recorded so that the
compiler can warn; a name with compatibility characters was always refused and still is. The
expressions layer cannot know the runtime's flag, hence a context variable here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: while a stored deployment is compiled: the decomposed names let through, else None
_LET_THROUGH: ContextVar[set[str] | None] = ContextVar(
    "wfengine_stored_decomposed_names", default=None
)


def name_problem(name: str) -> str | None:
    """Why Python would read the identifier ``name`` as another name (NFKC normalisation), or
    None when it reads it as written (or refuses it itself: an invalid character).

    The lexer's NAME token takes every non-ASCII character, as Python's tokenizer does, so
    all Python reads as one name is checked. Names already in normal form (``größe``,
    ``नमस्ते``) are fine; script targets alike.
    """
    normal = unicodedata.normalize("NFKC", name)
    if normal == name or not name.isidentifier():
        return None
    if is_decomposed(name):
        return (
            f"the name {name!a} is not spelt composed (a letter and a separate combining "
            f"mark, as some editors and macOS write it) and would read as the other name "
            f"{normal!r}; write it composed (Unicode NFC), as {normal!r}"
        )
    return (
        f"the name {name!r} is spelt with compatibility characters and would read as "
        f"{normal!r}; write {normal!r} plainly"
    )


def is_decomposed(name: str) -> bool:
    """True when Python reads ``name`` as another name only because it is not composed: its
    NFC spelling is what Python reads (no compatibility character is involved)."""
    composed = unicodedata.normalize("NFC", name)
    return composed != name and unicodedata.normalize("NFKC", name) == composed


def expression_name_problem(name: str) -> str | None:
    """:func:`name_problem` for a name an expression reads; None too for a decomposed name
    while a stored deployment is compiled (:func:`composing_stored_names`), which is recorded
    and then read composed, as the wfengine that deployed it read it."""
    problem = name_problem(name)
    if problem is None:
        return None
    let_through = _LET_THROUGH.get()
    if let_through is None or not is_decomposed(name):
        return problem
    let_through.add(name)
    return None


def names_composed() -> set[str] | None:
    """The set :func:`composing_stored_names` fills, while one is open here, else None."""
    return _LET_THROUGH.get()


@contextmanager
def composing_stored_names() -> Iterator[set[str]]:
    """Read the expressions of a deployment an earlier wfengine stored: a decomposed name is
    read composed instead of refused. Yields the set of such names met, filled as texts are
    parsed.

    Parses are cached by text and by whether they were made here
    (:func:`wfengine.expressions.expression.build_expression`, which adds the names a cached
    parse met to the set): one made here accepts what a new definition may not, so it is never
    handed to a parse outside (another thread's, deploying a new definition meanwhile).
    """
    found: set[str] = set()
    token = _LET_THROUGH.set(found)
    try:
        yield found
    finally:
        _LET_THROUGH.reset(token)
