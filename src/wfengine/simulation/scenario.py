"""A simulation scenario: what arrives, how long work takes, who does it, which way cases go.

Written in YAML (every key optional but ``arrivals``)::

    name: three coordinators
    process: complaint            # the package's process to run (default: its first)
    start: 2027-01-04T00:00:00Z   # the virtual clock's start (default: Monday 4 Jan 2027, UTC)
    # start: 2027-03-22T00:00:00[Europe/Paris]   # calendars read on that zone's clock
    instances: 1000               # how many cases arrive (``--instances`` overrides)
    horizon: 30d                  # stop the clock this long after the start (default: none)
    arrivals:                     # one of poisson, every, at, trace
      poisson: 12/h               # a Poisson process: 12 an hour (also /s, /min, /d)
      # every: 5m                 # a fixed schedule
      # at: [2027-01-04T09:00:00Z, ...]
      # trace: arrivals.txt       # one ISO timestamp per line, beside the scenario file
      calendar: office            # poisson/every: arrivals only while this calendar is open
    data:                         # each case's data when it starts
      amount: {uniform: [10, 5000]}
      vip: {bernoulli: 0.1}
    activities:
      review:
        duration: {exponential: 10m}
        priority: 2               # with policy: priority, higher is taken first
        outputs: {approved: {bernoulli: 0.8}}   # what the person writes on completing
    branches:                     # a split's ways by probability, instead of its conditions
      check: {approve: 0.7, reject: 0.3}        # keys: transition Ids or target activity Ids
    applications:                 # stand-ins for applications nothing binds
      credit_check: {duration: 2s, outputs: {score: {randint: [300, 850]}}}
    resources:                    # people per participant (role or unit) of the definition
      clerk: 3
      manager: {count: 1, calendar: office}
    organisation: organisation.yaml   # or the real people of an organisation file
    calendars:
      office: {days: [mon, tue, wed, thu, fri], hours: ["09:00-18:00"]}
    calendar: office              # everybody's calendar unless their resource names another
    policy: fifo                  # or priority
    trail: sqlite:///history.db   # an audit trail, for {empirical: trail} durations (a
                                  # SQLite file's relative path: beside the scenario file)

Durations and data generators are described in :mod:`wfengine.simulation.distributions`,
calendars in :mod:`wfengine.simulation.calendar`. A participant the scenario does not size
is one person (the participant itself). An activity with no duration takes no time. A
``duration`` is the time a person works on the activity, or, for a Tool activity the engine
runs by itself, its applications' call (the host's binding or the scenario's stand-in; an
``applications`` duration is used where the activity gives none). ``outputs`` and
``priority`` are a person's. What the engine does at once (a route, an event, a subflow
call, a script task, an activity with no application and no performer) takes no time: a
``duration``, ``outputs`` or ``priority`` for it is an error naming the key, as is
``outputs`` for a Tool activity the engine runs (its applications answer: give them under
``applications``), and ``resources`` for a participant whose activities no person takes.
``activities``, ``branches`` and ``resources`` also reach the steps and
performers of the processes the process's subflows call (in its package), which the report
lists with its own; an activity id two of those processes share cannot be named. A run ends
at the ``horizon``, else when nothing more can happen, or
when, after the last arrival, only timers that re-arm for ever are left (a repeating reminder
on a wait for a message the simulation never sends) and a round of them changed nothing
(:mod:`wfengine.simulation.steady`); the report says which ended it. Everything is checked
when the scenario meets its definition
(:func:`wfengine.simulation.binding.bind`): an activity, transition, application,
participant or data field the process does not have is an error naming the key (and, in a
file, its line), before anything runs, and so is an ``outputs`` or ``data`` value (a constant,
or a first draw) its field's declared type does not take (``{uniform: ...}`` draws fractions:
an INTEGER field takes ``{randint: ...}``); a later draw the type refuses stops the run with
an error naming the output. A key written twice in one mapping of the file is an
error too: YAML would keep the last one without a word. The ids keying ``activities``,
``applications``, ``branches`` (a split's id and its ways' ids), ``resources`` (participant
ids) and ``data`` (field ids) are read as the file writes them (an unquoted ``010`` is the
id ``010``, not YAML's octal 8; ``1.10`` is not 1.1); their values keep YAML's reading.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wfengine.definition.iso_moments import HintedError, iso_datetime
from wfengine.simulation.calendar import ALWAYS, WorkingCalendar, after, read_calendar
from wfengine.simulation.clock_end import END, past_the_end, period_refusal
from wfengine.simulation.distributions import (
    AT_MOST,
    MAX_SECONDS,
    Duration,
    ScenarioError,
    ValueSampler,
    duration,
    number,
    seconds_of,
    value,
)
from wfengine.simulation.trail import beside

#: a moment with an RFC 9557 time-zone suffix (``!``, the critical flag, allowed)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ZONE = re.compile(r"(?P<moment>[^\[]*)\[!?(?P<zone>[^\[\]=]+)\]", re.ASCII)
#: the virtual clock's start unless the scenario says: a Monday, midnight UTC
DEFAULT_START = datetime(2027, 1, 4, tzinfo=UTC)
#: the largest scenario file read (real ones are a few kilobytes; YAML reads at ~1 MB/s)
MAX_SCENARIO_BYTES = 1024 * 1024
#: the largest trace of arrivals read (some 600,000 timestamps)
MAX_TRACE_BYTES = 16 * 1024 * 1024


def _beside(base: Path, name: Any, where: str) -> Path:
    """The file ``name`` a scenario names, beside it; an empty name is refused (``base / ""``
    is the scenario's directory, read as "Is a directory")."""
    if not str(name):
        raise ScenarioError(f"{where}: the file name is empty: name a file beside the scenario")
    return base / str(name)


def _read_text(path: Path, max_bytes: int, cannot: str) -> str:
    """The UTF-8 text of ``path``, read no further than ``max_bytes`` (``/dev/zero`` or an
    endless pipe would otherwise be read until memory runs out); ``cannot`` begins the
    message of a file that cannot be read."""
    from wfengine.definition.xpdl.secure import read_limited
    from wfengine.errors import XpdlLoadError

    try:
        with path.open("rb") as stream:
            data = read_limited(stream, max_bytes=max_bytes)
    except OSError as exc:
        raise ScenarioError(f"{cannot}: {exc.strerror}") from None
    except XpdlLoadError:
        raise ScenarioError(
            f"{path}: larger than the limit of {max_bytes} bytes; the rest was not read"
        ) from None
    try:
        # (a byte order mark, as editors on Windows write, is not part of the first line)
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{path}:{line}: not UTF-8 text") from None


DEFAULT_INSTANCES = 100
POLICIES = ("fifo", "priority")
_KEYS = frozenset(
    {
        "name",
        "process",
        "start",
        "instances",
        "horizon",
        "arrivals",
        "data",
        "activities",
        "branches",
        "applications",
        "resources",
        "organisation",
        "calendars",
        "calendar",
        "policy",
        "trail",
    }
)
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*$")
_PER = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "hour": 3600.0}
_PER |= {"d": 86400.0, "day": 86400.0}


