"""Every key binding the console has, found by asking the classes, and the rules for remaps.

The registry is not a list someone keeps: it imports every module of ``console.tui`` and
reads the ``BINDINGS`` of each app, screen and widget class as Textual merges them
(inherited ones included), so a binding added to or moved between classes is known at
once, under the id Textual applies a keymap to.

Bindings are grouped by where they can be pressed together. Textual stops the binding chain
at a modal screen, so each modal screen is a scope of its own; the app, the non-modal
screens and the widgets on them form the ``main`` scope. A widget's keys act only while it
(or a child) has focus, so two widgets' keys never compete, but a widget's key does hide
a screen or app key while the widget has focus.

A keymap (``ui.keymap``) is refused, with every reason, when it:

* names an id no binding has (the close matches are suggested);
* gives a key to a binding that another binding of the same scope answers to, after the
  remap (``next_symbol`` to ``n`` would hide *n Order*);
* moves a safety binding (:data:`PROTECTED_IDS`: confirm or cancel an order, arm live,
  the kill switch) to a key anything else in its scope answers to or answered to by
  default, or gives a safety binding's default key to something else: swapping *Send* and
  *Back* is refused, so the key a trader's hand knows never does the opposite.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from typing import Any, Literal

from textual.app import App
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input

from console.tui.bindings import key_label
from console.tui.textual_compat import character_key

MAIN_SCOPE = "main"

PROTECTED_IDS: frozenset[str] = frozenset(
    {
        "confirm_order.send",
        "confirm_order.back",
        "confirm_scale.send",
        "confirm_scale.back",
        "confirm_action.yes",
        "confirm_action.no",
        "arm_live",
        "arm_live.cancel",
        "kill_switch",
    }
)
"""Bindings whose key must never mean anything else on their screen (a safety policy, not
a registry: a test checks each one exists)."""

KEYS_COMMAND = "breakout-console keys"


@dataclass(frozen=True)
class KnownBinding:
    """One binding as the registry knows it.

    Attributes:
        id: The id a keymap names it by; None for bindings that cannot be remapped
            (Textual's own, such as ``tab`` or a table's ``enter``).
        keys: Its default keys, in Textual's long form (``question_mark``, not ``?``).
        action: The action it runs.
        description: What the footer and help call it.
        owner: The class that has it (``ConfirmOrderScreen``, ``OpenOrdersTable``).
        scope: Where it can be pressed: ``main`` or a modal screen's class name.
        level: ``screen`` (the app or a screen: always in the chain) or ``widget`` (only
            while that widget has focus).
    """

    id: str | None
    keys: tuple[str, ...]
    action: str
    description: str
    owner: str
    scope: str
    level: Literal["screen", "widget"]
    types_text: bool = False
    """A text box: it takes every printable key while focused, bound or not."""

    @property
    def protected(self) -> bool:
        return self.id in PROTECTED_IDS

    @property
    def name(self) -> str:
        return self.id or f"{self.owner}'s {self.action}"


def normalize_keys(keys: str) -> tuple[str, ...]:
    """``"?, n"`` -> ``("question_mark", "n")``, as Textual reads a keymap entry."""
    parts = (part.strip() for part in keys.split(","))
    return tuple(character_key(part) if len(part) == 1 else part for part in parts if part)


def _tui_classes() -> list[type[DOMNode]]:
    import console.tui

    for module in pkgutil.walk_packages(console.tui.__path__, "console.tui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                pending.append(sub)
    ours = [cls for cls in found if cls.__module__.startswith("console.tui.")]
    return sorted(ours, key=lambda cls: (cls.__module__, cls.__qualname__))


def _scope_of(cls: type[DOMNode]) -> tuple[str, Literal["screen", "widget"]]:
    if issubclass(cls, ModalScreen | Input):
        # A text box of ours (the order command line) is a context of its own: while it
        # has focus the trader is typing, so letters are text there and its keys apply
        # only there. The screen's keys that must work while typing are priority bindings.
        return cls.__name__, "screen"
    if issubclass(cls, App | Screen):
        return MAIN_SCOPE, "screen"
    return MAIN_SCOPE, "widget"


def _textual_widgets_of(screen: type[DOMNode]) -> list[type[Widget]]:
    """Textual's own widgets a modal screen's module uses (its buttons, inputs, lists).

    Their keys (a button's ``enter``, an input's ``ctrl+k`` and every printable key) act
    before the screen's own while they have focus, so a remap must not collide with them.
    """
    namespace = vars(sys.modules[screen.__module__]).values()
    found = {
        obj
        for obj in namespace
        if isinstance(obj, type)
        and issubclass(obj, Widget)
        and not issubclass(obj, Screen)
        and obj.__module__.startswith("textual.")
    }
    return sorted(found, key=lambda widget: widget.__name__)


def _bindings_of(cls: type[DOMNode], *, scope: str | None = None) -> list[KnownBinding]:
    own_scope, level = _scope_of(cls)
    scope = scope or own_scope
    grouped: dict[tuple[str | None, str], KnownBinding] = {}
    for key, bindings in cls._merge_bindings().key_to_bindings.items():
        for binding in bindings:
            slot = (binding.id, binding.action)
            known = grouped.get(slot)
            keys = (*known.keys, key) if known else (key,)
            grouped[slot] = KnownBinding(
                id=binding.id,
                keys=keys,
                action=binding.action,
                description=binding.description,
                owner=cls.__name__,
                scope=scope,
                level=level,
                types_text=issubclass(cls, Input),
            )
    return list(grouped.values())


def _scope_bindings(cls: type[DOMNode]) -> list[KnownBinding]:
    """The class's bindings and, for a modal screen, those of the Textual widgets it uses."""
    found = _bindings_of(cls)
    if issubclass(cls, ModalScreen):
        for widget in _textual_widgets_of(cls):
            found += _bindings_of(widget, scope=cls.__name__)
    return found


