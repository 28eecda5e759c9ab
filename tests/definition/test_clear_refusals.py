"""load_xpdl("") and package_to_dot(pkg, "nope") say what is wrong: the empty path was read
as the current directory (IsADirectoryError: '.'), and an unknown process id was the model's
bare KeyError, printed quoted as if it were an internal failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Package, PackageBuilder, dump_xpdl, load_xpdl, package_to_dot
from wfengine.errors import NotFoundError


def _package() -> Package:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    pb.process("claim").activity("check", performer="clerk")
    return pb.build()


def test_an_empty_path_is_refused_as_empty() -> None:
    with pytest.raises(ValueError, match=r"^load_xpdl: the path is empty \(''\)"):
        load_xpdl("")


def test_a_path_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "desk.xpdl"
    path.write_bytes(dump_xpdl(_package()))
    assert load_xpdl(str(path)).id == "desk"


def test_an_unknown_process_names_it_and_those_the_package_has() -> None:
    with pytest.raises(NotFoundError) as caught:
        package_to_dot(_package(), "nope")
    assert (
        str(caught.value) == "no process 'nope' (package_to_dot: package 'desk' has: ticket, claim)"
    )
    assert isinstance(caught.value, KeyError)  # (what it raised before, still caught as one)


def test_a_process_id_that_is_no_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^package_to_dot: process_id must be one process id"):
        package_to_dot(_package(), ["ticket"])  # type: ignore[arg-type]


def test_a_named_and_the_first_process_are_drawn() -> None:
    assert package_to_dot(_package(), "claim").startswith('digraph "claim"')
    assert package_to_dot(_package()).startswith('digraph "ticket"')
