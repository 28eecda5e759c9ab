"""wfengine: an embeddable, pure-Python workflow engine on the WfMC reference model.

The public API is what this module exports (``__all__``); import it from here::

    from wfengine import Engine, PackageBuilder, load_xpdl, validate

Everything else (the modules under ``wfengine.*`` and what they hold beyond these names) is
internal and may change. The surface, by WfMC part:

* process definitions (Interface 1): :func:`load_xpdl`, :func:`dump_xpdl`, :func:`validate`
  and its :class:`Diagnostic` findings, :class:`PackageBuilder` with what its arguments take
  (:func:`standard_loop`, :func:`multi_instance`, :func:`deadline`, :class:`EnumerationType`,
  :class:`Pool` and :class:`Lane`), :func:`package_to_dot`, :func:`unique_ids` (what
  ``wfengine convert`` renames for XPDL 2.2);
* the enactment service: :class:`Engine` and :class:`Worker`, :class:`RuntimeLimits`, the
  WfMC states, the snapshots the engine hands out, and what a host injects (clocks, id
  generators, a directory, a :class:`Store` such as :class:`SqlStore`);
* people (Interface 2): :class:`Organisation` (users, roles, units: the engine's directory)
  and :func:`load_organisation`, :func:`use_stored_organisation` (the one ``wfengine org
  load`` stored in an engine's database); :func:`connect` for a WAPI :class:`Session` of one user
  (used after it ended, it raises :class:`SessionEndedError`); :func:`subscribe` and
  :func:`notifier` for notifications of work (:class:`Notifier`, told each :class:`Person`,
  an :class:`OrgUser` or a host directory's own), :func:`notes_for` for comments and
  attachments on work items;
* what the engine tells the world after a commit: the outbox (:class:`OutboxKind`,
  :class:`OutboxRecord`, :class:`OutboxHandlers`, :class:`OutboxPolicy`);
* the audit catalogue: :class:`AuditEvent`, :class:`EventKind` and one payload class per kind
  of event (``event.payload`` reads a stored event back as one of them);
* invoked applications (Interface 3): :class:`ApplicationRegistry` and the built-in tool agents
  (``http_agent``, ``subprocess_agent``, ``email_agent``, ``callable_agent`` and the factories
  that let definitions bind them), loaded on first use;
* the one exception hierarchy, rooted at :class:`WorkflowError`.
"""

import importlib as _importlib
import typing as _typing

from wfengine.errors import (
    ApplicationError,
    ApplicationTimeoutError,
    ConcurrencyError,
    DataNotStorableError,
    DataTypeError,
    DefinitionError,
    DeployError,
    EngineInUseError,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    IllegalStateError,
    LimitError,
    NotAuthorizedError,
    NotFoundError,
    OrganisationError,
    ParameterMappingError,
    PermanentApplicationError,
    SchemaOutdatedError,
    StoreError,
    StoreUnavailableError,
    WorkflowError,
    XpdlLoadError,
)

