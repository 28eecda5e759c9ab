"""The applications of ``complaint.xpdl`` bound for the command line (``--apps``): the CRM of
``crm.py`` (customers, acceptance numbers, the complaint history, the messages to the
customer, recorded rather than sent), as ``wfengine demo crm`` binds it.

    echo '{"coordinate": [{"decision": "close", "reply": "Refunded"}]}' > answers.json
    wfengine run examples/crm_complaint/complaint.xpdl \\
        --apps examples/crm_complaint/crm_apps.py \\
        --set phone=13800000101 --set text="Charged twice" --answers answers.json

(without answers the runner completes the coordinator's form empty, which comes back to
the coordinator, and the run stops at that loop).

The CRM's tables live in the database ``WFENGINE_CRM_DB`` names (a SQLAlchemy URL, made or
upgraded as ``crm.CrmApps`` does), else in ``crm.db`` in a new temporary directory, named on
stderr: numbers and history then last only as long as that file. Give the CRM a database of
its own, not the engine's SQLite file (both would want its write lock within one command);
give every ``wfengine worker`` the same ``WFENGINE_CRM_DB``. A run started this way skips the
intake's checks of ``crm.take_complaint`` (the fields, the e-mail address, the agent),
which the process repeats only in part (``lookup_customer``), and a case an operator ends is
not recorded in the history (that needs the engine: ``crm.CrmApps.subscribe``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from wfengine import ApplicationRegistry

#: the environment variable naming the CRM's database
ENV = "WFENGINE_CRM_DB"


def _crm() -> ModuleType:
    """``crm.py`` beside this file (loaded by path, as its own siblings are)."""
    name = "crm_complaint_crm"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("crm.py"))
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault(name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


def database() -> str:
    """The CRM's database: ``$WFENGINE_CRM_DB``, else a new SQLite file (named on stderr)."""
    url = os.environ.get(ENV, "").strip()
    if url:
        return url
    path = Path(tempfile.mkdtemp(prefix="wfengine-crm-apps-")) / "crm.db"
    print(f"crm_apps: the CRM's tables are in {path} (set {ENV} to keep them elsewhere)",
          file=sys.stderr)  # fmt: skip
    return f"sqlite:///{path}"


def register(registry: ApplicationRegistry) -> None:
    """Bind ``complaint.xpdl``'s applications to the CRM in :func:`database`."""
    _crm().CrmApps(database()).register(registry)