@dataclass(frozen=True, slots=True)
class Arrivals:
    """When cases arrive: ``poisson`` (``rate`` per second), ``every`` (``interval``
    seconds) or ``times`` (given moments, in order)."""

    kind: str
    rate: float = 0.0
    interval: float = 0.0
    times: tuple[datetime, ...] = ()
    calendar: WorkingCalendar = ALWAYS

    def moments(self, rng: random.Random | None, start: datetime, count: int) -> Iterator[datetime]:
        """The first ``count`` arrival moments from ``start`` (``rng`` draws Poisson gaps)."""
        if self.kind == "times":
            yield from self.times[:count]
            return
        at = start
        for n in range(count):
            gap = self.interval
            if self.kind == "poisson":
                assert rng is not None, "Poisson arrivals need a random stream"
                gap = rng.expovariate(self.rate)
            # an even schedule starts at the start; Poisson gaps start before the first case
            at = self._later(at, gap if n or self.kind == "poisson" else 0.0)
            yield at

    def _later(self, at: datetime, seconds: float) -> datetime:
        """``seconds`` of the arrival calendar's open time after ``at``."""
        if self.calendar.always:
            return after(at, timedelta(seconds=seconds))
        # a case does not arrive at closing time: at the next opening
        later = self.calendar.finish(at, seconds)
        return self.calendar.next_open(later) or later


