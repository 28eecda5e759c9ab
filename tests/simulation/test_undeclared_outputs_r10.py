"""A person's ``outputs`` naming data the process does not declare. Since the engine refuses
such a name to every user completing (an administrator too, since ada3593), a simulated
administrator's completion was refused and the run dropped the refusal as "the item closed
under them": the item stayed open for ever, 0 of 5 cases completed, no error. Now the name is
refused before anything runs, and any refusal of a completion that leaves the item with its
person stops the run naming the activity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import NotFoundError
from wfengine.runtime.engine import Engine
from wfengine.simulation import Scenario, ScenarioError, simulate

ORG = "users:\n  - {id: ann, roles: [clerk]}\nroles:\n  - {id: clerk}\nadmins: [ann]\n"


def _review(writes: list[str] | None = None) -> Package:
    """One clerk's review; the process declares the field ``ok`` (Name ``Approved``)."""
    pb = PackageBuilder("ro")
    p = pb.process("ro")
    p.participant("clerk")
    p.data_field("ok", "BOOLEAN", initial="false", name="Approved")
    if writes is None:
        p.activity("review", performer="clerk")
    else:
        p.activity("review", performer="clerk", writes=writes)
    return pb.build()


def _run(tmp_path: Path, outputs: dict[str, Any], package: Package | None = None) -> Any:
    """Five cases whose review the administrator ``ann`` completes giving ``outputs``."""
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    data = {
        "arrivals": {"every": "10m"},
        "activities": {"review": {"duration": "1m", "outputs": outputs}},
        "organisation": "org.yaml",
    }
    scn = Scenario.from_data(data, source="t.yaml", base=tmp_path)
    return simulate(package or _review(), scn, instances=5)


def test_an_administrators_undeclared_output_is_refused_before_anything_runs(
    tmp_path: Path,
) -> None:
    with pytest.raises(
        ScenarioError,
        match=r"^t\.yaml: activities\.review\.outputs\.note: the process declares no such "
        r"data field \(it has: ok\)$",
    ):
        _run(tmp_path, {"note": 1})


@pytest.mark.parametrize("name", ["ok", "Approved"])
def test_an_administrators_declared_output_completes_every_case(tmp_path: Path, name: str) -> None:
    assert _run(tmp_path, {name: True}).completed.mean == 5


def test_an_undeclared_name_the_activity_lists_to_write_completes(tmp_path: Path) -> None:
    # the engine writes what the activity lists (declared or not): nothing to refuse
    report = _run(tmp_path, {"note": 1}, _review(writes=["note"]))
    assert report.completed.mean == 5


def test_a_refused_completion_left_with_its_person_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a refusal the checks before the run do not foresee: the item stays the administrator's
    def refuse(self: Engine, work_item_id: str, data: Any = None, **_: Any) -> None:
        raise NotFoundError("data field", "ok", "a rule the scenario checks do not know")

    monkeypatch.setattr(Engine, "complete_work_item", refuse)
    with pytest.raises(ScenarioError, match=r"^t\.yaml: activities\.review\.outputs: no data"):
        _run(tmp_path, {"ok": True})
