"""How the texts of a definition are read: expressions by language, labels, literals.

Validation and the engine must agree on every text of a definition: what validation accepts,
deploy accepts, and what it calls a label the engine does not try to evaluate. So both read
through the functions here; neither interprets an expression text any other way.

* **Language.** A package's ``Script Type`` is the default; an ``Expression`` element's own
  ``ScriptType`` or ``ScriptGrammar`` overrides it (:func:`site_language`). Native and
  JavaScript/Java texts are parsed by :func:`wfengine.expressions.parse` in the matching
  dialect; texts in other languages are tried as native expressions.
* **Labels.** A text in ``ScriptGrammar="Text"``, or one that does not parse and reads like
  words (``Information available``, ``Individualteile benötigt``, ``Accepted?``), is a label
  that a modelling tool put where a condition belongs. It is never evaluated: validation
  warns (``expression-label``) and an instance that reaches it stops with an incident, which
  an operator resolves by choosing the way on. A bare word (``Yes``) is a name.
* **Unparseable.** In the native language a text that does not parse is an error (the process
  cannot deploy); in JavaScript, Java or a foreign language it is a warning and an incident
  when reached, since those files may use more of their language than the front ends read,
  unless it is over the expression limits: an error in every language.
* **Literals.** Deadline durations that are literals (``PT10M``, ``3 days``) are durations;
  initial values may be literals of the field's type (:func:`read_initial_value`).
* **Names.** Tools that key data fields by generated ids (TIBCO writes UUIDs) use the fields'
  Names in scripts; a Name that is an identifier (in any script: :func:`is_identifier`) and
  names exactly one field or formal parameter (and is no other one's Id) stands for that field
  (:func:`name_aliases`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from wfengine.definition.durations import (
    LONGEST_WAIT,
    counts_months_or_years,
    length_for_moment,
    parse_duration,
    too_long_to_wait,
)
from wfengine.definition.event_texts import unheld

# re-exported: every reader of texts asks here (their home since they were worked out once
# per package is field_names)
from wfengine.definition.field_names import is_identifier as is_identifier
from wfengine.definition.field_names import name_aliases as name_aliases
from wfengine.definition.iso_moments import iso_datetime, refusal_hint
from wfengine.definition.literals import OutOfRangeError, parse_literal, zone_free_date
from wfengine.definition.model import (
    ArrayType,
    Attrs,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    FormalParameter,
    ListType,
    Package,
)
from wfengine.definition.time_of_day import time_part_problem
from wfengine.errors import ExpressionError, ExpressionSyntaxError
from wfengine.expressions import (
    DEFAULT_LIMITS,
    Dialect,
    Expression,
    Language,
    language_of,
    parse,
)
from wfengine.expressions.limits import ExpressionLimitError
from wfengine.expressions.syntax import KeywordOperatorError

#: Words and spaces ("Claim accepted", "Individualteile benötigt"), or one word that ends in
#: ``?``, ``.`` or ``!`` ("Accepted?"): BPMN modelling tools put the gateway branch's label
#: where an executable condition belongs. A bare word (``Yes``) parses as a name and never
#: comes here: it may be a data field, and validation says when it names none. Every
#: quantifier is possessive: a run of spaces or of word characters is taken once and never
#: given back, so a text that is no label ("Claim accepted", 40,000 spaces, "(see note)")
#: fails in time linear in its length, where backtracking took quadratic time.
_PROSE = re.compile(r"\s*+[^\W\d_][\w'-]*+(?:(?:\s++[\w'-]++)++\s*+[?.!]?|\s*+[?.!])\s*+")
#: a string literal, passed over (``kind == "typeof"`` holds no operator), or a word operator
#: of Java's and JavaScript's (group 2), not a member's name (``obj.typeof``)
_WORD_OPERATOR = re.compile(
    r"""(["'`])(?:\\.|(?!\1)[^\\])*+\1?|(?<![\w$.])(instanceof|typeof)(?![\w$])"""
)


_DIALECTS = {
    Language.NATIVE: Dialect.NATIVE,
    Language.JAVASCRIPT: Dialect.JAVASCRIPT,
    Language.JAVA: Dialect.JAVA,
    Language.FOREIGN: Dialect.NATIVE,
}


class ReadKind(StrEnum):
    EXPRESSION = "expression"
    LABEL = "label"
    UNPARSEABLE = "unparseable"
    LITERAL = "literal"


@dataclass(frozen=True, slots=True)
class Reading:
    """What one text of a definition is."""

    text: str
    language: Language
    kind: ReadKind
    #: EXPRESSION: the parsed expression
    expression: Expression | None = None
    #: UNPARSEABLE: why it does not parse
    error: ExpressionSyntaxError | None = None
    #: LITERAL: the value
    value: Any = None
    #: LITERAL: why its text, an ISO 8601 text or a quoted one that does not parse, is no
    #: value of the field's type (a DATE with a time of day, ``"C:\docs"`` in Java); ``value``
    #: is then the text itself, which the type does not take
    not_of_type: str | None = None

    @property
    def refused(self) -> bool:
        """True when the text makes its process undeployable: a native syntax error, or a
        text over the expression limits in any language (no front end reads it)."""
        if self.kind is not ReadKind.UNPARSEABLE:
            return False
        return self.language is Language.NATIVE or isinstance(self.error, ExpressionLimitError)


def package_language(package: Package) -> Language:
    """The language of the package's expressions: its Script Type, native without one."""
    script_type = package.script.type if package.script is not None else None
    return language_of(script_type) or Language.NATIVE


def site_language(default: Language, attrs: Attrs = ()) -> Language:
    """The language of one expression: its ``ScriptType``/``ScriptGrammar``, else ``default``."""
    values = dict(attrs)
    stated = (language_of(values.get(a)) for a in ("ScriptType", "ScriptGrammar"))
    return next((language for language in stated if language is not None), default)


def read_expression(
    text: str, language: Language, aliases: Mapping[str, str] | None = None
) -> Reading:
    """Read ``text`` as an expression of ``language``: parsed, a label, or unparseable."""
    text = text.strip()
    if language is Language.TEXT:
        return Reading(text, language, ReadKind.LABEL)
    try:
        expression = parse(text, dialect=_DIALECTS[language], aliases=aliases)
    except ExpressionSyntaxError as exc:
        # (``x is null``, ``a and b``: Python's operators; ``x instanceof T``, ``typeof x``: Java's
        # or JavaScript's, if not after where it failed; refused naming it, not left to people)
        at = len(text) if exc.offset is None else exc.offset
        words = () if _DIALECTS[language] is Dialect.NATIVE else _WORD_OPERATOR.finditer(text)
        word = next((w[2] for w in words if w[2] and w.start() <= at), None)
        if word is not None and not isinstance(exc, KeywordOperatorError | ExpressionLimitError):
            exc = KeywordOperatorError(f"wfengine does not read {word!r}", source=text)
        if is_prose(text) and not isinstance(exc, KeywordOperatorError):
            return Reading(text, language, ReadKind.LABEL, error=exc)
        return Reading(text, language, ReadKind.UNPARSEABLE, error=exc)
    return Reading(text, language, ReadKind.EXPRESSION, expression=expression)


def is_prose(text: str) -> bool:
    """True for words and spaces only, or one word and ``?``, ``.`` or ``!``: a branch
    label, not an expression.

    A text longer than the longest expression (``max_source_length``) is no label either:
    it failed to parse for its length alone, and is not searched for words (a definition may
    come from someone the host does not trust, and may hold megabytes in one text)."""
    if len(text) > DEFAULT_LIMITS.max_source_length:
        return False
    return _PROSE.fullmatch(text) is not None


class UnreadDurationError(ExpressionSyntaxError):
    """A text written as a time that wfengine does not read as one: a duration that counts
    months or years (whose length varies) or repeats zero times (a timer's ``R0/``), or a
    date where a duration belongs or a date that is no ISO 8601 date (``2030-1-5``). Refused
    in any language, as a native syntax error is: no instance could ever wait for it."""


#: a timer's cycle that repeats zero times (``R0/PT1H``): ISO 8601's zero recurrences
_NO_REPEAT = re.compile(r"R0+/", re.IGNORECASE)
#: a timer's cycle whose count of recurrences is signed (``R-1/PT1H``): none ISO 8601 has
_SIGNED_REPEAT = re.compile(r"R[+-]\d*/", re.IGNORECASE | re.ASCII)
#: a text written as a date (year, month, day; a time may follow): as an expression it would
#: be a subtraction (``2030-1-5`` is 2024), never what was meant
_DATE_SHAPED = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt\s].*)?", re.DOTALL)
#: a date written otherwise (``12/31/2030``, ``31.12.2030``, a year of five digits): as an
#: expression a division, a number, or an octal literal's error, never a moment
_OTHER_DATE = re.compile(r"(?:\d+([/.])\d+\1\d+|\d{5,}-\d+-\d+)(?:[Tt\s].*)?", re.DOTALL)
#: an ISO 8601 reduced (``2030-01``) or ordinal (``2030-005``) date with a leading zero,
#: which no expression reads (``3600-60`` is seconds, and ``2030-12`` a subtraction whose
#: number the timer refuses as it runs)
_REDUCED_DATE = re.compile(r"\d{4}-0\d{1,2}")
#: an ISO 8601 interval with a start or an end (``PT1H/2030-01-01T10:00:00Z``,
#: ``2030-01-01T10:00:00Z/PT1H``, ``2030-01-01/2030-01-05``), repeating (``R3/...``) or not:
#: each side a duration (``P...``) or a date
_ISO_INTERVAL = re.compile(
    r"(?:R\d*/)?(?P<first>P[^/\s]*|\d{4}-[^/\s]*)/(?P<second>P[^/\s]*|\d{4}-[^/\s]*)",
    re.IGNORECASE,
)

