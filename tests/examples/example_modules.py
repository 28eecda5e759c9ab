"""Loading the CRM example's modules (``examples/crm_complaint/*.py``, not a package) the way
its README runs them, each test module under a name of its own so that module-level state
(a CRM's tables, registered applications) is not shared between test modules."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"


def example_module(name: str, prefix: str) -> ModuleType:
    """``examples/crm_complaint/NAME.py`` imported as ``PREFIX_NAME``."""
    spec = importlib.util.spec_from_file_location(f"{prefix}_{name}", EXAMPLE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