# Everything else is imported on first use (PEP 562 ``__getattr__`` below), so that
# ``import wfengine`` (and ``wfengine --help``) does not pay for the engine, SQLAlchemy,
# networkx and the audit tools until a name is used; type checkers see the real imports.
if _typing.TYPE_CHECKING:
    from wfengine.applications.events import (
        ApplicationFailed,
        ApplicationInvoked,
        ApplicationReturned,
    )
    from wfengine.applications.registry import ApplicationRegistry
    from wfengine.audit import (
        BriefStatus,
        ChainBreak,
        ChainReport,
        DetailedStatus,
        brief_status,
        detailed_status,
        iter_events,
        process_metrics,
        write_csv,
        write_jsonl,
        write_xes,
    )
    from wfengine.definition.build_arguments import (
        BuildError,
        deadline,
        multi_instance,
        standard_loop,
    )
    from wfengine.definition.builder import ActivitySetBuilder, PackageBuilder, ProcessBuilder
    from wfengine.definition.diagnostics import Diagnostic, Severity
    from wfengine.definition.io import dump_xpdl, load_xpdl
    from wfengine.definition.model import EnumerationType, Lane, Package, Pool
    from wfengine.definition.render import package_to_dot
    from wfengine.definition.unique_ids import unique_ids
    from wfengine.definition.validation import validate
    from wfengine.runtime.clock import Clock, SystemClock, VirtualClock
    from wfengine.runtime.deployment import DeployedProcess
    from wfengine.runtime.directory import (
        Directory,
        DirectoryError,
        StaticDirectory,
        SupervisorLevels,
        Supervisors,
    )
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.history import (
        ActivityAborted,
        ActivityIterated,
        ActivityTerminated,
        ApplicationDiscarded,
        ApplicationQueued,
        BoundaryFired,
        ConditionFailed,
        DeadlineFired,
        DeadlineInvalid,
        DeadlineUnhandled,
        EventKind,
        EventThrown,
        ExceptionTaken,
        IncidentAborted,
        IncidentOpened,
        IncidentRetried,
        IncidentSkipped,
        InstanceCreated,
        InstanceDataAssigned,
        InstanceDeferred,
        InstanceStateChanged,
        JoinDiscarded,
        MessageKept,
        MessageReceived,
        MultiInstanceAdded,
        MultiInstanceStarted,
        Payload,
        ScriptAssigned,
        SignalReceived,
        SubflowStarted,
    )
    from wfengine.runtime.ids import IdGenerator, SequentialIds, UuidIds
    from wfengine.runtime.limits import RuntimeLimits
    from wfengine.runtime.memory_store import MemoryStore
    from wfengine.runtime.note_events import AttachmentDeleted, CommentDeleted
    from wfengine.runtime.outbox import (
        OutboxHandlers,
        OutboxKind,
        OutboxPolicy,
        OutboxRecord,
        OutboxStatus,
    )
    from wfengine.runtime.outbox_delivery import delivery_progress
    from wfengine.runtime.snapshots import (
        ActivityInstanceSnapshot,
        DecisionSnapshot,
        IncidentSnapshot,
        InstanceSnapshot,
        InstanceSummary,
        JobSnapshot,
        KeptMessage,
        TimerSnapshot,
        TokenSnapshot,
        WayOn,
        WorkItemData,
        WorkItemSnapshot,
    )
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
    from wfengine.runtime.store import AuditEvent, Store
    from wfengine.runtime.work_item_events import (
        OperationRefused,
        ReminderDue,
        WorkItemAllocated,
        WorkItemCancelled,
        WorkItemCompleted,
        WorkItemDelegated,
        WorkItemEscalated,
        WorkItemOffered,
        WorkItemReassigned,
        WorkItemReleased,
        WorkItemReturned,
        WorkItemSentBack,
        WorkItemStarted,
    )
    from wfengine.runtime.worker import Worker
    from wfengine.simulation import (
        Comparison,
        Scenario,
        ScenarioError,
        SimulationReport,
        compare,
        simulate,
    )
    from wfengine.wapi.session import Session, SessionEndedError, WorkList, connect
    from wfengine.worklist import Organisation, load_organisation
    from wfengine.worklist.notes import Notes, notes_for
    from wfengine.worklist.notifiers import Notification, Notifier, Person, notifier, subscribe
    from wfengine.worklist.org_model import OrgUser
    from wfengine.worklist.stored_organisation import use_stored_organisation

if _typing.TYPE_CHECKING:
    from wfengine.applications.agents import (
        HttpClientError,
        HttpServerError,
        ProcessFailedError,
        RecipientsDeferredError,
        RecipientsRefusedError,
        callable_agent,
        callable_agent_factory,
        email_agent,
        email_agent_factory,
        http_agent,
        http_agent_factory,
        subprocess_agent,
        subprocess_agent_factory,
    )

__version__ = "0.1.0"

