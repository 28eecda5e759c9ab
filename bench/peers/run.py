"""wfengine measured side by side with its Python peers: shoobx.wfmc, SpiffWorkflow, DBOS.

    python bench/peers/run.py [--real-work] [--quick] [--json] [--peers wfengine,shoobx,spiff,dbos]
                              [--rounds N]

What runs where. The peers are never dependencies of wfengine: on first use this script makes
``bench/peers/.venv-peers`` (``python3 -m venv``) and pip-installs ``requirements-peers.txt``
into it (pinned versions; reused while the file is unchanged). Each engine runs in a driver
subprocess of its own: ``drive_wfengine.py`` with wfengine's virtual environment
(the project's ``.venv/bin/python``, else the running interpreter; ``--wfengine-python``),
``drive_shoobx.py``, ``drive_spiff.py`` and ``drive_dbos.py`` with the peers' one. A driver
reads one JSON job per line (workload, instances, real work or not) and answers one JSON
line with what it did and how long it took (``peerwork.serve``); it stays up for the whole
run, so imports, parsing and deploying the definitions are paid once and never timed.

Workloads, the same process for every engine (definitions in ``definitions/``, written by
``generate.py``: XPDL 2.2 for wfengine, XPDL 1.0 for shoobx.wfmc, BPMN 2.0 for SpiffWorkflow):

  W1  a sequence of 100 activities, each calling the application
  W2  a parallel (AND) split into 50 activities calling it, and an AND join
  W3  an exclusive (XOR) loop of 100 iterations: the application increments a counter ``i``
      and the loop goes back while ``i < 100``
  W4  intake (calls it) -> XOR: satisfied -> end; else department (manual) -> review (manual)
      -> end; every other instance satisfied; the driver completes the manual steps through
      each engine's own API (wfengine ``work_items``/``complete_work_item``, shoobx.wfmc the
      work item's ``workItemFinished``, SpiffWorkflow the READY manual task's ``run``)
  W5  a complaint: intake (app) -> XOR: instant answer (app) -> end, or coordinate (manual)
      -> AND split to two departments (apps) -> AND join -> reply (manual) -> end; half each

The application: with ``--real-work`` each call hashes 64 bytes with SHA-256 eight times,
chained (a few microseconds of real work, ``peerwork.WorkCounter``); without it a call only
counts itself. All three in-memory engines run in memory: ``Engine()`` for wfengine, plain
objects for shoobx.wfmc (no ZODB) and SpiffWorkflow (no serializer).

Counting. *Activities executed* = task activities completed: the activities that call the
application or are a person's manual step (W1 100 per instance, W2 50, W3 100, W4 1 or 3,
W5 2 or 5). Gateways/routes, start and end events/activities and engine-internal tasks are
not counted, since XPDL folds into one activity what BPMN draws as a task and a gateway or
two: counting them would count the modelling, not the work. Each driver counts from its
engine's own record of completed activity instances (not from the harness's expectation),
counts the application calls and the finished instances, and the run stops when any of them
differs from what the workload must do: a benchmark that silently does nothing is worse
than none.

Durable part, SQLite with the settings wfengine uses (WAL, ``synchronous=NORMAL``, a checkpoint
every 4,000 pages), a fresh database file per job:

  wfengine commands/s   W4 on ``Engine.from_url("sqlite:///...")``: each start and each
                        work-item completion is one engine command = one committed transaction
                        (the driver also reads ``work_items(iid)`` before each completion and
                        once more to see none is left; that time counts, the DBOS driver needs
                        no such read: it knows the workflow id and the topic)
  wfengine W1 act/s     W1 on SQLite: 100 activities in one start command (one commit)
  DBOS W4 commands/s    W4 as a DBOS workflow: intake a ``@DBOS.step``, the manual steps
                        ``DBOS.recv``s the driver completes with ``DBOS.send``; commands =
                        workflow starts + sends
  DBOS steps/s          workflows of 100 ``@DBOS.step()``s, each calling the application:
                        step checkpoints committed per second
  DBOS recv/s           workflows of 100 ``DBOS.recv``s of messages the driver sends: durable
                        waits completed per second (a recv records its timeout and the
                        consumed message; ``DBOS.sleep(0)`` records nothing in DBOS 3.x)

Fairness. Rounds are interleaved: round r runs every engine on every workload before round
r+1, the engines' order rotating from round to round; one unmeasured warm-up job per engine
and workload goes first. Rates are medians over rounds; a ratio is wfengine's rate over the
peer's, the median of the per-round ratios (each a pair measured a few seconds apart, so
load from other processes on the machine mostly cancels out). The garbage collector runs a
full collection before each timed region and stays on during it, for every engine.
``--quick`` runs a fifth of the instances and 3 rounds (about 30 s here); the full run 5
rounds (about 3 minutes here, on 2 shared cores).

Read the in-memory rates with the instance counts beside them: every driver keeps all its
instances alive until the job ends (wfengine's in-memory store does by design; the peers'
drivers keep theirs to count their activities afterwards), so the cyclic garbage collector's
full collections grow with the job, and the rates and ratios of a ``--quick`` run (a fifth of
the instances) are not those of a full run. Compare figures of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peerwork import SHAPES, expected

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PEERS_VENV = HERE / ".venv-peers"
REQUIREMENTS = HERE / "requirements-peers.txt"
STAMP = PEERS_VENV / ".requirements-installed"
WFENGINE_PYTHON = (
    REPO / ".venv" / "bin" / "python"
    if (REPO / ".venv" / "bin" / "python").exists()
    else Path(sys.executable)
)
JOB_TIMEOUT = 600.0

DRIVERS = {
    "wfengine": "drive_wfengine.py",
    "shoobx": "drive_shoobx.py",
    "spiff": "drive_spiff.py",
    "dbos": "drive_dbos.py",
}
MEMORY_ENGINES = ("wfengine", "shoobx", "spiff")
MEMORY_WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
#: instances per job, full run (``--quick``: a fifth)
INSTANCES = {
    "W1": 200,
    "W2": 200,
    "W3": 50,
    "W4": 2000,
    "W5": 1000,
    "SQLITE-W4": 500,
    "SQLITE-W1": 40,
    "DBOS-W4": 500,
    "DBOS-STEPS": 10,
    "DBOS-RECV": 5,
}


@dataclass(frozen=True)
class Durable:
    """One row of the durable part: a job, and which of its figures is the rate."""

    key: str
    engine: str
    workload: str
    unit: str  # the result's field counted: "commands", "steps" or "activities"
    label: str


DURABLE = (
    Durable("wfe-w4", "wfengine", "SQLITE-W4", "commands", "wfengine W4, commands/s"),
    Durable("dbos-w4", "dbos", "DBOS-W4", "commands", "DBOS W4, commands/s (start + send)"),
    Durable("dbos-steps", "dbos", "DBOS-STEPS", "steps", "DBOS steps/s (100 @DBOS.step)"),
    Durable("dbos-recv", "dbos", "DBOS-RECV", "steps", "DBOS recv/s (100 DBOS.recv)"),
    Durable("wfe-w1", "wfengine", "SQLITE-W1", "activities", "wfengine W1 on SQLite, act/s"),
)
#: (numerator row, denominator row, what the ratio says)
DURABLE_RATIOS = (
    ("wfe-w4", "dbos-w4", "wfengine W4 commands/s / DBOS W4 commands/s (the same workload)"),
    ("wfe-w4", "dbos-steps", "wfengine W4 commands/s / DBOS steps/s"),
    ("wfe-w4", "dbos-recv", "wfengine W4 commands/s / DBOS recv/s"),
    (
        "wfe-w1",
        "dbos-steps",
        "wfengine W1 act/s on SQLite / DBOS steps/s (1 commit per instance vs 1 per step)",
    ),
)


# --------------------------------------------------------------------------- environments


def ensure_peers_venv() -> Path:
    """The peers' interpreter, making the virtual environment when missing or stale."""
    python = PEERS_VENV / "bin" / "python"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and STAMP.exists() and STAMP.read_text(encoding="utf-8") == wanted:
        return python
    base = shutil.which("python3") or sys.executable
    if not python.exists():
        _say(f"creating {PEERS_VENV} with {base} -m venv")
        _setup_step(
            [base, "-m", "venv", str(PEERS_VENV)],
            f"could not create {PEERS_VENV} with {base} -m venv",
            "check that the venv module is installed (Debian/Ubuntu: the python3-venv package)",
        )
    _say(f"installing {REQUIREMENTS.name} into it (pip, from PyPI)")
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    _setup_step(
        [*pip, "-r", str(REQUIREMENTS)],
        f"could not install {REQUIREMENTS.name} into {PEERS_VENV}",
        "check the network and PIP_INDEX_URL (pip's own error is above)",
    )
    STAMP.write_text(wanted, encoding="utf-8")
    return python