#: a text written as an ISO 8601 duration, well formed or not: a sign perhaps, ``P``, then
#: only numbers and designators, with a number and its unit among them (``PT1H30``, ``P1DT``,
#: ``-PT1H``, ``P2D1W``; ``P1`` or ``Pt`` could be names, so they are not)
_DURATION_SHAPED = re.compile(r"[+-]?P(?=[\d.,YMWDTHS]*?\d[YMWDHS])[\d.,YMWDTHS]*+", re.IGNORECASE)
#: a repeating duration (``R/PT1H``, ``R3/PT1H``): a timer's cycle, where a deadline belongs
_REPEATING = re.compile(r"R\d*/(?P<rest>.*)", re.IGNORECASE | re.DOTALL | re.ASCII)
#: a number at the end of a duration, with no unit after it (``PT1H30``)
_BARE_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?$")


_MONTHS = (
    "it counts months or years, whose length varies, and wfengine does not read those as a "
    "duration: write days or weeks (P30D, P52W), or an expression giving the date"
)


def _refused(text: str, why: str) -> Reading:
    error = UnreadDurationError(why, source=text)
    return Reading(text, Language.NATIVE, ReadKind.UNPARSEABLE, error=error)


def _no_iso_date(text: str) -> str | None:
    """Why a text written as a date (``2030-1-5``, ``2024-13-45``, ``2030-01``) is no ISO
    8601 date wfengine reads; None when it is not written as a date, or is one."""
    shaped = _DATE_SHAPED.fullmatch(text)
    if shaped is None and _OTHER_DATE.fullmatch(text):
        return (
            "it is no ISO 8601 date: write YYYY-MM-DD, a year of four digits first (such as "
            "2030-12-31, or 2030-12-31T09:00:00Z with a time)"
        )
    if shaped is None:
        if _REDUCED_DATE.fullmatch(text):  # (read as an expression: an octal-literal error)
            return (
                "it is no full ISO 8601 date-time (a month, or a day of the year, names no "
                f"moment): write the whole date, such as {text[:4]}-01-01, or "
                f"{text[:4]}-01-01T09:00:00Z with a time"
            )
        return refusal_hint(text)  # (2030-01-05x09:00Z; 2030-01-05+19:54)
    try:
        iso_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return None
    year, month, day = (int(part) for part in shaped.groups())
    try:
        date(year, month, day)
    except ValueError as exc:
        return f"it is no date ({exc})"
    written = f"{year:04d}-{month:02d}-{day:02d}"
    clock = time_part_problem(text)  # (the date is well written: its time or zone is not)
    if clock is not None:
        return f"it is no ISO 8601 date-time: {clock}"
    return (
        f"it is no ISO 8601 date-time (write the month and day with two digits: {written}, "
        f"or {written}T09:00:00Z with a time)"
    )


