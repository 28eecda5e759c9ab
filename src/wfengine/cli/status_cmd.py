"""``wfengine status ID --db URL [--brief] [--json]``: where a case stands.

A contract (scripts rely on these exactly): without ``--brief`` the detailed status for the
people inside (:func:`wfengine.audit.status.detailed_status`); with ``--brief`` only what the
definition declares public, for outside parties (:func:`~wfengine.audit.status.brief_status`).
``--json`` prints the status as one JSON object (``BriefStatus.as_dict`` /
``DetailedStatus.as_dict`` keys). The text shows each id, name, label, value and comment on
one line (:func:`~wfengine.one_line.one_line`, as ``wfengine audit`` does): a line break in a
comment or a customer's field value printed rows that looked like the status's own. The
brief text leaves out a public field that holds nothing yet (null or empty text): an
outsider read ``acceptance_no: None`` as a number "None", and a blank line as a field
cleared; ``--json`` keeps every public field, null as null. A lone surrogate in a value
(half an emoji a web form cut, which UTF-8 cannot hold) is U+FFFD in the text, as in the
``audit`` table and the exports (:func:`~wfengine.audit.exports.utf8_text`): ``--brief``
ended in a ``UnicodeEncodeError`` traceback; ``--json`` writes its ``\\uXXXX`` escape.
The detailed text names what a case waits on, as ``--json`` does: ``parent <id>`` at the
end of the header line of a subflow's instance, ``subflow <id>`` at the end of the line of
an activity that called one, and an ``incident <id> on <activity>: <message>`` line per open
incident (``incident <id>: <message>`` for one of no activity), and after the open work a
``timers:`` section of what it waits for in time, a line each (``<kind> <activity> [<work
item>] due <time>``: a timer event, deadline, boundary timer or cycle's next firing, a
reminder or escalation; ``parked`` for one held behind an incident), then a ``queued for a
worker: <kind> [<activity>] <job> due <time>`` line per job that only a worker runs: the
automatic work a command left to workers (``continue``: ``instance cancel``, ``workitem
complete`` and the like defer it, and until a worker ran the case listed nothing open and
nothing waiting, as if stuck), an asynchronous call (``invoke``). An audit row that cannot be
read as an event is left out of the history with a message on stderr naming its instance and
seq. Exit 0; 1 for an unknown instance; 2 on usage errors and databases that cannot be used.
"""

from __future__ import annotations

from datetime import datetime

import click

from wfengine.cli.database import db_option, engine_on
from wfengine.cli.json_output import dumps
from wfengine.cli.option_types import STORED_TEXT
from wfengine.cli.stderr_log import logging_to_stderr
from wfengine.json_text import value_text


