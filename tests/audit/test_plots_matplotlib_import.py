"""What a plot says when matplotlib cannot be used: "install it" only when it is not installed;
one that is installed and fails to import (matplotlib 3.7 with numpy 2: "_ARRAY_API not
found") is named with its cause. Before, every ImportError said "plots need matplotlib: pip
install ...", to a user who had it installed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.audit.plots import PlottingUnavailable, write_plot


class _FailingImport:
    """A meta path finder that makes importing matplotlib raise ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise self.error
        return None


def _without_matplotlib(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_FailingImport(error), *sys.meta_path])


def _plot(tmp_path: Path) -> str:
    with Engine() as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a")
        engine.deploy(pb.build())  # (a process never deployed is refused before the import)
        with pytest.raises(PlottingUnavailable) as raised:
            write_plot(engine, "p", str(tmp_path / "p.png"))
    assert not (tmp_path / "p.png").exists()
    return str(raised.value)


def test_matplotlib_not_installed_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_matplotlib(
        monkeypatch, ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")
    )
    assert _plot(tmp_path) == (
        "plots need matplotlib: pip install 'wfengine[plots]' (or matplotlib)"
    )


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (ImportError("numpy.core.multiarray failed to import"), "ImportError: numpy.core"),
        (AttributeError("_ARRAY_API not found"), "AttributeError: _ARRAY_API not found"),
        (ModuleNotFoundError("No module named 'PIL'", name="PIL"), "No module named 'PIL'"),
    ],
    ids=["numpy 2 import error", "numpy 2 attribute error", "a dependency missing"],
)
def test_matplotlib_that_fails_to_import_is_named_with_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    _without_matplotlib(monkeypatch, error)
    message = _plot(tmp_path)
    assert message.startswith("matplotlib is installed but fails to import: ")
    assert said in message and "plots need matplotlib" not in message
