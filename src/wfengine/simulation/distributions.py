"""What a scenario draws: durations and data values, read from YAML once, sampled many times.

A **duration** is written as a constant (``10m``, ``1.5h``, ``PT10M``, or a number of
seconds, at most :data:`MAX_SECONDS`, 1,000 years, as every duration a scenario gives: the
``horizon``, ``every`` and the mean gap of a Poisson rate too) or as one distribution:

- ``{fixed: 10m}``
- ``{exponential: 10m}``: the mean
- ``{normal: {mean: 10m, sd: 2m}}``: cut at zero
- ``{lognormal: {mean: 10m, sd: 5m}}``: the mean and standard deviation of the durations
  themselves (not of their logarithm)
- ``{triangular: {min: 5m, mode: 10m, max: 30m}}`` (or ``[min, mode, max]``)
- ``{uniform: [5m, 15m]}``
- ``{empirical: [4m, 6m, 11m]}``: one of the values, each as likely; ``{empirical: trail}``
  takes the activity's processing times from the scenario's ``trail`` (an audit trail in a
  database, see :mod:`wfengine.simulation.scenario`). A trail's processing time is the time
  from a step's start to its completion, closed hours included: a step begun at 16:50 and
  finished at 09:10 the next working day counts the night. With working calendars, each such
  draw is then taken as work time and stretched by the calendar again, so steps that spanned
  nights or weekends come out far too long; give such a scenario listed durations, or take
  them from a trail whose people worked around the clock.

A **data value** is a constant (any YAML scalar, list or mapping that is not one of the
forms below) or ``{uniform: [a, b]}``, ``{randint: [a, b]}`` (both ends included),
``{normal: {mean, sd}}``, ``{exponential: mean}``, ``{bernoulli: p}`` (true with
probability ``p``), ``{choice: {value: weight, ...}}`` or ``{choice: [v1, v2, ...]}``.

Every sampler takes the :class:`random.Random` to draw from, so the caller decides which
stream a draw comes from (the same arrivals and the same durations in two variants).
Mistakes are :class:`~wfengine.simulation.scenario.ScenarioError` naming the key's path.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wfengine.definition.durations import MAX_DURATION, parse_duration, too_long_to_wait
from wfengine.definition.finite_numbers import finite
from wfengine.errors import WorkflowError


class ScenarioError(WorkflowError, ValueError):
    """A scenario that cannot be run: says which file, which key and what is wrong."""


#: a duration sampler: seconds, never negative
Sampler = Callable[[random.Random], float]
#: a data-value sampler
ValueSampler = Callable[[random.Random], Any]

DURATION_KINDS = (
    "fixed",
    "exponential",
    "normal",
    "lognormal",
    "triangular",
    "uniform",
    "empirical",
)
VALUE_KINDS = ("uniform", "randint", "normal", "exponential", "bernoulli", "choice")


#: the longest duration a scenario gives, in seconds: the longest literal read
#: (:data:`~wfengine.definition.durations.MAX_DURATION`, 1,000 years); a longer one would
#: take the virtual clock past the last moment a datetime holds (the year 9999)
MAX_SECONDS = MAX_DURATION.total_seconds()
#: the limit as messages say it
AT_MOST = f"at most {MAX_SECONDS:,.0f} seconds, {MAX_DURATION.days:,} days"


def seconds_of(value: Any, where: str) -> float:
    """A duration written as a number of seconds or a duration literal, in seconds; one
    longer than :data:`MAX_SECONDS` is refused naming the limit."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: {value!r} is not a duration (write 10m, 2h or PT10M)")
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise ScenarioError(f"{where}: {value!r} is not a number of seconds")
        if value < 0:
            raise ScenarioError(f"{where}: a duration is not negative ({value!r})")
        if value > MAX_SECONDS:
            raise ScenarioError(
                f"{where}: {value!r} seconds is longer than a duration may be ({AT_MOST})"
            )
        return float(value)
    if isinstance(value, str):
        found = parse_duration(value)
        if found is not None:
            return found.total_seconds()
        if too_long_to_wait(value) is not None:  # a literal, past what parse_duration reads
            raise ScenarioError(f"{where}: {value!r} is longer than a duration may be ({AT_MOST})")
    raise ScenarioError(
        f"{where}: {value!r} is not a duration (write a number of seconds, 10m, 1.5h or PT10M)"
    )


