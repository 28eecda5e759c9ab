"""``ApplicationRegistry.bind`` installs a binding whole, every setting kept (a simulation
copies the host's bindings so), and refuses what is no binding."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wfengine.applications import ApplicationRegistry, make_binding


def test_a_binding_is_installed_with_every_setting() -> None:
    made = make_binding("pay", lambda: None, retries=2, backoff=4.0, outputs_optional=True)
    registry = ApplicationRegistry()
    registry.bind(replace(made, asynchronous=True, source="entry point billing"))
    assert registry.get("pay") == replace(made, asynchronous=True, source="entry point billing")


def test_what_is_no_binding_is_refused() -> None:
    registry = ApplicationRegistry()
    with pytest.raises(TypeError, match=r"bind: binding must be a Binding \(see make_binding\)"):
        registry.bind(lambda: None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"bind: application_id must not be empty"):
        registry.bind(make_binding("", lambda: None))
    assert registry.ids() == []
