"""Interface 1: process definitions (the XPDL model and codec, validation, graph, builder,
rendering).

A host imports what it needs from ``wfengine``: ``load_xpdl``, ``dump_xpdl``, ``validate``
(its ``Diagnostic`` findings and their ``Severity``), ``PackageBuilder``, ``package_to_dot``
and the ``Package`` model; the classes a package is made of are in
:mod:`wfengine.definition.model`. This ``__init__`` imports nothing, so a module of the
package can be used without loading the rest.
"""
