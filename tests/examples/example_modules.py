"""Loading the CRM example's modules (``examples/crm_complaint/*.py``, not a package) the way
the example loads them itself and tells a host to: through its ``siblings.py``, each file once
per process under ``crm_complaint_NAME``. Why the example's own loader: a test loading a file
under a name of its own ran a second copy beside the one the example's other modules load
(``crm.py`` loads ``intake.py``, ``day.py`` loads ``intake.py``), so a test could pass on a
copy no host runs. The modules keep no state between test modules: their tables are
descriptions, the databases each test's own."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from types import ModuleType

from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "crm_complaint"

#: ``examples/crm_complaint/NAME.py`` as the example loads it (``siblings.sibling``)
example_module: Callable[[str], ModuleType] = runpy.run_path(str(EXAMPLE / "siblings.py"))[
    "sibling"
]
