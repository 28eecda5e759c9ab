"""What the audit trail keeps of application inputs and outputs: plain values, secrets hidden.

Values of sensitive fields are replaced by ``"***"``: a formal parameter listed in its
Application's ``wfengine:sensitive`` extended attribute, or a DataField whose
``wfengine:sensitive`` is ``true``; a failed call's error text shows their values as
``"***"`` too (:func:`failure_text`). An answer of a call with sensitive parameters that is
not the mapping of OUT parameters expected (a bare value, a list, a key in another case, the
outputs nested in a record) hides its values too (:func:`audit_answer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from wfengine.applications.registry import SENSITIVE_ATTRIBUTE, exception_text
from wfengine.definition.checks.sensitive_marks import field_flag, hidden_names
from wfengine.definition.model import Application, DataField
from wfengine.json_text import iso_duration

#: what a redacted value reads as in the audit trail
REDACTED = "***"


def audit_values(values: Mapping[str, Any], sensitive: set[str] | frozenset[str]) -> dict[str, Any]:
    """``values`` as the audit trail keeps them: sensitive ones redacted, dates as ISO text,
    anything that is not plain JSON data as its ``repr``, long texts and lists, deep nesting
    and wide integers clipped (:func:`plain`)."""
    if not values:
        return {}
    shown: dict[str, Any] = {}
    # a loop, not a comprehension: most calls pass a value or two, and a comprehension (a
    # function of its own before Python 3.12) costs more than the work
    for k, v in values.items():
        if k in sensitive:
            shown[k] = REDACTED
            continue
        if type(k) is not str:  # (an application's answer may have any keys)
            k = _text(k, str)
        kind = type(v)  # (a look at the type first: most values are one of these)
        if kind is str:
            shown[k] = v if len(v) <= AUDIT_TEXT else _clipped(v)
        elif kind is float or kind is bool or (kind is int and v.bit_length() <= AUDIT_INT_BITS):
            shown[k] = v
        else:
            shown[k] = plain(v)
    return shown


def audit_answer(
    result: Any,
    sensitive: set[str] | frozenset[str],
    expected: Container[str] | None = None,
) -> Any:
    """An application's answer ``result`` as the audit trail keeps it, recorded before it is
    checked (:class:`~wfengine.applications.events.ApplicationReturned`).

    Without ``sensitive`` parameters: a mapping as :func:`audit_values` keeps it, anything
    else as :func:`plain` does. With them, an answer that is not what was asked for may hold
    a secret where no name says so, and the trail is append-only: so a bare value or a list
    is recorded only as ``"*** (TYPE)"``, and in a mapping the value of a key that is not one
    of the ``expected`` outputs (when they are known), or that names a sensitive parameter in
    another case, is ``"***"`` (its name is kept), as is every entry of a nested record
    named so (``{"data": {"Token": ...}}``)."""
    if type(result) is dict or (result is not None and isinstance(result, Mapping)):
        if not sensitive:
            return audit_values(result, sensitive)
    elif not sensitive or result is None:
        return plain(result)
    else:
        return f"{REDACTED} ({type(result).__name__})"
    hidden = frozenset(name.casefold() for name in sensitive)
    shown: dict[str, Any] = {}
    for k, v in result.items():
        name = k if type(k) is str and len(k) <= AUDIT_TEXT else _text(k, str)
        if (
            k in sensitive
            or name.casefold() in hidden
            or (expected is not None and k not in expected)
        ):
            shown[name] = REDACTED
        else:
            shown[name] = plain(v, 1, hidden)
    return shown


#: the longest text, and the most items of a list or record, the trail keeps of one value:
#: the rest is left out, saying how much there was. Why: every event that records a value
#: (a script's assignment, an application's inputs) stores it again, so a loop assigning a
#: megabyte made a 1.5 KB definition write hundreds of megabytes of trail
AUDIT_TEXT = 4096
AUDIT_ITEMS = 1000
#: the most levels of lists and records, and the widest integer, the trail keeps of one value.
#: Why: what the trail records must be storable whatever it was given (an application's answer
#: is recorded before it is checked), within the stores' limits (64 levels, 4,096 bits:
#: :mod:`wfengine.runtime.values`) with room for the event that holds it
AUDIT_DEPTH = 32
AUDIT_INT_BITS = 4096


def plain(v: Any, depth: int = 0, hidden: frozenset[str] = frozenset()) -> Any:
    """``v`` as the audit trail keeps it (``depth``: the lists and records it is inside):
    plain JSON data, clipped where it is too long, too deep or too wide, saying how much
    there was; the entries of its records whose names, case folded, are in ``hidden`` are
    ``"***"`` (:func:`audit_answer`)."""
    if type(v) is str or isinstance(v, str):
        return v if len(v) <= AUDIT_TEXT else _clipped(v)
    if v is None or isinstance(v, float):
        return v
    if isinstance(v, int):
        bits = v.bit_length()
        return v if bits <= AUDIT_INT_BITS else f"... (an integer of {bits:,} bits)"
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, timedelta | Decimal):
        return _duration_or_decimal(v)
    if isinstance(v, list | tuple):
        if depth >= AUDIT_DEPTH:
            return f"... (a list of {len(v):,} items, deeper than {AUDIT_DEPTH} levels)"
        kept = [plain(x, depth + 1, hidden) for x in v[:AUDIT_ITEMS]]
        if len(v) > AUDIT_ITEMS:
            kept.append(f"... ({len(v):,} items)")
        return kept
    if isinstance(v, Mapping):
        if depth >= AUDIT_DEPTH:
            return f"... (a record of {len(v):,} entries, deeper than {AUDIT_DEPTH} levels)"
        found = {}
        for n, (k, x) in enumerate(v.items()):
            if n == AUDIT_ITEMS:
                found["..."] = f"({len(v):,} entries)"
                break
            key = k if type(k) is str and len(k) <= AUDIT_TEXT else _text(k, str)
            if hidden and key.casefold() in hidden:
                found[key] = REDACTED
            else:
                found[key] = plain(x, depth + 1, hidden)
        return found
    return _text(v, repr)


def _duration_or_decimal(v: timedelta | Decimal) -> str | float:
    """A duration as the agents send it, an ISO 8601 duration (``PT1H30M``,
    :func:`~wfengine.json_text.iso_duration`); a finite Decimal as its
    text (``12.50``, clipped as a text is); a NaN or infinite one as the float, which the
    exports write as a float's (``"NaN"``, ``"Infinity"``). Why: both were Python's repr
    (``datetime.timedelta(seconds=5400)``, ``Decimal('12.50')``) in the audit trail and its
    exports, where ``instance show --json`` writes the value."""
    if isinstance(v, timedelta):
        return iso_duration(v)
    if v.is_finite():
        return _text(v, str)
    return float("nan") if v.is_nan() else float(v)  # (a signalling NaN has no float)


def _clipped(text: str) -> str:
    return f"{text[:AUDIT_TEXT]}... ({len(text):,} characters)"


def _text(v: Any, show: Callable[[Any], str]) -> str:
    """``show(v)`` clipped; the type's name when ``show`` fails (a broken ``__repr__``, an
    integer too long for text)."""
    try:
        text = show(v)
    except Exception:
        return f"<{type(v).__name__}>"
    return text if len(text) <= AUDIT_TEXT else _clipped(text)


def failure_text(
    exc: BaseException, inputs: Mapping[str, Any], sensitive: set[str] | frozenset[str]
) -> str:
    """How the audit trail and an incident tell that a call raised ``exc``: its type and
    message, with the values of the call's ``sensitive`` inputs shown as ``***`` (an HTTP
    4xx body or a validation error often echoes the request). Every recorder of a failed
    call (:class:`~wfengine.applications.events.ApplicationFailed`) makes its text here.

    Whatever the exception is, this gives a text: an exception whose ``str()`` fails (a
    ``__str__`` reading an attribute its ``__init__`` never set) is told by its type, as
    raising here would escape the engine's command half done. A text longer than
    :data:`FAILURE_TEXT` is clipped, saying how much was left out: every attempt's record and
    the incident store it, so a 20 MB message with two retries wrote 140 MB."""
    error = exception_text(exc)
    dropped = len(error) - FAILURE_TEXT
    if dropped > 0:  # clipped before masking, which reads the whole text
        error = error[:FAILURE_TEXT]
    if sensitive:
        error = masked_text(error, (inputs[k] for k in sensitive if k in inputs))
    if dropped > 0:
        error = f"{error}... ({dropped:,} more characters left out)"
    return error


#: the longest text :func:`failure_text` keeps of a failure's message (the rest is left out)
FAILURE_TEXT = AUDIT_TEXT


def masked_fields(text: str, data: Mapping[str, Any], fields: Collection[str]) -> str:
    """``text`` with the values in ``data`` of the sensitive ``fields`` (an instance's
    ``sensitive_fields``) shown as ``***`` (:func:`masked_text`). The one rule every failure
    text an instance records follows beyond :func:`failure_text`'s (which knows only the
    call's own inputs): its incidents' messages, and each failed attempt's
    ``application.failed`` record, whether the call was synchronous or an ``invoke`` job's.
    Why both: a service's error that echoed a secret which was no parameter of the call (a
    PIN beside the user name it was sent) was ``***`` in the incident but stored in clear,
    for ever, in the append-only trail beside it."""
    if not fields:
        return text
    return masked_text(text, (data.get(name) for name in fields))


def masked_text(text: str, values: Iterable[Any]) -> str:
    """``text`` with every scalar of ``values`` (the items of a list or record too) shown as
    ``***``, as written and as JSON and Python's quotes escape it. Texts shorter than 3
    characters are left: they would mask unrelated words. Part of a text value is hidden
    too: every run of at least :data:`PART` characters that is part of one (an expression's
    ``int(iban[5:])`` fails quoting the digits after the country code); a number only whole.
    Only a failure's text is masked: the cost is never on a command's normal path."""
    texts: set[str] = set()  # each text's forms
    numbers: set[str] = set()
    for value in values:
        for leaf in _leaves(value, [AUDIT_ITEMS]):
            if isinstance(leaf, str):
                texts.update(
                    (
                        leaf,
                        json.dumps(leaf)[1:-1],
                        json.dumps(leaf, ensure_ascii=False)[1:-1],
                        repr(leaf)[1:-1],
                    )
                )
            elif isinstance(leaf, int | float):
                numbers.add(str(leaf))
            else:
                numbers.update(_written_forms(leaf))
    # the longest first: a secret that contains another is hidden whole
    for secret in sorted(texts | numbers, key=len, reverse=True):
        if len(secret) >= 3 and secret in text:
            text = text.replace(secret, REDACTED)
    return _masked_parts(text, [t for t in texts if len(t) > PART])


#: the fewest characters of a secret text that :func:`masked_text` hides as a part of it
PART = 4


def _masked_parts(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every run of :data:`PART` or more characters that is made of parts of
    ``secrets`` shown as one ``***``."""
    grams = {text[i : i + PART] for i in range(len(text) - PART + 1)}
    common: set[str] = set()
    for secret in secrets:  # (each secret is read once, however long)
        for i in range(len(secret) - PART + 1):
            gram = secret[i : i + PART]
            if gram in grams:
                common.add(gram)
    if not common:
        return text
    out: list[str] = []
    kept = 0  # text[kept:] is not written yet
    end = -1  # where the run being hidden ends
    for i in range(len(text) - PART + 1):
        if text[i : i + PART] in common:
            if i > end:  # a new run begins (one that goes on where the last ended is one)
                out.append(text[kept:i])
                out.append(REDACTED)
            end = i + PART
            kept = end
    out.append(text[kept:])
    return "".join(out)


