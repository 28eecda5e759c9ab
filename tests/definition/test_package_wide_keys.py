"""A package built in code whose Ids XPDL 2.2 keys package-wide repeat across processes or
levels validated clean, and ``dump_xpdl`` wrote a file its own schema refuses; so did a Pool
naming no process. Validation now warns (``duplicate-id-package``; ``undefined-process`` as a
warning), and the builder refuses a transition id another process already holds."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from wfengine import BuildError, PackageBuilder, dump_xpdl, load_xpdl, unique_ids, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Lane, Package, Pool
from wfengine.definition.validation import validate_process
from wfengine.definition.xpdl.schema import check_schema


def _two_processes(*, field: bool = True) -> PackageBuilder:
    b = PackageBuilder("pk")
    for pid in ("p1", "p2"):
        p = b.process(pid)
        if field:
            p.data_field("n", "INTEGER", initial="0")
        p.start("start").activity("work", script="n = 1").end("end")
        p.sequence("start", "work", "end")
    return b


def _schema_keys(package: Package) -> set[str]:
    """The key names the written file's 2.2 schema check names."""
    document = etree.parse(io.BytesIO(dump_xpdl(package)))
    return {
        name.split("}")[-1].split(".")[0]
        for d in check_schema(document, "2.2")
        for name in d.message.split("'")
        if name.startswith("{") and "}" in name and "." in name
    }


def _findings(package: Package, code: str) -> list[str]:
    return [d.message for d in validate(package) if d.code == code]


def test_activity_ids_and_a_field_repeated_in_two_processes_are_warned_about() -> None:
    package = _two_processes().build()
    assert _schema_keys(package)  # what the warnings are about: the file fails its schema
    found = [d for d in validate(package) if d.code == "duplicate-id-package"]
    assert sorted(d.element_id or "" for d in found) == ["end", "n", "start", "work"]
    assert {d.severity for d in found} == {Severity.WARNING}
    [start] = [d.message for d in found if d.element_id == "start"]
    assert "activity 'start' of process 'p1', activity 'start' of process 'p2'" in start
    assert "unique_ids()" in start
    [field] = [d.message for d in found if d.element_id == "n"]
    assert "rename one" in field


def test_unique_ids_clears_the_activity_warnings() -> None:
    package = unique_ids(_two_processes(field=False).build()).package
    assert _findings(package, "duplicate-id-package") == []
    assert _schema_keys(package) == set()


def test_a_field_at_package_and_process_level_is_warned_about() -> None:
    b = PackageBuilder("pk")
    b.data_field("n", "STRING")
    p = b.process("main")
    p.data_field("n", "INTEGER").start("a").end("z").sequence("a", "z")
    [message] = _findings(b.build(), "duplicate-id-package")
    assert "data field 'n' of package 'pk', data field 'n' of process 'main'" in message


def test_an_activity_set_repeated_in_two_processes_is_warned_about() -> None:
    b = PackageBuilder("pk")
    for pid in ("p1", "p2"):
        p = b.process(pid)
        p.activity_set("s").start(f"{pid}_s").end(f"{pid}_e").sequence(f"{pid}_s", f"{pid}_e")
        p.start(f"{pid}_a").block(f"{pid}_b", activity_set="s").end(f"{pid}_z")
        p.sequence(f"{pid}_a", f"{pid}_b", f"{pid}_z")
    [message] = _findings(b.build(), "duplicate-id-package")
    assert "activity set 's' of process 'p1', activity set 's' of process 'p2'" in message


def test_a_deploy_hears_only_of_its_own_process() -> None:
    b = _two_processes(field=False)
    b.process("p3").start("a3").end("z3").sequence("a3", "z3")
    package = b.build()
    mine = validate_process(package, package.process("p3"))
    assert [d for d in mine if d.code == "duplicate-id-package"] == []
    theirs = validate_process(package, package.process("p1"))
    assert {d.element_id for d in theirs if d.code == "duplicate-id-package"} == {
        "start",
        "work",
        "end",
    }


def test_a_file_is_left_to_its_schema_check() -> None:
    """XPDL 1.0 and 2.1 scope these Ids to their process; a 2.2 file's load reports them."""
    package = load_xpdl(dump_xpdl(_two_processes().build()))
    assert _findings(package, "duplicate-id-package") == []


def test_a_pool_naming_no_process_is_a_warning() -> None:
    b = PackageBuilder("pk")
    b.participant("clerk").process("main").start("a").end("z").sequence("a", "z")
    b.pool(Pool(id="pl", process="nope", lanes=(Lane(id="L1", performers=("clerk",)),)))
    package = b.build()
    [found] = [d for d in validate(package) if d.code == "undefined-process"]
    assert found.severity is Severity.WARNING
    assert "pool 'pl' names process 'nope'" in found.message
    assert "(processes: main)" in found.message
    assert "PoolProcessIdRef" in _schema_keys(package)


def test_a_pool_naming_its_process_is_clean() -> None:
    b = PackageBuilder("pk")
    b.process("main").start("a").end("z").sequence("a", "z")
    b.pool(Pool(id="pl", process="main", lanes=(Lane(id="L1"),)))
    assert _findings(b.build(), "undefined-process") == []


def test_a_pool_naming_an_activity_set_is_clean() -> None:
    """JaWE and TIBCO draw an embedded sub-process (an activity set) in a pool of its own whose
    Process is the set's Id; XPDL 2.1's and 2.2's key ``ProcessIds.Package`` holds activity-set
    Ids, so the written file validates and no ``undefined-process`` is due."""
    b = PackageBuilder("pk")
    p = b.process("main")
    p.activity_set("inner").start("i1").end("i2").sequence("i1", "i2")
    p.start("a").block("blk", activity_set="inner").end("z").sequence("a", "blk", "z")
    b.pool(Pool(id="pl", process="main", lanes=(Lane(id="L1"),)))
    b.pool(Pool(id="pl2", process="inner", lanes=(Lane(id="L2"),)))
    package = b.build()
    assert _findings(package, "undefined-process") == []
    assert "PoolProcessIdRef" not in _schema_keys(package)


def test_the_builder_refuses_a_transition_id_another_process_holds() -> None:
    b = PackageBuilder("pk")
    b.process("p1").start("a").end("go").sequence("a", "go")
    b.process("p2").start("qa").end("qz").transition("qa", "qz", id="go")
    with pytest.raises(BuildError, match=r"which an activity of process 'p1' has"):
        b.build()
    b = PackageBuilder("pk")
    b.process("p1").start("a").end("z").transition("a", "z", id="go")
    b.process("p2").start("qa").end("qz").transition("qa", "qz", id="go")
    with pytest.raises(BuildError, match=r"in process 'p2' has id 'go', which a transition of"):
        b.build()


def test_the_builder_still_takes_one_process_ids_generated_or_distinct() -> None:
    b = PackageBuilder("pk")
    b.process("p1").start("a").end("z").transition("a", "z", id="p1_go")
    b.process("p2").start("qa").end("qz").transition("qa", "qz")
    package = b.build()
    assert [t.id for p in package.workflow_processes for t in p.transitions] == ["p1_go", "t1"]
    assert _findings(package, "duplicate-id-package") == []