def read_duration(
    text: str,
    language: Language,
    aliases: Mapping[str, str] | None = None,
    fields: Collection[str] = (),
) -> Reading:
    """A deadline duration: a duration literal, else an expression.

    A text that counts months or years, a timer cycle repeating zero times (its ``R0/``
    kept by :func:`~wfengine.definition.event_texts.timer_of`), or a text written as a date
    (``2030-1-5``), is refused (:class:`UnreadDurationError`) rather than read as an
    expression naming ``P1M`` or subtracting numbers. So is a text written as an ISO 8601
    duration that is none (``PT1H30``, ``P1DT``, ``-PT1H``, ``P2D1W``; ``R/PT1H``, a timer's
    cycle, as a deadline), unless every name it reads as is in ``fields`` (the data fields and
    formal parameters in scope) or ``aliases``: a field may be called ``PT1H30``."""
    fixed = parse_duration(text)
    if fixed is not None and fixed <= LONGEST_WAIT:
        return Reading(text.strip(), language, ReadKind.LITERAL, value=fixed)
    text = text.strip()
    why = too_long_to_wait(text)  # (a literal longer than any deadline or timer may wait)
    if why is not None:
        return _refused(text, why)
    if counts_months_or_years(text):
        why = _MONTHS
    elif (zero := _NO_REPEAT.match(text)) is not None:
        rest = text[zero.end() :]
        why = (
            f"it repeats zero times (R0), so it would never fire: write R1/{rest} to fire "
            f"once, or R/{rest} to repeat without end"
        )
    elif (signed := _SIGNED_REPEAT.match(text)) is not None:
        rest = text[signed.end() :]
        why = (
            f"its count of recurrences is signed ({text[: signed.end()]}), which ISO 8601 does "
            f"not allow: write R/{rest} to repeat without end, or Rn/{rest} for n times"
        )
    elif (interval := _ISO_INTERVAL.fullmatch(text)) is not None:
        why = _interval_refused(interval)
    elif _DATE_SHAPED.fullmatch(text) is not None:
        why = (
            "it is written as a date, where a length of time belongs (PT2H, 3 days, a number "
            "of seconds): for a moment write an expression giving it (datetime(2030, 1, 5))"
        )
    else:
        why = _no_duration(text)
        if why is not None and _names_fields(text, language, aliases, fields):
            why = None
    if why is not None:
        return _refused(text, why)
    return read_expression(text, language, aliases)


