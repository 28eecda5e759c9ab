"""The ``wfengine:*`` settings of an Application read whatever binds it, read one way for
validation, the runtime compiler and the application registry.

``wfengine:asynchronous`` makes every call of the application an ``invoke`` job. A yes/no
setting is ``true``/``false``, ``yes``/``no`` or ``1``/``0`` in any case (blank or absent:
no); anything else (``on``, ``y``) is refused, not read as no: the compiler read it as no and
called a code-bound application synchronously, silently, while the registry refused the same
text on an agent-bound one, so one attribute meant two things by what bound it. The compiler
refuses a process calling such an application; validation reports it first
(``application-setting``).
"""

from __future__ import annotations

from wfengine.definition.model import Application

#: the extended attribute that makes an Application's calls asynchronous
ASYNC_ATTRIBUTE = "wfengine:asynchronous"

_YES = frozenset({"true", "yes", "1"})
_NO = frozenset({"false", "no", "0", ""})


def read_flag(text: str | None, name: str) -> bool:
    """A yes/no setting of a definition (None: absent, no); raises ``ValueError`` naming
    ``name`` for text that is neither."""
    if text is None:
        return False
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"{name} must be true or false, not {text!r}")


def asynchronous(application: Application) -> bool:
    """Whether ``application`` says ``wfengine:asynchronous`` ``true``; raises ``ValueError``
    naming the application when its value is neither true nor false."""
    try:
        return read_flag(application.extended_attribute(ASYNC_ATTRIBUTE), ASYNC_ATTRIBUTE)
    except ValueError as exc:
        raise ValueError(f"application {application.id!r}: {exc}") from None
