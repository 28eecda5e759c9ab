"""``run --answers ANSWERS.json``: what the runner merges into the data at manual activities.

The file is ``{"ActivityId": [{"var": value, ...}, ...], ...}``: the n-th completion of an
activity merges the n-th object. It is read like any other file argument (``-`` is standard
input; a file that cannot be read is exit status 2), no further than
:data:`~wfengine.cli.loading.MAX_INPUT_BYTES` (16 MiB; a longer one is a usage error), and
its content is checked before anything runs, as a usage error (exit status 2) naming what is
wrong: the shape, variable names the engine does not read as written (refused, and said, as
``--set`` does), and JSON beyond the limits of :mod:`wfengine.cli.json_input` (values nested
more than :data:`~wfengine.cli.json_input.MAX_JSON_DEPTH` levels, numbers that do not fit).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click

from wfengine.cli.assignments import is_identifier, not_a_name
from wfengine.cli.json_input import MAX_JSON_DEPTH, JsonLimitError, JsonTooDeep, loads
from wfengine.cli.loading import display_name, read_input

Answers = dict[str, list[dict[str, Any]]]
#: the levels the answers' own shape takes (object, list, object) above the values
_SHAPE_DEPTH = 3
_SHAPE = '{"ActivityId": [{"var": value}, ...], ...}'


def _bad(message: str) -> click.BadParameter:
    return click.BadParameter(message, param_hint="--answers")


def read_answers(source: str | None) -> Answers:
    """The answers in ``source`` (a path, ``-`` for standard input, None for none)."""
    if source is None:
        return {}
    name = display_name(source)
    try:
        text = read_input(source, "--answers").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"{name} is not UTF-8 text: {exc.reason}") from None
    try:
        loaded = loads(text, max_depth=MAX_JSON_DEPTH + _SHAPE_DEPTH)
    except JsonTooDeep as exc:
        raise _bad(
            f"{name}: {exc}; values may nest at most {MAX_JSON_DEPTH} levels below the "
            f"{_SHAPE_DEPTH} of the answers' own shape"
        ) from None
    except JsonLimitError as exc:
        raise _bad(f"{name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise _bad(f"{name} is not JSON: {exc}") from None
    return _checked(loaded, name)


def _checked(loaded: Any, name: str) -> Answers:
    if not isinstance(loaded, dict):
        raise _bad(f"{name}: expected {_SHAPE}")
    for activity_id, given in loaded.items():
        if not isinstance(given, list) or not all(isinstance(d, dict) for d in given):
            raise _bad(f"{name}: the entry for {activity_id!r} must be a list of objects: {_SHAPE}")
        for answer in given:
            for var in answer:
                if not is_identifier(var):  # (said as --set says it: what to write)
                    raise _bad(f"{name}: an answer for {activity_id!r}: {not_a_name(var)}")
    answers: Answers = loaded
    return answers


def answers_left(answers: Mapping[str, Sequence[Any]], used: Mapping[str, int]) -> dict[str, int]:
    """The ``--answers`` entries no completion has taken yet, per activity (``used``: the
    completions so far): part of the repeat guard's state, and what the run says it left
    unused."""
    return {activity: len(given) - used.get(activity, 0) for activity, given in answers.items()}
