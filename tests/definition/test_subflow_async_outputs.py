"""An asynchronously called process returns nothing (XPDL): a subflow started ASYNCHR whose
process has OUT or INOUT parameters is warned about, naming them."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity


def _package(execution: str, mode: str = "OUT") -> PackageBuilder:
    b = PackageBuilder("pkg")
    p = b.process("main")
    p.data_field("total", "INTEGER").data_field("log", "STRING", initial="'s'")
    p.subflow("call", process="child", args=["total", "log"], execution=execution)
    c = b.process("child", params=[("sum", mode, "INTEGER"), ("note", "IN", "STRING")])
    c.activity("fin")
    return b


def test_async_subflow_to_a_process_with_out_parameters_is_warned() -> None:
    found = [d for d in validate(_package("ASYNCHR").build()) if d.code == "parameter-mode"]
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "call")]
    assert "'sum'" in found[0].message and "'note'" not in found[0].message


def test_sync_subflow_and_async_one_with_only_in_parameters_are_fine() -> None:
    assert validate(_package("SYNCHR").build()) == []
    assert validate(_package("ASYNCHR", mode="IN").build()) == []