__all__ = [
    "ActivityAborted",
    "ActivityInstanceSnapshot",
    "ActivityIterated",
    "ActivitySetBuilder",
    "ActivityState",
    "ActivityTerminated",
    "ApplicationDiscarded",
    "ApplicationError",
    "ApplicationFailed",
    "ApplicationInvoked",
    "ApplicationQueued",
    "ApplicationRegistry",
    "ApplicationReturned",
    "ApplicationTimeoutError",
    "AttachmentDeleted",
    "AuditEvent",
    "BoundaryFired",
    "BriefStatus",
    "BuildError",
    "ChainBreak",
    "ChainReport",
    "Clock",
    "CommentDeleted",
    "Comparison",
    "ConcurrencyError",
    "ConditionFailed",
    "DataNotStorableError",
    "DataTypeError",
    "DeadlineFired",
    "DeadlineInvalid",
    "DeadlineUnhandled",
    "DecisionSnapshot",
    "DefinitionError",
    "DeployError",
    "DeployedProcess",
    "DetailedStatus",
    "Diagnostic",
    "Directory",
    "DirectoryError",
    "Engine",
    "EngineInUseError",
    "EnumerationType",
    "EventKind",
    "EventThrown",
    "ExceptionTaken",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionSyntaxError",
    "HttpClientError",
    "HttpServerError",
    "IdGenerator",
    "IllegalStateError",
    "IncidentAborted",
    "IncidentOpened",
    "IncidentRetried",
    "IncidentSkipped",
    "IncidentSnapshot",
    "InstanceCreated",
    "InstanceDataAssigned",
    "InstanceDeferred",
    "InstanceSnapshot",
    "InstanceStateChanged",
    "InstanceSummary",
    "JobSnapshot",
    "JoinDiscarded",
    "KeptMessage",
    "Lane",
    "LimitError",
    "MemoryStore",
    "MessageKept",
    "MessageReceived",
    "MultiInstanceAdded",
    "MultiInstanceStarted",
    "NotAuthorizedError",
    "NotFoundError",
    "Notes",
    "Notification",
    "Notifier",
    "OperationRefused",
    "OrgUser",
    "Organisation",
    "OrganisationError",
    "OutboxHandlers",
    "OutboxKind",
    "OutboxPolicy",
    "OutboxRecord",
    "OutboxStatus",
    "Package",
    "PackageBuilder",
    "ParameterMappingError",
    "Payload",
    "PermanentApplicationError",
    "Person",
    "Pool",
    "ProcessBuilder",
    "ProcessFailedError",
    "ProcessState",
    "RecipientsDeferredError",
    "RecipientsRefusedError",
    "ReminderDue",
    "RuntimeLimits",
    "Scenario",
    "ScenarioError",
    "SchemaOutdatedError",
    "ScriptAssigned",
    "SequentialIds",
    "Session",
    "SessionEndedError",
    "Severity",
    "SignalReceived",
    "SimulationReport",
    "SqlStore",
    "StaticDirectory",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "SubflowStarted",
    "SupervisorLevels",
    "Supervisors",
    "SystemClock",
    "TimerSnapshot",
    "TokenSnapshot",
    "UuidIds",
    "VirtualClock",
    "WayOn",
    "WorkItemAllocated",
    "WorkItemCancelled",
    "WorkItemCompleted",
    "WorkItemData",
    "WorkItemDelegated",
    "WorkItemEscalated",
    "WorkItemOffered",
    "WorkItemReassigned",
    "WorkItemReleased",
    "WorkItemReturned",
    "WorkItemSentBack",
    "WorkItemSnapshot",
    "WorkItemStarted",
    "WorkItemState",
    "WorkList",
    "Worker",
    "WorkflowError",
    "XpdlLoadError",
    "__version__",
    "brief_status",
    "callable_agent",
    "callable_agent_factory",
    "compare",
    "connect",
    "deadline",
    "delivery_progress",
    "detailed_status",
    "dump_xpdl",
    "email_agent",
    "email_agent_factory",
    "http_agent",
    "http_agent_factory",
    "iter_events",
    "load_organisation",
    "load_xpdl",
    "multi_instance",
    "notes_for",
    "notifier",
    "package_to_dot",
    "process_metrics",
    "simulate",
    "standard_loop",
    "subprocess_agent",
    "subprocess_agent_factory",
    "subscribe",
    "unique_ids",
    "use_stored_organisation",
    "validate",
    "write_csv",
    "write_jsonl",
    "write_xes",
]

