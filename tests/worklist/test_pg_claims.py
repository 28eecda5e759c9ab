"""Two processes on PostgreSQL claiming the same offered items at the same time: each item
ends with exactly one holder, and every claim that lost was refused, not half-done."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, IllegalStateError, Organisation, PackageBuilder, WorkItemState

ITEMS = 40

#: claims every item in the list, as one user, and prints what happened to each
_CLAIMER = """
import json, sys
from wfengine import Engine, IllegalStateError, NotAuthorizedError, Organisation
url, user, org, ids = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
got = {}
with Engine(db_url=url, directory=Organisation.from_data(org)) as engine:
    sys.stdin.readline()  # both processes, their engines open, start claiming together
    for item_id in ids:
        try:
            engine.claim_work_item(item_id, user)
            got[item_id] = "claimed"
        except (IllegalStateError, NotAuthorizedError) as exc:
            got[item_id] = type(exc).__name__
print(json.dumps(got))
"""


def test_each_item_ends_with_exactly_one_holder(pg_url: str, tmp_path: Path) -> None:
    with Engine(db_url=pg_url, directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        for _ in range(ITEMS):
            engine.start_process("p")
        ids = [w.id for w in engine.work_items()]
    script = tmp_path / "claimer.py"
    script.write_text(_CLAIMER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), pg_url, user, json.dumps(ORG), json.dumps(order)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for user, order in (("alice", ids), ("bob", list(reversed(ids))))
    ]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        results.append(json.loads(out))
    alice, bob = results
    with Engine(db_url=pg_url) as engine:
        for item_id in ids:
            item = engine.work_item(item_id)
            assert item.state is WorkItemState.ALLOCATED
            winners = [
                u for u, got in (("alice", alice), ("bob", bob)) if got[item_id] == "claimed"
            ]
            assert winners == [item.holder]  # exactly one claim took, and it is the holder
            loser = {"alice": bob, "bob": alice}[item.holder or ""]
            assert loser[item_id] == "IllegalStateError"  # refused by the state it read


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_claim_that_read_the_item_before_another_took_it_is_refused(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The interleaving the two processes above hit now and then, forced: bob's command reads
    the offered item, alice's claim commits, then bob's command reads the instance (already
    changed by alice). Bob must be refused by the state alice left, not take the item too."""
    url = store_url(request, kind, tmp_path)
    directory = Organisation.from_data(ORG)
    with Engine(db_url=url, directory=directory) as alice_side:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        alice_side.deploy(pb.build())
        alice_side.start_process("p")
        (item_id,) = [w.id for w in alice_side.work_items()]
        with Engine(db_url=url, directory=directory) as bob_side:
            store = bob_side.store
            read_instance = store.instance
            calls = []

            def instance_after_alice(instance_id: str) -> Any:
                if not calls:  # between bob's read of the item and of its instance
                    calls.append(instance_id)
                    alice_side.claim_work_item(item_id, "alice")
                return read_instance(instance_id)

            store.instance = instance_after_alice  # type: ignore[method-assign]
            with pytest.raises(IllegalStateError, match="allocated to 'alice'"):
                bob_side.claim_work_item(item_id, "bob")
            assert calls  # the interleaving happened
        item = alice_side.work_item(item_id)
        assert (item.state, item.holder) == (WorkItemState.ALLOCATED, "alice")
        kinds = [e.kind for e in alice_side.audit(item.instance_id)]
        assert kinds.count("work_item.allocated") == 1
