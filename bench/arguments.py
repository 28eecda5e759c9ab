"""Command-line argument types shared by the benchmark scripts."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number not below ``minimum``.

    Why: a size of 0 (or too small to fill anything) ran a benchmark that divided by zero
    or measured nothing and printed zeros; argparse now names the option and what it takes.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of at least {minimum}, got {text!r}"
            )
        return value

    return parse