@dataclass(frozen=True, slots=True)
class Work:
    """What the scenario says about one activity or application."""

    duration: Duration | None = None
    priority: int = 0
    outputs: Mapping[str, ValueSampler] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Resource:
    count: int
    calendar: WorkingCalendar | None = None


@dataclass(frozen=True)
class Scenario:
    """A scenario read from YAML (:meth:`load`, :meth:`from_data`); see the module notes."""

    name: str
    arrivals: Arrivals
    process: str | None = None
    start: datetime = DEFAULT_START
    instances: int = DEFAULT_INSTANCES
    horizon: float | None = None
    data: Mapping[str, ValueSampler] = field(default_factory=dict)
    #: activity id -> raw spec (read against the definition by ``binding.bind``)
    activities: Mapping[str, Any] = field(default_factory=dict)
    branches: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    applications: Mapping[str, Any] = field(default_factory=dict)
    resources: Mapping[str, Resource] = field(default_factory=dict)
    organisation: Path | None = None
    calendar: WorkingCalendar = ALWAYS
    policy: str = "fifo"
    trail: str | None = None
    #: where it was read from, for messages
    source: str = "scenario"
    #: the line of each key of the file by its dotted path (empty: not read from a file)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read a scenario file (YAML); a key written twice is an error, and an error about
        a key names its line. An empty path (``""``) is a :class:`ScenarioError` saying so
        (read as a path it named the current directory: "Is a directory")."""
        from wfengine.simulation.scenario_yaml import located, read_yaml

        if isinstance(path, str) and not path:
            raise ScenarioError(
                "Scenario.load: the path is empty (''): pass the path of a scenario file (YAML)"
            )
        path = Path(path)
        text = _read_text(path, MAX_SCENARIO_BYTES, f"{path}: cannot read the scenario")
        data, lines = read_yaml(text, str(path))
        try:
            scenario = cls.from_data(data, base=path.parent, source=str(path))
        except ScenarioError as exc:
            raise ScenarioError(located(str(exc), str(path), lines)) from None
        return dataclasses.replace(scenario, lines=lines)

    def located(self, error: ScenarioError) -> ScenarioError:
        """``error`` (about this scenario) naming the line of the key it is about, when the
        scenario was read from a file."""
        from wfengine.simulation.scenario_yaml import located

        message = located(str(error), self.source, self.lines)
        return error if message == str(error) else ScenarioError(message)

    @classmethod
    def from_data(
        cls, data: Any, *, base: Path | None = None, source: str = "scenario"
    ) -> Scenario:
        """A scenario from its parsed YAML (a mapping); files it names are read from
        ``base``."""
        if not isinstance(data, Mapping):
            raise ScenarioError(f"{source}: a scenario is a mapping (arrivals, activities, ...)")
        unknown = sorted(set(map(str, data)) - _KEYS)
        if unknown:
            raise ScenarioError(
                f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
            )
        base = base or Path.cwd()
        calendars = {
            str(k): read_calendar(v, f"{source}: calendars.{k}")
            for k, v in _mapping(data.get("calendars"), f"{source}: calendars").items()
        }

        def calendar_of(ref: Any, where: str) -> WorkingCalendar:
            if isinstance(ref, Mapping):
                return read_calendar(ref, where)
            if isinstance(ref, str) and ref in calendars:
                return calendars[ref]
            known = ", ".join(sorted(calendars)) or "none declared under calendars"
            raise ScenarioError(f"{where}: unknown calendar {ref!r} ({known})")

        start = _moment(data.get("start", DEFAULT_START), f"{source}: start")
        instances = data.get("instances", DEFAULT_INSTANCES)
        if isinstance(instances, bool) or not isinstance(instances, int) or instances < 0:
            raise ScenarioError(f"{source}: instances: a whole number, not {instances!r}")
        said = data.get("horizon")
        horizon = None if said is None else seconds_of(said, f"{source}: horizon")
        refused = period_refusal(start, horizon, said)
        if refused is not None:
            raise ScenarioError(f"{source}: {refused}")
        policy = data.get("policy", "fifo")
        if policy not in POLICIES:
            raise ScenarioError(f"{source}: policy: {policy!r} is not one of {POLICIES}")
        resources: dict[str, Resource] = {}
        for key, spec in _by_id(data.get("resources"), f"{source}: resources").items():
            where = f"{source}: resources.{key}"
            if isinstance(spec, Mapping):
                extra = sorted(set(spec) - {"count", "calendar"})
                if extra:
                    raise ScenarioError(f"{where}: unknown key {extra[0]!r} (count, calendar)")
                count = spec.get("count", 1)
                cal = spec.get("calendar")
                own = calendar_of(cal, f"{where}.calendar") if cal is not None else None
            else:
                count, own = spec, None
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ScenarioError(f"{where}: a count of people is a whole number >= 1")
            resources[key] = Resource(count, own)
        branches: dict[str, dict[str, float]] = {}
        for key, ways in _by_id(data.get("branches"), f"{source}: branches").items():
            where = f"{source}: branches.{key}"
            weights = {k: _non_negative(w, f"{where}.{k}") for k, w in _by_id(ways, where).items()}
            if not weights or not any(weights.values()):
                raise ScenarioError(f"{where}: give each way a probability (they add up to 1)")
            branches[key] = weights
        organisation = data.get("organisation")
        return cls(
            name=str(data.get("name") or Path(source).stem),
            arrivals=_arrivals(
                data.get("arrivals"), f"{source}: arrivals", base, calendar_of, start
            ),
            process=None if data.get("process") is None else str(data["process"]),
            start=start,
            instances=instances,
            horizon=horizon,
            data={
                k: value(v, f"{source}: data.{k}")
                for k, v in _by_id(data.get("data"), f"{source}: data").items()
            },
            activities=_by_id(data.get("activities"), f"{source}: activities"),
            branches=branches,
            applications=_by_id(data.get("applications"), f"{source}: applications"),
            resources=resources,
            organisation=(
                None
                if organisation is None
                else _beside(base, organisation, f"{source}: organisation")
            ),
            calendar=(
                calendar_of(data["calendar"], f"{source}: calendar")
                if data.get("calendar") is not None
                else ALWAYS
            ),
            policy=str(policy),
            trail=None if data.get("trail") is None else beside(str(data["trail"]), base),
            source=source,
        )

    def work(
        self,
        kind: str,
        specs: Mapping[str, Any],
        known: Sequence[str],
        empirical: Callable[[str], Sequence[float]] | None = None,
    ) -> dict[str, Work]:
        """Read ``specs`` (the ``activities`` or ``applications`` section) for the ids
        ``known`` of the definition: an unknown id is an error naming it."""
        found: dict[str, Work] = {}
        for key, spec in specs.items():
            where = f"{self.source}: {kind}.{key}"
            if key not in known:
                noun = {"activities": "activity", "applications": "application"}[kind]
                raise ScenarioError(f"{where}: the process has no such {noun}")
            if not isinstance(spec, Mapping):
                spec = {"duration": spec}
            extra = sorted(set(spec) - {"duration", "priority", "outputs"})
            if extra:
                raise ScenarioError(
                    f"{where}: unknown key {extra[0]!r} (duration, priority, outputs)"
                )
            priority = spec.get("priority", 0)
            if isinstance(priority, bool) or not isinstance(priority, int):
                raise ScenarioError(f"{where}.priority: a whole number")
            reader = None if empirical is None else (lambda k=key: empirical(k))
            found[key] = Work(
                duration=(
                    duration(spec["duration"], f"{where}.duration", reader)
                    if spec.get("duration") is not None
                    else None
                ),
                priority=priority,
                outputs={
                    str(k): value(v, f"{where}.outputs.{k}")
                    for k, v in _mapping(spec.get("outputs"), f"{where}.outputs").items()
                },
            )
        return found


def _mapping(data: Any, where: str) -> Mapping[Any, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where}: expects a mapping, not {type(data).__name__}")
    return data


def _by_id(data: Any, where: str) -> dict[str, Any]:
    """A mapping keyed by definition ids (a section, or a branch's ways), the keys as text.
    A file's keys arrive as written (:func:`~wfengine.simulation.scenario_yaml.read_yaml`
    reads them as text: ``010`` stays ``010``, not 8); a scenario built in code may key them
    by numbers, which no id (text) equals, and a number and its text naming one id twice is
    an error rather than one silently replacing the other."""
    found: dict[str, Any] = {}
    for key, spec in _mapping(data, where).items():
        text = str(key)
        if text in found:
            raise ScenarioError(f"{where}.{text}: given twice (as {key!r} and as {text!r})")
        found[text] = spec
    return found


def _non_negative(arg: Any, where: str) -> float:
    found = number(arg, where)
    if found < 0:
        raise ScenarioError(f"{where}: a probability is not negative")
    return found


def _moment(arg: Any, where: str) -> datetime:
    if isinstance(arg, datetime):
        at = arg
    else:
        found = _ZONE.fullmatch(str(arg))
        text = str(arg) if found is None else found["moment"]
        try:
            at = iso_datetime(text.replace("Z", "+00:00"))  # (24:00 on no Python)
        except HintedError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
        except ValueError:
            raise ScenarioError(
                f"{where}: {arg!r} is not a moment (2027-01-04T09:00:00Z, or "
                "2027-01-04T09:00:00[Europe/Paris] on that zone's clock)"
            ) from None
        if found is not None:
            at = _in_zone(at, found["zone"], text.endswith("Z"), where)
    return _existing(at, where) if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _existing(at: datetime, where: str) -> datetime:
    """``at``, refused when its wall time is none of its zone's: one the clocks skip when
    they go forward (``02:30`` in Paris on the night summer time begins). Why: Python keeps
    such a time and reads it on the offset before the change, so the case arrived at 03:30
    summer time, silently, and a typing slip went unnoticed."""
    try:
        back = at.astimezone(UTC).astimezone(at.tzinfo)
    except OverflowError:  # (at the ends of time, where no zone skips an hour)
        return at
    if back.replace(tzinfo=None) == at.replace(tzinfo=None):
        return at
    raise ScenarioError(
        f"{where}: {at.replace(tzinfo=None).isoformat()} is no time of {at.tzinfo}: its "
        f"clocks skip it, going forward from {at:%z} to {back:%z} that night (give a time "
        "before or after the change)"
    )


def _instant(at: datetime) -> timedelta:
    """``at`` as real time since 1970 (UTC), to compare or sort by. Why: Python compares
    two moments of one zone on their wall clock, ignoring ``fold``, so on the night the
    clocks go back 02:10 winter time came before 02:50 summer time, 20 minutes earlier in
    real time. (A difference, not ``astimezone(UTC)``: exact, and no overflow at the ends
    of the calendar.)"""
    return at - _EPOCH


def _in_zone(at: datetime, name: str, universal: bool, where: str) -> datetime:
    """``at`` read with the RFC 9557 zone suffix ``[name]``: a local time is that zone's
    wall clock; an offset must be the zone's at that moment (a ``Z`` only gives the
    instant). Why a suffix, not a ``zone`` key: the moment carries its zone whole, as
    Python's and JavaScript's (Temporal's) texts do, so a calendar's hours follow the
    zone's summer time, which a fixed offset (all a YAML timestamp can say) cannot."""
    try:
        zone = ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):  # (a malformed name is a ValueError)
        raise ScenarioError(
            f"{where}: unknown time zone {name!r} (an IANA zone name, e.g. Europe/Paris)"
        ) from None
    if at.tzinfo is None:
        return at.replace(tzinfo=zone)
    local = at.astimezone(zone)
    if not universal and local.utcoffset() != at.utcoffset():
        raise ScenarioError(
            f"{where}: {at.isoformat()} is not a time of {name}, whose offset then is "
            f"{local:%z} (give that offset, or none)"
        )
    return local


