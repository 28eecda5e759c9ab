"""subscribe refuses a handler, or a notifier, that cannot be called the way delivery calls
it (an outbox handler with one argument, the entry; a notifier's notify with the
notification and the users): such a one was taken, then failed every delivery for eight
hours. Whatever can be called so is still taken."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from wfengine import Engine, Organisation
from wfengine.runtime.outbox import OutboxHandlers, OutboxRecord
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser


def _none() -> None: ...


def _two(record: OutboxRecord, extra: str) -> None: ...


def _keyword_only(*, record: OutboxRecord) -> None: ...


@pytest.mark.parametrize(
    ("handler", "takes"),
    [
        (_none, "takes no parameters"),
        (_two, "takes (record: 'OutboxRecord', extra: 'str')"),
        (_keyword_only, "takes (*, record: 'OutboxRecord')"),
        (lambda: None, "takes no parameters"),
    ],
)
def test_a_handler_not_taking_one_argument_is_refused(handler: Any, takes: str) -> None:
    with pytest.raises(TypeError, match="delivery calls it with one argument") as raised:
        OutboxHandlers().subscribe(handler, ["work_item.offered"])
    assert takes in str(raised.value)


def _with_session(fn: Any) -> Any:
    """A decorator supplying its function's ``session``, as hosts write for dependency
    injection: delivery calls the wrapper, with the entry alone."""

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        return fn(*args, session="SESSION")

    return wrapper


@_with_session
def _injected(record: OutboxRecord, *, session: str) -> None: ...


class _Listener:
    def on_entry(self, record: OutboxRecord) -> None: ...

    def __call__(self, record: OutboxRecord, *more: object, **options: object) -> None: ...


@pytest.mark.parametrize(
    "handler",
    [
        lambda record: None,
        _Listener().on_entry,
        _Listener(),
        functools.partial(_two, extra="x"),
        _injected,  # (its wrapper's (*args), not the wrapped (record, *, session))
        print,  # (a builtin: taken as it is)
    ],
)
def test_a_handler_taking_one_argument_is_taken(handler: Any) -> None:
    handlers = OutboxHandlers()
    handlers.subscribe(handler, ["work_item.offered"])
    assert handlers.handlers("work_item.offered") == [handler]


class _OneArg:
    def notify(self, notification: n.Notification) -> None: ...


class _ThreeArgs:
    def notify(self, notification: n.Notification, users: list[OrgUser], when: str) -> None: ...


class _Fine:
    def notify(self, notification: n.Notification, users: list[OrgUser], when: str = "") -> None:
        pass


class _Injected:
    @_with_session
    def notify(self, notification: n.Notification, users: list[OrgUser], *, session: str) -> None:
        pass


def test_a_notifier_whose_notify_a_decorator_supplies_an_argument_is_taken() -> None:
    with Engine(directory=Organisation.from_data({"users": [{"id": "ann"}]})) as engine:
        n.subscribe(engine.outbox, engine.directory, [_Injected()])
        assert engine.outbox.handlers.subscribed()


@pytest.mark.parametrize("notifier", [_OneArg(), _ThreeArgs()])
def test_a_notifier_whose_notify_cannot_take_notification_and_users_is_refused(
    notifier: Any,
) -> None:
    with Engine(directory=Organisation.from_data({"users": [{"id": "ann"}]})) as engine:
        with pytest.raises(TypeError, match=r"cannot be called as notify\(notification, users\)"):
            n.subscribe(engine.outbox, engine.directory, [notifier])
        assert not engine.outbox.handlers.subscribed()
        n.subscribe(engine.outbox, engine.directory, [_Fine()])
        assert engine.outbox.handlers.subscribed()


def _logged(fn: Any) -> Any:
    """A pass-through decorator (logging, metrics): its wrapper takes any call."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


@_logged
def _logged_none() -> None: ...


class _LoggedOneArg:
    @_logged
    def notify(self, notification: n.Notification) -> None: ...


def test_a_pass_through_decorator_does_not_hide_a_handler_taking_too_few() -> None:
    """The wrapper takes anything; the function it passes the call to takes no argument, which
    no wrapper can make up for: refused, naming the function's parameters."""
    with pytest.raises(TypeError, match="takes no parameters"):
        OutboxHandlers().subscribe(_logged_none, ["work_item.offered"])


def test_a_pass_through_decorator_does_not_hide_a_notify_taking_too_few() -> None:
    directory = Organisation.from_data({"users": [{"id": "ann"}]})
    with (
        Engine(directory=directory) as engine,
        pytest.raises(TypeError, match=r"cannot be called as notify\(notification, users\)"),
    ):
        n.subscribe(engine.outbox, engine.directory, [_LoggedOneArg()])


def _payload_kwargs(fn: Any) -> Any:
    """An adapter: the wrapper takes the entry and calls its function with the payload."""

    @functools.wraps(fn)
    def wrapper(record: OutboxRecord) -> Any:
        return fn(**record.payload)

    return wrapper


@_payload_kwargs
def _log_payload(**payload: Any) -> None: ...


def test_an_adapter_whose_own_parameters_take_the_entry_is_taken() -> None:
    """Its own (record) is what delivery calls; what it passes on is its own business."""
    handlers = OutboxHandlers()
    handlers.subscribe(_log_payload, ["work_item.offered"])
    assert handlers.handlers("work_item.offered") == [_log_payload]


@_logged
@_payload_kwargs
def _traced_adapter(**payload: Any) -> None: ...


def test_a_pass_through_decorator_over_an_adapter_is_judged_by_the_adapter() -> None:
    """traced(unpack(handle)): the pass-through's call reaches the adapter's (record), which
    fits; the function behind the adapter is its own business."""
    handlers = OutboxHandlers()
    handlers.subscribe(_traced_adapter, ["work_item.offered"])
    assert handlers.handlers("work_item.offered") == [_traced_adapter]
