"""Textual workaround 13: a footer's keys made ready (:func:`mark_footer_ready`).

Textual's :class:`~textual.widgets.Footer` composes no keys until its private
``_bindings_ready`` flag is set, which its own ``bindings_changed`` does before recomposing.
The console's :class:`~console.tui.key_footer.KeyFooter` replaces that handler (to skip
recomposes that rebuild the same keys), so it sets the flag the same way, here.
"""

from __future__ import annotations

import inspect

from textual.reactive import Reactive
from textual.widgets import Footer


def mark_footer_ready(footer: Footer) -> None:
    """Let ``footer`` compose its keys, as ``Footer.bindings_changed`` does first."""
    footer._bindings_ready = True


def footer_waits_on_private_ready_flag() -> bool:
    """Whether Textual's footer still composes nothing until ``_bindings_ready``, which only
    its own ``bindings_changed`` sets."""
    flag = Footer.__dict__.get("_bindings_ready")
    return (
        isinstance(flag, Reactive)
        and "self._bindings_ready = True" in inspect.getsource(Footer.bindings_changed)
        and "if not self._bindings_ready" in inspect.getsource(Footer.compose)
    )
