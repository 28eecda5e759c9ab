"""Writes the peer benchmark's process definitions into ``bench/peers/definitions/``.

    python bench/peers/generate.py

Per workload W1..W5 (see ``run.py``) three files describe the same process:

* ``wN.xpdl``        XPDL 2.2, read by wfengine (``wfengine.load_xpdl``);
* ``wN.xpdl10.xpdl`` XPDL 1.0, read by shoobx.wfmc (``shoobx.wfmc.xpdl.read``): conditions
  are Python expressions there too, the W4/W5 switch is a process FormalParameter (passed to
  ``Process.start``), manual steps are Tool activities whose work item waits for the driver;
* ``wN.bpmn``        BPMN 2.0, read by SpiffWorkflow (``BpmnParser``): script tasks calling
  ``work()`` (``i = inc(i)`` in W3), manual tasks, explicit gateways and start/end events.

The XPDL files share one graph per workload (below); the BPMN ones add the gateways and
events that XPDL folds into activities' Join/Split restrictions. Standard library only; the
files are committed, so running this again is needed only after changing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

OUT = Path(__file__).resolve().parent / "definitions"

# --------------------------------------------------------------------------- XPDL graphs


@dataclass
class Node:
    id: str
    #: "app" (calls an application), "manual" (a person's work item), "route", "none" (no-op)
    kind: str
    app: str = "work"
    args: tuple[str, ...] = ()
    performer: str | None = None
    join: str | None = None  # "XOR" or "AND"
    split: str | None = None


@dataclass
class Flow:
    src: str
    dst: str
    cond: str | None = None
    otherwise: bool = False


@dataclass
class Graph:
    id: str
    name: str
    nodes: list[Node]
    flows: list[Flow]
    #: (id, XPDL type, initial value for 2.2, initial value for 1.0 (a Python expression))
    fields: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: a BOOLEAN switch the driver passes at start (W4 "satisfied", W5 "instant")
    switch: str | None = None


def graphs() -> list[Graph]:
    w1 = [Node(f"a{i}", "app") for i in range(100)]
    w2 = [Node("split", "route", split="AND")]
    w2 += [Node(f"b{i}", "app") for i in range(50)]
    w2 += [Node("join", "route", join="AND")]
    w2_flows = [Flow("split", f"b{i}") for i in range(50)] + [
        Flow(f"b{i}", "join") for i in range(50)
    ]
    return [
        Graph(
            "w1",
            "W1 sequence",
            w1,
            [Flow(f"a{i}", f"a{i + 1}") for i in range(99)],
        ),
        Graph("w2", "W2 parallel", w2, w2_flows),
        Graph(
            "w3",
            "W3 loop",
            [
                Node("start", "none"),
                Node("body", "app", app="inc", args=("i",), join="XOR", split="XOR"),
                Node("end", "none"),
            ],
            [
                Flow("start", "body"),
                Flow("body", "body", cond="i < 100"),
                Flow("body", "end", otherwise=True),
            ],
            fields=[("i", "INTEGER", "0", "0")],
        ),
        Graph(
            "w4",
            "W4 manual",
            [
                Node("intake", "app", split="XOR"),
                Node("department", "manual", performer="dept"),
                Node("review", "manual", performer="reviewer"),
                Node("end", "none", join="XOR"),
            ],
            [
                Flow("intake", "end", cond="satisfied"),
                Flow("intake", "department", otherwise=True),
                Flow("department", "review"),
                Flow("review", "end"),
            ],
            fields=[("satisfied", "BOOLEAN", "false", "False")],
            switch="satisfied",
        ),
        Graph(
            "w5",
            "W5 complaint",
            [
                Node("intake", "app", split="XOR"),
                Node("answer", "app"),
                Node("coordinate", "manual", performer="coordinator", split="AND"),
                Node("dept_a", "app"),
                Node("dept_b", "app"),
                Node("reply", "manual", performer="agent", join="AND"),
                Node("end", "none", join="XOR"),
            ],
            [
                Flow("intake", "answer", cond="instant"),
                Flow("intake", "coordinate", otherwise=True),
                Flow("answer", "end"),
                Flow("coordinate", "dept_a"),
                Flow("coordinate", "dept_b"),
                Flow("dept_a", "reply"),
                Flow("dept_b", "reply"),
                Flow("reply", "end"),
            ],
            fields=[("instant", "BOOLEAN", "false", "False")],
            switch="instant",
        ),
    ]


PARTICIPANTS = ("dept", "reviewer", "coordinator", "agent")

# --------------------------------------------------------------------------- XPDL 2.2


def xpdl22(g: Graph) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="bench_{g.id}" Name="{g.name}">',
        "  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>wfengine bench</Vendor>"
        "<Created>2024-01-01</Created></PackageHeader>",
        "  <Participants>",
    ]
    out += [
        f'    <Participant Id="{p}"><ParticipantType Type="ROLE"/></Participant>'
        for p in PARTICIPANTS
    ]
    out += [
        "  </Participants>",
        "  <Applications>",
        '    <Application Id="work"/>',
        '    <Application Id="inc"><FormalParameters><FormalParameter Id="n" Mode="INOUT">'
        '<DataType><BasicType Type="INTEGER"/></DataType></FormalParameter>'
        "</FormalParameters></Application>",
        "  </Applications>",
        "  <WorkflowProcesses>",
        f'    <WorkflowProcess Id="{g.id}" Name="{g.name}">',
        "      <ProcessHeader/>",
    ]
    if g.fields:
        out.append("      <DataFields>")
        for fid, ftype, init, _ in g.fields:
            out.append(
                f'        <DataField Id="{fid}"><DataType><BasicType Type="{ftype}"/></DataType>'
                f"<InitialValue>{init}</InitialValue></DataField>"
            )
        out.append("      </DataFields>")
    out.append("      <Activities>")
    types = {"XOR": "Exclusive", "AND": "Parallel"}
    for n in g.nodes:
        out.append(f'        <Activity Id="{n.id}">')
        if n.kind == "route":
            out.append(f'          <Route GatewayType="{types[n.split or n.join or "XOR"]}"/>')
        elif n.kind == "app":
            params = "".join(
                f"<ActualParameter><FormalExpression>{a}</FormalExpression></ActualParameter>"
                for a in n.args
            )
            params = f"<ActualParameters>{params}</ActualParameters>" if params else ""
            out.append(
                f'          <Implementation><Task><TaskApplication Id="{n.app}">{params}'
                "</TaskApplication></Task></Implementation>"
            )
        else:
            out.append("          <Implementation><No/></Implementation>")
        if n.performer:
            out.append(f"          <Performers><Performer>{n.performer}</Performer></Performers>")
        out += _restrictions(g, n, types, "          ")
        out.append("        </Activity>")
    out += ["      </Activities>", "      <Transitions>"]
    out += _transitions(g, "        ", "<Expression>{}</Expression>")
    out += ["      </Transitions>", "    </WorkflowProcess>", "  </WorkflowProcesses>"]
    out.append("</Package>")
    return "\n".join(out) + "\n"


def _restrictions(g: Graph, n: Node, types: dict[str, str], pad: str) -> list[str]:
    if not n.join and not n.split:
        return []
    lines = [f"{pad}<TransitionRestrictions><TransitionRestriction>"]
    if n.join:
        lines.append(f'{pad}  <Join Type="{types[n.join]}"/>')
    if n.split:
        refs = "".join(f'<TransitionRef Id="{_tid(g, f)}"/>' for f in g.flows if f.src == n.id)
        lines.append(
            f'{pad}  <Split Type="{types[n.split]}"><TransitionRefs>{refs}</TransitionRefs></Split>'
        )
    lines.append(f"{pad}</TransitionRestriction></TransitionRestrictions>")
    return lines


def _tid(g: Graph, flow: Flow) -> str:
    return f"t{g.flows.index(flow) + 1}"


def _transitions(g: Graph, pad: str, cond_fmt: str) -> list[str]:
    lines = []
    for f in g.flows:
        head = f'{pad}<Transition Id="{_tid(g, f)}" From="{f.src}" To="{f.dst}"'
        if f.otherwise:
            lines.append(f'{head}><Condition Type="OTHERWISE"/></Transition>')
        elif f.cond:
            body = cond_fmt.format(escape(f.cond))
            lines.append(f'{head}><Condition Type="CONDITION">{body}</Condition></Transition>')
        else:
            lines.append(f"{head}/>")
    return lines


# --------------------------------------------------------------------------- XPDL 1.0


def xpdl10(g: Graph) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="bench_{g.id}" Name="{g.name}">',
        "  <PackageHeader><XPDLVersion>1.0</XPDLVersion><Vendor>wfengine bench</Vendor>"
        "<Created>2024-01-01</Created></PackageHeader>",
        "  <Participants>",
    ]
    out += [
        f'    <Participant Id="{p}"><ParticipantType Type="ROLE"/></Participant>'
        for p in PARTICIPANTS
    ]
    out += [
        "  </Participants>",
        "  <Applications>",
        '    <Application Id="work"/>',
        '    <Application Id="manual"/>',
        '    <Application Id="inc"><FormalParameters><FormalParameter Id="n" Mode="INOUT">'
        '<DataType><BasicType Type="INTEGER"/></DataType></FormalParameter>'
        "</FormalParameters></Application>",
        "  </Applications>",
        "  <WorkflowProcesses>",
        f'    <WorkflowProcess Id="{g.id}" Name="{g.name}">',
        "      <ProcessHeader/>",
    ]
    if g.switch:
        out.append(
            f'      <FormalParameters><FormalParameter Id="{g.switch}" Mode="IN"><DataType>'
            '<BasicType Type="BOOLEAN"/></DataType></FormalParameter></FormalParameters>'
        )
    if g.fields:
        out.append("      <DataFields>")
        for fid, ftype, _, init in g.fields:
            out.append(
                f'        <DataField Id="{fid}"><DataType><BasicType Type="{ftype}"/></DataType>'
                f"<InitialValue>{init}</InitialValue></DataField>"
            )
        out.append("      </DataFields>")
    out.append("      <Activities>")
    for n in g.nodes:
        out.append(f'        <Activity Id="{n.id}">')
        if n.kind == "route":
            out.append("          <Route/>")
        elif n.kind in ("app", "manual"):
            app = n.app if n.kind == "app" else "manual"
            params = "".join(f"<ActualParameter>{a}</ActualParameter>" for a in n.args)
            params = f"<ActualParameters>{params}</ActualParameters>" if params else ""
            out.append(
                f'          <Implementation><Tool Id="{app}" Type="APPLICATION">{params}</Tool>'
                "</Implementation>"
            )
        else:
            out.append("          <Implementation><No/></Implementation>")
        if n.performer:
            out.append(f"          <Performer>{n.performer}</Performer>")
        if n.kind == "manual":
            out.append(
                "          <StartMode><Manual/></StartMode><FinishMode><Manual/></FinishMode>"
            )
        out += _restrictions(g, n, {"XOR": "XOR", "AND": "AND"}, "          ")
        out.append("        </Activity>")
    out += ["      </Activities>", "      <Transitions>"]
    out += _transitions(g, "        ", "{}")
    out += ["      </Transitions>", "    </WorkflowProcess>", "  </WorkflowProcesses>"]
    out.append("</Package>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- BPMN 2.0


class Bpmn:
    """A BPMN process written element by element; flows get ids f1, f2, ..."""

    def __init__(self, pid: str, name: str) -> None:
        self.pid = pid
        self.name = name
        self.nodes: list[tuple[str, str, str, str]] = []  # (tag, id, attrs, body)
        self.flows: list[tuple[str, str, str, str | None]] = []  # (id, src, dst, condition)
        self.defaults: dict[str, str] = {}

    def node(self, tag: str, nid: str, body: str = "", attrs: str = "") -> Bpmn:
        self.nodes.append((tag, nid, attrs, body))
        return self

    def script(self, nid: str, code: str = "work()") -> Bpmn:
        return self.node("scriptTask", nid, f"<bpmn:script>{escape(code)}</bpmn:script>")

    def flow(self, src: str, dst: str, cond: str | None = None, default: bool = False) -> Bpmn:
        fid = f"f{len(self.flows) + 1}"
        self.flows.append((fid, src, dst, cond))
        if default:
            self.defaults[src] = fid
        return self

    def chain(self, *ids: str) -> Bpmn:
        for a, b in pairwise(ids):
            self.flow(a, b)
        return self

    def xml(self) -> str:
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' id="bench_{self.pid}" targetNamespace="http://example.org/wfengine-bench">',
            f'  <bpmn:process id="{self.pid}" name={quoteattr(self.name)} isExecutable="true">',
        ]
        for tag, nid, attrs, body in self.nodes:
            default = f' default="{self.defaults[nid]}"' if nid in self.defaults else ""
            incoming = "".join(
                f"<bpmn:incoming>{f[0]}</bpmn:incoming>" for f in self.flows if f[2] == nid
            )
            outgoing = "".join(
                f"<bpmn:outgoing>{f[0]}</bpmn:outgoing>" for f in self.flows if f[1] == nid
            )
            out.append(
                f'    <bpmn:{tag} id="{nid}"{default}{attrs}>{incoming}{outgoing}{body}'
                f"</bpmn:{tag}>"
            )
        for fid, src, dst, cond in self.flows:
            head = f'    <bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}"'
            if cond is None:
                out.append(f"{head}/>")
            else:
                out.append(
                    f'{head}><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                    f"{escape(cond)}</bpmn:conditionExpression></bpmn:sequenceFlow>"
                )
        out += ["  </bpmn:process>", "</bpmn:definitions>"]
        return "\n".join(out) + "\n"


def bpmns() -> list[Bpmn]:
    w1 = Bpmn("w1", "W1 sequence").node("startEvent", "start")
    for i in range(100):
        w1.script(f"a{i}")
    w1.node("endEvent", "end").chain("start", *[f"a{i}" for i in range(100)], "end")

    w2 = Bpmn("w2", "W2 parallel").node("startEvent", "start")
    w2.node("parallelGateway", "split").node("parallelGateway", "join")
    w2.node("endEvent", "end").chain("start", "split").chain("join", "end")
    for i in range(50):
        w2.script(f"b{i}").flow("split", f"b{i}").flow(f"b{i}", "join")

    w3 = Bpmn("w3", "W3 loop").node("startEvent", "start")
    w3.node("exclusiveGateway", "merge").script("body", "i = inc(i)")
    w3.node("exclusiveGateway", "check").node("endEvent", "end")
    w3.chain("start", "merge", "body", "check")
    w3.flow("check", "merge", cond="i < 100").flow("check", "end", default=True)

    w4 = Bpmn("w4", "W4 manual").node("startEvent", "start").script("intake")
    w4.node("exclusiveGateway", "satisfied_gw")
    w4.node("manualTask", "department").node("manualTask", "review")
    w4.node("exclusiveGateway", "merge").node("endEvent", "end")
    w4.chain("start", "intake", "satisfied_gw")
    w4.flow("satisfied_gw", "merge", cond="satisfied")
    w4.flow("satisfied_gw", "department", default=True)
    w4.chain("department", "review", "merge", "end")

    w5 = Bpmn("w5", "W5 complaint").node("startEvent", "start").script("intake")
    w5.node("exclusiveGateway", "instant_gw").script("answer")
    w5.node("manualTask", "coordinate").node("parallelGateway", "fork")
    w5.script("dept_a").script("dept_b").node("parallelGateway", "join")
    w5.node("manualTask", "reply").node("exclusiveGateway", "merge").node("endEvent", "end")
    w5.chain("start", "intake", "instant_gw")
    w5.flow("instant_gw", "answer", cond="instant").flow("instant_gw", "coordinate", default=True)
    w5.chain("answer", "merge")
    w5.chain("coordinate", "fork", "dept_a", "join").chain("fork", "dept_b", "join")
    w5.chain("join", "reply", "merge", "end")
    return [w1, w2, w3, w4, w5]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for g in graphs():
        (OUT / f"{g.id}.xpdl").write_text(xpdl22(g), encoding="utf-8")
        (OUT / f"{g.id}.xpdl10.xpdl").write_text(xpdl10(g), encoding="utf-8")
    for b in bpmns():
        (OUT / f"{b.pid}.bpmn").write_text(b.xml(), encoding="utf-8")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