def _written_forms(value: date | time | timedelta | Decimal) -> set[str]:
    """How a failure's text may write a date, time, duration or decimal ``value``: as
    ``str`` (a datetime's with a space), ISO 8601, ``repr`` (``datetime.date(1980, 5, 17)``)
    and, for a datetime, its day alone. Why: a sensitive DATE showed in clear in an incident
    ("born 1980-05-17") while texts and numbers beside it were masked. Masked whole only (a
    part of a date, "1980", would hide unrelated numbers).

    Also as the tool agents send it: a duration as an ISO 8601 duration (``PT76H``,
    :func:`~wfengine.json_text.iso_duration`), a decimal as a plain
    number (``format(value, "f")``, and the JSON number ``json_default`` makes of it), and a
    date-time or time at UTC with ``Z``: a service answering 422 echoes the request, and
    the str form alone was masked (a sensitive wait of 3 days showed as ``PT76H``)."""
    forms = {str(value), repr(value)}
    if isinstance(value, date | time):
        forms.add(value.isoformat())
        if isinstance(value, datetime | time) and value.utcoffset() == timedelta(0):
            forms.add(value.isoformat().replace("+00:00", "Z"))
    if isinstance(value, datetime):
        forms.add(value.date().isoformat())
    elif isinstance(value, timedelta):
        forms.add(iso_duration(value))
    elif isinstance(value, Decimal) and value.is_finite() and abs(value.adjusted()) <= 64:
        # (bounded: Decimal("1e999999") written out is a million digits)
        forms.add(format(value, "f"))
        forms.add(str(float(value)))
        if value == value.to_integral_value():
            forms.add(str(int(value)))
    return forms


