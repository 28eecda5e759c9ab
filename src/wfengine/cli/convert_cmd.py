"""``wfengine convert``: rewrite any readable XPDL (1.0, 2.0, 2.1, 2.2) as XPDL 2.2.

Conversion goes through the model, so what the model understands is written in 2.2's form and
what it does not (vendor extensions, graphics) is carried over verbatim. It does not judge the
definition: a file with validation errors still converts; use ``wfengine validate`` for that.
Findings made while loading (say an element kept as XML) are shown on stderr, because they say
what the conversion could not interpret.

XPDL 2.2 keys activity, transition, activity-set and lane Ids package-wide where earlier versions
keyed them per process (or pool); a repeated one is given a new Id (with every reference to it) by
:func:`wfengine.definition.unique_ids.unique_ids`, and each rename is one line on stderr. Only
``convert`` renames: ``dump_xpdl`` writes a package's Ids as they are.
"""

from __future__ import annotations

import click

from wfengine.cli.loading import display_name, load_or_fail, output_option, write_output
from wfengine.errors import XpdlLoadError


@click.command(
    "convert",
    short_help="Convert XPDL 1.0/2.0/2.1/2.2 to XPDL 2.2.",
    epilog="""\b
Examples:
  wfengine convert examples/leave_request.xpdl -o leave-2.2.xpdl
  wfengine convert examples/order_fulfilment.xpdl -o - | less""",
)
@click.argument("source", metavar="IN")
@output_option("File to write the XPDL 2.2 document to; `-` for standard output.")
def convert(source: str, output: str) -> None:
    """Convert an XPDL document of any version to XPDL 2.2.

    An activity, transition, activity-set or lane Id that several processes (scopes, pools)
    repeat is kept by the first and renamed `ID.SCOPE` (a lane: `ID.POOL`) in the others,
    with every reference to it, as XPDL 2.2 keys these Ids package-wide; stderr names each
    rename.

    IN may be `-` for standard input. Exit status: 0 when written, 1 when IN cannot be
    loaded as XPDL, 2 when a file cannot be read or written or on usage errors.
    """
    from wfengine.definition.io import dump_xpdl
    from wfengine.definition.unique_ids import unique_ids
    from wfengine.definition.xpdl import secure

    package = load_or_fail(source, schema=False)
    for diagnostic in package.load_diagnostics:
        click.echo(diagnostic.format(display_name(source)), err=True)
    package, renames = unique_ids(package)
    for rename in renames:
        click.echo(f"renamed {rename.describe()} (XPDL 2.2 keys it package-wide)", err=True)
    data = dump_xpdl(package)
    write_output(output, data)
    if output != "-":
        source_version = package.source_version or "?"
        click.echo(f"wrote {output} (XPDL 2.2 from {source_version}, {len(data)} bytes)", err=True)
    # the written form is indented and 2.2 spells out more elements than 1.0, so a source
    # near a load limit (bytes or elements) converts past it: the reader's own check says
    try:
        secure.check_size(
            data, max_bytes=secure.DEFAULT_MAX_BYTES, max_elements=secure.DEFAULT_MAX_ELEMENTS
        )
    except XpdlLoadError as exc:
        where = "standard output" if output == "-" else output
        click.echo(
            f"wfengine convert: warning: {where} is written, but wfengine cannot load it back "
            f"({exc}); a host application can raise the limits: "
            "read_package(data, max_bytes=..., max_elements=...)",
            err=True,
        )
