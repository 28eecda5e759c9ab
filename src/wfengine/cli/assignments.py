"""``--set NAME=VALUE`` options: how every command turns them into data.

VALUE is parsed as JSON when it parses (``3``, ``true``, ``"x"``, ``[1, 2]``, ``{"a": 1}``) and
taken as a plain string otherwise, so ``--set amount=250`` gives a number and ``--set
name=Ada`` a string without shell quoting games. ``run``, ``instance start`` and ``incident
skip`` share this, so a value means the same wherever it is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

_F = TypeVar("_F", bound=Callable[..., Any])


def parse_value(text: str) -> Any:
    """VALUE as JSON when it parses, else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_assignments(pairs: tuple[str, ...], option: str = "--set") -> dict[str, Any]:
    """``NAME=VALUE`` pairs as a dict (a later NAME wins); a malformed pair is a usage error."""
    data: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint=option)
        data[name.strip()] = parse_value(value)
    return data


def set_option(help_text: str) -> Callable[[_F], _F]:
    """The repeatable ``--set NAME=VALUE`` option (into the parameter ``assignments``)."""
    option: Callable[[_F], _F] = click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="NAME=VALUE",
        help=f"{help_text} VALUE is parsed as JSON when it parses, else taken as a string.",
    )
    return option
