"""The order command line's grammar: typed text to command values, and back to text.

Traders who live in a terminal (Insilico's command bar, vim's ``:``) type an order faster
than they fill a form: ``buy 0.01 btc @ 59000 post``. This module reads such a line into a
typed command value, or refuses it naming the token at fault (its text and where it starts,
so the prompt can point at it); :func:`render_command` writes a command back as canonical
text that parses to the same command. Orders become the same
:class:`~console.domain.orders.OrderRequest` the form makes (:func:`order_request`), so the
same checks, risk gate and confirmation apply downstream. Pure: no I/O, no Textual.

The grammar (``SYM`` is optional and defaults to the focused market)::

    buy|sell QTY [SYM] (@ PRICE | mkt) [post|ioc|fok|gtc] [reduce]
    stop buy|sell QTY [SYM] @ TRIGGER [limit PRICE] [last|mark|index] [reduce]
    tp PRICE [sl PRICE] [SYM]         sl PRICE [tp PRICE] [SYM]
    scale buy|sell QTY [SYM] FROM..TO xN [even|inc|dec] [reduce]
    chase buy|sell QTY [SYM] [reduce]
    close [SYM]      flatten      cancel all      alert [SYM] >|< PRICE

``QTY`` is an amount of the base (``0.01``) or a share of the open position (``50% pos``).
Option words may come in any order after the price; a word that is not one is read as the
symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from console.domain.enums import OrderType, Side, TimeInForce, TriggerDirection, TriggerSource
from console.domain.market import Market
from console.domain.orders import OrderRequest
from console.domain.scale import MAX_SCALE_ORDERS, ScaleDistribution, ScaleSpec
from console.domain.symbols import resolve_symbol

_MAX_INTEGER_DIGITS = 15
_MAX_FRACTION_DIGITS = 18
_TOKENS = re.compile(r"[@<>]|[^\s@<>]+")
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")


# -- tokens and refusals -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the command line and where it starts (0-based character offset)."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class CommandRefused(ValueError):
    """The line cannot be read; ``token`` is the word at fault (empty text at the end of
    the line when something is missing), ``reason`` says why in the trader's words."""

    def __init__(self, reason: str, token: Token) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token = token


def tokenize(text: str) -> list[Token]:
    """The words of ``text``; ``@``, ``<`` and ``>`` are words of their own even when
    written against a number (``@59000``)."""
    return [Token(match.group(), match.start()) for match in _TOKENS.finditer(text)]


# -- command values ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PositionShare:
    """A share of the open position (``50% pos``): more than 0, at most 100 percent."""

    percent: Decimal


Quantity = Decimal | PositionShare
"""An amount of the base, or a share of the position."""


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """A limit order (``price`` set) or a market order (``price`` None)."""

    side: Side
    quantity: Quantity
    symbol: str
    price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False


@dataclass(frozen=True, slots=True)
class StopOrder:
    """A stop-market (``limit_price`` None) or stop-limit order."""

    side: Side
    quantity: Quantity
    symbol: str
    trigger_price: Decimal
    limit_price: Decimal | None = None
    trigger_by: TriggerSource = TriggerSource.LAST
    reduce_only: bool = False


@dataclass(frozen=True, slots=True)
class SetTakeProfitStopLoss:
    """Take-profit and/or stop-loss on the open position (at least one is set)."""

    symbol: str
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ScaleOrder:
    """``count`` limit orders from ``first_price`` to ``last_price``, the quantity shared
    by ``distribution`` (:mod:`console.domain.scale` plans them)."""

    side: Side
    quantity: Decimal
    symbol: str
    first_price: Decimal
    last_price: Decimal
    count: int
    reduce_only: bool = False
    distribution: ScaleDistribution = ScaleDistribution.EVEN


@dataclass(frozen=True, slots=True)
class ChaseOrder:
    """A limit order that follows the touch until filled."""

    side: Side
    quantity: Decimal
    symbol: str
    reduce_only: bool = False


@dataclass(frozen=True, slots=True)
class ClosePosition:
    symbol: str


@dataclass(frozen=True, slots=True)
class Flatten:
    """Kill switch, cancel every order, close every position."""


