"""The semantic checks behind :func:`wfengine.definition.validation.validate`.

One module per family of findings (identity, graph structure, references, expressions); each
check is a function from a :class:`~wfengine.definition.checks.context.Context` to diagnostics,
so :mod:`wfengine.definition.validation` can run them one by one and keep going when one fails.
"""
