"""The registry binding XPDL Application ids to the code that performs them (interface 3).

A definition names applications; the host decides what runs. Bindings come from three places,
in this order of precedence:

1. code: ``registry.register("lookupCustomer", func, retries=3, timeout=10)`` or the same as a
   decorator ``@registry.register("lookupCustomer")``;
2. installed plug-ins: ``registry.load_entry_points()`` calls ``register(registry)`` of every
   entry point in the group ``wfengine.applications`` (the same hook ``--apps MODULE`` uses);
3. the definition itself: an Application whose extended attribute ``wfengine:agent`` names an
   agent kind (``http``, ``email``, ...) and whose other ``wfengine:*`` attributes are the
   agent's settings (``wfengine:url``, ``wfengine:method``, ``wfengine:retries``,
   ``wfengine:timeout``, ``wfengine:asynchronous`` ``true``...). Definitions may come from
   people the host does not trust, so such
   a binding only works for a kind the host enabled with :meth:`ApplicationRegistry.allow_agent`;
   nothing is enabled by default.

A callable receives the application's IN and INOUT formal parameters as keyword arguments named
by the formal parameter ids (plus ``idempotency_key=`` when its signature names that keyword:
no formal parameter may have that name), and returns a mapping of OUT/INOUT parameter ids to
values, or None when it has no output. It may be ``async def``. :mod:`wfengine.runtime.tools`
does the calling.
"""

from __future__ import annotations

import inspect
import math
import numbers
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import entry_points
from typing import Any, TypeVar, overload

from wfengine.applications.binding_check import AGENT_SOURCE, check_bindings
from wfengine.applications.failure_text import exception_text as exception_text  # (re-export)
from wfengine.applications.stoppable import bounded
from wfengine.definition.application_settings import (
    AGENT_ATTRIBUTE,
    DEFAULT_BACKOFF,
    IDEMPOTENCY_KEYWORD,
    check_backoffs,
    read_flag,
    read_retries,
    read_seconds,
)
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.model import (
    Application,
    Package,
)
from wfengine.errors import ApplicationError

ApplicationFunc = Callable[..., Any]
#: the host's own callable, as :meth:`ApplicationRegistry.register` hands it back: typed as
#: the host wrote it, so ``mypy --strict`` keeps checking the decorated function
_Func = TypeVar("_Func", bound=ApplicationFunc)
#: builds an application callable from a definition's ``wfengine:*`` settings (prefix removed)
AgentFactory = Callable[[Mapping[str, str]], ApplicationFunc]
#: gives a stand-in callable for an application that nothing else binds (None: stay unbound)
Fallback = Callable[[Application], ApplicationFunc | None]

ENTRY_POINT_GROUP = "wfengine.applications"
#: how :attr:`Binding.source` begins for a binding an installed plug-in made
PLUGIN_SOURCE = "entry point "
#: extended attribute marking a DataField (Value "true") or listing an Application's formal
#: parameter ids (Value "password token", space or comma separated) as sensitive: their values
#: are redacted in the audit trail
SENSITIVE_ATTRIBUTE = "wfengine:sensitive"
SETTING_PREFIX = "wfengine:"
#: caps on what an (untrusted) definition may ask for
MAX_DEFINITION_RETRIES = 10
MAX_DEFINITION_TIMEOUT = 3600.0
MAX_DEFINITION_BACKOFF = 3600.0
#: the longest wait between retries when none is given (seconds), unless the first is longer
DEFAULT_MAX_BACKOFF = 30.0
#: the longest timeout or backoff any binding may have (seconds): the longest a thread can be
#: waited for (``threading.TIMEOUT_MAX``, about 292 years on Linux), less a call's grace
MAX_SECONDS = threading.TIMEOUT_MAX - 1.0