@dataclass(frozen=True, slots=True)
class CancelAll:
    """Cancel every open order on every symbol."""


@dataclass(frozen=True, slots=True)
class PriceAlert:
    """Tell the trader when the price goes above (``above``) or below ``price``."""

    symbol: str
    above: bool
    price: Decimal


OrderCommand = (
    PlaceOrder
    | StopOrder
    | SetTakeProfitStopLoss
    | ScaleOrder
    | ChaseOrder
    | ClosePosition
    | Flatten
    | CancelAll
    | PriceAlert
)


@dataclass(frozen=True, slots=True)
class CommandContext:
    """What a command line is read against: the venue's markets, and the focused market
    (a bare ``btc`` means its quote and type; an omitted symbol means it)."""

    markets: Mapping[str, Market]
    focused: str | None = None


# -- words -------------------------------------------------------------------------------

VERBS = ("buy", "sell", "stop", "tp", "sl", "scale", "chase", "close", "flatten", "cancel", "alert")
_SIDES = {"buy": Side.BUY, "sell": Side.SELL}
_TIME_IN_FORCE = {
    "gtc": TimeInForce.GTC,
    "post": TimeInForce.POST_ONLY,
    "ioc": TimeInForce.IOC,
    "fok": TimeInForce.FOK,
}
_TIF_WORDS = {value: word for word, value in _TIME_IN_FORCE.items()}
_MARKET_WORDS = ("mkt", "market")
_REDUCE_WORDS = ("reduce", "ro")
_TRIGGERS = {"last": TriggerSource.LAST, "mark": TriggerSource.MARK, "index": TriggerSource.INDEX}
"""The words for the price a stop watches (the domain's ``TriggerSource``)."""
_TRIGGER_WORDS = {source: word for word, source in _TRIGGERS.items()}
_DISTRIBUTIONS = {
    "even": ScaleDistribution.EVEN,
    "inc": ScaleDistribution.INCREASING,
    "increasing": ScaleDistribution.INCREASING,
    "dec": ScaleDistribution.DECREASING,
    "decreasing": ScaleDistribution.DECREASING,
}
"""How a scale order shares its quantity: sizes even, growing or shrinking toward TO."""
_DISTRIBUTION_WORDS = {
    ScaleDistribution.EVEN: "even",
    ScaleDistribution.INCREASING: "inc",
    ScaleDistribution.DECREASING: "dec",
}
KEYWORDS: dict[str, tuple[str, ...]] = {
    "buy": ("mkt", "post", "ioc", "fok", "gtc", "reduce", "pos"),
    "sell": ("mkt", "post", "ioc", "fok", "gtc", "reduce", "pos"),
    "stop": ("buy", "sell", "limit", "last", "mark", "index", "reduce", "pos"),
    "tp": ("sl",),
    "sl": ("tp",),
    "scale": ("buy", "sell", "even", "inc", "dec", "reduce"),
    "chase": ("buy", "sell", "reduce"),
    "close": (),
    "flatten": (),
    "cancel": ("all",),
    "alert": (),
}
"""The words each verb takes after it, for completion."""


# -- reading -----------------------------------------------------------------------------


class _Reader:
    """A cursor over the tokens of one line."""

    def __init__(self, text: str, context: CommandContext) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.end = Token("", len(text.rstrip()) + (1 if text.rstrip() else 0))
        self.context = context

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def next(self, what: str) -> Token:
        token = self.peek()
        if token is None:
            after = f' after "{self.tokens[-1].text}"' if self.tokens else ""
            raise CommandRefused(f"{what[:1].upper()}{what[1:]} is missing{after}", self.end)
        self.index += 1
        return token

    def done(self) -> bool:
        return self.peek() is None

    def number(self, what: str, *, allow_zero: bool = False) -> Decimal:
        return _number(self.next(what), what, allow_zero=allow_zero)

    def side(self) -> Side:
        token = self.next("buy or sell")
        side = _SIDES.get(token.text.lower())
        if side is None:
            raise CommandRefused(f'"{token.text}" is not a side: say buy or sell', token)
        return side

    def quantity(self, *, share: bool = True) -> Quantity:
        token = self.next("the quantity")
        if share and token.text.endswith("%"):
            percent = _number(Token(token.text[:-1], token.start), "the percentage")
            if percent > 100:
                raise CommandRefused(f'"{token.text}" is more than the whole position', token)
            word = self.peek()
            if word is None or word.text.lower() != "pos":
                at = self.end if word is None else word
                raise CommandRefused(f'Say "pos" after "{token.text}": a share of what?', at)
            self.index += 1
            return PositionShare(percent)
        return _number(token, "the quantity")

    def symbol(self, token: Token) -> str:
        return _resolve(token, self.context)

    def default_symbol(self, symbol: str | None) -> str:
        if symbol is not None:
            return symbol
        if self.context.focused is None:
            raise CommandRefused("Name the market: no market is focused", self.end)
        return self.context.focused


