"""A misspelt type name is found at build time, far from the call that named it; the
BuildError names the data field or formal parameter and where it is declared, and suggests
the near name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import BuildError, PackageBuilder, ProcessBuilder

Build = Callable[[PackageBuilder, ProcessBuilder], object]

CASES: list[tuple[str, Build, str]] = [
    (
        "process field",
        lambda b, p: p.data_field("colour", "Colur"),
        "data field 'colour' of process 'main': unknown data type 'Colur'",
    ),
    (
        "process parameter",
        lambda b, p: p.param("amt", "IN", "FLAOT"),
        "formal parameter 'amt' of process 'main': unknown data type 'FLAOT' "
        "(did you mean 'FLOAT'?)",
    ),
    (
        "package field",
        lambda b, p: b.data_field("g", "Strng"),
        "data field 'g' of package 'pk': unknown data type 'Strng' (did you mean 'STRING'?)",
    ),
    (
        "package application parameter",
        lambda b, p: b.type_declaration("Money", "FLOAT").application(
            "calc", params=[("x", "IN", "Mony")]
        ),
        "formal parameter 'x' of application 'calc' of package 'pk': unknown data type "
        "'Mony' (did you mean 'Money'?)",
    ),
    (
        "process application parameter",
        lambda b, p: p.application("calc", params=[("x", "IN", "Mony")]),
        "formal parameter 'x' of application 'calc' of process 'main': unknown data type 'Mony'",
    ),
]


@pytest.mark.parametrize(("declare", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_unknown_type_name_names_the_field_or_parameter_and_its_scope(
    declare: Build, says: str
) -> None:
    b = PackageBuilder("pk")
    p = b.process("main")
    p.start("a").end("z").sequence("a", "z")
    declare(b, p)
    with pytest.raises(BuildError) as caught:
        b.build()
    assert str(caught.value).startswith(says)


def test_build_process_names_the_field_too() -> None:
    p = PackageBuilder("pk").process("main")
    p.data_field("colour", "Colur").start("a")
    with pytest.raises(BuildError, match=r"^data field 'colour' of process 'main': unknown"):
        p.build_process()
