"""``wfengine validate``: check XPDL files and report findings the way compilers do.

The output is one ``file:line: severity code: message`` line per finding so editors and CI
logs can jump to the line, or one JSON list with ``--json`` for scripts. The exit status is the
contract scripts rely on: 0 when no file has an error (warnings are allowed, since real files
from modelling tools often carry schema warnings and still work), 1 when any file has an error
(including a file that cannot be loaded at all), 2 when a file cannot be read or the command is
misused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from wfengine.cli.exit_status import ExitStatus, InputOutputError
from wfengine.cli.json_output import dumps
from wfengine.cli.loading import APPS_HINT, display_name, load_package, non_empty
from wfengine.errors import XpdlLoadError

if TYPE_CHECKING:
    from wfengine.applications.registry import ApplicationRegistry
    from wfengine.definition.diagnostics import Diagnostic


@dataclass(frozen=True)
class Finding:
    """A diagnostic together with the file it was found in, as the command reports it."""

    file: str
    diagnostic: Diagnostic

    def as_text(self) -> str:
        return self.diagnostic.format(self.file)

    def as_json(self) -> dict[str, object]:
        d = self.diagnostic
        return {
            "file": self.file,
            "line": d.line,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "element_id": d.element_id,
        }


def check_file(
    source: str, *, schema: bool, applications: ApplicationRegistry | None = None
) -> list[Finding]:
    """All findings for one file, in :func:`~wfengine.definition.validation.validate`'s order,
    then, with ``applications`` (``--apps MODULE``), the binding findings of
    :meth:`~wfengine.runtime.applications.ApplicationRegistry.check`.

    A document that cannot be loaded yields the loader's single error finding. Raises
    :class:`InputOutputError` when the file cannot be read.
    """
    from wfengine.definition.validation import validate

    name = display_name(source)
    try:
        package = load_package(source, schema=schema)
    except XpdlLoadError as exc:
        return [Finding(name, exc.diagnostic)]
    diagnostics = validate(package)  # the load findings first, then the semantic ones
    if applications is not None:
        diagnostics.extend(applications.check(package))
    return [Finding(name, d) for d in diagnostics]


def _summary(files: int, findings: list[Finding], unreadable: int) -> str:
    from wfengine.definition.diagnostics import Severity

    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.diagnostic.severity] += 1

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
    ]
    if counts[Severity.INFO]:
        parts.append(plural(counts[Severity.INFO], "note"))
    text = f"{plural(files, 'file')} checked: {', '.join(parts)}"
    if unreadable:
        text += f"; {plural(unreadable, 'file')} could not be read"
    return text


@click.command(
    "validate",
    short_help="Check XPDL files and report findings as file:line: messages.",
    epilog="""\b
Examples:
  wfengine validate examples/*.xpdl
  wfengine validate --json examples/order_fulfilment.xpdl | jq '.[] | select(.severity == "error")'
  cat examples/leave_request.xpdl | wfengine validate -
  wfengine validate --apps examples/order_fulfilment_apps.py examples/order_fulfilment.xpdl""",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list of findings instead.")
@click.option(
    "--schema/--no-schema",
    default=True,
    show_default=True,
    help="Also check each file against the XSD of its XPDL version (findings are warnings).",
)
@click.option(
    "--apps",
    "apps_module",
    metavar="MODULE",
    callback=non_empty(APPS_HINT),
    help="Import MODULE and call its register(registry); report applications it binds that a "
    "file does not declare, and used ones that neither it nor an installed plug-in (entry-point "
    "group wfengine.applications, which binds many packages' applications) binds (warnings).",
)
def validate(files: tuple[str, ...], as_json: bool, schema: bool, apps_module: str | None) -> None:
    """Check XPDL process definitions and print what is wrong with them.

    Prints one `file:line: severity code: message` line per finding (or a JSON list of
    objects with file, line, severity, code, message and element_id with --json), and a
    summary on stderr. FILE may be `-` for standard input (once).

    Exit status: 0 when no file has an error (warnings allowed), 1 when any file has an
    error or cannot be loaded as XPDL, 2 when a file cannot be read or on usage errors.
    """
    if files.count("-") > 1:  # read once: a second `-` would be an empty, "malformed" file
        raise click.UsageError("only one FILE can be standard input (-)")
    applications = None
    if apps_module is not None:
        from wfengine.cli.apps import bind_plugins, load_apps

        applications = load_apps(apps_module, bind_plugins())
    findings: list[Finding] = []
    unreadable = 0
    for source in files:
        try:
            file_findings = check_file(source, schema=schema, applications=applications)
        except InputOutputError as exc:
            unreadable += 1
            click.echo(f"wfengine validate: {exc.format_message()}", err=True)
            continue
        findings.extend(file_findings)
        if not as_json:
            for finding in file_findings:
                click.echo(finding.as_text())

    if as_json:
        click.echo(dumps([f.as_json() for f in findings], indent=2))
    else:
        click.echo(_summary(len(files) - unreadable, findings, unreadable), err=True)

    ctx = click.get_current_context()
    if unreadable:
        ctx.exit(ExitStatus.USAGE_OR_IO)
    from wfengine.definition.diagnostics import Severity

    if any(f.diagnostic.severity is Severity.ERROR for f in findings):
        ctx.exit(ExitStatus.DEFINITION_ERROR)
