"""The version of the definition model's JSON shape, for stores that keep packages as JSON.

The SQL store keeps each deployed package's XPDL text, which is the definition, and next to it
the package's model as JSON (``Package.model_dump_json``), which reads back about twenty times
faster: the first command on a process after an engine starts (every ``wfengine`` command on a
database is such a start) reads the JSON instead of parsing the XPDL. JSON written by a model
of another shape might read back wrong without failing (a new field left at its default), so
each stored model says which shape wrote it, and a store reads only the current one (else the
XPDL text, as before).

Change the model (any class in ``model*.py``) and ``tests/definition/test_model_format.py``
fails: raise :data:`MODEL_FORMAT` and record the new shape's hash there.
"""

from __future__ import annotations

#: the shape of ``Package.model_dump_json()``; raised whenever the model classes change
MODEL_FORMAT = 7
