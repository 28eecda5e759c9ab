"""Findings about a process definition: what is wrong, how bad, and where.

Loading and validation never raise for an invalid definition; they return diagnostics. One
catalogue of codes (:data:`CODES`) keeps the CLI, the JSON output and the tests speaking the same
words; scripts may match on a code, so codes are stable public names.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from wfengine.one_line import one_line


class Severity(StrEnum):
    """How bad a :class:`Diagnostic` is: errors refuse a deploy, warnings and infos
    inform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: code -> (default severity, one-line meaning). Stable public names.
CODES: dict[str, tuple[Severity, str]] = {
    # -- loading (the XML layer) --
    "xml-malformed": (Severity.ERROR, "the document is not well-formed XML"),
    "xml-forbidden": (Severity.ERROR, "DTD, entity declaration or external reference refused"),
    "xml-too-large": (
        Severity.ERROR,
        "the document exceeds the size limit: 16 MiB, or 250,000 elements (the line is that "
        "of the first element past it)",
    ),
    "xml-too-deep": (Severity.ERROR, "elements are nested deeper than the parser's limit"),
    "xml-text-too-large": (
        Severity.ERROR,
        "one text node or attribute value exceeds the parser's length limit",
    ),
    "xpdl-not-package": (Severity.ERROR, "the root element is not an XPDL Package"),
    "xpdl-unknown-namespace": (
        Severity.ERROR,
        "the root element is in a namespace that is not XPDL",
    ),
    "xpdl-no-namespace": (Severity.WARNING, "the document has no XPDL namespace; read as XPDL"),
    "xpdl-unreadable": (
        Severity.WARNING,
        "an element or attribute could not be read into the model; it is kept as XML, or the "
        "finding says what is lost",
    ),
    "unread-flow": (
        Severity.ERROR,
        "a part of the flow the engine runs (a process, activity, transition, an activity's "
        "implementation, join, split, loop or deadline) is kept as XML, unread, or an event's "
        "trigger or result or another enumerated attribute of the flow (a gateway type, a "
        "condition type, a start mode, ...) is no XPDL value: the engine would run without it",
    ),
    "schema-violation": (Severity.WARNING, "the document breaks the XPDL schema of its version"),
    "schema-unavailable": (
        Severity.INFO,
        "no usable schema for this XPDL version; not schema-checked",
    ),
    # -- identity and references --
    "duplicate-id": (Severity.ERROR, "two elements of one kind share an Id"),
    "id-syntax": (
        Severity.WARNING,
        "an Id is not an XML name token: the XPDL schemas refuse it in a written file",
    ),
    "id-too-long": (
        Severity.ERROR,
        "an Id is longer than the 200 characters a store holds as an id: a deploy refuses it",
    ),
    "type-syntax": (
        Severity.WARNING,
        "an enumeration value is not an XML name token, or a record, union or enumeration type "
        "is empty: the XPDL schemas refuse it in a written file",
    ),
    "xml-character": (
        Severity.ERROR,
        "a text holds a character XML cannot hold: the definition cannot be written as XPDL",
    ),
    "xml-name": (
        Severity.ERROR,
        "a tag, attribute name or namespace declaration is not one XML can hold: the "
        "definition cannot be written as XPDL",
    ),
    "duplicate-extended-attribute": (Severity.WARNING, "an extended attribute name is repeated"),
    "duplicate-id-scopes": (
        Severity.WARNING,
        "an activity or transition Id repeats in another scope (activity set) of the process",
    ),
    "duplicate-id-package": (
        Severity.WARNING,
        "an Id XPDL 2.2 keys package-wide repeats in another process or at another level of a "
        "package built in code: a written file does not validate",
    ),
    "dangling-transition": (Severity.ERROR, "a transition names an activity that does not exist"),
    "undefined-data-field": (Severity.ERROR, "a reference to a data field that is not defined"),
    "undefined-participant": (
        Severity.WARNING,
        "a performer, lane performer, Responsible or `wfengine:escalate-to` names no defined "
        "participant",
    ),
    "undefined-application": (Severity.ERROR, "a tool names an application that is not defined"),
    "undefined-type": (
        Severity.WARNING,
        "a DeclaredType names no TypeDeclaration: its values are not type-checked",
    ),
    "type-cycle": (
        Severity.WARNING,
        "type declarations stand for each other in a circle: values of them are not type-checked",
    ),
    "undefined-process": (Severity.ERROR, "a subflow names a process that is not defined"),
    "undefined-activity-set": (
        Severity.ERROR,
        "a block activity names an activity set that is not defined",
    ),
    "undefined-transition": (Severity.ERROR, "a split lists a transition that does not leave it"),
    "block-recursion": (Severity.ERROR, "a block activity runs the activity set it is in"),
    "block-depth": (Severity.ERROR, "blocks nest more than 32 activity sets deep"),
    "loop-incomplete": (
        Severity.ERROR,
        "a multi-instance loop lacks its count or its Complex flow condition",
    ),
    "loop-counter": (
        Severity.ERROR,
        "a loop's counter names a data field that is not an INTEGER: the engine counts in it",
    ),
    "read-only-assigned": (
        Severity.ERROR,
        "an activity writes a data field declared ReadOnly (a script, an assignment, an "
        "OUT/INOUT parameter, a loop counter); as a warning, lets a person write one",
    ),
    "instance-data-field": (
        Severity.ERROR,
        "a subflow keeps the called instance's id in a data field whose type holds no text "
        "(InstanceDataField): the engine writes the id, a text, into it",
    ),
    "loop-count": (
        Severity.WARNING,
        "a multi-instance loop's MI_Condition is a constant that is no count of instances (a "
        "whole number 0 or more): every instance reaching it stops with an incident",
    ),
    "loop-maximum": (
        Severity.WARNING,
        "a standard loop's LoopMaximum is below zero: the loop never repeats",
    ),
    "loop-no-condition": (
        Severity.WARNING,
        "a standard loop has no LoopCondition, which the engine reads as false: it never "
        "repeats, and tested before, its activity never runs",
    ),
    "loop-endless": (
        Severity.WARNING,
        "a standard loop whose LoopCondition is a constant true, with no LoopMaximum, on an "
        "activity nothing waits on: it repeats until the engine stops it, after about 1,024 "
        "rounds if they change no data, at its step limit if each changes the data",
    ),
    "parameter-count": (Severity.ERROR, "actual and formal parameter counts differ"),
    "parameter-mode": (Severity.ERROR, "an OUT/INOUT actual parameter is not a data field"),
    "parameter-index": (
        Severity.WARNING,
        "an XPDL 1.0 list of formal parameters has Indexes the order written does not follow "
        "(out of Index order, repeated, or no whole number): they bind in the order written",
    ),
    "parameter-type": (
        Severity.WARNING,
        "a data field passed as an actual parameter and the formal parameter it meets "
        "disagree in type: a value one takes and the other does not is an incident",
    ),
    "parameter-field-type": (
        Severity.ERROR,
        "a process's formal parameter and a data field share an Id but not a type: an "
        "instance holds one value for both",
    ),
    # -- application bindings (wfengine validate --apps MODULE, deploy-time log) --
    "application-setting": (
        Severity.ERROR,
        "an application a Tool activity calls sets `wfengine:asynchronous` to neither true nor "
        "false, names a formal parameter `idempotency_key` (reserved for the engine's "
        "idempotency key), or, bound by a `wfengine:agent`, sets `wfengine:retries` to other "
        "than a whole number 0 or more, `wfengine:timeout`, `wfengine:backoff` or "
        "`wfengine:max-backoff` to other than a number of seconds (a timeout above 0), or a "
        "max-backoff below the backoff",
    ),
    "sensitive-mark": (
        Severity.ERROR,
        "a `wfengine:sensitive` that hides nothing: on an Application, a name that is no formal "
        "parameter id of it (ids match exactly; of one declared only by an ExternalReference or "
        "a Type, which takes its calls' actual parameters as given, a name none of its calls in "
        "the package passes: a data field's own, `arg1`, `arg2`...); on a DataField, a value "
        "that is neither true nor false; or the attribute's name spelt in another case or with a "
        "space around it (`WFEngine:sensitive`), which wfengine does not read: the value goes "
        "into the audit trail in clear",
    ),
    "field-mark": (
        Severity.ERROR,
        "a DataField's `wfengine:public` or `wfengine:export` that is neither true nor false "
        "(true/false, yes/no or 1/0, in any case, as `wfengine:sensitive` takes them), or "
        "given with no value (a bare `wfengine:sensitive` is yes; these two show or export a "
        "value, so they take a word said on purpose): the field would be left out of the "
        "brief status or of the XES log without a word",
    ),
    "cancel-remaining-value": (
        Severity.ERROR,
        "an activity's `wfengine:cancelRemaining` that is neither true nor false (true/false, "
        "yes/no or 1/0, in any case, as the data fields' marks take them), or given with no "
        "value: read as false, it would turn a cancelling join or multi-instance activity into "
        "one that lets what is left run on, without a word",
    ),
    "cancel-remaining-flow": (
        Severity.WARNING,
        "`wfengine:cancelRemaining` true on a multi-instance activity whose `MI_FlowCondition` "
        "is None, where each instance's thread goes on by itself (WCP12, WCP42): the engine "
        "cancels the other instances at the first completion, as with One; write "
        '`MI_FlowCondition="One"` for that, or drop the mark',
    ),
    "application-undeclared": (
        Severity.WARNING,
        "an application is bound in code or by `--apps` but the package does not declare it "
        "(bindings made by installed plug-ins are not reported)",
    ),
    "application-unbound": (Severity.WARNING, "a Tool activity uses an application nothing binds"),
    "application-agent-disabled": (
        Severity.WARNING,
        "an application asks for an agent kind the host has not enabled (or its agent's "
        "factory refuses the definition)",
    ),
    "application-setting-unknown": (
        Severity.WARNING,
        "an application bound by a built-in agent (HTTP, subprocess, Python callable, e-mail) "
        "gives a `wfengine:` setting that agent does not take (a misspelt name, "
        "`wfengine:retires`): its factory refuses it, suggesting the nearest setting, and every "
        "call stops with an incident (an agent the host registered itself is not judged)",
    ),
    "application-signature": (
        Severity.WARNING,
        "a code or plug-in binding's callable, or an agent's that names the parameters it "
        "takes (the e-mail agent's), cannot take the application's IN and INOUT parameters "
        "as keywords (every call would fail)",
    ),
    # -- graph --
    "no-start": (Severity.ERROR, "a process has no start activity"),
    "no-end": (
        Severity.ERROR,
        "a process or activity set has no end activity (an activity set that an interrupting "
        "event on its block, or an interrupting event sub-process around it, ends needs none)",
    ),
    "event-flow": (
        Severity.ERROR,
        "a transition leads into a start event or out of an end event: the start would run "
        "again as a step, the end would end nothing",
    ),
    "event-subprocess-flow": (
        Severity.ERROR,
        "a transition leads into or out of a block that runs an event sub-process "
        "(TriggeredByEvent): the engine would also run it as a plain step, its trigger ignored",
    ),
    "empty-process": (Severity.WARNING, "a process has no activities"),
    "unused-activity-set": (
        Severity.WARNING,
        "an activity set that no block activity names: it never runs (an event sub-process "
        "is armed only by a block naming it)",
    ),
    "unreachable-activity": (Severity.WARNING, "an activity cannot be reached from any start"),
    "dead-end": (Severity.WARNING, "an activity cannot reach any end"),
    "reference-activity": (
        Severity.ERROR,
        "a Reference activity names no activity of its process, or references go round",
    ),
    "boundary-target": (
        Severity.ERROR,
        "an attached event names no activity of its own process or activity set (an empty "
        "Target names none), or one it could never fire beside (a route, a start or end event, "
        "an attached event)",
    ),
    "boundary-trigger": (
        Severity.WARNING,
        "an attached event has a trigger the engine does not arm: it never fires",
    ),
    "event-throw": (
        Severity.ERROR,
        'a start event or an attached event throws its message or signal (CatchThrow="THROW"): '
        "each only catches, so it never fires",
    ),
    "event-trigger": (
        Severity.WARNING,
        "an intermediate event in the flow has a trigger the engine cannot run: instances "
        "reaching it stop with an incident",
    ),
    "cancel-uncaught": (
        Severity.WARNING,
        "a Cancel end or intermediate event that no Cancel event of an enclosing block, nor "
        "any synchronous caller of its process in the package, catches: instances reaching it "
        "stop with an incident",
    ),
    "end-result": (
        Severity.WARNING,
        "an end event's result the engine does not carry out (Compensation, Multiple): "
        "instances reaching it end there as at a None end event",
    ),
    "cycle-no-exit": (
        Severity.ERROR,
        "a cycle that no path leaves and nothing ends (a Terminate end event on a way beside "
        "it, an interrupting event sub-process, an interrupting event on the block running "
        "it): instances entering it never end",
    ),
    "and-join-after-xor": (Severity.WARNING, "a Parallel join fed by an Exclusive split deadlocks"),
    "and-join-after-choice": (
        Severity.WARNING,
        "a Parallel join fed by a way an Inclusive split (or a Parallel split's condition) may "
        "not take: it deadlocks when that way is not taken",
    ),
    "and-join-loop-entry": (
        Severity.WARNING,
        "a Parallel join at a loop entry waits for the way back, which only comes after it "
        "fires: it deadlocks",
    ),
    "and-join-interrupted": (
        Severity.WARNING,
        "a Parallel join waits both for an activity's way out and for the way of an "
        "interrupting event attached to it (or of two such events): only one ever comes, so it "
        "deadlocks",
    ),
    # -- conditions and expressions --
    "event-gateway-target": (
        Severity.WARNING,
        "a way of an event-based gateway leads to no catch event (timer, message, signal, "
        "conditional, receive task): one that does not wait wins the choice at once; one that "
        "waits (a person's work, a subflow, a block, an application call) races the catch "
        "events",
    ),
    "instantiate-unused": (
        Severity.WARNING,
        'Instantiate="true" on a receive task or event-based gateway where no message starts '
        "an instance (it has a way in, is in an activity set, its process has start events, or "
        "no way of the gateway leads to a message catch), or a way of such a gateway to a "
        "catch no message comes to, taken only in an instance started by hand",
    ),
    "condition-unused": (
        Severity.WARNING,
        "a condition on a transition out of a Parallel split: the engine follows the "
        "transition only when it holds, as an Inclusive split (BPMN's gateway ignores it)",
    ),
    "adhoc-unused": (
        Severity.WARNING,
        "an activity set or process has an ad-hoc attribute the engine ignores: "
        'AdHocCompletionCondition or a Sequential AdHocOrdering without AdHoc="true", or an '
        "AdHocOrdering that is neither Sequential nor Parallel (the set runs in parallel)",
    ),
    "gateway-conflict": (
        Severity.WARNING,
        "a gateway's Route GatewayType and its Split or Join Type disagree; the Route's is taken",
    ),
    "condition-empty": (
        Severity.WARNING,
        "a CONDITION with no expression on one of several ways out: instances stop there for "
        "a decision",
    ),
    "shadowed-transition": (
        Severity.WARNING,
        "a way out of an Exclusive split that is never taken: a way before it in the order the "
        "engine tries them always holds (it has no condition, or a constant true one); or the "
        "OTHERWISE of an Inclusive split (or a Parallel one with conditions) one of whose "
        "ways always holds",
    ),
    "split-condition-unused": (
        Severity.WARNING,
        "a split's OutgoingCondition, which the engine does not run: it takes the outgoing "
        "transitions whose own conditions hold",
    ),
    "multiple-otherwise": (Severity.ERROR, "more than one OTHERWISE transition leaves an activity"),
    "expression-syntax": (
        Severity.ERROR,
        "an expression does not parse in the expression language, or is over the expression "
        "limits in any language",
    ),
    "expression-foreign": (
        Severity.WARNING,
        "an expression in another script language cannot be checked",
    ),
    "expression-unknown-name": (Severity.WARNING, "an expression names no data field or parameter"),
    "expression-label": (
        Severity.WARNING,
        "a label for people stands where an expression belongs; instances stop there",
    ),
    "deadline-duration": (
        Severity.ERROR,
        "a deadline's literal duration (or constant number of seconds) is not above zero",
    ),
    "deadline-no-duration": (
        Severity.WARNING,
        "a deadline has no duration (none, empty or `None`): it never fires",
    ),
    "deadline-uncaught": (
        Severity.WARNING,
        "a deadline raises an exception no transition of its activity catches, where a catch "
        "was evidently meant: it only marks the activity late",
    ),
    "timer-cycle": (
        Severity.ERROR,
        "a repeating timer's literal interval (or constant number of seconds) is not above zero: "
        "it would fire without end",
    ),
    "assignment-target": (Severity.ERROR, "an Assignment's Target is no data field name"),
    "assignment-type": (
        Severity.WARNING,
        "an assignment's constant is no value of its target's type, nor converts to one "
        "(judged by the engine's own conversion: `'1_000'` or `'١٢'` is no number): "
        "instances reaching it stop with an incident",
    ),
    "math-argument": (
        Severity.WARNING,
        "a Java or JavaScript `Math.max`, `Math.min` or `Math.abs` is given text, a boolean or "
        "null (a constant, or a field declared STRING or BOOLEAN), which it does not take: "
        "instances reaching it stop with an incident",
    ),
    "script-unsupported": (
        Severity.WARNING,
        "a script task's script is not assignments the engine runs: instances reaching it stop "
        "with an incident",
    ),
    "escalation-without-time": (
        Severity.WARNING,
        "`wfengine:escalate-to` is given without `wfengine:escalate-after`: the work never "
        "escalates",
    ),
    "reminder-duration": (
        Severity.ERROR,
        "a reminder or escalation interval is no duration above zero, is longer than the "
        "engine waits (100 years, as for a deadline), or `wfengine:reminder-every` is under a "
        "minute",
    ),
    "unknown-extension": (
        Severity.WARNING,
        "a `wfengine:` extended attribute is one wfengine does not read on that element (a "
        "misspelt name, or the prefix spelt in another case or with a space around it, "
        "`WFEngine:retries`; on an Application, an agent's own settings written exactly are "
        "not checked here: a built-in agent's factory refuses one it does not take, "
        "`application-setting-unknown`): it does nothing",
    ),
    "performer-activity": (
        Severity.ERROR,
        "an activity is assigned by the performer of an activity the process does not have",
    ),
    "performer-syntax": (
        Severity.ERROR,
        "a performer is neither a name nor an expression that parses: its work would be offered "
        "to no one (a warning where the engine runs the activity itself, or where the text is "
        "in another script language: an incident when its work is offered)",
    ),
    "link-duplicate": (Severity.ERROR, "two catching link events of one name in one scope"),
    "link-unmatched": (
        Severity.WARNING,
        "a throwing link event names a link no catching link event of its scope carries; its "
        "thread ends there",
    ),
    "link-throw-flow": (
        Severity.ERROR,
        'a transition leaves a link event that throws (CatchThrow="THROW"): the engine '
        "would take the transition and never throw the link",
    ),
    "subflow-start": (
        Severity.WARNING,
        "a subflow asks to start inside an activity set; the called process starts at its start",
    ),
    "subflow-start-activity": (
        Severity.ERROR,
        "a subflow's StartActivityId names no top-level activity of the called process",
    ),
    "initial-value-type": (
        Severity.ERROR,
        "a data field's initial value is not a value of the field's type",
    ),
    "activity-data-field": (
        Severity.ERROR,
        "an activity declares data fields of its own (XPDL 2.2), which the engine does not "
        "provide: an expression reading one stops with an incident; declare them at process level",
    ),
    "task-content": (
        Severity.ERROR,
        "an activity's task holds work its kind does not run (application calls on a task "
        "that is no application task, a script on one that is no script task)",
    ),
    # -- the validity period (ProcessHeader) --
    "validity-unread": (
        Severity.WARNING,
        "a process's ValidFrom or ValidTo is no ISO 8601 date or date-time: it does not limit "
        "when instances start",
    ),
    "validity-empty": (
        Severity.WARNING,
        "a process's ValidFrom is not before its ValidTo: no instance of it can ever start",
    ),
}


