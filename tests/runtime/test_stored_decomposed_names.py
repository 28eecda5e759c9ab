"""A deployment an earlier wfengine stored with a name spelt decomposed (``cafe`` and a
combining accent, as macOS writes ``café``) ran: Python composed the name. When new
definitions began to be refused for it, that stored version stopped compiling, and with it
``instances()``, ``start_process`` and its open instances failed. It is now read as it was,
composed, with a warning naming the process; a new deployment of it is still refused."""

from __future__ import annotations

import logging

import pytest

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package
from wfengine.errors import DeployError, ExpressionSyntaxError
from wfengine.expressions import parse
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.runtime.compile_activity import stored_deployment
from wfengine.runtime.compiler import compile_process

DECOMPOSED = "cafe\u0301"
COMPOSED = "caf\u00e9"


def _package(name: str) -> Package:
    """The field is spelt composed; the condition spells it ``name``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field(COMPOSED, "INTEGER", initial="20")
    p.activity("w", performer="clerk")
    p.activity("big").activity("small")
    p.transition("w", "big", condition=f"{name} > 10").transition("w", "small", otherwise=True)
    return pb.build()


def test_a_stored_decomposed_name_runs_as_it_did_and_a_new_deployment_is_refused(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_package(COMPOSED))
        open_one = e.start_process("main")
    # what the earlier wfengine stored: the condition spelt decomposed
    rewrite_stored(db_url, "main", f"{COMPOSED} &gt; 10", f"{DECOMPOSED} &gt; 10")
    rewrite_stored(db_url, "main", f"{COMPOSED} > 10", f"{DECOMPOSED} > 10")

    with caplog.at_level(logging.INFO, logger="wfengine.deploy"), Engine(db_url=db_url) as e:
        assert open_one in {i.id for i in e.instances()}
        started = e.start_process("main")
        for iid in (open_one, started):
            [item] = e.work_items(iid)
            e.complete_work_item(item.id)
            assert e.trace(iid) == ["w", "big"]  # read café (20), as before
        # the same text, new: refused, though the stored version was just read in this process
        with pytest.raises(DeployError, match=r"write it composed \(Unicode NFC\)"):
            e.deploy(_package(DECOMPOSED))
    [warning] = [r for r in caplog.records if r.name == "wfengine.deploy"]
    assert "process 'main' (deployed earlier)" in warning.getMessage()
    assert f"'cafe\\u0301' as {COMPOSED!r}" in warning.getMessage()
    found = [d for d in validate(_package(DECOMPOSED)) if d.code == "expression-syntax"]
    assert len(found) == 1


def test_only_a_decomposed_name_is_read_composed_for_a_stored_deployment() -> None:
    text = f"{DECOMPOSED} + 1"
    with composing_stored_names() as composed:
        assert parse(text).evaluate({COMPOSED: 1}) == 2
        with pytest.raises(ExpressionSyntaxError, match="compatibility characters"):
            parse("\ufb01le == 1")  # ﬁle: refused before decomposed names were, and still
    assert composed == {DECOMPOSED}
    with pytest.raises(ExpressionSyntaxError, match="composed"):
        parse(text)  # outside, refused as ever, though the reading inside is cached


def test_reading_a_stored_deployment_keeps_the_expressions_cached(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each stored reading is cached apart from a new definition's, so compiling one empties
    nothing: the compiler emptied the whole cache after each, and every condition of every
    deployed process was parsed again. A reading taken from the cache still warns."""
    other = parse("amount > 10 and approved")
    package = _package(DECOMPOSED)
    with caplog.at_level(logging.INFO, logger="wfengine.deploy"):
        for _ in range(2):
            with stored_deployment(reads_as_before=True):
                compile_process(package, package.workflow_processes[0])
    assert parse("amount > 10 and approved") is other
    warnings = [r.getMessage() for r in caplog.records if r.name == "wfengine.deploy"]
    assert len(warnings) == 2
    assert all(f"'cafe\\u0301' as {COMPOSED!r}" in w for w in warnings)
