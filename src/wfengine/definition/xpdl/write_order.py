"""Child order of XPDL 2.2 elements: one table, applied to the whole written tree.

Why a table and one pass: the writer emits typed children and the verbatim ``extras`` kept by
the reader (BPMN constructs the model does not hold, vendor extensions, elements from an older
version's order). XSD sequences are strict, so all of them must land in the schema's order.
Writing each element "in the right place" by hand would scatter that knowledge over every writer
function; instead the writers append children in any order and :func:`order_tree` sorts the
children of every XPDL element listed in :data:`CHILD_ORDER` by the position of their local name
in the ``bpmnxpdl_40a.xsd`` sequence. Elements of other namespaces go where the schema has its
``xsd:any namespace="##other"`` wildcard. Three elements (Activity, WorkflowProcess,
FormalParameters) demand an empty ``Extensions`` element before that wildcard; it is added when
needed. The sort is stable, so repeated children (Deadlines, Activities) keep their order.
"""

from __future__ import annotations

from lxml import etree

from wfengine.definition.model import DEPRECATED_NS, XPDL22_NS, XPDL_NAMESPACES
from wfengine.definition.xpdl.kept import DATA_TYPE_ELEMENTS, UNMARKABLE_ITEMS, VERBATIM
from wfengine.definition.xpdl.write_xml import Element, q

#: where elements of a non-XPDL (vendor) namespace go: the schema's ``##other`` wildcard.
OTHER = "##other"
#: the marker element the 2.2 schema requires before the wildcard of some elements.
EXTENSIONS = "Extensions"


def _wrapper(child: str) -> tuple[str, ...]:
    return (child, OTHER)


