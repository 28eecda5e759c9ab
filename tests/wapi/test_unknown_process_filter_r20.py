"""A WAPI listing filtered by a process never deployed (``"tikcet"`` for ``"ticket"``) raises
``NotFoundError`` naming the deployed processes, as ``wfengine worklist --process`` and
``wfengine instances --process`` exit 1 saying so. It answered an empty list, which reads as
"no work" or "no instances"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder, VirtualClock
from wfengine.wapi import connect
from wfengine.wapi.session import Session

_LISTINGS: dict[str, Callable[[Session, str], Any]] = {
    "work list": lambda s, p: list(s.open_work_list(process_id=p)),
    "instances": lambda s, p: s.open_process_instances_list(process_id=p),
}


@pytest.mark.parametrize("listing", list(_LISTINGS.values()), ids=list(_LISTINGS))
@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_listing_of_a_process_never_deployed_names_those_deployed(
    listing: Callable[[Session, str], Any], store: str, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url) as engine:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
        engine.deploy(pb.build())
        engine.start_process("ticket")
        clerk = connect(engine, "clerk")
        with pytest.raises(NotFoundError, match=r"'tikcet'.*deployed: ticket"):
            listing(clerk, "tikcet")
        assert len(listing(clerk, "ticket")) == 1  # a deployed one lists as before
