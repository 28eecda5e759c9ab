"""The names an expression's text may read, found without parsing it (which dialect it is
written in does not matter): what tells a call's parameters that pass a sensitive field on
(:mod:`wfengine.applications.specs`) and a ``sensitive-mark`` hint which call passes what.

Why not ``[^\\W\\d]\\w*``: ``\\w`` leaves out the combining marks many scripts write words
with (Devanagari's vowel signs and virama, Thai's vowels above), which Python's tokenizer
takes into a name: ``कार्ड`` read as ``कार`` and ``ड`` was no field, and a sensitive field
so named went to the audit trail in clear."""

from __future__ import annotations

import re

#: a letter or ``_``, then anything but whitespace and ASCII punctuation: a run that may hold
#: a name (cut back to one below)
_RUN = re.compile(r"[^\W\d][^\s!-/:-@\[-^`{-~]*")


def names_in(text: str) -> list[str]:
    """Each name ``text`` may read, in order: the longest identifier each run starts with."""
    found: list[str] = []
    for run in _RUN.findall(text):
        while run and not run.isidentifier():
            run = run[:-1]
        if run:
            found.append(run)
    return found
