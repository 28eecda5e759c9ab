"""A case is told apart from every other in the CRM's tables, whichever engine ran it.

Instance ids restart at ``pi-1`` in every database and every in-memory engine (each
``wfengine run`` starts one), while the CRM keeps its database across them
(``WFENGINE_CRM_DB``). Before, the CRM named a case by its id alone: a second run's ``pi-1``
posting the first run's acceptance number kept it (``taken_by`` was ``pi-1`` for both), so
its answer went out under that number and its history record was dropped as the first
case's. A case is now its id and its nonce (``tables.call_case``), as the engine's keys end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.examples.test_crm_complaint import EXAMPLE, PHONE, crm_module, definition
from wfengine import Engine
from wfengine.worklist.org_files import load_organisation

KEY = "13800000101"


@contextmanager
def _engine(crm: Any) -> Iterator[Engine]:
    """A new in-memory engine (its first case is ``pi-1``) on the CRM database of ``crm``."""
    with Engine(directory=load_organisation(EXAMPLE / "organisation.yaml")) as engine:
        crm.register(engine.applications)
        crm.subscribe(engine.outbox.handlers, engine)
        engine.deploy(definition.build())
        yield engine


def _closed_case(crm: Any, text: str, **preset: str) -> dict[str, Any]:
    """A complaint run to its answer on an engine of its own; its data."""
    with _engine(crm) as engine:
        values = {"phone": PHONE, "channel": "hotline", "text": text, "intake_agent": "amy"}
        iid = engine.start_process("complaint", {**values, **preset}, user="amy")
        assert iid == "pi-1"
        [item] = [w for w in engine.work_items(iid) if w.activity_id == "coordinate"]
        engine.claim_work_item(item.id, "cora")
        crm_module.submit_form(engine, item.id, {"decision": "close", "reply": text}, user="cora")
        return dict(engine.instance(iid).data)


def test_a_later_runs_first_case_gets_a_number_history_and_notices_of_its_own(
    tmp_path: Path,
) -> None:
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    first = _closed_case(crm, "Charged twice")
    third = _closed_case(crm, "Third complaint", acceptance_no=first["acceptance_no"])
    assert (first["acceptance_no"], first["newly_accepted"]) == ("0101-0001", True)
    assert (third["acceptance_no"], third["newly_accepted"]) == ("0101-0002", True)
    with crm.db.connect() as conn:
        query = sa.text("SELECT taken_by FROM crm_acceptance_numbers")
        owners = list(conn.execute(query).scalars())
    assert {o.partition("@")[0] for o in owners} == {"pi-1"} and len(set(owners)) == 2
    assert [(r["acceptance_no"], r["complaint"]) for r in crm.history(PHONE)] == [
        ("0101-0001", "Charged twice"),
        ("0101-0002", "Third complaint"),
    ]
    assert [m["text"] for m in crm.sent(PHONE)] == [
        "Your complaint is number 0101-0001",
        "Your complaint 0101-0001: Reviewed by the coordinator",
        "Your complaint 0101-0001: Charged twice",
        "Your complaint is number 0101-0002",
        "Your complaint 0101-0002: Reviewed by the coordinator",
        "Your complaint 0101-0002: Third complaint",
    ]


def test_cases_an_operator_ends_before_numbering_are_each_recorded(tmp_path: Path) -> None:
    """Two runs' ``pi-1``, each stopped before numbering (a phone the CRM cannot key) and
    terminated: two records, not one (the second was taken for the first's closing)."""
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    for text in ("First", "Second"):
        with _engine(crm) as engine:
            iid = engine.start_process("complaint", {"phone": "n/a", "text": text})
            assert iid == "pi-1" and engine.incidents()
            engine.terminate(iid)
            engine.deliver_outbox()
    with crm.db.connect() as conn:
        query = "SELECT complaint, outcome FROM crm_complaint_history ORDER BY id"
        assert conn.execute(sa.text(query)).all() == [
            ("First", "terminated"),
            ("Second", "terminated"),
        ]


def test_a_number_an_earlier_version_gave_is_kept_by_its_case_only(tmp_path: Path) -> None:
    """A number taken before cases were named with their nonce keeps the instance's id alone
    in ``taken_by``; its call's key still names the case whole: the case sent back keeps it,
    another run's ``pi-1`` does not."""
    crm = crm_module.CrmApps(f"sqlite:///{tmp_path / 'crm.db'}")
    taken = crm.next_acceptance_number(PHONE, idempotency_key="pi-1:accept.1/0/0@aaaa")
    assert taken["acceptance_number"] == "0101-0001"
    with crm.db.begin() as conn:  # as an earlier version wrote it
        conn.execute(sa.text("UPDATE crm_acceptance_numbers SET taken_by = 'pi-1'"))
    again = crm.next_acceptance_number(PHONE, "0101-0001", "pi-1:accept.2/1/0@aaaa")
    assert (again["acceptance_number"], again["acceptance_new"]) == ("0101-0001", False)
    other = crm.next_acceptance_number(PHONE, "0101-0001", "pi-1:accept.2/0/0@bbbb")
    assert (other["acceptance_number"], other["acceptance_new"]) == ("0101-0002", True)


def test_a_case_is_its_id_and_the_stamp_its_keys_end_with() -> None:
    tables = crm_module.tables
    assert tables.call_case("pi-1:accept.1/0/0@94a0f7531668") == "pi-1@94a0f7531668"
    # a host's command origin holds an ``@`` of its own: the stamp is the last
    key = "pi-1:complete_work_item-1f2e@3.1/0/2@94a0f7531668"
    assert tables.call_case(key) == "pi-1@94a0f7531668"
    assert tables.call_case("pi-1:direct") == "pi-1"  # no stamp: the id alone
    assert tables.call_case("no-colon") is None and tables.call_case(None) is None
    assert tables.closing_case("pi-1", "pi-1@94a0f7531668/closed") == "pi-1@94a0f7531668"
    assert tables.closing_case("pi-1", "other") == "pi-1"