#: the scalars :func:`_leaves` yields besides texts and numbers: what data may hold
#: (:mod:`wfengine.runtime.values`)
_OTHER_SCALARS = (date, time, timedelta, Decimal)


def _leaves(value: Any, budget: list[int], depth: int = 0) -> Iterator[Any]:
    """The scalars in ``value`` (at most ``budget[0]`` of them, 64 levels): texts, numbers
    and the dates, times, durations and decimals data may hold."""
    if value is None or isinstance(value, bool) or budget[0] <= 0 or depth > 64:
        return
    if isinstance(value, _OTHER_SCALARS):
        budget[0] -= 1
        yield value
    elif isinstance(value, str | int | float):
        budget[0] -= 1
        if isinstance(value, int) and value.bit_length() > 4096:
            return  # (not an input the engine passes: data holds no wider integers)
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item, budget, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item, budget, depth + 1)


def sensitive_formals(app: Application) -> frozenset[str]:
    """Formal parameter ids listed in the Application's ``wfengine:sensitive`` attribute
    (separated by white space, ``,`` or ``;``), and those the reading before ``;`` separated
    took (a formal ``pan;v2`` listed whole): :func:`~wfengine.definition.checks.
    sensitive_marks.hidden_names`. Why both: a deployment stored by an older wfengine must
    not show a value in clear that it hid; a name too many hides nothing else."""
    return hidden_names(app.extended_attribute(SENSITIVE_ATTRIBUTE))


def is_sensitive_field(field: DataField) -> bool:
    """A DataField whose ``wfengine:sensitive`` attribute is true (or present without value).

    A value that is neither true nor false (``treu``) is read as true: validation refuses it
    (``sensitive-mark``), so only a definition deployed before that check has one, and there
    a value shown as ``***`` by mistake loses nothing, while one shown in clear by mistake
    stays in the append-only trail."""
    for ea in field.extended_attributes:
        if ea.name == SENSITIVE_ATTRIBUTE:
            return field_flag(ea) is not False
    return False