@cache
def binding_registry() -> tuple[KnownBinding, ...]:
    """Every binding of every app, screen and widget class of ``console.tui``."""
    return tuple(known for cls in _tui_classes() for known in _scope_bindings(cls))


def binding_ids() -> frozenset[str]:
    return frozenset(known.id for known in binding_registry() if known.id)


def _effective(known: KnownBinding, keymap: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return keymap.get(known.id, known.keys) if known.id else known.keys


def _compete(a: KnownBinding, b: KnownBinding) -> bool:
    """Whether two bindings of one scope can be in the binding chain together."""
    if a.id is not None and a.id == b.id:
        return False
    return not (a.level == b.level == "widget" and a.owner != b.owner)


def _scope_label(scope: str) -> str:
    return "the main screen" if scope == MAIN_SCOPE else scope


def _clash(
    scope: str, first: KnownBinding, second: KnownBinding, keymap: Mapping[str, tuple[str, ...]]
) -> tuple[str, str] | None:
    """The key ``first`` (remapped) may not have because of ``second``, and why."""
    moved = _effective(first, keymap)
    typed = [key for key in moved if second.types_text and key_to_character(key) is not None]
    if typed:
        return typed[0], (
            f"{first.id} may not take {typed[0]!r} on {_scope_label(scope)}: its text box "
            "takes that key while it has focus"
        )
    shared = sorted(set(moved) & set(_effective(second, keymap)))
    if shared:
        return shared[0], (
            f"{first.name} and {second.name} would both answer {shared[0]!r} on "
            f"{_scope_label(scope)}; give {first.id} a key nothing else there uses"
        )
    if not (first.protected or second.protected):
        return None
    taken = sorted(set(moved) & set(second.keys))
    if not taken:
        return None
    safety = first.id if first.protected else second.name
    return taken[0], (
        f"{first.id} may not take {taken[0]!r}, the default key of {second.name} on "
        f"{_scope_label(scope)}: {safety} is a safety key, so its key never does something else"
    )


def _clashes(
    scope: str, members: list[KnownBinding], keymap: Mapping[str, tuple[str, ...]]
) -> Iterable[str]:
    """One reason per remapped binding and key (Textual's tables share theirs)."""
    told: set[tuple[str | None, str]] = set()
    for a, b in combinations(members, 2):
        if not _compete(a, b):
            continue
        for first, second in ((a, b), (b, a)):
            found = _clash(scope, first, second, keymap) if first.id in keymap else None
            if found is not None and (first.id, found[0]) not in told:
                told.add((first.id, found[0]))
                yield found[1]


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """Every reason to refuse ``keymap`` (binding id -> keys); empty when it is fine.

    The registry imports every screen module, some of which pull in ccxt (about 1.5 s), so
    an empty keymap, the common case, is accepted without building it: the first frame of
    a console without remaps pays nothing.
    """
    if not keymap:
        return []
    known = binding_ids()
    problems: list[str] = []
    normalized: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            problems.append(
                f"no binding has the id {binding_id!r}{hint}; {KEYS_COMMAND} lists them"
            )
        elif not normalize_keys(keys):
            problems.append(f"{binding_id} is given no key")
        else:
            normalized[binding_id] = normalize_keys(keys)
    scopes: dict[str, list[KnownBinding]] = {}
    for binding in binding_registry():
        scopes.setdefault(binding.scope, []).append(binding)
    for scope, members in scopes.items():
        for problem in _clashes(scope, members, normalized):
            if problem not in problems:
                problems.append(problem)
    return problems


def bound_keys(screen: Screen[Any], binding_id: str) -> list[str]:
    """The keys that trigger ``binding_id`` on ``screen`` now, keymap applied, as Textual
    itself resolves them (so a button label can say what really presses it)."""
    return [
        key
        for key, active in screen.active_bindings.items()
        if active.binding.id == binding_id and active.enabled
    ]


def label_with_key(screen: Screen[Any], button: Button, binding_id: str) -> None:
    """Append the key that really triggers ``binding_id`` on ``screen`` to the button's
    label (``Back (n)``); call it once the screen is mounted, with the label bare."""
    keys = bound_keys(screen, binding_id)
    if keys:
        button.label = f"{button.label} ({key_label(keys[0])})"


def remapped_protected(keymap: Mapping[str, str]) -> list[str]:
    """The safety bindings a keymap moves (start-up names them once)."""
    return sorted(binding_id for binding_id in keymap if binding_id in PROTECTED_IDS)


__all__ = [
    "KEYS_COMMAND",
    "MAIN_SCOPE",
    "PROTECTED_IDS",
    "KnownBinding",
    "binding_ids",
    "binding_registry",
    "bound_keys",
    "keymap_problems",
    "label_with_key",
    "normalize_keys",
    "remapped_protected",
]
