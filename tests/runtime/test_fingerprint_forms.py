"""A process identical to a stored version keeps that version whichever release stored it.

Fields the model gained later (``runtime/fingerprints.py``'s ``LATER_KEYS``) stay out of the
fingerprint while empty, and a deploy compares a stored fingerprint with every form a release
computed. Before, the fingerprint hashed every field of today's model: after ``db upgrade`` each
stored process redeployed unchanged became a new version (``leave 2 new``), whose new cases
then followed the newer rules (a clerk who could write ``days`` was refused)."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel

import wfengine.definition as definition
from tests.runtime.fixtures.old_database import fixture, restore
from tests.runtime.test_sql_document_format import _restore as format1
from wfengine.definition.io import load_xpdl
from wfengine.runtime.engine import Engine
from wfengine.runtime.fingerprints import LATER_KEYS, fingerprint, fingerprint_forms
from wfengine.runtime.sql import migrate
from wfengine.runtime.sql.connect import create_engine

FIXTURES = ("upgrade_writes_0005.json", "format1_database.json")


def _stored(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = fixture(name)["tables"]["deployments"]
    return rows


def _upgraded(db_url: str, name: str) -> Engine:
    """An engine on ``db_url`` holding fixture ``name``'s rows, upgraded as an operator's."""
    if name == "format1_database.json":  # (written before the restorable fixtures' format)
        format1(db_url, fixture(name)["tables"])
    else:
        restore(db_url, name)
        migrate.upgrade(db_url)
    return Engine(db_url=db_url)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_stored_xpdl_redeployed_after_the_upgrade_is_unchanged(
    db_url: str, name: str
) -> None:
    with _upgraded(db_url, name) as engine:
        before = engine.store.deployed_versions()
        for row in _stored(name):
            kept = engine.deploy(load_xpdl(row["xpdl"].encode()), check_bindings=False)
            assert {d.process_id: d.version for d in kept}[row["process_id"]] == row["version"]
        assert engine.store.deployed_versions() == before


def test_a_real_change_still_makes_a_new_version(db_url: str) -> None:
    (leave,) = [r for r in _stored("upgrade_writes_0005.json") if r["process_id"] == "leave"]
    changed = leave["xpdl"].replace('Id="submit"', 'Id="submit" Name="Submit the request"', 1)
    assert changed != leave["xpdl"]
    with _upgraded(db_url, "upgrade_writes_0005.json") as engine:
        (deployed,) = engine.deploy(load_xpdl(changed.encode()))
        assert (deployed.process_id, deployed.version) == ("leave", 2)


#: what the release before this rule (4126fbde) stored for ``order`` of
#: upgrade_writes_0005.json: every later key hashed, though empty
_LAST_RELEASE_ORDER = "546bc3fba204f69b36c9112cf0075a3f93713d01e68a979cb83df4fd95453cc7"


def test_a_version_the_last_release_stored_is_kept_too(db_url: str) -> None:
    _upgraded(db_url, "upgrade_writes_0005.json").close()
    db = create_engine(db_url)
    try:
        with db.begin() as conn:
            conn.execute(
                sa.text("UPDATE deployments SET fingerprint = :f WHERE process_id = 'order'"),
                {"f": _LAST_RELEASE_ORDER},
            )
    finally:
        db.dispose()
    (order,) = [r for r in _stored("upgrade_writes_0005.json") if r["process_id"] == "order"]
    package = load_xpdl(order["xpdl"].encode())
    process = next(p for p in package.workflow_processes if p.id == "order")
    forms = fingerprint_forms(package, process)
    assert forms[0] == fingerprint(package, process) == order["fingerprint"]
    assert forms[-1] == _LAST_RELEASE_ORDER
    with Engine(db_url=db_url) as engine:
        engine.deploy(package, check_bindings=False)
        assert engine.store.versions("order") == [1]


#: a hash of the names of the definition model's dumped fields; see the test's message
_FIELD_NAMES = "f21a8177f265e5b6"


def test_a_field_added_to_the_model_is_weighed_for_later_keys() -> None:
    names: set[str] = set()
    for found in pkgutil.iter_modules(definition.__path__):
        if not found.name.startswith("model"):
            continue
        module = importlib.import_module(f"{definition.__name__}.{found.name}")
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, BaseModel)
                and cls.__module__ == module.__name__
            ):
                names |= {n for n, f in cls.model_fields.items() if not f.exclude}
    shape = hashlib.sha256(" ".join(sorted(names)).encode()).hexdigest()[:16]
    assert shape == _FIELD_NAMES, (
        f"the model's field names changed (they hash to {shape}): a new field that dumps "
        "empty by default must be added to LATER_KEYS in wfengine/runtime/fingerprints.py "
        "(else every stored version's fingerprint differs from an unchanged file's); then "
        "record the new hash here"
    )
    assert all(keys <= names for _, keys in LATER_KEYS)
