"""The XML namespaces of XPDL and of wfengine's own extensions.

Apart from the model classes because the reader, the writer and the schema check all need them,
and none of those needs the model to know a namespace.
"""

from __future__ import annotations

XPDL22_NS = "http://www.wfmc.org/2009/XPDL2.2"
XPDL_NAMESPACES: dict[str, str] = {
    "http://www.wfmc.org/2002/XPDL1.0": "1.0",
    "http://www.wfmc.org/2004/XPDL2.0alpha": "2.0",
    "http://www.wfmc.org/2008/XPDL2.1": "2.1",
    XPDL22_NS: "2.2",
}
#: wfengine's own extension namespace, for values XPDL 2.2 has no place for (written by the
#: writer where the schema admits foreign elements/attributes, mapped back by the reader).
WFENGINE_NS = "urn:wfengine:xpdl-extensions"
#: the attribute of a SubFlow naming, in order and apart by spaces, the called process's
#: formal parameters its DataMappings mapped its actuals to (the reader writes it,
#: :mod:`~wfengine.definition.xpdl.read_mappings`; the compiler binds the call by it)
MAPPED_FORMALS = f"{{{WFENGINE_NS}}}formals"
#: The 2.x schemas' namespace for elements kept for 1.0 compatibility.
DEPRECATED_NS = "http://www.wfmc.org/2002/XPDL1.0"