#: parent local name -> child local names in the XSD sequence order of XPDL 2.2.
CHILD_ORDER: dict[str, tuple[str, ...]] = {
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
        "PartnerLinkTypes",
        "Pages",
        "GlobalActivities",
        "DataStores",
        "Pools",
        "MessageFlows",
        "Associations",
        "Artifacts",
        "WorkflowProcesses",
        "ExtendedAttributes",
        OTHER,
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
        "VendorExtensions",
        "LayoutInfo",
        OTHER,
    ),
    "RedefinableHeader": ("Author", "Version", "Codepage", "Countrykey", "Responsibles", OTHER),
    "ExternalPackage": ("ExtendedAttributes", OTHER),
    "TypeDeclaration": (*DATA_TYPE_ELEMENTS, "Description", "ExtendedAttributes", OTHER),
    "Participant": (
        "ParticipantType",
        "Description",
        "ExternalReference",
        "ExtendedAttributes",
        OTHER,
    ),
    "Application": (
        "Description",
        "Type",
        "FormalParameters",
        "ExternalReference",
        "ExtendedAttributes",
        OTHER,
    ),
    "DataField": ("DataType", "InitialValue", "Length", "Description", "ExtendedAttributes", OTHER),
    "FormalParameter": ("DataType", "InitialValue", "Description", "Length", OTHER),
    "FormalParameters": ("FormalParameter", EXTENSIONS, OTHER),
    "BasicType": ("Length", "Precision", "Scale", OTHER),
    "RecordType": _wrapper("Member"),
    "UnionType": _wrapper("Member"),
    "EnumerationType": _wrapper("EnumerationValue"),
    "WorkflowProcess": (
        "ProcessHeader",
        "RedefinableHeader",
        "FormalParameters",
        "InputSets",
        "OutputSets",
        "Participants",
        "Applications",
        "DataFields",
        "ActivitySets",
        "Activities",
        "DataObjects",
        "DataInputOutputs",
        "DataStoreReferences",
        "Transitions",
        "DataAssociations",
        "ExtendedAttributes",
        "Assignments",
        "PartnerLinks",
        "Object",
        EXTENSIONS,
        OTHER,
    ),
    "ProcessHeader": (
        "Created",
        "Description",
        "Priority",
        "Limit",
        "ValidFrom",
        "ValidTo",
        "TimeEstimation",
        OTHER,
    ),
    "TimeEstimation": ("WaitingTime", "WorkingTime", "Duration", OTHER),
    "ActivitySet": (
        "Activities",
        "DataObjects",
        "DataStoreReferences",
        "Transitions",
        "DataAssociations",
        "Object",
        "Associations",
        "Artifacts",
        OTHER,
    ),
    "Activity": (
        "Description",
        "Limit",
        "Route",
        "Implementation",
        "BlockActivity",
        "Event",
        "Transaction",
        "Performers",
        "Performer",
        "StartMode",
        "FinishMode",
        "Priority",
        "Deadline",
        "SimulationInformation",
        "Icon",
        "Documentation",
        "TransitionRestrictions",
        "ExtendedAttributes",
        "DataFields",
        "FormalParameters",
        "ActualParameters",
        "InputSets",
        "OutputSets",
        "IORules",
        "Loop",
        "Assignments",
        "Object",
        "NodeGraphicsInfos",
        EXTENSIONS,
        OTHER,
    ),
    "TransitionRestriction": ("Join", "Split", OTHER),
    "Split": ("TransitionRefs", OTHER),
    "Deadline": ("DeadlineDuration", "ExceptionName", OTHER),
    "LoopStandard": ("LoopCondition", OTHER),
    "LoopMultiInstance": ("MI_Condition", "ComplexMI_FlowCondition", OTHER),
    "SubFlow": ("ActualParameters", "DataMappings", "EndPoint", OTHER),
    "TaskApplication": ("ActualParameters", "DataMappings", "Description", OTHER),
    "TaskScript": ("Script", OTHER),
    "ActualParameter": ("FormalExpression", "Source", "Assignments", OTHER),
    #: XPDL 1.0 ``deprecated:Tool`` (several tool calls in one activity)
    "Tool": ("ActualParameters", "Description", "ExtendedAttributes"),
    "Transition": (
        "Condition",
        "Description",
        "ExtendedAttributes",
        "Assignments",
        "Object",
        "ConnectorGraphicsInfos",
        OTHER,
    ),
    "Pool": ("Lanes", "Object", "NodeGraphicsInfos", OTHER),
    "Lane": ("Object", "NodeGraphicsInfos", "Performers", "NestedLane", OTHER),
    "Artifact": ("Object", "Group", "DataObject", "NodeGraphicsInfos", OTHER),
    "Association": ("Object", "ConnectorGraphicsInfos", OTHER),
    "MessageFlow": ("Message", "Object", "ConnectorGraphicsInfos", OTHER),
    "SimulationInformation": ("Cost", "CostStructure", "TimeEstimation", OTHER),
    "NodeGraphicsInfo": ("Coordinates", OTHER),
    "Object": ("Categories", "Documentation", OTHER),
    # wrappers: their one repeated child, then the wildcard
    "ExternalPackages": _wrapper("ExternalPackage"),
    "TypeDeclarations": _wrapper("TypeDeclaration"),
    "Participants": _wrapper("Participant"),
    "Applications": _wrapper("Application"),
    "DataFields": _wrapper("DataField"),
    "WorkflowProcesses": _wrapper("WorkflowProcess"),
    "ActivitySets": _wrapper("ActivitySet"),
    "Activities": _wrapper("Activity"),
    "Transitions": _wrapper("Transition"),
    "TransitionRestrictions": _wrapper("TransitionRestriction"),
    "TransitionRefs": _wrapper("TransitionRef"),
    "Responsibles": _wrapper("Responsible"),
    "Performers": _wrapper("Performer"),
    "ActualParameters": _wrapper("ActualParameter"),
    "Pools": _wrapper("Pool"),
    "Lanes": _wrapper("Lane"),
    "NodeGraphicsInfos": _wrapper("NodeGraphicsInfo"),
    "ConnectorGraphicsInfos": _wrapper("ConnectorGraphicsInfo"),
    "Artifacts": _wrapper("Artifact"),
    "Associations": _wrapper("Association"),
    "MessageFlows": _wrapper("MessageFlow"),
    "ExtendedAttributes": ("ExtendedAttribute",),  # (no wildcard in the schema)
}

#: an item's local name -> its list wrapper's (``DataField`` -> ``DataFields``): the table's
#: entries of one child (and the wildcard) named for it (not ``NodeGraphicsInfo``'s Coordinates)
_WRAPPER_OF: dict[str, str] = {
    order[0]: name
    for name, order in CHILD_ORDER.items()
    if order[1:] in ((OTHER,), ()) and name.startswith(order[0][:-1])
}

#: parents whose schema puts ``<Extensions/>`` in front of the ``##other`` wildcard.
_MARKER_PARENTS = frozenset(name for name, order in CHILD_ORDER.items() if EXTENSIONS in order)


def _is_xpdl(namespace: str | None) -> bool:
    return namespace in XPDL_NAMESPACES


