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
which the process repeats only in part (``lookup_customer``).

Its ``subscribe(outbox)``, which ``wfengine worker`` and ``wfengine run`` call, keeps in the
history the cases an operator ends (read from the engine delivering the entry), and tells
people of their work as ``notices.py`` has it, at the addresses of the organisation the
engine's database holds (``wfengine org load``): by e-mail through the SMTP server
``$WFENGINE_CRM_SMTP`` (``host`` or ``host:port``; the sender ``$WFENGINE_CRM_MAIL_FROM``),
by SMS through the ``sms-file`` gateway adapter appending to ``$WFENGINE_CRM_SMS_FILE``. With
neither set, nobody is told (said on stderr): their work is on their worklists only.
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
from wfengine.runtime.outbox import OutboxHandlers, OutboxRecord
from wfengine.runtime.outbox_delivery import delivering_engine
from wfengine.worklist.notifiers import EmailNotifier, Notifier
from wfengine.worklist.sms_notifier import sms_file

#: the environment variable naming the CRM's database
ENV = "WFENGINE_CRM_DB"
#: the environment variables saying how people are told of their work (:func:`subscribe`)
SMTP_ENV, SENDER_ENV, SMS_FILE_ENV = (
    "WFENGINE_CRM_SMTP", "WFENGINE_CRM_MAIL_FROM", "WFENGINE_CRM_SMS_FILE"
)  # fmt: skip
#: the sender of the e-mails when ``$WFENGINE_CRM_MAIL_FROM`` names none
SENDER = "workflow@callcentre.example"


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


#: the CRM of this process, shared by :func:`register` and :func:`subscribe`
_CRM = _FirstCall()


def register(registry: ApplicationRegistry) -> None:
    """Bind ``complaint.xpdl``'s applications to the CRM in :func:`database`, as
    ``CrmApps.register`` binds them; the database is opened at the first call."""
    crm_apps = sibling("crm").CrmApps
    shape = crm_apps.__new__(crm_apps)  # its methods' names and signatures only: no database
    bindings = _Bindings()
    crm_apps.register(shape, bindings)
    for application_id, method, options in bindings.bound:
        registry.register(application_id, _CRM.method(method), **options)


def subscribe(outbox: OutboxHandlers) -> None:
    """Keep the cases an operator ends in the history, and tell people of their work (see
    the module notes). Why here: without it a worker skipped every outbox entry, so no
    department desk heard of new work, reminders or escalations, and a terminated case was
    in no one's history."""
    outbox.subscribe(_record_closing, ["instance.state_changed"])
    email, sms = _notifiers()
    if email is None and sms is None:
        print(f"crm_apps: people are not told of their work (set {SMTP_ENV} for e-mail, "
              f"{SMS_FILE_ENV} for SMS)", file=sys.stderr)  # fmt: skip
        return
    # None: the people of the delivering engine's organisation (`wfengine org load`)
    sibling("notices").subscribe_people(outbox, None, email=email, sms=sms)


def _record_closing(record: OutboxRecord) -> None:
    """``CrmApps.record_closing`` on the engine delivering ``record`` (a worker's). Only a
    complaint an operator ended is recorded: any other entry (another process's instance,
    a complaint that started, was suspended or completed) is passed over before the CRM's
    database is opened, which a worker that calls no application then never makes."""
    history = sibling("history")
    if record.payload.get("process_id") != history.PROCESS:
        return
    if record.payload.get("state") not in history.CLOSED_BY_OPERATOR:
        return
    engine = delivering_engine()
    if engine is None:
        raise RuntimeError("crm_apps: a closing is recorded from an outbox delivery only")
    _CRM.apps().record_closing(engine)(record)


def _notifiers() -> tuple[Notifier | None, Notifier | None]:
    """The e-mail and SMS notifiers the environment names (see the module notes)."""
    server = os.environ.get(SMTP_ENV, "").strip()
    spool = os.environ.get(SMS_FILE_ENV, "").strip()
    email = sms = None
    try:
        if server:
            host, _, port = server.rpartition(":") if ":" in server else (server, "", "25")
            sender = os.environ.get(SENDER_ENV, "").strip() or SENDER
            email = EmailNotifier(host, port, sender=sender)
        if spool:
            sms = sms_file(spool)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{SMTP_ENV}={server!r}, {SMS_FILE_ENV}={spool!r}: {exc}") from exc
    return email, sms
