"""Values checked and converted by the XPDL basic types of an application's parameters.

The conversions live in :mod:`wfengine.definition.coercion`, so that validation judges a
definition's constant values by them too; Interface 3, the runtime and hosts import them
from here as they always have.
"""

from __future__ import annotations

from wfengine.definition.coercion import Checked as Checked
from wfengine.definition.coercion import Choices as Choices
from wfengine.definition.coercion import CoercionError as CoercionError
from wfengine.definition.coercion import ListOf as ListOf
from wfengine.definition.coercion import coerce as coerce