def slot(order: tuple[str, ...], child: Element) -> float:
    """Position of ``child`` in ``order``: by local name for XPDL elements, else the wildcard.

    A 1.0 (``deprecated:``) element counts as XPDL only where the table names it (the 2.2
    schema accepts ``deprecated:Deadline`` where ``Deadline`` goes); elsewhere the 2.2 schema
    treats the 1.0 namespace as "other". An XPDL element the table does not know is put after
    the known ones and before the wildcard: it breaks the schema either way, but stays inside
    the XPDL part of its parent.
    """
    qname = etree.QName(child)
    wildcard = order.index(OTHER) if OTHER in order else len(order)
    if _is_xpdl(qname.namespace) and qname.localname in order:
        return order.index(qname.localname)
    if qname.namespace == DEPRECATED_NS or not _is_xpdl(qname.namespace):
        return wildcard
    first_tail = order.index(EXTENSIONS) if EXTENSIONS in order else wildcard
    return first_tail - 0.5


def _into_wrappers(parent: Element, order: tuple[str, ...]) -> None:
    """Move list items kept verbatim into their list: a DataField the reader could not
    model is spilled to its process's ``extras`` and would be written after the
    Transitions, where the schema has no place for it, instead of inside ``DataFields``.

    In its list the reader would read it, and one it could read (a DataField kept because
    it stood outside any DataFields) would become model content: each moved item is marked
    ``wfe:Verbatim`` (see :mod:`~wfengine.definition.xpdl.kept`), and those whose type has no
    room for the mark (an ExtendedAttribute, an ActualParameter) stay where they are.
    """
    for child in list(parent):
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        wrapper_name = _WRAPPER_OF.get(qname.localname)
        if (
            wrapper_name is None
            or not _is_xpdl(qname.namespace)
            or qname.namespace == DEPRECATED_NS  # a 1.0 element kept as it was written
            or qname.localname in order
            or wrapper_name not in order
            or qname.localname in UNMARKABLE_ITEMS
        ):
            continue
        wrapper = next(
            (
                c
                for c in parent
                if isinstance(c.tag, str)
                and etree.QName(c).localname == wrapper_name
                and _is_xpdl(etree.QName(c).namespace)
                and c.get(VERBATIM) is None  # a kept list is no place for another item
            ),
            None,
        )
        if wrapper is None:
            wrapper = etree.SubElement(parent, q(wrapper_name, qname.namespace or XPDL22_NS))
        wrapper.append(child)
        child.set(VERBATIM, "true")


def order_children(parent: Element) -> None:
    """Sort ``parent``'s children into schema order (stable) and add an ``Extensions`` marker."""
    order = CHILD_ORDER.get(etree.QName(parent).localname)
    if order is None:
        return
    _into_wrappers(parent, order)
    children = [c for c in parent if isinstance(c.tag, str)]
    if not children:
        return
    wildcard = order.index(OTHER) if OTHER in order else len(order)
    ranked = sorted(children, key=lambda c: slot(order, c))
    if etree.QName(parent).localname in _MARKER_PARENTS:
        has_marker = any(etree.QName(c).localname == EXTENSIONS for c in ranked)
        first_other = next((i for i, c in enumerate(ranked) if slot(order, c) >= wildcard), None)
        if first_other is not None and not has_marker:
            # the schema's "needed to distinguish neighboring wildcard elements" marker
            marker = etree.SubElement(parent, q(EXTENSIONS, XPDL22_NS))
            ranked.insert(first_other, marker)
    _rearrange(parent, children, ranked)


def _rearrange(parent: Element, children: list[Element], ranked: list[Element]) -> None:
    """Put ``parent``'s element children in the order ``ranked``, moving as few as possible.

    Why not ``parent[:] = ranked``: lxml detaches every child for a slice assignment and
    re-attaches it, and re-attaching a detached subtree fixes up its namespace references at a
    cost that grows faster than the subtree (moving a process of 58,000 activities that way
    took most of a ``wfengine convert``). Children already in place (the common prefix of the
    two orders, usually all of them) are not touched; the rest are appended in order, which
    moves each within the tree, linear in its size.
    """
    kept = 0
    while kept < len(children) and children[kept] is ranked[kept]:
        kept += 1
    for child in ranked[kept:]:
        parent.append(child)


def order_tree(root: Element) -> None:
    """Apply :func:`order_children` to every XPDL element of the tree that the table lists."""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and _is_xpdl(etree.QName(element).namespace):
            order_children(element)
