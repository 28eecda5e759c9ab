"""A user's worklist as the stores answer it: offered or held, in creation order, by state
and process, paged by key; the SQL index kept through claims, releases and completions and
filled for items stored before it existed."""

from __future__ import annotations

from pathlib import Path

from wfengine import Engine, PackageBuilder, WorkItemState
from wfengine.runtime.sql import migrate
from wfengine.worklist.worklists import worklist


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    for pid, who in (("sales_case", "clerk"), ("booking", "accountant"), ("mixed", "sales")):
        pb.process(pid).activity("work", performer=who)
    engine.deploy(pb.build())


def _ids(engine: Engine, user: str, **kw: object) -> list[str]:
    return [w.id for w in engine.work_items_of(user, **kw)]  # type: ignore[arg-type]


def test_offered_then_held_and_gone_when_done(org_engine: Engine) -> None:
    e = org_engine
    _deploy(e)
    starts = [e.start_process(p) for p in ("sales_case", "booking", "mixed", "sales_case")]
    items = [e.work_items(i)[0].id for i in starts]
    assert _ids(e, "alice") == [items[0], items[2], items[3]]  # clerk, and in sales
    assert _ids(e, "dan") == [items[1]]
    e.claim_work_item(items[0], "bob")
    assert _ids(e, "alice") == [items[2], items[3]]  # claimed by bob: off alice's list
    assert _ids(e, "bob") == [items[0], items[2], items[3]]
    assert _ids(e, "bob", state="allocated") == [items[0]]
    assert _ids(e, "bob", state=WorkItemState.OFFERED) == [items[2], items[3]]
    assert _ids(e, "bob", process_id="mixed") == [items[2]]
    e.release_work_item(items[0], "bob")
    assert _ids(e, "alice") == [items[0], items[2], items[3]]  # offered again
    e.complete_work_item(items[0], user="alice")
    e.complete_work_item(items[3])
    assert _ids(e, "alice") == [items[2]]
    assert _ids(e, "bob") == [items[2]]
    assert _ids(e, "nobody") == []
    entries = worklist(e, "alice")
    assert [(x.item.id, x.process_id, x.due) for x in entries] == [(items[2], "mixed", None)]


def test_keyset_pages_cover_the_list_once(org_engine: Engine) -> None:
    e = org_engine
    _deploy(e)
    for _ in range(7):
        e.start_process("sales_case")
    everything = _ids(e, "alice")
    assert len(everything) == 7
    pages, after = [], None
    while True:
        page = e.work_items_of("alice", after=after, limit=3)
        if not page:
            break
        pages.append([w.id for w in page])
        after = page[-1]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in p] == everything


def test_an_upgraded_database_lists_the_items_offered_before(tmp_path: Path) -> None:
    from tests.worklist.conftest import ORG
    from wfengine import Organisation

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        _deploy(e)
        iid = e.start_process("sales_case")
        [item] = e.work_items(iid)
    migrate.downgrade(url, "0005")  # as a database written before the worklist index
    migrate.upgrade(url)
    with Engine(db_url=url) as e:
        assert _ids(e, "alice") == [item.id] and _ids(e, "bob") == [item.id]
