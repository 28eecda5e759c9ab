"""How a failure of the host's code (an application, an agent factory, the fallback) is told.

A module of its own so that every place telling such a failure words it the same way, and the
registry stays under the size limit.
"""

from __future__ import annotations


def exception_text(exc: BaseException, *, named: bool = True) -> str:
    """``exc`` as an error message tells it: ``TYPE: message`` (``named`` False: the message
    alone), the message a text saying ``str()`` failed when it does (a ``__str__`` reading an
    attribute its ``__init__`` never set): raising while telling a failure would let the host's
    error escape the command it should have failed."""
    try:
        message = str(exc)
    except (SystemExit, KeyboardInterrupt):
        raise  # the program's stop, not the call's failure
    except BaseException as error:
        message = f"<str() of the {type(exc).__name__} failed: {type(error).__name__}>"
    return f"{type(exc).__name__}: {message}" if named else message
