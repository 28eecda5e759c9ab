"""wfengine: an embeddable, pure-Python workflow engine on the WfMC reference model.

The public surface is what this module re-exports; everything else is internal.
"""

from wfengine.errors import (
    DefinitionError,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    WorkflowError,
    XpdlLoadError,
)

__version__ = "0.1.0"

__all__ = [
    "DefinitionError",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionSyntaxError",
    "WorkflowError",
    "XpdlLoadError",
    "__version__",
]
