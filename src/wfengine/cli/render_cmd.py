"""``wfengine render``: draw a process as a Graphviz picture (DOT, SVG or PNG).

DOT is produced in Python (:mod:`wfengine.definition.render`) and always works. SVG and PNG
need Graphviz's ``dot`` program; it is run directly (no shell, the DOT text on its standard
input, a time limit), because the layout is Graphviz's job and reimplementing it would be
worse. When ``dot`` is missing the command says which package installs it instead of failing
obscurely, and exits with 2 as for any other problem of the environment.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import chosen_process, load_or_fail, output_option, write_output

FORMATS = ("dot", "svg", "png")
SUFFIX_FORMATS = {".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png"}
#: a layout that takes longer than this is a runaway; real process diagrams take well under 1 s
DOT_TIMEOUT_SECONDS = 60.0


def graphviz_hint(format_option: bool = True) -> str:
    """What to do without Graphviz (``--format dot`` only where the command has it)."""
    dot = "`--format dot` or an OUT ending in .dot" if format_option else "a file ending in .dot"
    return (
        "install Graphviz, e.g. `apt-get install graphviz` (the Debian/Ubuntu package "
        f"graphviz), or write DOT instead with {dot}"
    )


def format_for(output: str, explicit: str | None, *, format_option: bool = True) -> str:
    """The output format: the one asked for, else the one OUT's suffix names (DOT for ``-``).

    ``format_option``: the command has ``--format`` (``stats --diagram`` has not), so the
    message may name it."""
    if explicit is not None:
        return explicit
    if output == "-":
        return "dot"
    suffix = Path(output).suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    named = f"name it with --format ({', '.join(FORMATS)}) or " if format_option else ""
    raise click.UsageError(
        f"cannot tell the format from {output!r}; {named}use a suffix .dot, .gv, .svg or .png"
    )


def run_graphviz(dot_text: str, fmt: str, *, format_option: bool = True) -> bytes:
    """Lay out ``dot_text`` with Graphviz's ``dot`` and return the ``fmt`` image bytes.

    Raises :class:`InputOutputError` (exit 2) when ``dot`` is missing, fails or times out.
    """
    program = shutil.which("dot")
    if program is None:
        raise InputOutputError(
            f"{fmt.upper()} output needs Graphviz's `dot` program, which is not on PATH: "
            + graphviz_hint(format_option)
        )
    try:
        result = subprocess.run(
            [program, f"-T{fmt}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputOutputError(
            f"Graphviz `dot` did not finish within {DOT_TIMEOUT_SECONDS:g} s; "
            "try --format dot and lay the graph out separately"
        ) from None
    except OSError as exc:
        raise InputOutputError(f"cannot run Graphviz `dot` ({program}): {exc}") from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip() or "no message"
        raise InputOutputError(f"Graphviz `dot` failed with status {result.returncode}: {reason}")
    return result.stdout


@click.command(
    "render",
    short_help="Draw a process as DOT, SVG or PNG (Graphviz).",
    epilog="""\b
Examples:
  wfengine render examples/order_fulfilment.xpdl -o order.svg
  wfengine render examples/leave_request.xpdl --process request_leave -o leave.dot
  wfengine render examples/leave_request.xpdl -o - | dot -Tpdf > leave.pdf""",
)
@click.argument("source", metavar="FILE")
@output_option("File to write; `-` for stdout.")
@click.option(
    "--process",
    "process_id",
    metavar="ID",
    help="Id of the process to draw (default: the package's first process).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from OUT's suffix; DOT for `-`).",
)
def render(source: str, output: str, process_id: str | None, fmt: str | None) -> None:
    """Draw a process of an XPDL file as a Graphviz diagram.

    Events are circles, routes diamonds labelled with their gateway type (and a join that
    differs), tasks boxes (a loop marked `↻ loop`, a multi-instance `|||` or `≡`), grouped in
    swimlanes by performer; a block leads to where its activity set starts, an event
    sub-process's set is dotted; transitions are labelled with their condition, OTHERWISE or
    EXCEPTION, and a Name, never tested, in quotes under it. Long names are cut with "…"
    (labels after 4 lines of 24 characters, conditions after 48). DOT is always available;
    SVG and PNG need Graphviz's `dot` program.

    Exit status: 0 when written, 1 when FILE cannot be loaded as XPDL, 2 when a file cannot
    be read or written, `dot` is missing or fails, or on usage errors.
    """
    chosen = format_for(output, fmt)
    package = load_or_fail(source, schema=False)
    process = chosen_process(package, process_id, source)  # (as every command says it)
    from wfengine.definition.render import package_to_dot  # on demand: --help stays light

    dot_text = package_to_dot(package, process.id)
    if process_id is None and len(package.workflow_processes) > 1:
        others = ", ".join(p.id for p in package.workflow_processes[1:])
        click.echo(
            f"rendering process {package.workflow_processes[0].id}; "
            f"use --process to draw another ({others})",
            err=True,
        )
    data = dot_text.encode("utf-8") if chosen == "dot" else run_graphviz(dot_text, chosen)
    write_output(output, data)
    if output != "-":
        click.echo(
            f"wrote {output} ({chosen.upper()}, process {process.id}, {len(data)} bytes)",
            err=True,
        )
