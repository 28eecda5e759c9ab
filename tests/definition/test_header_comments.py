"""A file's header comments (before the root element, and inside ``<Package>`` before its first
child) are kept and written back in the same places: ``wfengine convert`` dropped every comment,
the copyright and licence header third-party tools write (every JaWE file) included. Comments
deeper in are not kept. The comments stay out of the model's JSON and its equality, so the
model's format is unchanged."""

from __future__ import annotations

import pytest

from wfengine import load_xpdl
from wfengine.definition.io import dump_xpdl

_NS = "http://www.wfmc.org/2009/XPDL2.2"

_TEXT = f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
    Copyright (C) 2011 Someone. GPL.
-->
<!-- second -->
<Package xmlns="{_NS}" Id="pkg">
  <!-- head: about this package -->
  <?tool ignored?>
  <!-- head two -->
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>t</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/>
  <!-- deep: not kept -->
  <Activities><Activity Id="s"><Event><StartEvent/></Event></Activity>
  <Activity Id="e"><Event><EndEvent/></Event></Activity></Activities>
  <Transitions><Transition Id="t" From="s" To="e"/></Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>
""".encode()


def test_the_header_comments_are_read_and_written_back_in_place() -> None:
    package = load_xpdl(_TEXT, schema=False)
    assert package.prolog_comments == ("\n    Copyright (C) 2011 Someone. GPL.\n", " second ")
    assert package.head_comments == (" head: about this package ", " head two ")
    written = dump_xpdl(package)
    lines = written.decode().splitlines()
    assert lines[:6] == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!--",
        "    Copyright (C) 2011 Someone. GPL.",
        "-->",
        "<!-- second -->",
        f'<Package xmlns="{_NS}" Id="pkg">',
    ]
    assert lines[6:9] == [
        "  <!-- head: about this package -->",
        "  <!-- head two -->",
        "  <PackageHeader>",
    ]
    assert b"deep" not in written
    again = load_xpdl(written, schema=False)
    assert (again.prolog_comments, again.head_comments) == (
        package.prolog_comments,
        package.head_comments,
    )
    assert dump_xpdl(again) == written


def test_the_comments_stay_out_of_the_models_json_and_equality() -> None:
    package = load_xpdl(_TEXT, schema=False)
    plain = package.model_copy(update={"prolog_comments": (), "head_comments": ()})
    assert package == plain
    assert package.model_dump_json() == plain.model_dump_json()
    assert "Copyright" not in package.model_dump_json()


def test_a_comment_xml_cannot_hold_is_refused_naming_it() -> None:
    package = load_xpdl(_TEXT, schema=False).model_copy(update={"head_comments": ("a -- b",)})
    with pytest.raises(ValueError, match="a header comment cannot hold 'a -- b'"):
        dump_xpdl(package)