def _rate(arg: Any, where: str) -> float:
    """Arrivals per second from ``12/h`` or ``{rate: 12, per: hour}``."""
    if isinstance(arg, Mapping):
        given, per = arg.get("rate"), str(arg.get("per", "h"))
    else:
        m = _RATE.match(str(arg))
        if m is None:
            raise ScenarioError(f"{where}: {arg!r} is not a rate (write 12/h, 2/min or 300/d)")
        given, per = float(m.group(1)), m.group(2)
    word = per.lower()
    unit = _PER.get(word) or _PER.get(word.rstrip("s"))  # h, hour, hours
    if unit is None:
        raise ScenarioError(f"{where}: unknown unit {per!r} (s, min, h, d)")
    rate = number(given, where)
    if rate <= 0:
        raise ScenarioError(f"{where}: a rate is above zero ({given!r})")
    if unit / rate > MAX_SECONDS:  # the mean gap between two arrivals
        raise ScenarioError(
            f"{where}: {arg!r} leaves {unit / rate / 86400:,.0f} days between two arrivals on "
            f"average, longer than a duration may be ({AT_MOST})"
        )
    return rate / unit


def _arrivals(
    data: Any,
    where: str,
    base: Path,
    calendar_of: Callable[[Any, str], WorkingCalendar],
    start: datetime,
) -> Arrivals:
    """The ``arrivals`` mapping. Given moments (``at``, ``trace``) arrive as given: a
    ``calendar`` beside them, which only shapes generated arrivals, is refused rather than
    ignored, and so is a moment before the scenario's ``start`` (the clock cannot go back)."""
    spec = _mapping(data, where)
    calendar = ALWAYS
    if spec.get("calendar") is not None:
        calendar = calendar_of(spec["calendar"], f"{where}.calendar")
    kinds = [k for k in ("poisson", "every", "at", "trace") if k in spec]
    extra = sorted(set(spec) - {"poisson", "every", "at", "trace", "calendar"})
    if extra:
        raise ScenarioError(f"{where}: unknown key {extra[0]!r} (poisson, every, at, trace)")
    if len(kinds) != 1:
        raise ScenarioError(f"{where}: give one of poisson, every, at, trace")
    kind = kinds[0]
    if kind in ("at", "trace") and spec.get("calendar") is not None:
        raise ScenarioError(
            f"{where}.calendar: shapes generated arrivals (poisson, every); "
            f"the moments given by {kind} arrive as given"
        )
    if kind == "poisson":
        return Arrivals("poisson", rate=_rate(spec[kind], f"{where}.poisson"), calendar=calendar)
    if kind == "every":
        interval = seconds_of(spec[kind], f"{where}.every")
        return Arrivals("every", interval=interval, calendar=calendar)
    if kind == "at":
        items = spec[kind]
        if not isinstance(items, list) or not items:
            raise ScenarioError(f"{where}.at: a list of moments")
        lines = [(f"{where}.at[{n}]", v) for n, v in enumerate(items)]
    else:
        path = _beside(base, spec[kind], f"{where}.trace")
        text = _read_text(path, MAX_TRACE_BYTES, f"{where}.trace: cannot read {path}")
        lines = [
            (f"{path}:{n}", line.strip().split(",")[0])
            for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    moments = [(_moment(v, at), at) for at, v in lines]
    for moment, at in moments:
        if _instant(moment) < _instant(start):
            raise ScenarioError(
                f"{at}: {moment.isoformat()} is before the scenario's start "
                f"({start.isoformat()}); give a start no later than the first arrival"
            )
        if past_the_end(moment):
            raise ScenarioError(f"{at}: {moment.isoformat()} is {END}")
    return Arrivals("times", times=tuple(sorted((m for m, _ in moments), key=_instant)))
