"""Loading a benchmark script as a module, to test its parts without running (or timing) it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT

BENCH = REPO_ROOT / "bench"


@pytest.fixture
def bench_script(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], ModuleType]]:
    """Load ``bench/...`` scripts as modules, their folder importable as the scripts expect
    (``from postgres import ...``); the modules loaded from bench/ are unloaded afterwards, so
    a script's siblings (``postgres``, ``run``) never shadow anything in a later test. Only
    those: unloading a library a script happened to import first would load it twice."""

    def load(path: Path) -> ModuleType:
        monkeypatch.syspath_prepend(str(path.parent))
        name = f"bench_script_{path.parent.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module

    yield load
    for name, module in list(sys.modules.items()):
        if BENCH in Path(getattr(module, "__file__", None) or "/").parents:
            del sys.modules[name]
