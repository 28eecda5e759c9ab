"""A view of a directory is unwrapped by one mechanism: its class declares the directory it
wraps as ``wrapped_directory``. The engine's adaptation of a one-argument ``members`` and the
checked ``Supervision`` view both declare it, so messages name the host's directory; a
directory that answers any attribute (a proxy, a mock) is not taken for a view."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.runtime.directory import (
    DirectoryError,
    adapt_directory,
    answering,
    asked,
    directory_name,
)
from wfengine.runtime.work_rules import supervision_of


class HostDirectory:
    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def is_admin(self, user_id: str) -> Any:
        return "false"


class CachingView:
    """A host's own view of its directory, declaring the one it wraps."""

    def __init__(self, inner: object) -> None:
        self._inner = inner

    @property
    def wrapped_directory(self) -> object:
        return self._inner

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)


class AnswersEverything:
    """A proxy answering any attribute (as a mock does): not a view."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ()

    def __getattr__(self, name: str) -> object:
        return self


def test_a_view_declaring_the_directory_it_wraps_is_named_by_that_directory() -> None:
    host = HostDirectory()
    view = CachingView(host)
    assert answering(view) is host
    assert directory_name(view) == "HostDirectory"
    with pytest.raises(DirectoryError, match=r"the directory HostDirectory failed to answer"):
        asked(view, "knows('ann')", lambda: 1 / 0)


def test_views_of_views_unwrap_to_the_host_directory() -> None:
    host = HostDirectory()
    assert answering(CachingView(CachingView(host))) is host


def test_the_engine_views_declare_the_host_directory() -> None:
    host = HostDirectory()
    view = supervision_of(host)
    assert view is not None
    assert getattr(view, "wrapped_directory", None) is host
    assert answering(view) is host
    with pytest.raises(DirectoryError, match=r"the directory HostDirectory answered str"):
        view.is_admin("ann")

    class OneArgument:
        def members(self, participant_id: str) -> tuple[str, ...]:
            return ()

    with pytest.warns(DeprecationWarning):
        adapted = adapt_directory(OneArgument())  # type: ignore[arg-type]
    assert answering(adapted) is getattr(adapted, "wrapped_directory", None)
    assert directory_name(adapted) == "OneArgument"


def test_a_directory_answering_every_attribute_is_not_taken_for_a_view() -> None:
    proxy = AnswersEverything()
    assert answering(proxy) is proxy
    assert directory_name(proxy) == "AnswersEverything"
