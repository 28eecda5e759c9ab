"""Every exception wfengine exports survives pickle and copy with its message and attributes:
what multiprocessing, concurrent.futures and task queues do to an error raised in a worker
process. A host running ``engine.instance("pi-404")`` in a process pool must catch the
NotFoundError, not a BrokenProcessPool that also loses the pool's other futures."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import pytest

import wfengine
from wfengine.errors import WorkflowError
from wfengine.wapi.session import SessionEndedError


def _xpdl_load_error() -> Exception:
    with pytest.raises(wfengine.XpdlLoadError) as caught:
        wfengine.load_xpdl(b"<notxml")
    return caught.value


#: sample errors of the exported classes whose ``__init__`` takes more than a message
SAMPLES: dict[str, Callable[[], Exception]] = {
    "IllegalStateError": lambda: wfengine.IllegalStateError(
        "process instance 'pi-1'", "closed.completed", "suspend"
    ),
    "NotAuthorizedError": lambda: wfengine.NotAuthorizedError(
        "work item 'wi-1'", "complete", "bob", "not offered to them"
    ),
    "NotFoundError": lambda: wfengine.NotFoundError("process instance", "pi-404", "see list"),
    "DataNotStorableError": lambda: wfengine.DataNotStorableError("data['x']", object()),
    "ExpressionError": lambda: wfengine.ExpressionError(
        "unknown name", source="a + b", offset=4, context="transition 't1'"
    ),
    "ExpressionSyntaxError": lambda: wfengine.ExpressionSyntaxError("bad", source="a +", offset=3),
    "ExpressionEvaluationError": lambda: wfengine.ExpressionEvaluationError("boom", source="1/0"),
    "HttpClientError": lambda: wfengine.HttpClientError("404 from http://x", 404),
    "HttpServerError": lambda: wfengine.HttpServerError("503 from http://x", 503),
    "ProcessFailedError": lambda: wfengine.ProcessFailedError("exit 2", 2),
    "RecipientsDeferredError": lambda: wfengine.RecipientsDeferredError(
        "refused for now", {"a@x": (452, b"too many recipients")}, ("b@x",)
    ),
    "RecipientsRefusedError": lambda: wfengine.RecipientsRefusedError(
        "refused", {"a@x": (550, b"no such user")}, ("b@x",)
    ),
    "XpdlLoadError": _xpdl_load_error,
    "SessionEndedError": lambda: SessionEndedError("session of 'bob'", "ended", "use"),
}


def _exported_exceptions() -> list[type[BaseException]]:
    found = []
    for name in wfengine.__all__:
        obj = getattr(wfengine, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            found.append(obj)
    return found


def _sample(cls: type[BaseException]) -> BaseException:
    make = SAMPLES.get(cls.__name__)
    if make is not None:
        return make()
    # a class without an __init__ of its own takes a message, as Exception does
    own = [c for c in cls.__mro__ if "__init__" in vars(c) and c.__module__.startswith("wfengine")]
    assert not own, f"{cls.__name__} has its own __init__ ({own[0].__name__}): add it to SAMPLES"
    return cls(f"a {cls.__name__} for the test")


def _same(back: BaseException, err: BaseException) -> None:
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert back.args == err.args
    assert vars(back) == vars(err)


@pytest.mark.parametrize("cls", _exported_exceptions(), ids=lambda c: c.__name__)
def test_every_exported_exception_pickles_and_copies(cls: type[BaseException]) -> None:
    err = _sample(cls)
    err.add_note("raised in a worker")
    _same(pickle.loads(pickle.dumps(err)), err)
    _same(copy.copy(err), err)
    _same(copy.deepcopy(err), err)


def test_each_sample_is_of_an_exported_class_it_names() -> None:
    names = {c.__name__ for c in _exported_exceptions()}
    for name, make in SAMPLES.items():
        assert name in names and type(make()).__name__ == name


def test_attributes_and_bases_survive() -> None:
    err = pickle.loads(pickle.dumps(SAMPLES["NotFoundError"]()))
    assert isinstance(err, wfengine.NotFoundError) and isinstance(err, KeyError)
    assert (err.kind, err.ident) == ("process instance", "pi-404")
    assert str(err) == "no process instance 'pi-404' (see list)"
    refused = pickle.loads(pickle.dumps(SAMPLES["RecipientsRefusedError"]()))
    assert refused.refused == {"a@x": (550, b"no such user")}
    assert refused.delivered == ("b@x",)
    denied = copy.copy(SAMPLES["NotAuthorizedError"]())
    assert isinstance(denied, PermissionError) and denied.user == "bob"


def test_the_wapi_session_error_pickles() -> None:
    err = SessionEndedError("session of 'bob'", "ended", "use")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, SessionEndedError) and isinstance(back, ValueError)
    assert (back.subject, back.current, back.requested) == ("session of 'bob'", "ended", "use")
    assert str(back) == str(err)


class _HostError(WorkflowError):
    """A host's own subclass with an __init__ of its own: covered by the same rule."""

    def __init__(self, order: int, why: str) -> None:
        self.order = order
        super().__init__(f"order {order}: {why}")


def test_a_host_subclass_pickles() -> None:
    back = pickle.loads(pickle.dumps(_HostError(7, "late")))
    assert isinstance(back, _HostError)
    assert (back.order, str(back)) == (7, "order 7: late")


def _look(instance_id: str) -> str:
    return wfengine.Engine().instance(instance_id).state.value


def test_a_refusal_in_a_process_pool_reaches_the_parent() -> None:
    with ProcessPoolExecutor(1) as pool:
        future = pool.submit(_look, "pi-404")
        with pytest.raises(wfengine.NotFoundError, match="no process instance 'pi-404'") as got:
            future.result(timeout=120)
    assert got.value.ident == "pi-404"