@dataclass(frozen=True, slots=True)
class Binding:
    """One application's callable and how to call it.

    ``retries`` is how many times a failed call is repeated (0: called once); the n-th retry
    waits ``min(backoff * 2**(n-1), max_backoff)`` seconds, or as asked (:meth:`delay`);
    ``timeout`` (seconds, None: none) bounds each attempt. ``takes_key`` and ``is_async`` are
    read from the callable's signature once, at binding time, so a call inspects nothing.
    """

    application_id: str
    func: ApplicationFunc
    retries: int = 0
    timeout: float | None = None
    backoff: float = 0.5
    max_backoff: float = 30.0
    takes_key: bool = False
    is_async: bool = False
    #: where the binding came from: "code", "entry point NAME", "definition (agent KIND)"
    source: str = "code"
    #: called by an ``invoke`` job outside any store transaction instead of inside the
    #: command that reaches the activity (for long or unreliable calls); its retries are job
    #: retries with backoff, see :mod:`wfengine.runtime.tools`
    asynchronous: bool = False
    #: an OUT parameter the answer leaves out keeps its data field's value (stand-ins from
    #: the fallback answer nothing); otherwise every OUT parameter must be answered
    outputs_optional: bool = False
    #: ``func`` stops its own work at ``timeout`` (an agent given the binding's timeout, see
    #: :mod:`wfengine.applications.stoppable`): the caller waits for it to stop, not leaving it
    stops_itself: bool = False

    def delay(self, attempt: int, asked: timedelta | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): the back-off, or the
        failure's ``asked`` wait (``ApplicationError.retry_after``, an HTTP Retry-After) when
        longer, at most ``max_backoff``: a service asking for 20 s was called again at once,
        each 429 using up a retry (a synchronous call's thread waits, so the cap stays)."""
        try:
            doubled = math.ldexp(self.backoff, attempt - 1)  # backoff * 2**(attempt-1)
        except OverflowError:  # (after a thousand attempts and more)
            return float(self.max_backoff)
        if asked is not None:
            doubled = max(doubled, asked.total_seconds())
        return float(min(doubled, self.max_backoff))


def make_binding(
    application_id: str,
    func: ApplicationFunc,
    *,
    retries: int = 0,
    timeout: float | None = None,
    backoff: float = 0.5,
    max_backoff: float | None = None,
    source: str = "code",
    asynchronous: bool = False,
    outputs_optional: bool = False,
) -> Binding:
    """A checked :class:`Binding`; raises ``TypeError``/``ValueError`` naming the application.

    ``retries`` is a whole number, 0 or more; ``timeout`` (None: none) a number of seconds
    above 0, ``backoff`` and ``max_backoff`` 0 or more; each finite and at most
    :data:`MAX_SECONDS`, so that a mistake is refused here and not by the first call.
    ``max_backoff`` left out is :data:`DEFAULT_MAX_BACKOFF`, or ``backoff`` when that is
    longer (a backoff of 60 s was cut to 30 s without a word); one given below ``backoff``
    is refused.
    """
    if not callable(func):
        raise TypeError(f"application {application_id!r}: {func!r} is not callable")
    if not isinstance(retries, numbers.Integral) or isinstance(retries, bool):
        raise TypeError(
            f"application {application_id!r}: retries must be a whole number, not {retries!r}"
        )
    if retries < 0:
        raise ValueError(f"application {application_id!r}: retries must be >= 0, not {retries}")
    _check_flag(application_id, "asynchronous", asynchronous)
    _check_flag(application_id, "outputs_optional", outputs_optional)
    stops = False
    if timeout is not None:
        timeout = _seconds(application_id, "timeout", timeout, positive=True)
        own = bounded(func, timeout)  # an agent that stops its work by then itself
        if own is not None:
            func, stops = own, True
    backoff = _seconds(application_id, "backoff", backoff)
    if max_backoff is None:  # the longest wait: 30 s, or the first wait when that is longer
        max_backoff = max(DEFAULT_MAX_BACKOFF, backoff)
    max_backoff = _seconds(application_id, "max_backoff", max_backoff)
    if max_backoff < backoff:
        raise ValueError(
            f"application {application_id!r}: max_backoff ({max_backoff:g} s) is below backoff "
            f"({backoff:g} s), the first wait: every wait would be {max_backoff:g} s"
        )
    return Binding(
        application_id,
        func,
        int(retries),
        timeout,
        backoff,
        max_backoff,
        takes_key=_takes_keyword(func, IDEMPOTENCY_KEYWORD),
        is_async=_is_async(func),
        source=source,
        asynchronous=asynchronous,
        outputs_optional=outputs_optional,
        stops_itself=stops,
    )


def _check_key(method: str, name: str, value: object, what: str) -> None:
    """Refuse a key of the registry's tables that is not non-empty text (``what`` says what it
    must name). Why: a key of another type (an int read from settings) was taken and never
    matched a definition's text; sorting the keys (``ids()``, ``allowed_agents()``,
    ``check()``, ``deploy(check_bindings=True)``) then crashed far from here."""
    if not isinstance(value, str):
        raise TypeError(
            f"{method}: {name} must be text ({what}), not {value!r} ({type(value).__name__})"
        )
    if not value:
        raise ValueError(f"{method}: {name} must not be empty ({what})")


def _check_flag(application_id: str, name: str, value: object) -> None:
    """Refuse a binding's flag that is not True or False, as every flag of the API is. Why:
    it was taken by its truth, so ``asynchronous="false"`` (read from an environment
    variable) made the call a queued job; the host alone knows how its text spells a flag."""
    if type(value) is not bool:
        raise TypeError(
            f"application {application_id!r}: {name} must be True or False, not {value!r} "
            f"({type(value).__name__})"
        )


def _seconds(application_id: str, name: str, value: object, *, positive: bool = False) -> float:
    """A binding's duration setting as a float; raises naming the application and setting."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(
            f"application {application_id!r}: {name} must be a number of seconds, not {value!r}"
        )
    seconds = float(value)
    above = seconds > 0 if positive else seconds >= 0  # (False for nan too)
    if not above or not seconds <= MAX_SECONDS:
        low = "above 0" if positive else "0 or more"
        raise ValueError(
            f"application {application_id!r}: {name} must be a finite number of seconds "
            f"{low} and at most {MAX_SECONDS:,.0f}, not {value!r}"
        )
    return seconds


def _is_async(func: ApplicationFunc) -> bool:
    """An ``async def`` function (or partial of one), or an object with ``async def __call__``."""
    if inspect.iscoroutinefunction(func):
        return True
    return not inspect.isroutine(func) and inspect.iscoroutinefunction(type(func).__call__)


def _takes_keyword(func: ApplicationFunc, name: str) -> bool:
    """True when ``func`` names the keyword ``name`` (a bare ``**kwargs`` does not count: it
    would receive a key it never asked for)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    p = params.get(name)
    return p is not None and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)


