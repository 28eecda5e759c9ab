"""The XPDL codec's central promise: writing a package and reading it back loses nothing.

``read_package(write_package(pkg)) == pkg`` for every package the strategies generate (see
``tests/strategies.py`` for what they deliberately leave out, and why), the written document
passes the XPDL 2.2 schema, and a package made with the builder survives the trip too, so a
definition written in code and one loaded from a file are interchangeable.
"""

from __future__ import annotations

from hypothesis import given
from lxml import etree

from tests.strategies import packages
from wfengine.definition.builder import PackageBuilder, deadline, multi_instance, standard_loop
from wfengine.definition.model import Node, Package
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.schema import check_schema
from wfengine.definition.xpdl.writer import write_package


def _roundtrip(package: Package) -> Package:
    # schema=False: the schema is asserted separately, and a warning there must not hide a
    # content difference here (load_diagnostics is not compared anyway).
    return read_package(write_package(package), schema=False)


def _differences(wrote: object, read: object, path: str = "package") -> list[str]:
    """Where two models differ, as ``path: wrote ... / read ...`` lines (readable failures)."""
    if wrote == read:
        return []
    if isinstance(wrote, Node) and type(wrote) is type(read):
        return [
            line
            for key, value in wrote.__dict__.items()
            if key not in wrote._uncompared
            for line in _differences(value, getattr(read, key), f"{path}.{key}")
        ]
    if isinstance(wrote, tuple) and isinstance(read, tuple) and len(wrote) == len(read):
        return [
            line
            for i, (w, r) in enumerate(zip(wrote, read, strict=True))
            for line in _differences(w, r, f"{path}[{i}]")
        ]
    return [f"{path}:\n  wrote {wrote!r}\n  read  {read!r}"]


def _schema_findings(data: bytes) -> list[str]:
    tree = etree.ElementTree(etree.fromstring(data))
    return [d.message for d in check_schema(tree, "2.2")]


@given(packages())
def test_a_generated_package_is_written_valid_read_back_whole_and_rewritten_alike(
    package: Package,
) -> None:
    """The codec's promises on one generated package (one test, so each example is generated
    and written once: three tests of 200 examples each took a tenth of the suite under
    ``CI=true``): it survives writing and reading; the document is schema-valid; writing is
    deterministic and idempotent."""
    data = write_package(package)
    read = read_package(data, schema=False)
    assert _differences(package, read) == []
    assert _schema_findings(data) == []
    assert write_package(package) == data
    assert write_package(read) == data


def _crm() -> Package:
    pkg = (
        PackageBuilder("crm", name="CRM complaints & <escalations>", script="text/python")
        .participant("clerk", type="ROLE", name="Clerk")
        .participant("boss", type="HUMAN")
        .application("notify", params=[("to", "IN", "STRING"), ("ok", "OUT", "BOOLEAN")])
        .type_declaration("address", "STRING")
        .data_field("amount", "INTEGER", initial="0")
        .extended_attribute("owner", "Zoë")
    )
    p = pkg.process("complaint", name="Complaint", params=[("phone", "IN", "STRING")])
    p.data_field("satisfied", "BOOLEAN", initial="False")
    p.data_field("where", "address")
    p.start("start")
    p.activity("intake", performer="clerk", deadlines=[deadline("PT1H", "late")])
    p.activity("answer", tool="notify", args=["phone", "satisfied"], split="Parallel")
    p.route("decide")
    p.subflow("dept", process="department", args=["phone"], execution="ASYNCHR")
    p.block("review", activity_set="rs", loop=standard_loop("not satisfied", maximum=3))
    p.activity("letters", script="send()", loop=multi_instance("3", ordering="Sequential"))
    p.end("done")
    p.end("kill", terminate=True)
    p.sequence("start", "intake", "decide")
    p.transition("decide", "done", condition="satisfied && amount < 10")
    p.transition("decide", "dept", otherwise=True)
    p.transition("intake", "kill", exception="late")
    p.sequence("dept", "answer")
    p.transition("answer", "review")
    p.transition("answer", "letters")
    p.transition("review", "done")
    p.transition("letters", "done")
    rs = p.activity_set("rs", default_start="check")
    rs.activity("check", performer="boss").activity("fix").sequence("check", "fix")
    d = pkg.process("department", params=[("tel", "IN", "STRING")])
    d.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    return pkg.build()


def test_builder_package_survives_write_and_read() -> None:
    package = _crm()
    assert _differences(package, _roundtrip(package)) == []


def test_builder_package_is_schema_valid() -> None:
    assert _schema_findings(write_package(_crm())) == []