@click.command()
@click.argument("instance_id", metavar="ID", type=STORED_TEXT)
@db_option
@click.option("--brief", is_flag=True, help="Only what the definition declares public.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(instance_id: str, url: str, brief: bool, as_json: bool) -> None:
    """Show where process instance ID stands.

    \b
    Example:
      wfengine status pi-1 --db sqlite:///wf.db --brief --json
    """
    from wfengine.audit.status import brief_status, detailed_status

    o = _text
    # the store reports the rows it leaves out on the wfengine.store logger (as instances does)
    skipped_rows = logging_to_stderr("warning", "wfengine status: %(message)s", "wfengine.store")
    with skipped_rows, engine_on(url) as engine:
        if brief:
            short = brief_status(engine, instance_id)
            if as_json:
                click.echo(dumps(short.as_dict()))
                return
            click.echo(f"{o(short.process or 'case')} {o(short.instance_id)}: {short.state}")
            for m in short.milestones:
                click.echo(f"  {m.reached_at.isoformat(timespec='minutes')}  {o(m.label)}")
            for name, value in short.fields.items():
                if value is not None and value != "":  # (see the module notes)
                    click.echo(f"  {o(name)}: {o(str(value))}")
            return
        full = detailed_status(engine, instance_id)
        # the open incidents' activity and message (the status names only their ids)
        incidents = [] if as_json else engine.incidents(instance_id)
    if as_json:
        click.echo(dumps(full.as_dict()))
        return
    inst = full.instance
    parent = "" if inst.parent_instance_id is None else f" parent {o(inst.parent_instance_id)}"
    click.echo(f"{o(inst.id)} ({o(inst.process_id)} v{inst.version}): {inst.state.value}{parent}")
    for a in full.activities:
        who = f" by {o(a.performer)}" if a.performer else ""
        child = "" if a.subflow_instance_id is None else f" subflow {o(a.subflow_instance_id)}"
        click.echo(f"  {o(a.activity_id):<24} {a.state.value}{who}{child}")
    for i in incidents:  # what stops the case: the operator's next step
        on = "" if i.activity_id is None else f" on {o(i.activity_id)}"
        click.echo(f"  incident {o(i.id)}{on}: {o(i.message)}")
    for w in full.open_work:
        # to the second, as worklist prints it: cut to the minute, a seconds-scale deadline
        # showed OVERDUE next to a due time that read as now
        due = "" if w.due is None else f" due {_at(w.due)}"
        late = " OVERDUE" if w.overdue else ""
        # (offered to nobody: its performer has no members; "offered to " read as cut off)
        offered = ", ".join(w.item.assignees) or "no one"
        holder = o(w.item.holder or f"offered to {offered}")
        item, act = o(w.item.id), o(w.item.activity_id)
        click.echo(f"  waiting: {item} {act} ({holder}){due}{late}")
    if full.timers:  # what the case waits for in time (see the module notes)
        click.echo("  timers:")
    for t in full.timers:
        on = " ".join(o(x) for x in (t.activity_id or "(closed)", t.work_item_id) if x)
        when = "parked (waits for its incident)" if t.due is None else f"due {_at(t.due)}"
        click.echo(f"    {t.kind} {on} {when}")
    for q in full.queued:  # what only needs a worker to run (see the module notes)
        on = "" if q.activity_id is None else f" {o(q.activity_id)}"
        when = "parked (waits for its incident)" if q.due is None else f"due {_at(q.due)}"
        click.echo(f"  queued for a worker: {o(q.kind)}{on} {o(q.job_id)} {when}")
    for name, value in sorted(inst.data.items()):  # (README: the detailed view has the data)
        click.echo(f"  data {o(name)} = {o(value_text(value))}")
    for c in full.comments:  # (README: and comments, attachments and history)
        on = f" on {o(c.work_item_id)}" if c.work_item_id else ""
        said = f"by {o(c.author)} at {_at(c.created_at)}: {o(c.text)}"
        click.echo(f"  comment {o(c.id)}{on} {said}")
    for f in full.attachments:
        on = f" on {o(f.work_item_id)}" if f.work_item_id else ""
        click.echo(
            f"  attachment {o(f.id)}{on} {o(repr(f.name))} ({o(f.content_type)}, {f.size} "
            f"bytes) by {o(f.author)} at {_at(f.created_at)}"
        )
    for e in full.history:
        what = " ".join(x for x in (e.activity_id, e.user and f"by {e.user}") if x)
        what = o(what)
        click.echo(f"  history {e.seq:>4} {_at(e.at)} {o(e.kind)}{' ' + what if what else ''}")
    click.echo(
        f"  {len(full.comments)} comments, {len(full.attachments)} attachments, "
        f"{len(full.history)} events"
    )


def _text(text: str) -> str:
    """``text`` as one line of the text output (:func:`~wfengine.one_line.one_line`) that
    UTF-8 can write (:func:`~wfengine.audit.exports.utf8_text`): see the module notes."""
    from wfengine.audit.exports import utf8_text
    from wfengine.one_line import one_line

    return utf8_text(one_line(text))


def _at(when: datetime) -> str:
    return when.isoformat(timespec="seconds")