def _names_fields(
    text: str, language: Language, aliases: Mapping[str, str] | None, fields: Collection[str]
) -> bool:
    """Whether ``text`` is an expression every name of which is a field: one of ``fields``,
    or a field's Name in ``aliases`` (which the expression reads as that field's Id)."""
    reading = read_expression(text, language, aliases)
    if reading.expression is None or not reading.expression.names:
        return False
    known = {*fields, *(aliases or {}).values()}
    return all(name in known for name in reading.expression.names)


def _no_duration(text: str) -> str | None:
    """Why a text written as an ISO 8601 duration (``PT1H30``, ``-PT1H``) or a repeating one
    (``R/PT1H``) is no duration wfengine reads, saying what to write; None for any other
    text. As an expression it would only name a field ``PT1H30`` that is not there."""
    if len(text) > 200:
        return None
    repeating = _REPEATING.fullmatch(text)
    if repeating is not None:
        rest = repeating.group("rest").strip()
        if parse_duration(rest) is not None:
            return (
                "it repeats (R/), and a deadline fires once: write "
                f"{rest} (to act again and again, use a timer event whose TimeCycle repeats)"
            )
        return _no_duration(rest)
    if _DURATION_SHAPED.fullmatch(text) is None:
        return None
    if text[0] in "+-":
        unsigned = text[1:]
        if parse_duration(unsigned) is not None:
            return (
                f"it is a duration with a sign, which wfengine does not read: write {unsigned}"
                + (", the time to wait" if text[0] == "+" else " (no wait is negative)")
            )
        if counts_months_or_years(unsigned):
            return _MONTHS
        text = unsigned
    if text.upper().endswith("T"):
        problem = "a T ends it, with no hours, minutes or seconds after it"
    elif (bare := _BARE_NUMBER.search(text)) is not None:
        problem = f"its last number ({bare.group()}) has no unit"
    else:
        problem = "its parts are out of order or repeat, or a digit is none of 0-9 (P１D)"
    return (
        f"it is written as an ISO 8601 duration but is none: {problem}. Write P, then "
        "weeks (W) or days (D), then T and hours (H), minutes (M), seconds (S): "
        "PT1H30M, P1DT12H, P9D"
    )