class _NotCallable(Exception):
    """An agent factory gave back something that cannot be called: said as such, not as the
    agent refusing the definition's settings (which the ``TypeError`` would have read as)."""


class ApplicationRegistry:
    """Bindings of Application ids, the agent kinds definitions may use, and the retry sleep.

    ``sleep`` waits between retries; tests inject a recorder so they never wait.
    """

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep) -> None:
        # refused now: a number (sleep=5, meant as a wait) failed every retried call with a
        # bare "'int' object is not callable" out of the call loop, and an async function's
        # coroutine was never awaited (no wait at all)
        if not callable(sleep) or _is_async(sleep):
            raise TypeError(
                "ApplicationRegistry: sleep must be a function taking a number of seconds "
                f"(time.sleep, or a test's recorder), not {sleep!r:.60}"
                + (" (an async function: retries wait synchronously)" if callable(sleep) else "")
            )
        self._bindings: dict[str, Binding] = {}
        self._agents: dict[str, AgentFactory] = {}
        self._declared: dict[tuple[str, str, tuple[tuple[str, str], ...]], Binding] = {}
        self._fallback: Fallback | None = None
        #: keyed by the declaration, not its id: two processes (or packages) may declare
        #: different applications under one id, each with its own stand-in and secrets
        self._stand_ins: dict[Application, Binding] = {}
        self._plugin: str | None = None  # the entry point whose register() runs now
        self.sleep = sleep

    # -- code bindings -----------------------------------------------------------------------

    @overload
    def register(
        self,
        application_id: str,
        func: _Func,
        *,
        retries: int = 0,
        timeout: float | None = None,
        backoff: float = 0.5,
        max_backoff: float | None = None,
        asynchronous: bool = False,
        outputs_optional: bool = False,
    ) -> _Func: ...

    @overload
    def register(
        self,
        application_id: str,
        func: None = None,
        *,
        retries: int = 0,
        timeout: float | None = None,
        backoff: float = 0.5,
        max_backoff: float | None = None,
        asynchronous: bool = False,
        outputs_optional: bool = False,
    ) -> Callable[[_Func], _Func]: ...

    def register(
        self,
        application_id: str,
        func: ApplicationFunc | None = None,
        *,
        retries: int = 0,
        timeout: float | None = None,
        backoff: float = 0.5,
        max_backoff: float | None = None,
        asynchronous: bool = False,
        outputs_optional: bool = False,
    ) -> Any:
        """Bind ``application_id`` to ``func`` and return ``func``; without ``func``, return a
        decorator that binds the function it decorates and returns it unchanged. Both forms
        are typed (overloads) so that under ``mypy --strict`` the host's function keeps its
        own signature, not an untyped one.

        ``asynchronous=True`` makes a call an ``invoke`` job run by :meth:`Engine.run_due_jobs`
        (or a worker) outside any store transaction, instead of a call inside the command that
        reaches the activity: for calls too long to hold a transaction open for.
        Re-registering an id replaces its binding (the next call, or an incident's retry,
        uses the new one). ``outputs_optional=True``: an OUT parameter the answer leaves out
        keeps its data field's value (a stand-in that answers only some of them).
        ``application_id`` must be non-empty text, refused here otherwise (:func:`_check_key`).
        """
        _check_key("register", "application_id", application_id, "an Application's Id in a package")
        if func is None:

            def decorator(f: _Func) -> _Func:
                self.register(
                    application_id,
                    f,
                    retries=retries,
                    timeout=timeout,
                    backoff=backoff,
                    max_backoff=max_backoff,
                    asynchronous=asynchronous,
                    outputs_optional=outputs_optional,
                )
                return f

            return decorator
        self._bindings[application_id] = make_binding(
            application_id,
            func,
            retries=retries,
            timeout=timeout,
            backoff=backoff,
            max_backoff=max_backoff,
            asynchronous=asynchronous,
            outputs_optional=outputs_optional,
            source="code" if self._plugin is None else PLUGIN_SOURCE + self._plugin,
        )
        return func

    def bind(self, binding: Binding) -> None:
        """Install ``binding`` as it is: one :func:`make_binding` made (and checked), or another
        registry's, changed with :func:`dataclasses.replace`. Why: copying another registry's
        binding through :meth:`register`, setting by setting, lost every setting not passed on
        (a simulation dropped ``outputs_optional``); a binding copied whole keeps them all."""
        if not isinstance(binding, Binding):
            raise TypeError(f"bind: binding must be a Binding (see make_binding), not {binding!r}")
        _check_key("bind", "application_id", binding.application_id, "an Application's Id")
        self._bindings[binding.application_id] = binding

    def unregister(self, application_id: str) -> None:
        self._bindings.pop(application_id, None)

    def get(self, application_id: str) -> Binding | None:
        return self._bindings.get(application_id)

    def __contains__(self, application_id: object) -> bool:
        return application_id in self._bindings

    def ids(self) -> list[str]:
        return sorted(self._bindings)

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> list[str]:
        """Call ``register(registry)`` of every entry point in ``group``; returns their names.

        An entry point that cannot be loaded or whose ``register`` fails raises
        :class:`~wfengine.errors.ApplicationError` naming it: a half-registered plug-in would
        otherwise surface much later as an unbound application. What one binds has the source
        ``"entry point NAME"``: :meth:`check` does not call it undeclared in a package, as a
        plug-in binds the applications of many packages.
        """
        names: list[str] = []
        for ep in sorted(entry_points(group=group), key=lambda e: e.name):
            self._plugin = ep.name
            try:
                hook = ep.load()
                hook(self)
            except Exception as exc:
                raise ApplicationError(
                    f"entry point {ep.name!r} ({ep.value}) of group {group!r} failed: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            finally:
                self._plugin = None
            names.append(ep.name)
        return names

    # -- the fallback for unbound applications ---------------------------------------------

    def set_fallback(self, fallback: Fallback | None) -> None:
        """Call ``fallback(application)`` for an application nothing else binds.

        It returns the callable that stands in for the application (for example a stub that
        records the call, as ``wfengine run`` does), or None to leave it unbound (the activity
        then stops with an incident). Code bindings and enabled agents always come first; an
        application asking for an agent kind the host has not enabled gets the stand-in too.
        A stand-in may leave OUT parameters out of its answer: their fields keep their values.
        ``None`` removes the fallback. A fallback that raises, or returns what cannot be
        called, makes the call fail as an unbound application's does (an incident naming the
        application and the fallback), not the command. It is asked inside the command, so
        it must answer at once: an ``async def`` fallback is refused (its stand-in may be one).
        """
        if fallback is not None and (not callable(fallback) or _is_async(fallback)):
            kind = "async def " if callable(fallback) else ""
            raise TypeError(
                f"the fallback must be a plain callable or None, not {kind}{fallback!r}: it is "
                "asked inside a command (the stand-in it returns may be async def)"
            )
        self._fallback = fallback
        self._stand_ins.clear()

    # -- definition-declared bindings --------------------------------------------------------

    def allow_agent(self, kind: str, factory: AgentFactory) -> None:
        """Let definitions bind applications to agent ``kind`` (``wfengine:agent``).

        ``factory`` receives the Application's other ``wfengine:*`` settings (prefix removed)
        and returns the callable; it should refuse settings the host does not accept (say, a
        URL outside an allow-list) by raising ``ValueError``. Whatever else it raises
        (a missing configuration file) fails the call too, with an incident naming the
        application and the agent kind, not the command it runs in. ``kind`` must be non-empty
        text, refused here otherwise (:func:`_check_key`).
        """
        _check_key("allow_agent", "kind", kind, "a wfengine:agent value")
        if not callable(factory):
            raise TypeError(f"agent {kind!r}: the factory must be callable, not {factory!r}")
        self._agents[kind] = factory
        # what the old factory built goes: a host rotating credentials or narrowing an
        # allow-list kept calling the old agent until it restarted
        self._declared = {k: b for k, b in self._declared.items() if k[1] != kind}

    def allowed_agents(self) -> list[str]:
        return sorted(self._agents)

    def resolve(self, application: Application) -> Binding | None:
        """The binding for ``application``: code first, then its ``wfengine:agent`` attribute.

        None when neither binds it. Raises :class:`~wfengine.errors.ApplicationError` when the
        definition asks for an agent kind the host has not enabled or gives unusable settings.
        """
        found = self._bindings.get(application.id)
        if found is not None:
            return found
        kind = application.extended_attribute(AGENT_ATTRIBUTE)
        if kind is None:
            return self._stand_in(application)
        if kind not in self._agents and self._fallback is not None:
            return self._stand_in(application)
        settings = definition_settings(application)
        key = (application.id, kind, tuple(sorted(settings.items())))
        cached = self._declared.get(key)
        if cached is not None:
            return cached
        binding = self._declared_binding(application.id, kind, settings)
        self._declared[key] = binding
        return binding

    def _stand_in(self, application: Application) -> Binding | None:
        if self._fallback is None:
            return None
        found = self._stand_ins.get(application)
        if found is None:
            try:
                func = self._fallback(application)
            except Exception as exc:  # (the host's code: a failure of the call, not the command)
                raise ApplicationError(
                    f"application {application.id!r}: the registry's fallback "
                    f"(set_fallback) raised {exception_text(exc)}"
                ) from exc
            if func is None:
                return None
            if not callable(func):
                if inspect.iscoroutine(func):  # (an async fallback set_fallback did not see)
                    func.close()  # (never to be awaited: no "never awaited" warning)
                raise ApplicationError(
                    f"application {application.id!r}: the registry's fallback "
                    f"(set_fallback) returned {func!r}, not a callable (nor None)"
                )
            found = make_binding(application.id, func, source="fallback", outputs_optional=True)
            self._stand_ins[application] = found
        return found

    def _declared_binding(self, app_id: str, kind: str, settings: dict[str, str]) -> Binding:
        factory = self._agents.get(kind)
        if factory is None:
            enabled = ", ".join(self.allowed_agents()) or "none"
            raise ApplicationError(
                f"application {app_id!r} asks for agent {kind!r}, which the host has not "
                f"enabled (enabled: {enabled}); enable it with registry.allow_agent() or "
                "register the application in code"
            )
        try:
            # a whole number (2.5 was read as 2), capped
            retries = min(read_retries(settings.pop("retries", "0")), MAX_DEFINITION_RETRIES)
            timeout_text = settings.pop("timeout", None)
            timeout = (
                min(read_seconds(timeout_text, "timeout", positive=True), MAX_DEFINITION_TIMEOUT)
                if timeout_text
                else None
            )
            backoff = read_seconds(settings.pop("backoff", DEFAULT_BACKOFF), "backoff")
            longest = settings.pop("max-backoff", None)
            max_backoff = read_seconds(longest, "max-backoff") if longest else None
            check_backoffs(backoff, max_backoff)  # (said here: make_binding names the app)
            backoff = min(backoff, MAX_DEFINITION_BACKOFF)
            if max_backoff is not None:
                max_backoff = min(max_backoff, MAX_DEFINITION_BACKOFF)
            asynchronous = read_flag(settings.pop("asynchronous", "false"), "asynchronous")
            func = factory(settings)
            if not callable(func):  # the host's factory is wrong, not the definition
                raise _NotCallable(
                    f"application {app_id!r}: the factory of agent {kind!r} returned {func!r}, "
                    "not a callable"
                )
            return make_binding(
                app_id,
                func,
                retries=retries,
                timeout=timeout,
                backoff=backoff,
                max_backoff=max_backoff,
                source=f"{AGENT_SOURCE}{kind})",
                asynchronous=asynchronous,
            )
        except _NotCallable as exc:
            raise ApplicationError(str(exc)) from None
        except (TypeError, ValueError, KeyError) as exc:
            raise ApplicationError(
                f"application {app_id!r}: agent {kind!r} refused the definition's settings: "
                f"{exception_text(exc, named=False)}"
            ) from exc
        except Exception as exc:  # the host's factory failed (say, its configuration is missing)
            raise ApplicationError(
                f"application {app_id!r}: the factory of agent {kind!r} raised "
                f"{exception_text(exc)}"
            ) from exc

    # -- checking a package against the bindings ---------------------------------------------

    def check(self, package: Package) -> list[Diagnostic]:
        """Findings about the bindings for ``package`` (all warnings; see the codes below).

        - ``application-undeclared``: bound in code, but no Application of the package has
          that id (a typo, or a binding meant for another package); not for what an installed
          plug-in binds (:meth:`load_entry_points`), which serves many packages by design;
        - ``application-unbound``: a Tool activity uses an application that nothing binds (an
          instance reaching it stops with an incident until it is bound);
        - ``application-agent-disabled``: the application asks for a ``wfengine:agent`` kind
          the host has not enabled (or gives settings its agent refuses);
        - ``application-setting-unknown``: a setting a built-in agent does not take (say
          ``wfengine:retires``). Unused applications are not reported (tools declare many).
        """
        return check_bindings(
            package,
            self._bindings,
            self.resolve,
            self._agents,
            has_fallback=self._fallback is not None,
            plugin_source=PLUGIN_SOURCE,
        )


def definition_settings(application: Application) -> dict[str, str]:
    """The ``wfengine:*`` extended attributes of ``application`` other than the agent kind and
    the sensitive list, keyed without the prefix (first occurrence wins)."""
    settings: dict[str, str] = {}
    for ea in application.extended_attributes:
        name = ea.name
        if not name.startswith(SETTING_PREFIX) or name in (AGENT_ATTRIBUTE, SENSITIVE_ATTRIBUTE):
            continue
        value = ea.value if ea.value is not None else ea.text
        settings.setdefault(name[len(SETTING_PREFIX) :], value or "")
    return settings
