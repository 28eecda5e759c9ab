"""Engines on every store (memory, SQLite, PostgreSQL) with an organisation as directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, VirtualClock

#: alice and bob are clerks in sales (supervised by carol), dan is in accounts; root administers
ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "bob", "roles": ["clerk"], "units": ["sales"]},
        {"id": "carol", "roles": ["manager"], "units": ["management"]},
        {"id": "dan", "roles": ["accountant"], "units": ["accounts"]},
        {"id": "root"},
    ],
    "units": [
        {"id": "management"},
        {"id": "sales", "supervisor": "carol", "parent": "management"},
        {"id": "accounts"},
    ],
    "admins": ["root"],
}


@pytest.fixture(params=STORES)
def org_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    directory = Organisation.from_data(ORG)
    with Engine(clock=VirtualClock(), db_url=url, directory=directory) as e:
        yield e
        check_history(e)
