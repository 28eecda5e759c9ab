"""Packages written by other tools: foreign script languages, unset deadlines, the corpus."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _with_initial(script: str | None) -> PackageBuilder:
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("main")
    p.data_field("where", "STRING", initial="B").data_field("n", "INTEGER", initial="2 + 1")
    p.data_field("quoted", "STRING", initial='"A"')
    p.activity("a")
    return pb


def test_foreign_package_takes_bare_string_initial_values_literally(engine: Engine) -> None:
    iid = run(engine, _with_initial("text/javascript"))
    assert engine.instance(iid).data == {"where": "B", "n": 3, "quoted": "A"}


def test_native_package_reads_string_initial_values_as_text_too(engine: Engine) -> None:
    # a STRING's bare text is the text itself in every package; numbers are still expressions
    iid = run(engine, _with_initial(None))
    assert engine.instance(iid).data == {"where": "B", "n": 3, "quoted": "A"}


def test_an_initial_value_naming_no_earlier_field_refuses_the_process(engine: Engine) -> None:
    from wfengine.errors import DeployError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="m + 1").data_field("m", "INTEGER", initial="1")
    p.activity("a")
    with pytest.raises(DeployError, match="no data field declared before it"):
        engine.deploy(pb.build())


def test_a_label_as_an_initial_value_refuses_the_process(engine: Engine) -> None:
    # a label where a number belongs can never be evaluated: no instance could be created,
    # so validation says so as an error and deploy refuses it (it was a warning, and every
    # start then failed, advising an incident command for an instance that did not exist)
    from wfengine.definition.validation import validate
    from wfengine.errors import DeployError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="Not yet known")
    p.activity("a")
    package = pb.build()
    (finding,) = [d for d in validate(package) if d.code == "expression-label"]
    assert finding.severity.value == "error" and finding.element_id == "n"
    with pytest.raises(DeployError, match="no instance could be created"):
        engine.deploy(package)


def test_deadline_with_empty_duration_is_no_deadline(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity(
        "wait", performer="clerk", deadlines=[deadline("", "late"), deadline("None", "late")]
    )
    iid = run(engine, pb)
    assert engine.timers(iid) == []
    assert complete_all(engine, iid) == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
