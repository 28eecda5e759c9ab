"""Shared test configuration: hypothesis profiles and the conformance corpus location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.applications.forward_proxy import no_machine_proxies, proxy  # noqa: F401  (fixtures)
from tests.pg import pg_server_url, pg_url  # noqa: F401  (fixtures for every test package)

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
#: many more examples, for hunting what the other profiles meet only now and then (CI must not
#: meet it first): ``pytest --hypothesis-profile soak tests/...``
settings.register_profile(
    "soak", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

REPO_ROOT = Path(__file__).resolve().parents[1]


def conformance_root() -> Path | None:
    """``../shared/conformance`` beside the checkout (or $WFENGINE_CONFORMANCE_DIR), if present."""
    env = os.environ.get("WFENGINE_CONFORMANCE_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(REPO_ROOT.parent / "shared" / "conformance")
    for c in candidates:
        if (c / "xpdl").is_dir():
            return c
    return None


@pytest.fixture
def conformance_dir() -> Path:
    root = conformance_root()
    if root is None:
        pytest.skip(
            "conformance corpus not found at ../shared/conformance (set WFENGINE_CONFORMANCE_DIR)"
        )
    return root
