"""The CRM example's modules are loaded once per process, whichever is loaded first
(``examples/crm_complaint/siblings.py``). Before, four loaders under four names ran
``crm.py`` once per name (``crm_complaint_crm`` from ``crm_apps.py``,
``wfengine_demo_crm_crm`` from ``day.py``, ``crm_complaint_phone_key`` from
``status_export.py``, which ran it again on every load), and each run of ``crm.py`` ran
``schema.py``, ``phones.py`` and ``intake.py`` again: two copies of a class, an
``isinstance`` across them failing.

Each order runs in a fresh interpreter (this process has the modules loaded already), which
counts how often each file of the example is executed."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.databases import cli
from tests.examples.example_modules import EXAMPLE, example_module
from wfengine.cli import demo_cmd

#: run in a fresh interpreter: load the example's modules in the order given, through the
#: example's loader; print how often each file ran and how many module objects hold it
_COUNT = """
import collections, importlib.machinery, json, runpy, sys
from pathlib import Path
example, order = Path(sys.argv[1]).resolve(), sys.argv[2:]
runs = collections.Counter()
execute = importlib.machinery.SourceFileLoader.exec_module
def counted(loader, module):
    if Path(loader.path).resolve().parent == example:
        runs[Path(loader.path).name] += 1
    return execute(loader, module)
importlib.machinery.SourceFileLoader.exec_module = counted
sibling = runpy.run_path(str(example / "siblings.py"))["sibling"]
for name in order:
    sibling(name)
held = collections.defaultdict(set)
for module in list(sys.modules.values()):
    where = getattr(module, "__file__", None)
    if where and Path(where).resolve().parent == example:
        held[Path(where).name].add(id(module))
print(json.dumps({"runs": runs, "modules": {k: len(v) for k, v in held.items()}}))
"""

#: every module of the example that loads others, or is loaded by the CLI or a host
_MODULES = ["crm_apps", "day", "status_export", "crm", "intake", "report", "notices"]


@pytest.mark.parametrize("first", ["crm_apps", "day", "status_export"])
def test_each_file_runs_once_in_one_module_whichever_comes_first(first: str) -> None:
    order = [first, *(m for m in _MODULES if m != first), first]
    done = subprocess.run(
        [sys.executable, "-c", _COUNT, str(EXAMPLE), *order],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    counts = json.loads(done.stdout)
    ran = set(counts["runs"])
    assert ran >= {f"{m}.py" for m in _MODULES} | {"schema.py", "phones.py"}, counts
    assert counts["runs"] == dict.fromkeys(ran, 1), counts["runs"]
    assert counts["modules"] == dict.fromkeys(ran, 1), counts["modules"]


def test_the_modules_share_their_siblings() -> None:
    crm, intake, phones = example_module("crm"), example_module("intake"), example_module("phones")
    assert example_module("crm") is crm
    assert crm.intake is intake and crm.phones is phones and intake.phones is phones
    assert example_module("day").intake is intake
    assert example_module("status_export").phones is phones
    assert example_module("status_export").schema is crm.schema


def test_the_demo_loads_them_as_the_example_does() -> None:
    for name in ("crm", "day", "definition", "report", "notices"):
        assert demo_cmd._load(EXAMPLE, name) is example_module(name)


def test_a_name_that_is_no_module_or_no_file_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match=r"sibling\('crm.py'\): name a module of .* \('crm'\)"):
        example_module("crm.py")
    with pytest.raises(ImportError, match=r"no .*nosuch\.py: the example has no module"):
        example_module("nosuch")


def test_another_copy_of_the_example_in_one_process_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "crm_complaint"
    copy.mkdir()
    for name in ("siblings.py", "phones.py"):
        (copy / name).write_text((EXAMPLE / name).read_text(encoding="utf-8"), encoding="utf-8")
    example_module("phones")  # the checkout's, loaded in this process
    sibling = runpy.run_path(str(copy / "siblings.py"))["sibling"]
    with pytest.raises(ImportError, match=r"crm_complaint_phones is loaded from .* already"):
        sibling("phones")


def test_the_demo_names_an_example_copy_without_its_loader(tmp_path: Path) -> None:
    """A copy of the example made before ``siblings.py`` existed: exit 2 naming the file,
    before any database is made."""
    (tmp_path / "day.py").write_text((EXAMPLE / "day.py").read_text(encoding="utf-8"))
    result = cli("demo", "crm", "--complaints", "1", "--example", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert f"{tmp_path}: no siblings.py (the example's loader)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.py"]