#: names imported on first use, by the module they live in: the tool agents bring in httpx,
#: which a host (or a command-line run) that binds no agent should not pay for at import
#: each public name -> the module that holds it, imported when the name is first used
_LAZY: dict[str, str] = {
    "ActivityAborted": "wfengine.runtime.history",
    "ActivityTerminated": "wfengine.runtime.history",
    "ActivityInstanceSnapshot": "wfengine.runtime.snapshots",
    "ActivityIterated": "wfengine.runtime.history",
    "ActivitySetBuilder": "wfengine.definition.builder",
    "ActivityState": "wfengine.runtime.states",
    "ApplicationDiscarded": "wfengine.runtime.history",
    "AttachmentDeleted": "wfengine.runtime.note_events",
    "CommentDeleted": "wfengine.runtime.note_events",
    "ApplicationFailed": "wfengine.applications.events",
    "ApplicationInvoked": "wfengine.applications.events",
    "ApplicationQueued": "wfengine.runtime.history",
    "ApplicationRegistry": "wfengine.applications.registry",
    "ApplicationReturned": "wfengine.applications.events",
    "AuditEvent": "wfengine.runtime.store",
    "BoundaryFired": "wfengine.runtime.history",
    "BriefStatus": "wfengine.audit",
    "BuildError": "wfengine.definition.build_arguments",
    "ChainBreak": "wfengine.audit",
    "ChainReport": "wfengine.audit",
    "Clock": "wfengine.runtime.clock",
    "Comparison": "wfengine.simulation",
    "ConditionFailed": "wfengine.runtime.history",
    "DeadlineFired": "wfengine.runtime.history",
    "DeadlineInvalid": "wfengine.runtime.history",
    "DeadlineUnhandled": "wfengine.runtime.history",
    "DecisionSnapshot": "wfengine.runtime.snapshots",
    "DeployedProcess": "wfengine.runtime.deployment",
    "DetailedStatus": "wfengine.audit",
    "Diagnostic": "wfengine.definition.diagnostics",
    "Directory": "wfengine.runtime.directory",
    "DirectoryError": "wfengine.runtime.directory",
    "Engine": "wfengine.runtime.engine",
    "EnumerationType": "wfengine.definition.model",
    "EventKind": "wfengine.runtime.history",
    "EventThrown": "wfengine.runtime.history",
    "ExceptionTaken": "wfengine.runtime.history",
    "IdGenerator": "wfengine.runtime.ids",
    "IncidentAborted": "wfengine.runtime.history",
    "IncidentOpened": "wfengine.runtime.history",
    "IncidentRetried": "wfengine.runtime.history",
    "IncidentSkipped": "wfengine.runtime.history",
    "IncidentSnapshot": "wfengine.runtime.snapshots",
    "InstanceCreated": "wfengine.runtime.history",
    "InstanceDataAssigned": "wfengine.runtime.history",
    "InstanceDeferred": "wfengine.runtime.history",
    "InstanceSnapshot": "wfengine.runtime.snapshots",
    "InstanceStateChanged": "wfengine.runtime.history",
    "InstanceSummary": "wfengine.runtime.snapshots",
    "KeptMessage": "wfengine.runtime.snapshots",
    "JobSnapshot": "wfengine.runtime.snapshots",
    "JoinDiscarded": "wfengine.runtime.history",
    "Lane": "wfengine.definition.model",
    "MemoryStore": "wfengine.runtime.memory_store",
    "MessageKept": "wfengine.runtime.history",
    "MessageReceived": "wfengine.runtime.history",
    "MultiInstanceAdded": "wfengine.runtime.history",
    "MultiInstanceStarted": "wfengine.runtime.history",
    "Notes": "wfengine.worklist.notes",
    "Notification": "wfengine.worklist.notifiers",
    "Notifier": "wfengine.worklist.notifiers",
    "OperationRefused": "wfengine.runtime.work_item_events",
    "OrgUser": "wfengine.worklist.org_model",
    "Organisation": "wfengine.worklist",
    "OutboxHandlers": "wfengine.runtime.outbox",
    "OutboxKind": "wfengine.runtime.outbox",
    "OutboxPolicy": "wfengine.runtime.outbox",
    "OutboxRecord": "wfengine.runtime.outbox",
    "OutboxStatus": "wfengine.runtime.outbox",
    "Package": "wfengine.definition.model",
    "PackageBuilder": "wfengine.definition.builder",
    "Payload": "wfengine.runtime.history",
    "Person": "wfengine.worklist.notifiers",
    "Pool": "wfengine.definition.model",
    "ProcessBuilder": "wfengine.definition.builder",
    "ProcessState": "wfengine.runtime.states",
    "ReminderDue": "wfengine.runtime.work_item_events",
    "RuntimeLimits": "wfengine.runtime.limits",
    "Scenario": "wfengine.simulation",
    "ScenarioError": "wfengine.simulation",
    "ScriptAssigned": "wfengine.runtime.history",
    "SequentialIds": "wfengine.runtime.ids",
    "Session": "wfengine.wapi.session",
    "SessionEndedError": "wfengine.wapi.session",
    "Severity": "wfengine.definition.diagnostics",
    "SignalReceived": "wfengine.runtime.history",
    "SimulationReport": "wfengine.simulation",
    "SqlStore": "wfengine.runtime.sql.store",
    "StaticDirectory": "wfengine.runtime.directory",
    "SupervisorLevels": "wfengine.runtime.directory",
    "Supervisors": "wfengine.runtime.directory",
    "Store": "wfengine.runtime.store",
    "SubflowStarted": "wfengine.runtime.history",
    "SystemClock": "wfengine.runtime.clock",
    "TimerSnapshot": "wfengine.runtime.snapshots",
    "TokenSnapshot": "wfengine.runtime.snapshots",
    "UuidIds": "wfengine.runtime.ids",
    "VirtualClock": "wfengine.runtime.clock",
    "WayOn": "wfengine.runtime.snapshots",
    "WorkItemAllocated": "wfengine.runtime.work_item_events",
    "WorkItemCancelled": "wfengine.runtime.work_item_events",
    "WorkItemCompleted": "wfengine.runtime.work_item_events",
    "WorkItemData": "wfengine.runtime.snapshots",
    "WorkItemDelegated": "wfengine.runtime.work_item_events",
    "WorkItemEscalated": "wfengine.runtime.work_item_events",
    "WorkItemOffered": "wfengine.runtime.work_item_events",
    "WorkItemReassigned": "wfengine.runtime.work_item_events",
    "WorkItemReleased": "wfengine.runtime.work_item_events",
    "WorkItemReturned": "wfengine.runtime.work_item_events",
    "WorkItemSentBack": "wfengine.runtime.work_item_events",
    "WorkItemSnapshot": "wfengine.runtime.snapshots",
    "WorkItemStarted": "wfengine.runtime.work_item_events",
    "WorkItemState": "wfengine.runtime.states",
    "WorkList": "wfengine.wapi.session",
    "Worker": "wfengine.runtime.worker",
    "brief_status": "wfengine.audit",
    "compare": "wfengine.simulation",
    "connect": "wfengine.wapi.session",
    "deadline": "wfengine.definition.build_arguments",
    "delivery_progress": "wfengine.runtime.outbox_delivery",
    "detailed_status": "wfengine.audit",
    "dump_xpdl": "wfengine.definition.io",
    "iter_events": "wfengine.audit",
    "load_organisation": "wfengine.worklist",
    "load_xpdl": "wfengine.definition.io",
    "multi_instance": "wfengine.definition.build_arguments",
    "notes_for": "wfengine.worklist.notes",
    "notifier": "wfengine.worklist.notifiers",
    "package_to_dot": "wfengine.definition.render",
    "process_metrics": "wfengine.audit",
    "simulate": "wfengine.simulation",
    "standard_loop": "wfengine.definition.build_arguments",
    "subscribe": "wfengine.worklist.notifiers",
    "unique_ids": "wfengine.definition.unique_ids",
    "use_stored_organisation": "wfengine.worklist.stored_organisation",
    "validate": "wfengine.definition.validation",
    "write_csv": "wfengine.audit",
    "write_jsonl": "wfengine.audit",
    "write_xes": "wfengine.audit",
}
_LAZY |= {
    name: "wfengine.applications.agents"
    for name in (
        "HttpClientError",
        "HttpServerError",
        "ProcessFailedError",
        "RecipientsDeferredError",
        "RecipientsRefusedError",
        "callable_agent",
        "callable_agent_factory",
        "email_agent",
        "email_agent_factory",
        "http_agent",
        "http_agent_factory",
        "subprocess_agent",
        "subprocess_agent_factory",
    )
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
