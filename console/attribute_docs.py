"""The docstrings written under a class's attributes, read from its source when asked.

Pydantic can turn them into field descriptions itself (``use_attribute_docstrings``), but
it reads and parses the source of every model when the class is created, on every start
of the console (about 20 ms for the settings models); only ``config init`` shows them.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap


def attribute_docstrings(cls: type) -> dict[str, str]:
    """Attribute name -> the string literal right after its annotated assignment in the
    body of ``cls`` itself (not its bases), cleaned as ``inspect.cleandoc`` does; empty when
    the source cannot be read."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    definition = ast.parse(source).body[0]
    if not isinstance(definition, ast.ClassDef):
        return {}
    found: dict[str, str] = {}
    body = definition.body
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = inspect.cleandoc(following.value.value)
    return found
