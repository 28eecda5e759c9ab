"""The CRM complaint example: the hotline agent who took a case left (or is no longer one of
the agents). The coordinator sending the case back to amend, or asking for the reply with no
agent named, stopped it in an incident (``amy`` names no one), or gave it to someone who is no
agent any more. Now the work goes to the agents, whoever takes it, as a web complaint's does:
the case is the call centre's, not the leaver's. Who took the call stays on the case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.examples.test_crm_complaint import EXAMPLE, PHONE, crm_module, definition
from wfengine import Engine, VirtualClock
from wfengine.worklist.organisation import Organisation

_ORG = yaml.safe_load((EXAMPLE / "organisation.yaml").read_text(encoding="utf-8"))
_KIM = {"id": "kim", "name": "Kim Wu", "roles": ["agent"], "units": ["call_centre"]}


def _organisation(amy: str) -> Organisation:
    """The call centre, amy ``"agent"`` (as shipped), ``"left"`` (gone from the
    organisation) or ``"coordinator"`` (moved on to coordinate); kim a new agent."""
    users = [u for u in _ORG["users"] if u["id"] != "amy" or amy != "left"]
    if amy == "coordinator":
        users = [{**u, "roles": ["coordinator"]} if u["id"] == "amy" else u for u in users]
    return Organisation.from_data({**_ORG, "users": [*users, _KIM]})


class Centre:
    """One database, the call centre's organisation as it is on each day."""

    def __init__(self, tmp_path: Path) -> None:
        self.url, self.clock = f"sqlite:///{tmp_path / 'wf.db'}", VirtualClock()
        self.crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}", clock=self.clock)

    def engine(self, amy: str) -> Engine:
        engine = Engine(db_url=self.url, clock=self.clock, directory=_organisation(amy))
        self.crm.register(engine.applications)
        return engine

    def coordinated(self, engine: Engine, case: str, form: dict[str, Any]) -> Any:
        """cora's decision on ``case``; the work item it opened."""
        [item] = engine.work_items(case)
        if item.holder is None:  # (back with the coordinator, it is cora's at once)
            engine.claim_work_item(item.id, "cora")
        crm_module.submit_form(engine, item.id, form, user="cora")
        assert engine.incidents(case) == []
        [opened] = engine.work_items(case)
        return opened


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    centre = Centre(tmp_path)
    with centre.engine("agent") as engine:
        engine.deploy(definition.build())
    yield centre


def _amys_case(centre: Centre) -> str:
    with centre.engine("agent") as engine:
        values = {"phone": PHONE, "category": "billing", "text": "Charged twice"}
        return crm_module.take_complaint(engine, values, agent="amy")


@pytest.mark.parametrize("amy", ["left", "coordinator"])
@pytest.mark.parametrize(("form", "step", "done"), [
    ({"decision": "amend"}, "amend", {"text": "Charged twice in May"}),
    ({"decision": "reply"}, "agent_reply", {"reply": "Refunded"}),
])  # fmt: skip
def test_an_agent_who_left_has_their_cases_steps_offered_to_the_agents(
    centre: Centre, amy: str, form: dict[str, Any], step: str, done: dict[str, Any]
) -> None:
    case = _amys_case(centre)
    with centre.engine(amy) as engine:
        item = centre.coordinated(engine, case, form)
        assert item.activity_id == step
        assert (item.assignees, item.holder) == (("ben", "kim"), None)
        assert engine.instance(case).data["intake_agent"] == "amy"  # who took the call
        engine.claim_work_item(item.id, "kim")
        crm_module.submit_form(engine, item.id, done, user="kim")
        assert engine.incidents(case) == []


def test_a_named_agent_still_replies(centre: Centre) -> None:
    case = _amys_case(centre)
    with centre.engine("left") as engine:
        item = centre.coordinated(engine, case, {"decision": "reply", "reply_agent": "kim"})
        assert item.assignees == ("kim",)


def test_an_agent_back_in_the_role_has_their_cases_again(centre: Centre) -> None:
    case = _amys_case(centre)
    with centre.engine("coordinator") as engine:
        item = centre.coordinated(engine, case, {"decision": "amend"})
        engine.claim_work_item(item.id, "ben")
        crm_module.submit_form(engine, item.id, {"text": "Charged twice in May"}, user="ben")
    with centre.engine("agent") as engine:
        item = centre.coordinated(engine, case, {"decision": "amend"})
        assert item.assignees == ("amy",)
