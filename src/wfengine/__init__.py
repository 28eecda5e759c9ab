"""wfengine: an embeddable, pure-Python workflow engine on the WfMC reference model.

The public surface is what this module re-exports; everything else is internal.
"""

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import (
    ApplicationError,
    DefinitionError,
    DeployError,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    IllegalStateError,
    NotFoundError,
    WorkflowError,
    XpdlLoadError,
)
from wfengine.runtime import (
    ActivityInstanceSnapshot,
    ActivityState,
    ApplicationRegistry,
    AuditEvent,
    Clock,
    DeployedProcess,
    Directory,
    Engine,
    IdGenerator,
    IncidentSnapshot,
    InstanceSnapshot,
    MemoryStore,
    ProcessState,
    SequentialIds,
    StaticDirectory,
    Store,
    SystemClock,
    TimerSnapshot,
    TokenSnapshot,
    UuidIds,
    VirtualClock,
    WorkItemSnapshot,
    WorkItemState,
)

__version__ = "0.1.0"

__all__ = [
    "ActivityInstanceSnapshot",
    "ActivityState",
    "ApplicationError",
    "ApplicationRegistry",
    "AuditEvent",
    "Clock",
    "DefinitionError",
    "DeployError",
    "DeployedProcess",
    "Diagnostic",
    "Directory",
    "Engine",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionSyntaxError",
    "IdGenerator",
    "IllegalStateError",
    "IncidentSnapshot",
    "InstanceSnapshot",
    "MemoryStore",
    "NotFoundError",
    "Package",
    "PackageBuilder",
    "ProcessState",
    "SequentialIds",
    "Severity",
    "StaticDirectory",
    "Store",
    "SystemClock",
    "TimerSnapshot",
    "TokenSnapshot",
    "UuidIds",
    "VirtualClock",
    "WorkItemSnapshot",
    "WorkItemState",
    "WorkflowError",
    "XpdlLoadError",
    "__version__",
    "dump_xpdl",
    "load_xpdl",
    "validate",
]