def _number(token: Token, what: str, *, allow_zero: bool = False) -> Decimal:
    if not _NUMBER.match(token.text):
        raise CommandRefused(f'"{token.text}" is not a number ({what}, like 0.25)', token)
    value = Decimal(token.text)
    if value == 0 and not allow_zero:
        raise CommandRefused(f'"{token.text}" must be more than zero ({what})', token)
    integer, _, fraction = token.text.partition(".")
    if len(integer.lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise CommandRefused(f'"{token.text}" is too large ({what})', token)
    if len(fraction.rstrip("0")) > _MAX_FRACTION_DIGITS:
        raise CommandRefused(f'"{token.text}" has too many decimals ({what})', token)
    return value


def _resolve(token: Token, context: CommandContext) -> str:
    """The unified symbol ``token`` names: a unified symbol, the venue's name, or a bare
    base (``btc``) meaning the market of that base with the focused market's quote and
    type."""
    markets = context.markets
    focused = markets.get(context.focused) if context.focused else None
    match = resolve_symbol(token.text, markets, prefer=focused.type if focused else None)
    candidates = list(match.candidates)
    if not candidates:
        base = [m for m in markets.values() if m.base.upper() == token.text.upper()]
        like_focused = [
            m for m in base if focused and (m.quote, m.type) == (focused.quote, focused.type)
        ]
        candidates = [m.symbol for m in (like_focused or base)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CommandRefused(f'"{token.text}" is not a market of this venue', token)
    listed = ", ".join(sorted(candidates)[:4])
    raise CommandRefused(f'"{token.text}" may mean {listed}: write the one you mean', token)


def read_symbol(token: Token, context: CommandContext) -> str:
    """The unified symbol a typed word names, read as the command line reads it (the alert
    editor's lines name markets the same way).

    Raises:
        CommandRefused: no market, or several, go by that name.
    """
    return _resolve(token, context)


def read_number(token: Token, what: str) -> Decimal:
    """A positive number as the command line reads it (``what`` names it in a refusal)."""
    return _number(token, what)


def _options(
    reader: _Reader, words: Mapping[str, str], symbol: str | None
) -> tuple[dict[str, Token], str | None]:
    """The option words left on the line (each at most once, one per group), and the symbol
    when one of the remaining words names a market.

    Args:
        words: option word -> its group (``"tif"``, ``"reduce"``, ``"trigger"``...).
    """
    chosen: dict[str, Token] = {}
    while (token := reader.peek()) is not None:
        reader.index += 1
        word = token.text.lower()
        group = words.get(word)
        if group is None:
            if symbol is not None or not _named(token.text):
                allowed = ", ".join(sorted(set(words)))
                expected = f"expected one of: {allowed}" if allowed else "nothing more is expected"
                raise CommandRefused(f'"{token.text}" is not understood here ({expected})', token)
            try:
                symbol = reader.symbol(token)
            except CommandRefused as error:
                allowed = ", ".join(sorted(set(words)))
                if " may mean " in error.reason or not allowed:
                    raise
                raise CommandRefused(f"{error.reason}, nor one of: {allowed}", token) from None
            continue
        if group in chosen:
            raise CommandRefused(
                f'"{token.text}" conflicts with "{chosen[group].text}" said before', token
            )
        chosen[group] = token
    return chosen, symbol


def _named(text: str) -> bool:
    """``text`` may be a market's name: not a number, a share, a range or a sign
    (``1000PEPE`` may)."""
    if _NUMBER.match(text) or text.endswith("%") or ".." in text:
        return False
    return any(char.isalpha() for char in text)


def _maybe_symbol(reader: _Reader, keywords: Iterable[str]) -> str | None:
    """The symbol, when the next word is one (not a number, not a keyword)."""
    token = reader.peek()
    if token is None or not _named(token.text) or token.text.lower() in keywords:
        return None
    reader.index += 1
    return reader.symbol(token)


_ORDER_OPTIONS = {**dict.fromkeys(_TIME_IN_FORCE, "tif"), **dict.fromkeys(_REDUCE_WORDS, "reduce")}
_STOP_OPTIONS = {**dict.fromkeys(_TRIGGERS, "trigger"), **dict.fromkeys(_REDUCE_WORDS, "reduce")}


def _place(reader: _Reader, side: Side) -> PlaceOrder:
    quantity = reader.quantity()
    symbol = _maybe_symbol(reader, (*_MARKET_WORDS, *_TIME_IN_FORCE, *_REDUCE_WORDS))
    token = reader.next('"@ PRICE" or "mkt"')
    price: Decimal | None = None
    if token.text == "@":
        price = reader.number("the limit price")
    elif token.text.lower() not in _MARKET_WORDS:
        raise CommandRefused(
            f'"{token.text}" is not understood here (expected @ PRICE or mkt)', token
        )
    options, symbol = _options(reader, _ORDER_OPTIONS, symbol)
    tif = TimeInForce.GTC
    if "tif" in options:
        tif = _TIME_IN_FORCE[options["tif"].text.lower()]
        if price is None and tif is TimeInForce.POST_ONLY:
            raise CommandRefused(
                f'"{options["tif"].text}" needs a limit price: a market order always takes',
                options["tif"],
            )
    return PlaceOrder(
        side, quantity, reader.default_symbol(symbol), price, tif, "reduce" in options
    )


def _stop(reader: _Reader) -> StopOrder:
    side = reader.side()
    quantity = reader.quantity()
    symbol = _maybe_symbol(reader, (*_STOP_OPTIONS, *_MARKET_WORDS, "limit"))
    at = reader.next('"@ TRIGGER"')
    if at.text != "@":
        raise CommandRefused(f'"{at.text}" is not understood here (expected @ TRIGGER)', at)
    trigger = reader.number("the trigger price")
    limit: Decimal | None = None
    nxt = reader.peek()
    if nxt is not None and nxt.text.lower() == "limit":
        reader.index += 1
        limit = reader.number("the limit price")
    options, symbol = _options(reader, _STOP_OPTIONS, symbol)
    trigger_by = _TRIGGERS[options["trigger"].text.lower()] if "trigger" in options else None
    return StopOrder(
        side,
        quantity,
        reader.default_symbol(symbol),
        trigger,
        limit,
        trigger_by or TriggerSource.LAST,
        "reduce" in options,
    )


def _tp_sl(reader: _Reader, first: Token) -> SetTakeProfitStopLoss:
    """``tp``/``sl`` each with its price, in either order, and the symbol anywhere between."""
    prices: dict[str, Decimal] = {}
    symbol: str | None = None
    word: Token | None = first
    while word is not None:
        kind = word.text.lower()
        if kind in prices:
            raise CommandRefused(f'"{word.text}" is said twice', word)
        if kind in ("tp", "sl"):
            what = "the take-profit price" if kind == "tp" else "the stop-loss price"
            prices[kind] = reader.number(what)
        elif symbol is None and _named(word.text):
            symbol = reader.symbol(word)
        else:
            raise CommandRefused(f'"{word.text}" is not understood here (expected tp or sl)', word)
        word = reader.peek()
        if word is not None:
            reader.index += 1
    return SetTakeProfitStopLoss(reader.default_symbol(symbol), prices.get("tp"), prices.get("sl"))


def _scale(reader: _Reader) -> ScaleOrder:
    side = reader.side()
    quantity = reader.quantity(share=False)
    assert isinstance(quantity, Decimal)
    symbol = _maybe_symbol(reader, _REDUCE_WORDS)
    span = reader.next("the price range (FROM..TO)")
    first_text, dots, last_text = span.text.partition("..")
    if not dots:
        raise CommandRefused(f'"{span.text}" is not a price range (like 59000..58000)', span)
    first = _number(Token(first_text, span.start), "the first price")
    last = _number(Token(last_text, span.start + len(first_text) + 2), "the last price")
    if first == last:
        raise CommandRefused(f'"{span.text}" is not a range: the two prices are equal', span)
    count_token = reader.next("the number of orders (like x10)")
    digits = count_token.text[1:] if count_token.text[:1].lower() == "x" else ""
    if not digits.isdigit() or not 2 <= int(digits) <= MAX_SCALE_ORDERS:
        raise CommandRefused(
            f'"{count_token.text}" is not a number of orders (x2 to x{MAX_SCALE_ORDERS})',
            count_token,
        )
    words = {**dict.fromkeys(_REDUCE_WORDS, "reduce"), **dict.fromkeys(_DISTRIBUTIONS, "share")}
    options, symbol = _options(reader, words, symbol)
    share = options.get("share")
    return ScaleOrder(
        side,
        quantity,
        reader.default_symbol(symbol),
        first,
        last,
        int(digits),
        "reduce" in options,
        _DISTRIBUTIONS[share.text.lower()] if share else ScaleDistribution.EVEN,
    )


def _chase(reader: _Reader) -> ChaseOrder:
    side = reader.side()
    quantity = reader.quantity(share=False)
    assert isinstance(quantity, Decimal)
    options, symbol = _options(reader, dict.fromkeys(_REDUCE_WORDS, "reduce"), None)
    return ChaseOrder(side, quantity, reader.default_symbol(symbol), "reduce" in options)


def _alert(reader: _Reader) -> PriceAlert:
    symbol = _maybe_symbol(reader, ())
    token = reader.next('"> PRICE" or "< PRICE"')
    if token.text not in ("<", ">"):
        raise CommandRefused(f'"{token.text}" is not understood here (expected > or <)', token)
    price = reader.number("the alert price")
    _options(reader, {}, symbol)
    return PriceAlert(reader.default_symbol(symbol), token.text == ">", price)


def parse_command(text: str, context: CommandContext) -> OrderCommand:
    """The command ``text`` says, read against the venue's markets.

    Raises:
        CommandRefused: the line cannot be read; it names the token at fault.
    """
    reader = _Reader(text, context)
    if reader.done():
        raise CommandRefused(f"Type a command: {', '.join(VERBS)}", Token("", 0))
    verb = reader.next("a command")
    word = verb.text.lower()
    command: OrderCommand
    match word:
        case "buy" | "sell":
            command = _place(reader, _SIDES[word])
        case "stop":
            command = _stop(reader)
        case "tp" | "sl":
            command = _tp_sl(reader, verb)
        case "scale":
            command = _scale(reader)
        case "chase":
            command = _chase(reader)
        case "close":
            symbol = _maybe_symbol(reader, ())
            _options(reader, {}, symbol)
            command = ClosePosition(reader.default_symbol(symbol))
        case "flatten":
            _options(reader, {}, "")
            command = Flatten()
        case "cancel":
            token = reader.next('"all"')
            if token.text.lower() != "all":
                raise CommandRefused(
                    f'"{token.text}" is not understood here (say cancel all)', token
                )
            _options(reader, {}, "")
            command = CancelAll()
        case "alert":
            command = _alert(reader)
        case _:
            raise CommandRefused(
                f'"{verb.text}" is not a command (one of: {", ".join(VERBS)})', verb
            )
    return command


# -- writing -----------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _quantity(quantity: Quantity) -> str:
    if isinstance(quantity, PositionShare):
        return f"{_amount(quantity.percent)}% pos"
    return _amount(quantity)


def render_command(command: OrderCommand) -> str:
    """``command`` as canonical text: every symbol unified, every default left out; it
    parses back to ``command``."""
    words: list[str]
    match command:
        case PlaceOrder():
            words = [command.side.value, _quantity(command.quantity), command.symbol]
            words += ["mkt"] if command.price is None else ["@", _amount(command.price)]
            if command.time_in_force is not TimeInForce.GTC:
                words.append(_TIF_WORDS[command.time_in_force])
        case StopOrder():
            words = ["stop", command.side.value, _quantity(command.quantity), command.symbol]
            words += ["@", _amount(command.trigger_price)]
            if command.limit_price is not None:
                words += ["limit", _amount(command.limit_price)]
            if command.trigger_by is not TriggerSource.LAST:
                words.append(_TRIGGER_WORDS[command.trigger_by])
        case SetTakeProfitStopLoss():
            words = []
            if command.take_profit is not None:
                words += ["tp", _amount(command.take_profit)]
            if command.stop_loss is not None:
                words += ["sl", _amount(command.stop_loss)]
            words.append(command.symbol)
        case ScaleOrder():
            words = ["scale", command.side.value, _amount(command.quantity), command.symbol]
            words += [f"{_amount(command.first_price)}..{_amount(command.last_price)}"]
            words.append(f"x{command.count}")
            if command.distribution is not ScaleDistribution.EVEN:
                words.append(_DISTRIBUTION_WORDS[command.distribution])
        case ChaseOrder():
            words = ["chase", command.side.value, _amount(command.quantity), command.symbol]
        case ClosePosition():
            words = ["close", command.symbol]
        case Flatten():
            words = ["flatten"]
        case CancelAll():
            words = ["cancel", "all"]
        case PriceAlert():
            sign = ">" if command.above else "<"
            words = ["alert", command.symbol, sign, _amount(command.price)]
    if getattr(command, "reduce_only", False):
        words.append("reduce")
    return " ".join(words)


def describe_command(command: OrderCommand) -> str:
    """What ``command`` will do, in a sentence for the prompt's preview."""
    reduce = ", reduce-only" if getattr(command, "reduce_only", False) else ""
    match command:
        case PlaceOrder():
            kind = "at market" if command.price is None else f"limit {_amount(command.price)}"
            tif = {
                TimeInForce.GTC: "",
                TimeInForce.POST_ONLY: ", post-only",
                TimeInForce.IOC: ", IOC",
                TimeInForce.FOK: ", FOK",
            }[command.time_in_force]
            return (
                f"{command.side.value.capitalize()} {_describe_quantity(command.quantity)} "
                f"{command.symbol} {kind}{tif}{reduce}"
            )
        case StopOrder():
            then = (
                "market" if command.limit_price is None else f"limit {_amount(command.limit_price)}"
            )
            way = TriggerDirection.of_stop(command.side).words
            return (
                f"Stop {command.side.value} {_describe_quantity(command.quantity)} "
                f"{command.symbol}: when the {_TRIGGER_WORDS[command.trigger_by]} price {way} "
                f"{_amount(command.trigger_price)}, {then}{reduce}"
            )
        case SetTakeProfitStopLoss():
            parts = []
            if command.take_profit is not None:
                parts.append(f"take profit at {_amount(command.take_profit)}")
            if command.stop_loss is not None:
                parts.append(f"stop loss at {_amount(command.stop_loss)}")
            return f"On the {command.symbol} position: {' and '.join(parts)}"
        case ScaleOrder():
            sizes = {
                ScaleDistribution.EVEN: "",
                ScaleDistribution.INCREASING: ", sizes growing toward the last",
                ScaleDistribution.DECREASING: ", sizes shrinking toward the last",
            }[command.distribution]
            return (
                f"Scale {command.side.value} {_amount(command.quantity)} {command.symbol} in "
                f"{command.count} limit orders from {_amount(command.first_price)} to "
                f"{_amount(command.last_price)}{sizes}{reduce}"
            )
        case ChaseOrder():
            best = "bid" if command.side is Side.BUY else "ask"
            return (
                f"Chase {command.side.value} {_amount(command.quantity)} {command.symbol} "
                f"at the best {best}{reduce}"
            )
        case ClosePosition():
            return f"Close the {command.symbol} position"
        case Flatten():
            return "Flatten: kill switch, cancel every order, close every position"
        case CancelAll():
            return "Cancel every open order on every symbol"
        case PriceAlert():
            way = "above" if command.above else "below"
            return f"Alert when {command.symbol} goes {way} {_amount(command.price)}"


def _describe_quantity(quantity: Quantity) -> str:
    if isinstance(quantity, PositionShare):
        return f"{_amount(quantity.percent)}% of the position in"
    return _amount(quantity)


# -- orders ------------------------------------------------------------------------------


def order_request(
    command: PlaceOrder,
    *,
    position_size: Decimal | None = None,
    market: Market | None = None,
) -> OrderRequest:
    """The OrderRequest ``command`` asks for, as the form would make it.

    A share of the position becomes that share of ``position_size`` (signed, as the engines
    report it), floored to the market's step, reduce-only.

    Raises:
        CommandRefused: a share of a position that is not there, or on the wrong side;
            the token is the whole command (the value does not keep positions).
        ValueError: the request's own shape rules (pydantic's ValidationError).
    """
    quantity = command.quantity
    reduce_only = command.reduce_only
    if isinstance(quantity, PositionShare):
        share = _quantity(quantity)
        whole = Token(share, 0)
        if not position_size:
            raise CommandRefused(f"There is no {command.symbol} position to take {share} of", whole)
        if (position_size > 0) == (command.side is Side.BUY):
            raise CommandRefused(
                f"A {command.side.value} would add to the {command.symbol} position; "
                f"{share} reduces it",
                whole,
            )
        amount = abs(position_size) * quantity.percent / 100
        if market is not None:
            amount = market.floor_qty(amount)
        else:
            amount = amount.quantize(Decimal(1).scaleb(-_MAX_FRACTION_DIGITS), ROUND_DOWN)
        if amount <= 0:
            raise CommandRefused(f"{share} of the position is less than one step", whole)
        quantity = amount
        reduce_only = True
    return OrderRequest(
        symbol=command.symbol,
        side=command.side,
        type=OrderType.MARKET if command.price is None else OrderType.LIMIT,
        quantity=quantity,
        price=command.price,
        time_in_force=command.time_in_force,
        reduce_only=reduce_only,
    )


def scale_spec(command: ScaleOrder) -> ScaleSpec:
    """The scale plan ``command`` asks for, to be planned against its market
    (:func:`console.domain.scale.plan_scale`)."""
    return ScaleSpec(
        symbol=command.symbol,
        side=command.side,
        total=command.quantity,
        first_price=command.first_price,
        last_price=command.last_price,
        count=command.count,
        distribution=command.distribution,
        reduce_only=command.reduce_only,
    )


def place_order_for(request: OrderRequest) -> PlaceOrder:
    """The command that makes ``request`` (its client order id is the sender's, not the
    trader's, and is not part of the command)."""
    return PlaceOrder(
        side=request.side,
        quantity=request.quantity,
        symbol=request.symbol,
        price=request.price,
        time_in_force=request.time_in_force,
        reduce_only=request.reduce_only,
    )


# -- completion --------------------------------------------------------------------------


def completion(text: str, context: CommandContext) -> str | None:
    """``text`` with its last, unfinished word completed (a command word, an option word of
    the command, or a market's base in lower case), or None when nothing fits."""
    if not text or text[-1].isspace():
        return None
    tokens = tokenize(text)
    last = tokens[-1]
    prefix = last.text.lower()
    if len(tokens) == 1:
        words: Iterable[str] = VERBS
    else:
        bases = sorted({market.base.lower() for market in context.markets.values()})
        words = (*KEYWORDS.get(tokens[0].text.lower(), ()), *bases)
    for word in words:
        if word.startswith(prefix) and word != prefix:
            return text + word[len(prefix) :]
    return None


__all__ = [
    "KEYWORDS",
    "MAX_SCALE_ORDERS",
    "VERBS",
    "CancelAll",
    "ChaseOrder",
    "ClosePosition",
    "CommandContext",
    "CommandRefused",
    "Flatten",
    "OrderCommand",
    "PlaceOrder",
    "PositionShare",
    "PriceAlert",
    "Quantity",
    "ScaleOrder",
    "SetTakeProfitStopLoss",
    "StopOrder",
    "Token",
    "completion",
    "describe_command",
    "order_request",
    "parse_command",
    "place_order_for",
    "read_number",
    "read_symbol",
    "render_command",
    "scale_spec",
    "tokenize",
]
