"""``--set NAME=VALUE`` options: how every command reads them.

NAME must be a name as the engine reads one (:func:`~wfengine.definition.reading.is_identifier`:
letters, digits and underscores in any script, not starting with a digit, and not one Python
reads as another, ``ﬁle`` as ``file``), so a typo such as ``--set 'amount =5'`` or ``--set =5``
is a usage error rather than a variable nobody can read. A keyword (``from``, ``None``) is a
name: a JavaScript or Java package's expressions read it.

What VALUE becomes depends on whether the command knows the process:

* ``run``, ``instance start`` and ``workitem complete`` check each NAME against the process's
  declarations and coerce VALUE to the declared type (:mod:`wfengine.cli.declared_data`), and
  so do ``message send`` and ``signal send``, against the processes that take the event
  (:mod:`wfengine.cli.event_data`);
* ``incident skip`` reads VALUE as ``instance start --set`` does, by the declarations of the
  incident's process (:mod:`wfengine.cli.incident_cmd`); before it opens the database it
  checks only :func:`check_input_limits`, which holds whatever the field's type;
* an undeclared NAME (allowed by ``--allow-undeclared``; for ``incident skip``, what the
  declarations do not read) takes VALUE as JSON when it parses (``3``, ``true``, ``"x"``,
  ``[1, 2]``, ``{"a": 1}``) and as a plain string otherwise, so ``--set name=Ada`` needs no
  shell quoting games (but for an event that several processes take, where one declares it:
  that declaration's reading, which the others hold as given,
  :func:`wfengine.cli.event_data.agreed`).

JSON is parsed within the limits of :mod:`wfengine.cli.json_input` (nesting, number size: what
instance data can hold): a value beyond them is a usage error, never silently a string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from wfengine.cli.json_input import JsonLimitError, loads, storable, too_wide
from wfengine.expressions.name_spelling import name_problem
from wfengine.runtime.values import MAX_INT_BITS

_F = TypeVar("_F", bound=Callable[..., Any])

#: digits of the widest integer instance data holds (2**4096 has 1,234)
INTEGER_DIGITS = len(str(2**MAX_INT_BITS))


def too_many_digits(text: str) -> bool:
    """Whether ``text`` is an integer with more digits than instance data holds."""
    digits = text.strip().removeprefix("-").removeprefix("+").lstrip("0")
    return len(digits) > INTEGER_DIGITS and digits.isdecimal()


def check_input_limits(text: str, *, name: str, option: str = "--set") -> None:
    """Refuse (:class:`click.BadParameter`, exit status 2) VALUE text beyond the limits a
    command checks before it knows the field's type (``incident skip``, before it opens the
    database): an integer with more digits than instance data holds.

    Why only that, and not the JSON reading: a STRING field keeps ``NaN``, ``Infinity`` or
    ``1e999`` as text (``instance start --set`` stores them), so refusing them as JSON
    before the type is known refused what the field takes. The JSON limits apply where the
    value is read as JSON (:func:`parse_value`). A decimal of more than 1,234 digits is
    refused even for a STRING field: no realistic value is, and the refusal comes before
    the database is opened rather than from an INTEGER field afterwards."""
    if too_many_digits(text):
        raise click.BadParameter(f"{name}: {too_wide(text)}", param_hint=option)


def is_identifier(name: str) -> bool:
    """Can ``name`` be a data field an expression refers to? The engine's own rule
    (:func:`~wfengine.definition.reading.is_identifier`): ``str.isidentifier`` alone took
    ``ﬁle`` or a decomposed ``café``, which Python reads as ``file`` and the composed
    ``café``, and stored the value under a key no expression reads, the field the user
    meant keeping its value."""
    # (here: the module reads the definition model, which ``wfengine --help`` must not load)
    from wfengine.definition.reading import is_identifier as engine_reads

    return engine_reads(name)


def not_a_name(name: str) -> str:
    """Why ``name`` is refused as NAME (it is no :func:`is_identifier`): what to write."""
    problem = name_problem(name)
    if problem is not None:  # (it names the name and what Python reads it as)
        return problem
    return f"{name!r} is not a name: use letters, digits and underscores, not starting with a digit"


def parse_value(text: str, *, name: str = "", option: str = "--set") -> Any:
    """VALUE as JSON when it parses, else the text itself; JSON beyond the limits is a usage
    error naming ``name``."""
    try:
        return storable(loads(text))
    except JsonLimitError as exc:
        raise click.BadParameter(f"{name}: {exc}", param_hint=option) from None
    except json.JSONDecodeError:
        return text


def split_assignments(pairs: tuple[str, ...], option: str = "--set") -> dict[str, str]:
    """``NAME=VALUE`` pairs as NAME -> VALUE text.

    A pair without ``=`` or whose NAME is not an identifier is a usage error (exit 2); so is
    a NAME given twice. Why: the later value silently replaced the earlier one, so a script
    that set a field twice ran on whichever came last, while a key written twice in a JSON
    value, ``--answers`` or ``--script`` and a ``--correlate`` KEY given twice are refused.
    So is a VALUE holding a byte that is not UTF-8 (:func:`not_utf8`).
    """
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint=option)
        if not is_identifier(name):
            raise click.BadParameter(not_a_name(name), param_hint=option)
        if name in found:
            raise click.BadParameter(
                f"{name!r} is given more than once: give each NAME one value", param_hint=option
            )
        if not_utf8(value):  # (where, never the value: the field may be a sensitive one)
            at = next(i for i, ch in enumerate(value) if "\ud800" <= ch <= "\udfff")
            byte = f" 0x{ord(value[at]) - 0xDC00:02X}" if value[at] >= "\udc80" else ""
            raise click.BadParameter(
                f"{name}: its value holds a byte{byte} that is not UTF-8 (at character "
                f"{at + 1}, read as a lone surrogate): is the terminal's encoding UTF-8?",
                param_hint=option,
            )
        found[name] = value
    return found


def not_utf8(text: str) -> bool:
    """Whether command-line ``text`` held a byte that is not UTF-8 (``café`` typed in a
    Latin-1 terminal): Python reads such a byte as a lone surrogate (``'caf\\udce9'``), which
    a STRING field stored silently, a value nobody typed, while the ids and filters of every
    command are refused for it (:mod:`wfengine.cli.option_types`)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def parse_assignments(pairs: tuple[str, ...], option: str = "--set") -> dict[str, Any]:
    """``NAME=VALUE`` pairs as a dict of values parsed by :func:`parse_value`, for commands
    that have no process to check the names against."""
    return {
        name: parse_value(text, name=name, option=option)
        for name, text in split_assignments(pairs, option).items()
    }


def set_option(help_text: str, *, typed: bool = False) -> Callable[[_F], _F]:
    """The repeatable ``--set NAME=VALUE`` option (into the parameter ``assignments``).

    ``typed``: the command coerces VALUE to the declared type (see the module notes).
    """
    how = (
        "NAME is a data field or formal parameter of the process; VALUE is converted to its "
        "type (JSON for fields that are not of a basic type)."
        if typed
        else "VALUE is parsed as JSON when it parses, else taken as a string."
    )
    option: Callable[[_F], _F] = click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="NAME=VALUE",
        help=f"{help_text} {how}",
    )
    return option


def allow_undeclared_option(func: _F) -> _F:
    """The ``--allow-undeclared`` flag: let ``--set`` name variables the process does not
    declare (their VALUE is read as JSON when it parses, else as a string)."""
    decorated: _F = click.option(
        "--allow-undeclared",
        is_flag=True,
        help="Accept --set names the process does not declare (VALUE as JSON, else a string).",
    )(func)
    return decorated
