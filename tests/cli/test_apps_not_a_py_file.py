"""``--apps`` naming a file that is not a ``.py`` file, or a path, is refused unimported.

``--apps settings.yaml`` was read as a dotted module name: it imported ``settings.py`` from the
current directory (running its code), then failed with "'settings' is not a package". Now
such a MODULE is refused before anything is imported (exit status 2), saying to name a ``.py``
file or a dotted module name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.main import main

SIDE_EFFECT = """
from pathlib import Path
Path("ran.txt").write_text("settings.py ran")
"""


@pytest.mark.parametrize(
    ("module", "said"),
    [
        ("settings.yaml", "a file, but not a .py file"),
        ("conf/settings", "a path, but not to a .py file"),
    ],
)
def test_a_module_that_is_a_file_or_path_is_refused_unimported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.py").write_text(SIDE_EFFECT)
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "__init__.py").write_text(SIDE_EFFECT)
    (tmp_path / "conf" / "settings.py").write_text(SIDE_EFFECT)
    (tmp_path / "settings.yaml").write_text("a: 1\n")
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    result = CliRunner().invoke(main, ["worker", "--db", db, "--apps", module, "--until-idle"])
    assert result.exit_code == 2, result.output
    expected = f"--apps {module}: {said}; name a .py file or a dotted module name"
    assert expected in result.output
    assert not (tmp_path / "ran.txt").exists()  # nothing was imported


def test_a_dotted_module_name_still_imports_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "myapps_notpy.py").write_text("def register(registry):\n    pass\n")
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    result = CliRunner().invoke(
        main, ["worker", "--db", db, "--apps", "myapps_notpy", "--until-idle"]
    )
    assert result.exit_code == 0, result.output