class Diagnostic(BaseModel):
    """One finding: severity, stable code, message, and where (file, line, element Id)."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    element_id: str | None = None
    line: int | None = None
    file: str | None = None

    def format(self, file: str | None = None) -> str:
        """Render as ``file:line: severity code: message`` (the CLI's line format).

        A finding with no line (about the whole document, or about something the file does
        not hold, such as an application bound in code that it does not declare) is
        ``file: severity code: message``, as compilers write one: no made-up line 0 for an
        editor to jump to.

        The message and the element Id have their control characters escaped
        (:func:`~wfengine.one_line.one_line`): both may quote the definition's text, and a
        line break there (an Id written with ``&#10;``) would start a line reading as a
        finding of its own."""
        where = file or self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        elem = f" [{one_line(self.element_id)}]" if self.element_id else ""
        return f"{where}: {self.severity.value} {self.code}: {one_line(self.message)}{elem}"


def make(
    code: str,
    message: str,
    *,
    element_id: str | None = None,
    line: int | None = None,
    severity: Severity | None = None,
    file: str | None = None,
) -> Diagnostic:
    """Build a diagnostic with the catalogue's default severity for ``code``."""
    if code not in CODES:
        raise KeyError(f"unknown diagnostic code {code!r}; add it to CODES")
    return Diagnostic(
        severity=severity or CODES[code][0],
        code=code,
        message=message,
        element_id=element_id,
        line=line,
        file=file,
    )


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
