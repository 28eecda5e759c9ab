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
stderr: numbers and history then last only as long as that file. The database is opened (or
made) at the first application call, not as the module loads: ``wfengine validate --apps``,
and a worker that never calls one, make none. Give the CRM a database of
its own, not the engine's SQLite file (both would want its write lock within one command);
give every ``wfengine worker`` the same ``WFENGINE_CRM_DB``. A run started this way skips the
intake's checks of ``crm.take_complaint`` (the fields, the e-mail address, the agent),
which the process repeats only in part (``lookup_customer``), and a case an operator ends is
not recorded in the history (that needs the engine: ``crm.CrmApps.subscribe``).
"""

from __future__ import annotations

import inspect
import os
import runpy
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wfengine import ApplicationRegistry

#: the environment variable naming the CRM's database
ENV = "WFENGINE_CRM_DB"


#: the example's loader: each of its modules loaded once, by path (``siblings.py``)
sibling = runpy.run_path(str(Path(__file__).with_name("siblings.py")))["sibling"]


def database() -> str:
    """The CRM's database: ``$WFENGINE_CRM_DB``, else a new SQLite file (named on stderr)."""
    url = os.environ.get(ENV, "").strip()
    if url:
        return url
    path = Path(tempfile.mkdtemp(prefix="wfengine-crm-apps-")) / "crm.db"
    print(f"crm_apps: the CRM's tables are in {path} (set {ENV} to keep them elsewhere)",
          file=sys.stderr)  # fmt: skip
    return f"sqlite:///{path}"


class _FirstCall:
    """The CRM (``crm.CrmApps`` on :func:`database`), made at the first application call."""

    def __init__(self) -> None:
        self._apps: Any = None
        self._lock = threading.Lock()

    def apps(self) -> Any:
        with self._lock:
            if self._apps is None:
                self._apps = sibling("crm").CrmApps(database())
            return self._apps

    def method(self, bound: Callable[..., Any]) -> Callable[..., Any]:
        """A function calling the CRM's method ``bound`` names, with its signature (the
        registry reads the parameters' names and defaults from it)."""
        name = bound.__name__

        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self.apps(), name)(*args, **kwargs)

        call.__name__, call.__qualname__, call.__doc__ = name, name, bound.__doc__
        call.__signature__ = inspect.signature(bound)  # type: ignore[attr-defined]
        return call


class _Bindings:
    """Records what ``CrmApps.register`` binds: (application id, method, options)."""

    def __init__(self) -> None:
        self.bound: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []

    def register(self, application_id: str, func: Callable[..., Any], **options: Any) -> None:
        self.bound.append((application_id, func, options))


def register(registry: ApplicationRegistry) -> None:
    """Bind ``complaint.xpdl``'s applications to the CRM in :func:`database`, as
    ``CrmApps.register`` binds them; the database is opened at the first call."""
    crm_apps = sibling("crm").CrmApps
    shape = crm_apps.__new__(crm_apps)  # its methods' names and signatures only: no database
    bindings = _Bindings()
    crm_apps.register(shape, bindings)
    first_call = _FirstCall()
    for application_id, method, options in bindings.bound:
        registry.register(application_id, first_call.method(method), **options)