def _interval_refused(interval: re.Match[str]) -> str:
    """Why an ISO 8601 interval with a start or an end is no timer cycle wfengine reads (and
    what to write instead: a cycle counts from when its timer is set)."""
    first, second = interval.group("first"), interval.group("second")
    every = next((p for p in (first, second) if p[:1] in "Pp"), None)
    advice = (
        f"write R/{every} (or R3/{every}) to repeat from when the timer is set"
        if every is not None
        else "write a duration (PT1H), or R/PT1H to repeat it"
    )
    return (
        "it is an ISO 8601 interval with a start or an end, which wfengine does not read as "
        f"a timer cycle (a cycle is R/<duration> or Rn/<duration>): {advice}; to wait until "
        "a moment, use a timer date (TimeDate)"
    )


def read_moment(
    text: str,
    language: Language,
    aliases: Mapping[str, str] | None = None,
    fields: Collection[str] = (),
) -> Reading:
    """A timer's ``TimeDate`` that is no ISO 8601 date-time literal (those, and a bare number
    of seconds, :func:`~wfengine.definition.event_texts.timer_of` reads first): an
    expression giving a moment. A text written as a date that is no ISO 8601 date
    (``2030-1-5``) is refused (:class:`UnreadDurationError`), not read as a subtraction; so
    is a length of time (``PT2H``: :func:`length_for_moment`), unless every name it reads as
    is one of ``fields`` (as :func:`read_duration`). (That an expression gives a moment is
    known only when it runs: the timer refuses any other value, an incident.)"""
    text = text.strip()
    why = _no_iso_date(text) or _moment_not_held(text) or length_for_moment(text)
    if why is not None and not _names_fields(text, language, aliases, fields):
        return _refused(text, why)
    return read_expression(text, language, aliases)


def _moment_not_held(text: str) -> str | None:
    """Why an ISO 8601 date-time the engine cannot keep (``0001-01-01T00:30:00+01:00`` is in
    the year 0 in UTC) is refused; None for any other text. (A literal after the end of the
    engine's time is the timer-date check's; one before its start comes here from
    :func:`~wfengine.definition.event_texts.timer_of`.)"""
    try:
        moment = iso_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    why = unheld(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))
    return None if why is None else f"it is {why}: no store can hold it"


# --------------------------------------------------------------------------- initial values

_TEXT_KINDS = frozenset(
    {BasicTypeKind.STRING, BasicTypeKind.PERFORMER, BasicTypeKind.REFERENCE, None}
)
_TIME_KINDS = frozenset({BasicTypeKind.DATETIME, BasicTypeKind.DATE, BasicTypeKind.TIME})
_VALUE_KINDS = frozenset({BasicTypeKind.INTEGER, BasicTypeKind.FLOAT, BasicTypeKind.BOOLEAN})


def read_initial_value(
    field: DataField,
    language: Language,
    types: Mapping[str, DataType],
    aliases: Mapping[str, str] | None = None,
) -> Reading | None:
    """A data field's initial value; None when it has none.

    * ``null`` (and ``None`` in the native language) is no value.
    * STRING, PERFORMER, REFERENCE fields, and in a non-native package fields of types that
      are not basic (enumerations, records...): a constant expression that gives text
      (``'hello'``, ``"A"``) is that text; anything else (``un``, ``nobody``, ``common data``)
      is the text itself.
    * DATETIME, DATE, TIME: an ISO 8601 literal is that value; anything else an expression
      (``now()``).
    * INTEGER, FLOAT, BOOLEAN: a literal of the type (``12``, ``2.5``, ``true``) is that value;
      anything else an expression (``2 + 1``).
    * Other types in a native package: an expression.
    * Arrays and lists (``IsArray``, an ArrayType or ListType, declared or inline) of any type:
      an expression, a list literal (``['a', 'b']``, ``[1, 2]``). Never the text itself, nor a
      literal of the element's type: the field holds a list, and anyone who starts an
      instance must give it one, so its initial value is read as one too.

    The InitialValue element's own ScriptType (2.x ExpressionType) wins over ``language``.
    """
    raw = field.initial_value
    if raw is None or not raw.strip():
        return None
    language = site_language(language, field.initial_value_attrs)  # its own ScriptType
    text = raw.strip()
    if text == "null" or (text == "None" and language is not Language.JAVASCRIPT):
        return Reading(text, language, ReadKind.LITERAL, value=None)
    if holds_list(field, types):
        return read_expression(text, language, aliases)
    kind = basic_kind(field.data_type, types)
    if kind in _TEXT_KINDS and (kind is not None or language is not Language.NATIVE):
        return _text_value(text, language)
    if kind in _TIME_KINDS or kind in _VALUE_KINDS:
        assert kind is not None
        try:
            value = parse_literal(text, kind)
            if kind is BasicTypeKind.DATE:
                zone_free_date(text)
            return Reading(text, language, ReadKind.LITERAL, value=value)
        except ValueError as exc:
            # an ISO 8601 text that is no value of the type (a DATE with a time of day, a
            # 13th month), or a number beyond its type's range (1e309 for a FLOAT), is a value
            # of the wrong type, and says why: not that it "does not parse" as an expression,
            # nor the infinity 1e309 computes (validation's initial-value-type)
            time_text = kind in _TIME_KINDS and _ISO_DATE.match(text)
            if isinstance(exc, OutOfRangeError) or time_text:
                return Reading(text, language, ReadKind.LITERAL, value=text, not_of_type=str(exc))
    return read_expression(text, language, aliases)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")


