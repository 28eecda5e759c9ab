"""How a call's actual parameters meet the callee's formal parameters.

An Application normally declares its FormalParameters and a call gives one actual parameter
per formal. The WfMC XPDL 2.0 sample (and tools following it) declares some applications only
by an ``ExternalReference`` (a WSDL operation, a Java class) or a 2.x ``Type`` and no formal
parameters: the interface lives outside the package. Such an application takes the actual
parameters as they are given (see :func:`implied_formals`).
"""

from __future__ import annotations

import re

from wfengine.definition.model import (
    Application,
    BasicType,
    BasicTypeKind,
    FormalParameter,
    ParameterMode,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def takes_actuals_as_given(app: Application) -> bool:
    """True for an application declared by an external reference or type, with no formals."""
    return not app.formal_parameters and (
        app.external_reference is not None or app.type is not None
    )


def implied_formals(actuals: tuple[str, ...]) -> tuple[FormalParameter, ...]:
    """The formal parameters a call implies for an application that declares none.

    An actual that names a variable (``creditInfo``) is an INOUT parameter of that name: the
    application receives its value and may return a new one. Any other expression is an IN
    parameter named ``arg1``, ``arg2``... by position. Types are not checked.
    """
    formals: list[FormalParameter] = []
    for position, actual in enumerate(actuals, 1):
        text = actual.strip()
        named = _IDENTIFIER.fullmatch(text) is not None
        formals.append(
            FormalParameter(
                id=text if named else f"arg{position}",
                mode=ParameterMode.INOUT if named else ParameterMode.IN,
                data_type=BasicType(type=BasicTypeKind.REFERENCE),
            )
        )
    return tuple(formals)
