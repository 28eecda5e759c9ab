"""``wfengine demo crm``: a working day at a CRM call centre, run on the real engine.

``wfengine demo crm [--db URL] [--complaints N] [--seed S] [--example DIR]`` takes N
complaints (default 200) through the complaint process of ``examples/crm_complaint`` on a
durable engine (SQLite by default: a new file in a new temporary directory, named in the
report, so the trail can be inspected afterwards with ``wfengine stats``, ``wfengine status``
or ``wfengine audit``), with simulated agents, coordinators, department desks and customers who
act only through the worklist API and messages (``examples/crm_complaint/day.py``), a
progress bar, then the report (``report.py``): cases per path, waiting and handling time per
step, the bottleneck, reminders, one case's brief and detailed status, and a PNG of the times
per step when matplotlib is installed. The same seed gives the same day.

The example's files are read from ``--example`` (default: ``examples/crm_complaint`` of the
source checkout this wfengine runs from); an installation without them says where to point.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import click

#: the example's directory in a source checkout (src/wfengine/cli -> the repository root)
CHECKOUT_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "crm_complaint"


@click.group()
def demo() -> None:
    """Run the shipped examples on the real engine."""


def _load(directory: Path, name: str) -> ModuleType:
    path = directory / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"wfengine_demo_crm_{name}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has one
        raise click.UsageError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@demo.command("crm")
@click.option("--db", "url", metavar="URL", help="Database (default: a new SQLite file).")
@click.option(
    "--complaints",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="How many complaints arrive during the day.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="The day's random seed.")
@click.option(
    "--example",
    "example",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The crm_complaint example directory (default: the checkout's).",
)
def crm(url: str | None, complaints: int, seed: int, example: Path | None) -> None:
    """A day of customer complaints at a CRM call centre.

    \b
    Examples:
      wfengine demo crm
      wfengine demo crm --complaints 1000 --seed 7
      wfengine demo crm --db sqlite:///crm.db
    """
    from wfengine.cli.database import open_engine
    from wfengine.runtime.clock import VirtualClock
    from wfengine.runtime.sql.store import SqlStore
    from wfengine.worklist.org_store import save_organisation

    directory = example or CHECKOUT_EXAMPLE
    if not (directory / "day.py").is_file():
        raise click.UsageError(
            f"the CRM example is not at {directory}: run from a source checkout of wfengine "
            "or pass --example path/to/examples/crm_complaint"
        )
    definition, crm_side = _load(directory, "definition"), _load(directory, "crm")
    day, report = _load(directory, "day"), _load(directory, "report")
    work = Path(tempfile.mkdtemp(prefix="wfengine-crm-"))
    url = url or f"sqlite:///{work / 'crm.db'}"
    clock = VirtualClock()
    engine = open_engine(url, defer=False, clock=clock)  # unusable: exit 2, named
    organisation = day.organisation(complaints)
    engine.directory = organisation
    # stored with the day's trail, so `wfengine stats` groups it by role and unit, and the
    # worklist commands know its people, as after `wfengine org load`
    if isinstance(engine.store, SqlStore):
        save_organisation(engine.store, organisation)
    try:
        apps: Any = crm_side.CrmApps(url, clock=clock)
        apps.register(engine.applications)
        engine.deploy(definition.build())
        with click.progressbar(length=complaints, label="complaints", file=sys.stderr) as bar:
            last = [0]

            def progress(done: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            result = day.run_day(engine, clock, complaints, seed=seed, progress=progress)
        click.echo(report.report(engine, result, apps, work / "crm-day.png"))
        click.echo(f"\nThe day's trail: {url} (try: wfengine stats --db {url})")
    finally:
        engine.close()
