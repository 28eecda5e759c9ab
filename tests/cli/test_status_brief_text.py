"""``wfengine status ID --brief`` in text, for outside parties: a public field that holds
nothing yet (null, empty text) is left out, rather than shown as ``acceptance_no: None`` or
a blank ``conclusion:``; ``--json`` keeps every public field, null as null."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import PackageBuilder


def test_public_fields_without_a_value_are_left_out_of_the_text(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    pb = PackageBuilder("crm")
    p = pb.process("complaint").extended_attribute("wfengine:public-name", "Your complaint")
    public = {"wfengine:public": "true"}
    p.data_field("phone", "STRING", extended=public)
    p.data_field("acceptance_no", "STRING", extended=public)  # null: no initial value
    p.data_field("conclusion", "STRING", initial='""', extended=public)
    p.data_field("severity", "INTEGER", initial="0", extended=public)
    p.activity("intake", extended={"wfengine:milestone": "Received"})
    assert cli("run", write(tmp_path, pb), "--db", db, "--set", "phone=555").exit_code == 0
    iid = json.loads(cli("instances", "--db", db, "--json").stdout)[0]["id"]
    text = cli("status", iid, "--db", db, "--brief")
    assert text.exit_code == 0, text.output
    assert "  phone: 555" in text.stdout and "  severity: 0" in text.stdout
    assert "None" not in text.stdout
    assert "acceptance_no" not in text.stdout and "conclusion" not in text.stdout
    fields = json.loads(cli("status", iid, "--db", db, "--brief", "--json").stdout)["fields"]
    assert fields == {"phone": "555", "acceptance_no": None, "conclusion": "", "severity": 0}
