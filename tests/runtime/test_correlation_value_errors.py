"""Correlation values a key's declared type cannot hold: the failed lookup says why (not only
"no open process instance", which reads as a closed case), and a value no store can hold is
refused naming it (not a bare ValueError from building the message)."""

from __future__ import annotations

import pytest

from wfengine import DataNotStorableError, Engine, NotFoundError, PackageBuilder


def _main(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER")
    p.extended_attribute("wfengine:correlation", "n")
    p.intermediate("w", message="go").activity("x").transition("w", "x")
    engine.deploy(pb.build())
    engine.start_process("main", {"n": 5})


def test_a_value_the_key_cannot_hold_is_named(engine: Engine) -> None:
    _main(engine)
    with pytest.raises(NotFoundError, match=r"can hold the value.*'n'.*expected INTEGER"):
        engine.send_message("go", correlation={"n": "abc"})
    with pytest.raises(NotFoundError, match="expected INTEGER"):
        engine.correlated_instance({"n": "abc"})


def test_an_integer_too_wide_to_store_is_refused_naming_it(engine: Engine) -> None:
    _main(engine)
    with pytest.raises(DataNotStorableError, match=r"message 'go', correlation, data\['n'\]"):
        engine.send_message("go", correlation={"n": 10**5000})
