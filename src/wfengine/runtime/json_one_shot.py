"""A ``json.JSONEncoder``'s text of one value, without its two Python-level calls.

``JSONEncoder.encode`` calls ``iterencode``, which makes the C encoder with the encoder's
options (and a Python float formatter it then leaves unused) and joins what it writes. For
the short values a store writes per command (an audit detail, an outbox payload, a work
item's people), those two calls were most of the encoding. :func:`one_shot` makes the same C
encoder with the same options, directly: the same text, the same errors (a circular
reference, a value JSON has no form for). It keeps the encoder it made, one per thread, for
the next value (making it was a third of a short value's encoding, and a command encodes a
dozen): only after a success, when the ids of the containers it was in (its circular
reference check) are gone from it again; a failure mid-way can leave some.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any


def one_shot(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """What ``encoder.encode`` returns, as a function; ``encoder.encode`` itself on a
    Python without the C encoder, or for an encoder that indents (whose text the C encoder
    does not write) or is a subclass (which may write its own)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if encoder.ensure_ascii:
        escape = getattr(json.encoder, "c_encode_basestring_ascii", None)
    else:
        escape = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or escape is None or encoder.indent is not None:
        return encoder.encode
    if type(encoder) is not json.JSONEncoder:
        return encoder.encode
    e = encoder
    options = (e.indent, e.key_separator, e.item_separator, e.sort_keys, e.skipkeys)
    default, allow_nan, circular, join = e.default, e.allow_nan, e.check_circular, "".join

    kept = threading.local()

    def encode(value: Any) -> str:
        # taken while in use (a call within it makes its own), kept only after a success
        made = kept.__dict__.pop("made", None)
        if made is None:
            made = make({} if circular else None, default, escape, *options, allow_nan)
        text = join(made(value, 0))
        kept.made = made
        return text

    return encode