def holds_list(field: DataField | FormalParameter, types: Mapping[str, DataType]) -> bool:
    """True when ``field`` holds a list: ``IsArray``, or an ArrayType or ListType (through
    declared types)."""
    return field.is_array or isinstance(resolved_type(field.data_type, types), ArrayType | ListType)


def _text_value(text: str, language: Language) -> Reading:
    """Text, or the text a constant expression gives (a quoted literal is its content).

    A text quoted at both ends that does not parse (over the expression limits, a Java
    ``"C:\\docs"`` with an escape Java refuses, ``"a" "b"``) is no value of the type
    (``not_of_type``, naming the parser's reason): taken as the text, it kept its quotes."""
    if language is not Language.TEXT:
        try:
            expression = parse(text, dialect=_DIALECTS[language])
        except ExpressionSyntaxError as exc:
            if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
                return Reading(text, language, ReadKind.LITERAL, value=text)
            long = len(text) > DEFAULT_LIMITS.max_source_length
            bare = "; a longer text is written without quotes" if long else ""
            why = f"it is quoted, but no text literal in {language_name(language)}: {exc.message}"
            return Reading(text, language, ReadKind.LITERAL, value=text, not_of_type=why + bare)
        if not expression.names:
            try:
                value = expression.evaluate({}, now=_EPOCH)
            except ExpressionError:
                value = text
            if isinstance(value, str):
                return Reading(text, language, ReadKind.LITERAL, value=value)
    return Reading(text, language, ReadKind.LITERAL, value=text)


def _EPOCH() -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- names and types


def basic_kind(
    data_type: DataType, types: Mapping[str, DataType], depth: int = 0
) -> BasicTypeKind | None:
    """The basic type behind ``data_type`` (through declared types and arrays); None for
    records, schemas and the like."""
    if depth > 8:
        return None
    if isinstance(data_type, BasicType):
        return data_type.type
    if isinstance(data_type, DeclaredType):
        inner = types.get(data_type.id)
        return basic_kind(inner, types, depth + 1) if inner is not None else None
    if isinstance(data_type, ArrayType | ListType):
        return basic_kind(data_type.element, types, depth + 1)
    return None


def resolved_type(data_type: DataType, types: Mapping[str, DataType]) -> DataType | None:
    """``data_type`` with its declared types followed (as deep as :func:`basic_kind` goes);
    None for one naming no TypeDeclaration, or declared deeper than that."""
    for _ in range(9):
        if not isinstance(data_type, DeclaredType):
            return data_type
        found = types.get(data_type.id)
        if found is None:
            return None
        data_type = found
    return None


def declared_types(package: Package) -> dict[str, DataType]:
    return {t.id: t.data_type for t in package.type_declarations}


def language_name(language: Language) -> str:
    """How messages name a language."""
    return {
        Language.NATIVE: "wfengine's expression language",
        Language.JAVASCRIPT: "JavaScript",
        Language.JAVA: "Java",
        Language.TEXT: "text",
        Language.FOREIGN: "a script language wfengine does not read",
    }[language]
