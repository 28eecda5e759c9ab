"""A data field marked both ``wfengine:public`` and ``wfengine:sensitive`` shows as ``***`` in
the brief status for outsiders, as the audit trail and the XES export show it; a public field
that is not sensitive still shows its value. Before, the brief status showed the card number
in clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, brief_status


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with Engine(db_url=store_url(request, request.param, tmp_path)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("claim")
        both = {"wfengine:sensitive": "true", "wfengine:public": "true"}
        p.data_field("card", "STRING", extended=both)
        p.data_field("ref", "STRING", extended={"wfengine:public": "true"})
        p.data_field("note", "STRING")
        p.activity("enter")
        e.deploy(pb.build())
        yield e


def test_public_and_sensitive_is_masked(engine: Engine) -> None:
    data = {"card": "4111-1111-1111-1111", "ref": "C-7", "note": "internal"}
    iid = engine.start_process("claim", data)
    assert brief_status(engine, iid).as_dict()["fields"] == {"card": "***", "ref": "C-7"}
    created = engine.audit(iid)[0].detail
    assert created["data"]["card"] == "***"  # as the trail shows it
