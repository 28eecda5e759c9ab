"""The enumerations of the process-definition model: XPDL's fixed attribute vocabularies.

One set for every XPDL version: the reader maps each version's spellings (1.0's AND/XOR, 2.1's
OR, ...) onto these members, so nothing downstream knows which version a value came from.
"""

from __future__ import annotations

from enum import StrEnum


class ParticipantKind(StrEnum):
    RESOURCE_SET = "RESOURCE_SET"
    RESOURCE = "RESOURCE"
    ROLE = "ROLE"
    ORGANIZATIONAL_UNIT = "ORGANIZATIONAL_UNIT"
    HUMAN = "HUMAN"
    SYSTEM = "SYSTEM"


class BasicTypeKind(StrEnum):
    STRING = "STRING"
    FLOAT = "FLOAT"
    INTEGER = "INTEGER"
    REFERENCE = "REFERENCE"
    DATETIME = "DATETIME"
    DATE = "DATE"
    TIME = "TIME"
    BOOLEAN = "BOOLEAN"
    PERFORMER = "PERFORMER"


class ParameterMode(StrEnum):
    IN = "IN"
    OUT = "OUT"
    INOUT = "INOUT"


class GatewayType(StrEnum):
    """Join/split/route behaviour. XPDL 1.0's AND/XOR and 2.1's OR map onto these."""

    EXCLUSIVE = "Exclusive"
    INCLUSIVE = "Inclusive"
    PARALLEL = "Parallel"
    COMPLEX = "Complex"


class ConditionType(StrEnum):
    CONDITION = "CONDITION"
    OTHERWISE = "OTHERWISE"
    EXCEPTION = "EXCEPTION"
    DEFAULTEXCEPTION = "DEFAULTEXCEPTION"


class Execution(StrEnum):
    SYNCHR = "SYNCHR"
    ASYNCHR = "ASYNCHR"


class Mode(StrEnum):
    """Start or finish mode of an activity."""

    AUTOMATIC = "Automatic"
    MANUAL = "Manual"


class TestTime(StrEnum):
    BEFORE = "Before"
    AFTER = "After"


class MIOrdering(StrEnum):
    SEQUENTIAL = "Sequential"
    PARALLEL = "Parallel"


class MIFlowCondition(StrEnum):
    NONE = "None"
    ONE = "One"
    ALL = "All"
    COMPLEX = "Complex"


class EventPosition(StrEnum):
    START = "start"
    INTERMEDIATE = "intermediate"
    END = "end"


class TaskKind(StrEnum):
    """The 2.x Task element's child (1.0's Tool becomes APPLICATION)."""

    APPLICATION = "Application"
    USER = "User"
    MANUAL = "Manual"
    SERVICE = "Service"
    SCRIPT = "Script"
    SEND = "Send"
    RECEIVE = "Receive"
    REFERENCE = "Reference"
    BUSINESS_RULE = "BusinessRule"
    NONE = "None"
