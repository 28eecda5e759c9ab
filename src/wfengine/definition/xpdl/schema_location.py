"""``xsi:schemaLocation`` on the package root: the pairs that name XPDL's own schemas go.

Reader and writer both drop them, in the same way. The model is not tied to an XPDL version
and the writer always emits 2.2, so an old location would point a validator at the wrong
schema; dropping them on reading too means read(write(read(f))) equals read(f).
"""

from __future__ import annotations

from wfengine.definition.model import XPDL_NAMESPACES, Attrs

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"


def without_xpdl_schema_locations(attrs: Attrs) -> Attrs:
    """``attrs`` minus the ``xsi:schemaLocation`` pairs for XPDL's namespaces.

    Pairs for other namespaces are kept, normalised (single spaces, an unpaired trailing
    token dropped), and the attribute goes when none is left.
    """
    out: list[tuple[str, str]] = []
    for name, value in attrs:
        if name == SCHEMA_LOCATION:
            tokens = value.split()
            pairs = [
                (tokens[i], tokens[i + 1])
                for i in range(0, len(tokens) - 1, 2)
                if tokens[i] not in XPDL_NAMESPACES
            ]
            if not pairs:
                continue
            value = " ".join(f"{ns} {loc}" for ns, loc in pairs)
        out.append((name, value))
    return tuple(out)
