"""How the CRM keys a phone number (:func:`phone_key`) and writes an acceptance number
(:func:`acceptance_label`): one key for every way a hotline agent, a web form or an input
method writes one number, in every table and lookup (``crm.py`` re-exports both).

Why a module of its own: the keying is the one rule every table, lookup and upgrade
(``schema.py``) shares, and the web centre's export keys phones alike (``status_export.py``).
"""

from __future__ import annotations

import re
import unicodedata

from wfengine.errors import DataTypeError

#: the country calling code of the call centre's customers (mainland China)
COUNTRY_CODE = "86"
#: a complete national number: a mobile (11 digits, 1...), or a landline's area code (10,
#: 2x or 3 digits from 3xx to 9xx) and its local number (7 or 8 digits)
_NATIONAL = re.compile(r"1\d{10}|(?:10|2\d|[3-9]\d\d)\d{7,8}")
#: a mobile number (what takes an SMS): 11 digits, 13x to 19x
_MOBILE = re.compile(r"1[3-9]\d{9}")
#: the longest phone key (:func:`phone_key`) the CRM keeps: the length of the phone columns
#: of its tables (``tables.py``) and of the web centre's (``status_export.py``). A longer key
#: (an extension or a note pasted into the phone field) is refused at intake: PostgreSQL
#: refuses to store it (SQLite stores it), so ``accept`` failed, retried, into an incident
KEY_LENGTH = 32


#: a number as a float or a spreadsheet writes one (in ASCII digits: :func:`reads_as_decimal`):
#: a whole number of 8 digits or more with a zero fraction of any length (a float's
#: ``13800000101.0``, a spreadsheet's ``...101.00`` or ``...101.0000``), a shorter one with a
#: zero fraction of one to three places (``0755.000``), or one in scientific notation
#: (``1.38000001E+10``, ``1e+16``). Why the integer part decides: a dotted phone's groups are
#: at most 7 digits before its last (``1380000.0000``, a mobile written 7-4, is a phone
#: number; its last group of four zeros is no fraction), while a number of 8 or more digits
#: before the dot is a whole phone number already, so the zeros after it are a number format's
_DECIMAL = re.compile(
    r"[+-]?(?:\d{8,}\.0+|\d{1,7}\.0{1,3})|[+-]?\d+(?:\.\d+)?[eE][+-]?\d+", re.ASCII
)

#: the most bits of a whole number given as a phone: one of more digits than a phone key keeps
#: (:data:`KEY_LENGTH`) is refused by its size (:func:`refusal`), never written out
_KEY_BITS = (10**KEY_LENGTH).bit_length()


def reads_as_decimal(text: str) -> bool:
    """Does ``text`` (digits of any script, trimmed) read as a number a float or a spreadsheet
    wrote, not as a phone number? Why: a number exported by a spreadsheet or read as a float
    comes as ``"13800000101.0"``, whose key (:func:`phone_key`) has a 12th digit, or as
    ``"1.38000001E+10"``, whose key is another, valid mobile: a stranger's. Only those two
    shapes are refused: a phone written with a dot between its parts (``+86.13800000101``,
    the ICANN form; ``010.55500101``, ``138.0000.0101``, ``1380000.0000``, ``13800000101.``)
    is no such number, and is keyed as written. Every decimal digit is read as the ASCII
    digit it is first (``١٣٨...١٠١.٠`` is ``138...101.0``), as :func:`phone_key` reads it."""
    return _DECIMAL.fullmatch(_ascii_text(text)) is not None


def refusal(phone: object) -> str | None:
    """Why the CRM keys no customer or case under ``phone``, as a phrase that names it
    (``"'+' is no phone number (it has no digits of one)"``); None for a phone it keys: text,
    or a whole number (``13800000101``, as a spreadsheet column or a JSON post gives one),
    whose key is that of the digits it writes. Why one rule: the intake, ``lookup_customer``
    and the customer import (``CrmApps.add_customers``) must refuse the same numbers, in the
    same words, each then saying what to do where it is; a number one of them took and
    another refused was a customer who could never be served, or a case keyed under a
    stranger. A float (``13800000101.0``) is refused, not read: its text has a 12th digit."""
    if phone is None:
        return "none given (no phone number)"
    if isinstance(phone, bool) or not isinstance(phone, str | int):
        return (
            f"{phone!r} is a {type(phone).__name__}, not text: give the number as text (a "
            "number read as a float gains or loses digits)"
        )
    if isinstance(phone, int) and abs(phone).bit_length() > _KEY_BITS:
        # told by its size: Python writes no integer of over 4,300 digits as text
        return (
            f"a whole number too long for a phone number (over {KEY_LENGTH} digits as the CRM "
            f"keys it, at most {KEY_LENGTH})"
        )
    return _text_refusal(str(phone))


def lookup_key(phone: object) -> str:
    """The key a lookup by ``phone`` reads (``find_case``, ``CrmApps.history``,
    ``WebDesk.lookup``): :func:`phone_key` of a phone the CRM keys; a ``DataTypeError``
    naming ``phone`` in :func:`refusal`'s words (the intake's) for one it keys no case under
    (none, no digits, a spreadsheet's number, a key too long, no text). Why: such a phone
    keyed ``""`` (or failed with a bare ``TypeError`` for none), and ``""`` is where a case
    without a usable phone is recorded (``tables.NO_PHONE``): ``history("abc")`` read every
    such case, strangers' complaints, to whoever typed a phone with no digits."""
    refused = refusal(phone)
    if refused is not None:
        raise DataTypeError(
            f"phone: {refused}; a case is looked up by the customer's phone number alone, as "
            'written ("+86 138 0000 0101"), which the CRM keeps it under; nothing was looked up'
        )
    return phone_key(str(phone))


