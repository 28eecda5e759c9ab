"""A JavaScript or Java condition's value is tested as that language tests one.

The dialect's ``||``, ``!`` and ``?:`` already did (c018f66's sibling, 6c64463), but the engine
applied Python's ``bool`` to a condition's final value: a transition ``parseFloat(rate)`` whose
text is not a number (NaN, false in JavaScript) was taken, and a condition giving an empty list
(true in JavaScript) was not."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder

JS = "text/javascript"


def _route(condition: str, script: str | None) -> PackageBuilder:
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("main")
    p.data_field("rate", "STRING", initial='"n/a"')
    p.start("s").route("r").activity("yes").activity("no").end("e1").end("e2")
    p.sequence("s", "r")
    p.transition("r", "yes", condition=condition).transition("r", "no", otherwise=True)
    p.sequence("yes", "e1").sequence("no", "e2")
    return pb


@pytest.mark.parametrize(
    ("condition", "data", "taken"),
    [
        ("parseFloat(rate)", {}, "no"),  # NaN: false
        ("parseFloat(rate)", {"rate": "2.5"}, "yes"),
        ("rate == 'n/a' ? [] : 0", {}, "yes"),  # an empty list: true in JavaScript
        ("rate == 'n/a' ? 0 : []", {}, "no"),
    ],
)
def test_a_javascript_condition_is_tested_as_javascript_tests_it(
    condition: str, data: dict[str, Any], taken: str
) -> None:
    with Engine() as engine:
        engine.deploy(_route(condition, JS).build())
        iid = engine.start_process("main", data)
        assert taken in engine.trace(iid)
        assert ({"yes", "no"} - {taken}).isdisjoint(engine.trace(iid))


def test_a_native_condition_keeps_pythons_truth() -> None:
    with Engine() as engine:
        engine.deploy(_route("[] if rate == 'n/a' else 0", None).build())
        iid = engine.start_process("main")
        assert "no" in engine.trace(iid)
