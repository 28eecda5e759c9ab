"""The writer's mark on an XPDL element kept verbatim, so the reader keeps it verbatim again.

Why: the reader keeps an XPDL element it does not take for model content verbatim, in the
nearest ``extras``: a DataField outside any DataFields, an Activity inside Transitions, a
second activity body beside the first. Written back, such an element may land where the reader
does take it: the writer puts a list item into its list (where the schema wants it), sorts
children into schema order (a second body, ``Route``, before the modelled ``Implementation``),
and writes ``extras`` straight into the element they were kept on (a ``Description`` the
model has none of). Read again, the package would have gained a data field, an activity or a
transition, or an activity would have changed its body.

So the writer marks each such element with ``wfe:Verbatim="true"`` (in wfengine's namespace,
which the XPDL 2.2 types of those elements admit as a foreign attribute), and the reader never
takes a marked element for XPDL: it keeps it verbatim, without the mark. Tools that do not
know wfengine's namespace ignore the attribute. Two list items have no room for it
(:data:`UNMARKABLE_ITEMS`): they are left out of their list instead. ``ExtendedAttributes``
has none either; one kept verbatim (it stood where the schema has no place for it) is marked
all the same: keeping the package as read comes before the schema there.
"""

from __future__ import annotations

from wfengine.definition.namespaces import DEPRECATED_NS, WFENGINE_NS, XPDL_NAMESPACES

#: the mark: ``wfe:Verbatim="true"``
VERBATIM = f"{{{WFENGINE_NS}}}Verbatim"

#: an ArrayType's ``wfe:unset``: which of its LowerIndex and UpperIndex (apart by spaces) the
#: model has none of. The schema requires both, so the writer puts ``0`` there (the form earlier
#: versions wrote, without the mark) and the mark lets the reader give back the unbounded array
#: the model held rather than a one-element one.
UNSET_INDEXES = f"{{{WFENGINE_NS}}}unset"

#: the elements that give a data type (a field's, a parameter's, a declaration's): the one
#: list the reader, the writer's order and the mark read
DATA_TYPE_ELEMENTS = (
    "BasicType",
    "DeclaredType",
    "SchemaType",
    "ExternalReference",
    "RecordType",
    "UnionType",
    "EnumerationType",
    "ArrayType",
    "ListType",
)

#: per XPDL element the writer writes ``extras`` into, the children (local names) that the
#: reader takes for model content there. tests/definition/test_kept_verbatim.py checks it
#: against what the reader asks for.
READ_AS_MODEL: dict[str, frozenset[str]] = {
    name: frozenset(children)
    for name, children in {
        "Package": (
            "PackageHeader",
            "RedefinableHeader",
            "ConformanceClass",
            "Script",
            "ExternalPackages",
            "TypeDeclarations",
            "Participants",
            "Applications",
            "DataFields",
            "Pools",
            "MessageFlows",
            "Associations",
            "Artifacts",
            "WorkflowProcesses",
            "ExtendedAttributes",
        ),
        "PackageHeader": (
            "XPDLVersion",
            "Vendor",
            "Created",
            "ModificationDate",
            "Description",
            "Documentation",
            "PriorityUnit",
            "CostUnit",
        ),
        "RedefinableHeader": (
            "Author",
            "Version",
            "Codepage",
            "Countrykey",
            "CountryKey",
            "Responsibles",
        ),
        "ExternalPackage": ("ExtendedAttributes",),
        "TypeDeclaration": (*DATA_TYPE_ELEMENTS, "Description", "ExtendedAttributes"),
        "Participant": (
            "ParticipantType",
            "ExternalReference",
            "Description",
            "ExtendedAttributes",
        ),
        "Application": (
            "Type",
            "ExternalReference",
            "Description",
            "FormalParameters",
            "ExtendedAttributes",
        ),
        "FormalParameter": ("DataType", "InitialValue", "Description"),
        "DataField": ("DataType", "InitialValue", "Length", "Description", "ExtendedAttributes"),
        "WorkflowProcess": (
            "ProcessHeader",
            "RedefinableHeader",
            "FormalParameters",
            "Participants",
            "Applications",
            "DataFields",
            "ActivitySets",
            "Activities",
            "Transitions",
            "ExtendedAttributes",
        ),
        "ProcessHeader": (
            "Created",
            "Description",
            "Priority",
            "Limit",
            "ValidFrom",
            "ValidTo",
            "TimeEstimation",
        ),
        "ActivitySet": ("Activities", "Transitions", "ExtendedAttributes"),
        "Activity": (
            "Description",
            "Limit",
            "Route",
            "Implementation",
            "BlockActivity",
            "Event",
            "Performers",
            "Performer",
            "StartMode",
            "FinishMode",
            "Priority",
            "Deadline",
            "TransitionRestrictions",
            "ExtendedAttributes",
            "DataFields",
            "ActualParameters",
            "Loop",
            "NodeGraphicsInfos",
        ),
        "SubFlow": ("ActualParameters",),
        "TaskApplication": ("ActualParameters", "Description", "ExtendedAttributes"),
        "Deadline": ("DeadlineDuration", "DeadlineCondition", "ExceptionName"),
        "Transition": ("Condition", "Description", "ExtendedAttributes", "ConnectorGraphicsInfos"),
        "Pool": ("Lanes", "NodeGraphicsInfos", "ExtendedAttributes"),
        "Lane": ("Performers", "Performer", "NodeGraphicsInfos", "ExtendedAttributes"),
    }.items()
}

#: list items whose 2.2 type admits no foreign attribute, so they cannot carry the mark: the
#: writer leaves them where they were kept instead of putting them into their list, where the
#: reader would read them (nowhere else does it)
UNMARKABLE_ITEMS = frozenset({"ExtendedAttribute", "ActualParameter"})


def needs_mark(parent: str, namespace: str | None, local: str) -> bool:
    """Whether a kept element (``namespace``, ``local``) written into XPDL element ``parent``
    would be taken for model content there. A 1.0 (``deprecated:``) element is validated by
    the 1.0 schema, which admits no foreign attribute: it is not marked."""
    if namespace not in XPDL_NAMESPACES or namespace == DEPRECATED_NS:
        return False
    names = READ_AS_MODEL.get(parent)
    return names is not None and local in names