@dataclass(frozen=True, slots=True)
class Duration:
    """One activity's or application's duration as the scenario gives it."""

    sample: Sampler
    #: the distribution's mean in seconds (what a report says it assumed)
    mean: float
    kind: str


def _one_key(spec: Mapping[str, Any], kinds: Sequence[str], where: str) -> tuple[str, Any]:
    if len(spec) != 1:
        raise ScenarioError(
            f"{where}: give one distribution (one of {', '.join(kinds)}), not {sorted(spec)}"
        )
    ((kind, arg),) = spec.items()
    if kind not in kinds:
        raise ScenarioError(f"{where}: unknown distribution {kind!r} (one of {', '.join(kinds)})")
    return str(kind), arg


def _params(arg: Any, names: Sequence[str], where: str) -> list[Any]:
    """``arg`` as the list of ``names``' values, from a mapping or a list."""
    if isinstance(arg, Mapping):
        unknown = sorted(set(arg) - set(names))
        missing = [n for n in names if n not in arg]
        if unknown or missing:
            raise ScenarioError(
                f"{where}: expects {', '.join(names)}"
                + (f"; unknown {', '.join(map(str, unknown))}" if unknown else "")
                + (f"; missing {', '.join(missing)}" if missing else "")
            )
        return [arg[n] for n in names]
    if isinstance(arg, list) and len(arg) == len(names):
        return list(arg)
    raise ScenarioError(f"{where}: expects {{{', '.join(names)}}} or a list of {len(names)}")


def duration(
    spec: Any, where: str, empirical: Callable[[], Sequence[float]] | None = None
) -> Duration:
    """Read one duration (see the module notes); ``empirical`` gives the observed seconds for
    ``{empirical: trail}``."""
    if not isinstance(spec, Mapping):
        value = seconds_of(spec, where)
        return Duration(lambda _r: value, value, "fixed")
    kind, arg = _one_key(spec, DURATION_KINDS, where)
    at = f"{where}.{kind}"
    if kind == "fixed":
        value = seconds_of(arg, at)
        return Duration(lambda _r: value, value, kind)
    if kind == "exponential":
        mean = seconds_of(arg, at)
        if mean == 0:
            return Duration(lambda _r: 0.0, 0.0, kind)
        rate = 1.0 / mean
        return Duration(lambda r: r.expovariate(rate), mean, kind)
    if kind == "normal":
        mean, sd = (seconds_of(v, at) for v in _params(arg, ("mean", "sd"), at))
        return Duration(lambda r: max(0.0, r.gauss(mean, sd)), mean, kind)
    if kind == "lognormal":
        mean, sd = (seconds_of(v, at) for v in _params(arg, ("mean", "sd"), at))
        if mean <= 0:
            raise ScenarioError(f"{at}: the mean of a lognormal duration is above zero")
        sigma2 = math.log(1.0 + (sd / mean) ** 2)
        mu, sigma = math.log(mean) - sigma2 / 2, math.sqrt(sigma2)
        return Duration(lambda r: r.lognormvariate(mu, sigma), mean, kind)
    if kind == "triangular":
        low, mode, high = (seconds_of(v, at) for v in _params(arg, ("min", "mode", "max"), at))
        if not low <= mode <= high:
            raise ScenarioError(f"{at}: needs min <= mode <= max")
        return Duration(lambda r: r.triangular(low, high, mode), (low + mode + high) / 3, kind)
    if kind == "uniform":
        low, high = (seconds_of(v, at) for v in _params(arg, ("min", "max"), at))
        if low > high:
            raise ScenarioError(f"{at}: needs min <= max")
        return Duration(lambda r: r.uniform(low, high), (low + high) / 2, kind)
    # empirical
    if arg == "trail":
        if empirical is None:
            raise ScenarioError(f"{at}: 'trail' needs the scenario's trail (a database URL)")
        values = [float(v) for v in empirical()]
        if not values:
            raise ScenarioError(f"{at}: the trail has no completed instance of this activity")
    elif isinstance(arg, list) and arg:
        values = [seconds_of(v, f"{at}[{n}]") for n, v in enumerate(arg)]
    else:
        raise ScenarioError(f"{at}: expects a list of durations or 'trail'")
    return Duration(lambda r: r.choice(values), math.fsum(values) / len(values), kind)