def lookup_number(acceptance_no: object) -> str:
    """An acceptance number a lookup reads (``find_case``, ``CrmApps.history``,
    ``WebDesk.lookup``), as :func:`acceptance_key` writes it; a ``DataTypeError`` naming
    ``acceptance_no`` when it is none or no text. Why: :func:`acceptance_key` of ``None`` (a
    form posted without it) failed with a bare ``TypeError`` from ``unicodedata``."""
    if not isinstance(acceptance_no, str):
        given = "none given" if acceptance_no is None else f"{acceptance_no!r} is no text"
        raise DataTypeError(
            f"acceptance_no: {given}; give the number the customer was told, as text "
            '("0101-0001"); nothing was looked up'
        )
    return acceptance_key(acceptance_no)


def _text_refusal(phone: str) -> str | None:
    """:func:`refusal` of a phone given as text."""
    if reads_as_decimal(phone):
        return (
            f"{phone!r} reads as a decimal number (a spreadsheet's or a float's: it gains or "
            "loses digits), not a phone number"
        )
    key = phone_key(phone)
    if not key:
        return f"{phone!r} is no phone number (it has no digits of one)"
    if len(key) > KEY_LENGTH:
        return (
            f"{phone!r} is too long for a phone number ({len(key)} characters as the CRM keys "
            f"it, at most {KEY_LENGTH})"
        )
    return None


def ascii_digits(text: str) -> str:
    """The decimal digits of ``text``, of any script, as ASCII digits, in order.

    Why: a Chinese input method types full-width digits (``１３８ ００００ ０１０１``), an
    Arabic one ``١٣٨``; they are the same number, so they must make the same key (and the
    same acceptance number label). Other marks (spaces, dashes, brackets) are dropped; a
    digit-like sign that is no decimal digit (``²``) is no digit of a phone number."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def _ascii_text(text: str) -> str:
    """``text`` in NFKC, trimmed, every decimal digit of any script as its ASCII digit and
    every other character kept: what a pattern of ASCII digits (``re.ASCII``) reads. Why:
    NFKC makes a full-width ``０`` ASCII, but not an Arabic-Indic ``٠``, which ``\\d``
    matches and a literal ``0`` does not."""
    text = unicodedata.normalize("NFKC", text).strip()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def phone_key(phone: str) -> str:
    """The phone number as the CRM keys it, one key for every way of writing one number.

    A number of :data:`COUNTRY_CODE` becomes its national number, without the international
    prefix (``+``, full-width ``＋`` or ``00``), the country code (also written bare,
    ``86 138...``) or the trunk prefix ``0`` of a landline (``010 5550 0101`` is
    ``1055500101``, as ``+86 10 5550 0101`` is). Another country's number keeps its country
    code after a ``+`` (``+1 555 0101`` is ``+15550101``), so it never meets a national one.
    Digits of any script count as the ASCII digits they are (:func:`ascii_digits`). Digits
    that make no complete number (an extension, a typo) are kept as they are; no digits
    (``"+"``, ``"00"``) is no number: ``""``.
    """
    digits = ascii_digits(phone)
    plus = unicodedata.normalize("NFKC", phone.strip()).startswith("+")
    if plus or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if not digits:  # a bare "+" or "00": no number (the intake refuses it)
            return ""
        if not digits.startswith(COUNTRY_CODE):
            return "+" + digits
        return _national(digits[len(COUNTRY_CODE) :])
    bare = digits[len(COUNTRY_CODE) :]
    if digits.startswith(COUNTRY_CODE) and _NATIONAL.fullmatch(bare.removeprefix("0")):
        return _national(bare)
    return _national(digits)


def _national(digits: str) -> str:
    """``digits`` without a landline's trunk prefix ``0`` when a complete number follows."""
    if digits.startswith("0") and _NATIONAL.fullmatch(digits[1:]):
        return digits[1:]
    return digits


def sms_number(key: str) -> str | None:
    """The number an SMS to the phone keyed ``key`` goes to: a mobile's 11 digits (``1...``,
    as the national SMS gateways take it), None for a number that takes no SMS (a landline:
    ``1055500101`` is ``010 5550 0101``) or one of another country (the gateway's contract
    is for :data:`COUNTRY_CODE`)."""
    return key if _MOBILE.fullmatch(key) else None


#: the dashes an input method may type between an acceptance number's two parts
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def acceptance_key(text: str) -> str:
    """An acceptance number as typed (``０１０１－０００１`` from a Chinese input method,
    ``0101 0001``, ``01010001``) written as :func:`acceptance_label` writes it
    (``0101-0001``): digits of any script as ASCII digits, a dash or space between its two
    parts as ``-`` (none: after the fourth digit), so a customer finds their case however
    they type its number. Text of another shape is kept, trimmed (it finds nothing)."""
    digits = _DASHES.sub("-", _ascii_text(text))
    match = re.fullmatch(r"(\d{4})[\s-]*(\d{4,})", digits)
    return f"{match[1]}-{match[2]}" if match else digits


def acceptance_label(phone: str, number: int) -> str:
    """How an acceptance number is written: the phone's last four digits (ASCII) and the
    number under that phone (``"0101-0007"``)."""
    return f"{ascii_digits(phone)[-4:]:0>4}-{number:04d}"
