"""The Names that stand for fields (``name_aliases``) and those several fields share
(``shared_names``) are worked out once per package: the package's fields are read once, and
each process adds only its own. Before, each of several checks (and the runtime compiler)
read every package field again for every process, so a package of N processes and N
package-level fields cost N x N: a 600 KB file took a minute to validate, and a 16 MiB one,
under the reader's limit, would have taken hours; definitions may come from people the host
does not trust (README "Limits")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wfengine import PackageBuilder, validate
from wfengine.definition import field_names
from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.checks.read_only import read_only_fields
from wfengine.definition.checks.readings import shared_names
from wfengine.definition.model import DataField, FormalParameter, Package, WorkflowProcess
from wfengine.definition.reading import name_aliases


def _many(processes: int, fields: int) -> Package:
    b = PackageBuilder("pk")
    for i in range(fields):
        b.data_field(f"d{i}", "INTEGER", name=f"Field{i}")
    for i in range(processes):
        b.process(f"p{i}").start(f"s{i}").end(f"e{i}").sequence(f"s{i}", f"e{i}")
    return b.build()


def test_the_package_fields_are_read_once_not_once_per_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    real = field_names.is_identifier

    def counted(name: str) -> bool:
        asked.append(name)
        return real(name)

    # wherever a module holds it (``reading`` did the work itself before)
    import wfengine.definition.reading as reading

    monkeypatch.setattr(field_names, "is_identifier", counted)
    monkeypatch.setattr(reading, "is_identifier", counted)
    package = _many(150, 150)
    validate(package)
    assert sum(name.startswith("Field") for name in asked) <= 2 * 150


def _reference_aliases(package: Package, process: WorkflowProcess) -> dict[str, str]:
    """The rule as it was written before, item by item over the package's and process's."""
    items: list[DataField | FormalParameter] = [
        *package.data_fields,
        *process.data_fields,
        *process.formal_parameters,
    ]
    ids = {item.id for item in items}
    owners: dict[str, list[str]] = {}
    for item in items:
        name = (item.name or "").strip()
        if name and name != item.id and field_names.is_identifier(name):
            found = owners.setdefault(name, [])
            if item.id not in found:
                found.append(item.id)
    return {n: f[0] for n, f in owners.items() if len(f) == 1 and n not in ids}


def _reference_shared(package: Package, process: WorkflowProcess) -> dict[str, tuple[str, ...]]:
    items: list[DataField | FormalParameter] = [
        *package.data_fields,
        *process.data_fields,
        *process.formal_parameters,
    ]
    ids = {item.id for item in items}
    owners: dict[str, list[str]] = {}
    for item in items:
        name = (item.name or "").strip()
        if name and name != item.id and field_names.is_identifier(name) and name not in ids:
            found = owners.setdefault(name, [])
            if item.id not in found:
                found.append(item.id)
    return {n: tuple(f) for n, f in owners.items() if len(f) > 1}


def test_the_answers_are_the_rule_s_for_every_mix_of_package_and_process_fields() -> None:
    b = PackageBuilder("pk")
    b.data_field("amount_id", "INTEGER", name="amount")  # alone in the package
    b.data_field("u1", "STRING", name="size")  # shared with a process field
    b.data_field("u2", "STRING", name="both")  # shared within the package
    b.data_field("u3", "STRING", name="both")
    b.data_field("u4", "STRING", name="hidden")  # a process field's Id hides it
    b.data_field("u5", "STRING", name="kept")  # a process field of its Id repeats it
    b.data_field("größe_id", "STRING", name="größe")
    p = b.process("p", params=[("fp", "IN", "STRING")])
    p.data_field("u6", "STRING", name="size")
    p.data_field("hidden", "STRING")
    p.data_field("u5", "STRING", name="kept")
    p.data_field("own_id", "STRING", name="own")
    p.data_field("x1", "STRING", name="pair")
    p.data_field("x2", "STRING", name="pair")
    p.start("s").end("e").sequence("s", "e")
    b.process("bare").start("s2").end("e2").sequence("s2", "e2")
    package = b.build()
    for process in package.workflow_processes:
        assert name_aliases(package, process) == _reference_aliases(package, process)
        assert list(name_aliases(package, process)) == list(_reference_aliases(package, process))
        assert shared_names(package, process) == _reference_shared(package, process)
    assert name_aliases(package, package.process("p")) == {
        "amount": "amount_id",
        "kept": "u5",
        "größe": "größe_id",
        "own": "own_id",
    }
    assert shared_names(package, package.process("p")) == {
        "size": ("u1", "u6"),
        "both": ("u2", "u3"),
        "pair": ("x1", "x2"),
    }
    # each answer is the caller's own to change
    name_aliases(package, package.process("bare"))["amount"] = "changed"
    assert name_aliases(package, package.process("bare"))["amount"] == "amount_id"


def test_validation_walks_the_scopes_a_fixed_number_of_times_whatever_the_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The expression checks took each process's scopes by scanning every scope of the
    package once per process: N x N for N processes."""
    walks = 0

    class Counted(list[Scope]):
        def __iter__(self) -> Iterator[Scope]:
            nonlocal walks
            walks += 1
            return super().__iter__()

    build = Context.build.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Context], *args: Any, **kwargs: Any) -> Context:
        ctx: Context = build(cls, *args, **kwargs)
        ctx.scopes = Counted(ctx.scopes)
        return ctx

    monkeypatch.setattr(Context, "build", classmethod(counted))
    found = []
    for processes in (20, 120):
        walks = 0
        validate(_many(processes, 5))
        found.append(walks)
    assert found[0] == found[1]


def test_read_only_fields_of_the_package_a_process_does_not_hide() -> None:
    b = PackageBuilder("pk")
    b.data_field("rate", "FLOAT", initial="1.5", read_only=True)
    b.data_field("limit", "INTEGER", initial="3", read_only=True)
    b.data_field("given", "INTEGER", initial="3", read_only=True)
    p = b.process("p", params=[("given", "IN", "INTEGER")])
    p.data_field("limit", "INTEGER", initial="4")  # hides the package's: writable here
    p.data_field("own", "INTEGER", initial="1", read_only=True)
    p.start("s").end("e").sequence("s", "e")
    b.process("q").start("s2").end("e2").sequence("s2", "e2")
    package = b.build()
    assert read_only_fields(package, package.process("p")) == {"rate", "own"}
    assert read_only_fields(package, package.process("q")) == {"rate", "limit", "given"}