def _setup_step(command: list[str], failed: str, check: str) -> None:
    """Run one step of making the peers' environment; a failure ends the run with what to do.

    Why: the peers come from PyPI, which a machine may not reach; a CalledProcessError
    traceback said neither that nor that wfengine alone can still be measured.
    """
    try:
        subprocess.run(command, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        why = (
            f"exit status {exc.returncode}"
            if isinstance(exc, subprocess.CalledProcessError)
            else exc
        )
        raise SystemExit(
            f"bench/peers: {failed} ({why}): {check}, or run with --peers wfengine "
            "to measure wfengine alone"
        ) from None


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- drivers


class Driver:
    """One engine's driver subprocess: a JSON job in, a JSON result out, per line."""

    def __init__(self, engine: str, python: Path) -> None:
        self.engine = engine
        self.proc = subprocess.Popen(
            [str(python), str(HERE / DRIVERS[engine])],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        ready = self._read(120.0)
        self.version = str(ready.get("version", "?"))

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"{self.engine}: no answer in {timeout:.0f}s") from None
            if line is None:
                raise SystemExit(f"{self.engine}: the driver exited ({self.proc.wait()})")
            try:
                answer = json.loads(line)
            except json.JSONDecodeError:
                answer = None
            if isinstance(answer, dict):
                return answer
            _say(f"[{self.engine}] {line.rstrip()}")  # not ours: a library printing

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        result = self._read(JOB_TIMEOUT)
        if "error" in result:
            raise SystemExit(f"{self.engine} failed on {job}:\n{result['error']}")
        return result

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --------------------------------------------------------------------------- measuring


@dataclass
class Series:
    """One engine on one workload: its rate in every round."""

    engine: str
    workload: str
    instances: int
    rates: list[float] = field(default_factory=list)
    last: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


def _verify(result: dict[str, Any], workload: str, n: int) -> None:
    """The harness's own check of a driver's answer (the drivers check too)."""
    if result.get("finished") != n:
        raise SystemExit(f"{result['engine']} {workload}: {result.get('finished')} of {n} done")
    base = workload.removeprefix("SQLITE-")
    if base in SHAPES:
        want = expected(base, n)
        for key in ("activities", "app_calls"):
            if result[key] != want[key]:
                raise SystemExit(
                    f"{result['engine']} {workload}: {key} {result[key]}, expected {want[key]}"
                )


def measure(args: argparse.Namespace, drivers: dict[str, Driver]) -> dict[str, Series]:
    scale = 5 if args.quick else 1
    rounds = args.rounds or (3 if args.quick else 5)
    plan: list[tuple[str, str, str]] = []  # (series key, engine, workload)
    for w in MEMORY_WORKLOADS:
        plan += [(f"{e}:{w}", e, w) for e in MEMORY_ENGINES if e in drivers]
    plan += [(d.key, d.engine, d.workload) for d in DURABLE if d.engine in drivers]
    units = {d.key: d.unit for d in DURABLE}
    series: dict[str, Series] = {}
    for key, engine, workload in plan:
        n = max(2, INSTANCES[workload] // scale)
        series[key] = Series(engine, workload, n)
        warm = max(2, n // 10)
        _verify(drivers[engine].run(_job(workload, warm, args.real_work)), workload, warm)
    _say(f"warm-up done; {rounds} interleaved rounds of {len(plan)} jobs")
    for r in range(rounds):
        t0 = time.perf_counter()
        groups = [[p for p in plan if p[2] == w] for w in MEMORY_WORKLOADS]
        groups.append([p for p in plan if p[0] in units])
        for group in groups:
            shift = r % len(group) if group else 0
            for key, engine, workload in group[shift:] + group[:shift]:
                s = series[key]
                result = drivers[engine].run(_job(workload, s.instances, args.real_work))
                _verify(result, workload, s.instances)
                count = result[units.get(key, "activities")]
                s.rates.append(count / result["seconds"])
                s.last = result
        _say(f"round {r + 1}/{rounds}: {time.perf_counter() - t0:.1f}s")
    return series


def _job(workload: str, n: int, real_work: bool) -> dict[str, Any]:
    return {"workload": workload, "instances": n, "real_work": real_work}


def _paired(num: Series, den: Series) -> tuple[float, float, float]:
    """Median, min and max of the per-round ratios num/den."""
    ratios = [a / b for a, b in zip(num.rates, den.rates, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


# --------------------------------------------------------------------------- reporting


def report(
    args: argparse.Namespace, drivers: dict[str, Driver], series: dict[str, Series]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    peers = [e for e in MEMORY_ENGINES if e != "wfengine" and e in drivers]
    for w in MEMORY_WORKLOADS:
        if not any(f"{e}:{w}" in series for e in MEMORY_ENGINES):
            continue
        row: dict[str, Any] = {"section": "memory", "workload": w, "title": SHAPES[w].title}
        wfe = series.get(f"wfengine:{w}")
        for e in MEMORY_ENGINES:
            s = series.get(f"{e}:{w}")
            if s is None:
                continue
            row["instances"] = s.instances
            row["activities"] = s.last["activities"]
            row[f"{e}_activities_per_s"] = round(s.median, 1)
            row[f"{e}_rounds"] = [round(x, 1) for x in s.rates]
        for p in peers:
            if wfe is not None:
                med, lo, hi = _paired(wfe, series[f"{p}:{w}"])
                row[f"wfengine_over_{p}"] = round(med, 2)
                row[f"wfengine_over_{p}_range"] = [round(lo, 2), round(hi, 2)]
        rows.append(row)
    for d in DURABLE:
        s = series.get(d.key)
        if s is None:
            continue
        rows.append(
            {
                "section": "durable",
                "row": d.key,
                "label": d.label,
                "workload": d.workload,
                "instances": s.instances,
                d.unit: s.last[d.unit],
                "per_s": round(s.median, 1),
                "rounds": [round(x, 1) for x in s.rates],
            }
        )
    for num, den, label in DURABLE_RATIOS:
        if num in series and den in series:
            med, lo, hi = _paired(series[num], series[den])
            rows.append(
                {
                    "section": "durable-ratio",
                    "label": label,
                    "ratio": round(med, 2),
                    "range": [round(lo, 2), round(hi, 2)],
                }
            )
    return rows


def print_table(
    args: argparse.Namespace,
    drivers: dict[str, Driver],
    rows: list[dict[str, Any]],
    header: dict[str, Any],
) -> None:
    print(
        f"wfengine vs peers: {header['rounds']} interleaved rounds, medians; "
        f"{'real work' if args.real_work else 'no-op'} application; "
        f"{header['cpus']} CPUs, load {header['load_before']} -> {header['load_after']}; "
        f"Python {header['python']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in header["versions"].items()))
    mem = [r for r in rows if r["section"] == "memory"]
    if mem:
        engines = [e for e in MEMORY_ENGINES if e in drivers]
        peers = [e for e in engines if e != "wfengine"]
        print()
        print("In memory: activities executed per second (task activities completed)")
        head = f"{'workload':<44}{'inst':>6}" + "".join(f"{e:>11}" for e in engines)
        if "wfengine" in engines:
            head += "".join(f"{'wfe/' + p:>12}" for p in peers)
        print(head)
        for r in mem:
            line = f"{r['workload'] + ' ' + r['title']:<44}{r['instances']:>6}"
            line += "".join(f"{r[f'{e}_activities_per_s']:>11,.0f}" for e in engines)
            if "wfengine" in engines:
                line += "".join(f"{r[f'wfengine_over_{p}']:>11.2f}x" for p in peers)
            print(line)
    dur = [r for r in rows if r["section"] == "durable"]
    if dur:
        print()
        print(
            "Durable, SQLite (WAL, synchronous=NORMAL, wal_autocheckpoint=4000),"
            " a fresh file per job"
        )
        for r in dur:
            n = r["instances"]
            print(f"  {r['label']:<44}{r['per_s']:>10,.0f}/s   ({n} instances per job)")
        for r in rows:
            if r["section"] == "durable-ratio":
                lo, hi = r["range"]
                print(f"  {r['label']}: {r['ratio']:.2f}x  (rounds {lo:.2f}-{hi:.2f})")


def _rounds(text: str) -> int:
    """``--rounds``: 1 or more (0 or less once failed after the warm-up, with a KeyError)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--real-work", action="store_true", help="each call hashes (a few us)")
    ap.add_argument("--quick", action="store_true", help="a fifth of the instances, 3 rounds")
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--peers", default="wfengine,shoobx,spiff,dbos", help="engines to run")
    ap.add_argument("--rounds", type=_rounds, help="rounds (default 5, --quick 3)")
    ap.add_argument("--wfengine-python", type=Path, default=WFENGINE_PYTHON)
    args = ap.parse_args(argv)
    chosen = [p.strip() for p in args.peers.split(",") if p.strip()]
    if not chosen:
        ap.error(f"argument --peers: name at least one engine of {','.join(DRIVERS)}")
    unknown = sorted(set(chosen) - set(DRIVERS))
    if unknown:
        ap.error(f"unknown engines {unknown}; choose from {sorted(DRIVERS)}")
    if "wfengine" in chosen and not args.wfengine_python.exists():
        ap.error(f"no {args.wfengine_python}: make wfengine's venv first (see README.md)")
    peers_python = ensure_peers_venv() if set(chosen) - {"wfengine"} else None
    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    drivers: dict[str, Driver] = {}
    try:
        for engine in chosen:
            python = args.wfengine_python if engine == "wfengine" else peers_python
            assert python is not None
            drivers[engine] = Driver(engine, python)
        series = measure(args, drivers)
    finally:
        for d in drivers.values():
            d.close()
    header = {
        "section": "header",
        "real_work": args.real_work,
        "quick": args.quick,
        "rounds": len(next(iter(series.values())).rates) if series else 0,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "versions": {e: d.version for e, d in drivers.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    rows = report(args, drivers, series)
    if args.json:
        for row in [header, *rows]:
            print(json.dumps(row), flush=True)
    else:
        print_table(args, drivers, rows, header)
        print(f"\n(run took {header['seconds']}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