def value(spec: Any, where: str) -> ValueSampler:
    """Read one data-value generator (see the module notes)."""
    if not isinstance(spec, Mapping) or len(spec) != 1 or next(iter(spec)) not in VALUE_KINDS:
        constant = spec
        return lambda _r: constant
    kind, arg = next(iter(spec.items()))
    at = f"{where}.{kind}"
    if kind == "uniform":
        low, high = (number(v, at) for v in _params(arg, ("min", "max"), at))
        if low > high:
            raise ScenarioError(f"{at}: needs min <= max (min {low:g}, max {high:g})")
        return lambda r: r.uniform(low, high)
    if kind == "randint":
        low, high = (_integer(v, at) for v in _params(arg, ("min", "max"), at))
        if low > high:
            raise ScenarioError(f"{at}: needs min <= max")
        return lambda r: r.randint(low, high)
    if kind == "normal":
        mean, sd = (number(v, at) for v in _params(arg, ("mean", "sd"), at))
        if sd < 0:
            raise ScenarioError(f"{at}: sd (the standard deviation) is not negative ({sd:g})")
        return lambda r: r.gauss(mean, sd)
    if kind == "exponential":
        mean = number(arg, at)
        if mean <= 0:
            raise ScenarioError(f"{at}: the mean is above zero")
        return lambda r: r.expovariate(1.0 / mean)
    if kind == "bernoulli":
        p = probability(arg, at)
        return lambda r: r.random() < p
    # choice
    if isinstance(arg, Mapping) and arg:
        options = list(arg)
        weights = [_weight(w, f"{at}.{k}") for k, w in arg.items()]
        if not any(weights):
            raise ScenarioError(f"{at}: the weights add up to zero")
        return lambda r: r.choices(options, weights)[0]
    if isinstance(arg, list) and arg:
        options = list(arg)
        return lambda r: r.choice(options)
    raise ScenarioError(f"{at}: expects {{value: weight, ...}} or a list of values")


def probability(arg: Any, where: str) -> float:
    p = number(arg, where)
    if not 0.0 <= p <= 1.0:
        raise ScenarioError(f"{where}: a probability is between 0 and 1 ({arg!r})")
    return p


def _weight(arg: Any, where: str) -> float:
    w = number(arg, where)
    if w < 0:
        raise ScenarioError(f"{where}: a weight is not negative ({arg!r})")
    return w


#: the largest integer a float holds
_LARGEST = int(sys.float_info.max)


def number(arg: Any, where: str) -> float:
    """``arg``, a scenario's number, as a float. A YAML integer may have any number of digits:
    one past the float range (about 1.8e308) is refused as too large, where it raised a bare
    ``OverflowError`` (``math.isfinite`` and ``float`` convert it)."""
    if isinstance(arg, bool) or not isinstance(arg, int | float) or not finite(arg):
        raise ScenarioError(f"{where}: {arg!r} is not a number")
    if isinstance(arg, float) or abs(arg) <= _LARGEST:
        return float(arg)
    raise ScenarioError(  # (its repr may be too long for Python to write: its width says it)
        f"{where}: an integer of {arg.bit_length():,} bits is too large a number (at most "
        "about 1.8e308)"
    )


def _integer(arg: Any, where: str) -> int:
    if isinstance(arg, bool) or not isinstance(arg, int):
        raise ScenarioError(f"{where}: {arg!r} is not a whole number")
    return arg
