"""Numbers printed as JavaScript and Java print them, for the dialect front ends' ``"n=" + x``.

Python's ``repr`` of a float has the right digits (the shortest that read back as the same
number, the closest of them to it) but not the right layout: ``1e-05`` where JavaScript
prints ``0.00001`` and Java ``1.0E-5``, ``10000000.0`` where Java prints ``1.0E7``. A
condition that compares the text (``("" + rate) == "0.00005"``) would take another way than
its author's engine took, so each language's layout is followed here:

* JavaScript, ``Number::toString`` (ECMA-262, 6.1.6.1.20): plain digits for
  10**-7 < |x| < 10**21 (``0.000001``, ``123456789012345680000``, ``2`` for 2.0), otherwise
  an exponent with its sign (``1e-7``, ``1.5e+21``); ``-0`` prints as ``0``.
* Java, ``Double.toString`` (the JDK 19 specification: shortest digits, and when one digit
  would do, the two-digit decimal closest to the number): plain with at least one decimal for
  10**-3 <= |x| < 10**7 (``100.0``, ``0.001``), otherwise ``1.0E-5``, ``1.0E7``,
  ``4.9E-324``; ``-0.0`` keeps its sign.

Both print ``NaN``, ``Infinity`` and ``-Infinity``.
"""

from __future__ import annotations

import math


def _digits(value: float) -> tuple[str, int]:
    """For ``value`` > 0: its shortest round-trip digits ``d`` (no leading or trailing
    zeros) and the exponent ``n`` with value = 0.d * 10**n (ECMA-262's s, k = len(d), n)."""
    return _layout(repr(value))


def _layout(text: str) -> tuple[str, int]:
    """The digits and exponent (as :func:`_digits`) of a positive number written by Python
    (``123.45``, ``1e-05``, ``4.9e-324``)."""
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    n = len(whole) + int(exponent or 0)
    significant = digits.lstrip("0")
    n -= len(digits) - len(significant)
    return significant.rstrip("0"), n


def _non_finite(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    return None


def javascript_number_text(value: float) -> str:
    """``String(value)`` in JavaScript."""
    special = _non_finite(value)
    if special is not None:
        return special
    if value == 0:
        return "0"  # -0 too
    digits, n = _digits(abs(value))
    k = len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        exponent = n - 1
        fraction = "." + digits[1:] if k > 1 else ""
        body = f"{digits[0]}{fraction}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return ("-" if value < 0 else "") + body


def java_double_text(value: float) -> str:
    """``String.valueOf(value)`` in Java, for a ``double``."""
    special = _non_finite(value)
    if special is not None:
        return special
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    digits, n = _digits(magnitude)
    if len(digits) == 1:
        # one digit reads back as the number: Java prints the closest of two digits instead
        # (4.9E-324, not 5.0E-324); ``.1e`` rounds the exact binary value to two digits
        digits, n = _layout(format(magnitude, ".1e"))
    k = len(digits)
    if 1e-3 <= magnitude < 1e7:
        if n <= 0:
            body = "0." + "0" * -n + digits
        elif n >= k:
            body = digits + "0" * (n - k) + ".0"
        else:
            body = digits[:n] + "." + digits[n:]
    else:
        body = f"{digits[0]}.{digits[1:] or '0'}E{n - 1}"
    return ("-" if value < 0 else "") + body
