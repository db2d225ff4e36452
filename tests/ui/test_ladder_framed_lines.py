"""The ladder frames its own lines (border and filters) instead of Textual's styles cache:
what reaches the screen must be exactly what Textual would have drawn, through every change
of book, focus, marks, size and theme, and the grouping cut at the lines that fit must show
the same rows as grouping the whole book."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.app import App, ComposeResult
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter, LineFilter, Monochrome, NoColor
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from console.domain import (
    DepthSnapshot,
    Market,
    MarketType,
    Order,
    OrderStatus,
    OrderType,
    PriceLevel,
    Side,
)
from console.tui.formatting import fit
from console.tui.textual_compat import (
    CompatApp,
    LineFrame,
    frame_matches_textual,
    line_frame,
    row_runs,
)
from console.tui.widgets.ladder import LadderMark, OrderBookLadder
from console.tui.widgets.ladder_drawing import NUMBERS_WIDTH, plain_row_drawer
from console.tui.widgets.ladder_rows import (
    LadderRow,
    LadderView,
    build_ladder,
    format_amount,
    group_levels,
)

from support.framed import assert_lines_as_textual_draws_them, textual_drawing

D = Decimal
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def book(mid: int, sizes: list[int], depth: int = 40) -> DepthSnapshot:
    tick = D("0.5")
    return DepthSnapshot(
        symbol="BTC/USDT",
        bids=tuple(
            PriceLevel(D(mid) - tick * (i + 1), D(sizes[i % len(sizes)])) for i in range(depth)
        ),
        asks=tuple(
            PriceLevel(D(mid) + tick * i, D(sizes[(i + 3) % len(sizes)])) for i in range(depth)
        ),
        received_at=NOW,
    )


class TwoLadders(CompatApp[None]):
    def compose(self) -> ComposeResult:
        yield OrderBookLadder("BTC/USDT", id="first")
        yield OrderBookLadder("BTC/USDT", id="second")
        yield Static("focus elsewhere", id="other")


def assert_same_as_textual(ladder: OrderBookLadder) -> None:
    assert_lines_as_textual_draws_them(ladder)
    assert frame_matches_textual(ladder)


async def test_framed_lines_equal_textuals_through_every_change() -> None:
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        assert line_frame(ladder) is not None, "a plainly styled ladder is framed by itself"
        ladder.snapshot = book(100, [1, 2, 3])
        await pilot.pause()
        assert_same_as_textual(ladder)

        ladder.snapshot = book(101, [3, 1, 4, 1, 5])
        ladder.own_orders = [
            Order(
                order_id="b1",
                symbol="BTC/USDT",
                side=Side.BUY,
                type=OrderType.LIMIT,
                status=OrderStatus.OPEN,
                quantity=D(1),
                price=D("99.5"),
            )
        ]
        ladder.set_marks("triggers", [LadderMark(D(102), "stop")])
        ladder.cursor_price = D(100)
        await pilot.pause()
        assert_same_as_textual(ladder)

        ladder.focus()  # the border changes colour
        await pilot.pause()
        assert_same_as_textual(ladder)
        app.query_one("#second", OrderBookLadder).focus()
        await pilot.pause()
        assert_same_as_textual(ladder)

        app.theme = "textual-light"
        await pilot.pause()
        assert_same_as_textual(ladder)

        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert_same_as_textual(ladder)


LADDER_COMPONENTS = ("ladder--header", "ladder--columns", "ladder--spread", "ladder--badge")


async def test_component_styles_kept_by_the_ladder_follow_every_style_change() -> None:
    """The header, column and spread lines' styles are kept by the ladder (Textual drops
    its own copy on every refresh); through focus and theme changes they must stay what
    Textual works out afresh, and the spread line must be drawn in them."""
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        ladder.snapshot = book(100, [1, 2, 3])
        await pilot.pause()

        def assert_afresh() -> None:
            for name in LADDER_COMPONENTS:
                ladder._rich_style_cache.clear()
                assert ladder._component_style(name) == ladder.get_component_rich_style(name)
            spread = next(c for c in ladder._contents if c[0] == "spread")
            segments = ladder._spread_segments(spread)
            assert segments[0].style == ladder.get_component_rich_style("ladder--spread")

        assert_afresh()
        for change in (
            lambda: ladder.focus(),
            lambda: app.query_one("#other").focus(),
            lambda: setattr(app, "theme", "textual-light"),
            lambda: setattr(app, "theme", "nord"),
        ):
            change()
            await pilot.pause()
            assert_afresh()


async def test_a_cropped_ladder_hands_over_only_the_crop() -> None:
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        ladder.snapshot = book(100, [2, 7])
        await pilot.pause()
        crop = Region(3, 2, 20, 5)
        ours = ladder.render_lines(crop)
        theirs = textual_drawing(ladder)[2:7]
        assert [list(line) for line in ours] == [list(line.crop(3, 23)) for line in theirs]


async def test_styles_the_frame_does_not_cover_go_through_textual() -> None:
    class Padded(App[None]):
        CSS = "OrderBookLadder { padding: 0 1; }"

        def compose(self) -> ComposeResult:
            yield OrderBookLadder("BTC/USDT")

    app = Padded()
    async with app.run_test(size=(80, 24)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        ladder.snapshot = book(100, [1, 2])
        await pilot.pause()
        assert line_frame(ladder) is None
        ours = ladder.render_lines(ladder.outer_size.region)
        assert [list(line) for line in ours] == [list(line) for line in textual_drawing(ladder)]


def view_grouping_everything(snapshot: DepthSnapshot, multiple: int, rows: int) -> LadderView:
    """The ladder of the whole book grouped first (every level), then cut to ``rows``: the
    book is handed over already in buckets, so the ladder's own grouping changes nothing
    (its spread and mid are then the grouped book's)."""
    bucket = D("0.5") * multiple
    grouped = snapshot.model_copy(
        update={
            "bids": tuple(group_levels(snapshot.bids, bucket, Side.BUY)),
            "asks": tuple(group_levels(snapshot.asks, bucket, Side.SELL)),
        }
    )
    return build_ladder(grouped, tick_size=bucket, multiple=1, rows_per_side=rows, own_orders=OWN)


OWN = [
    Order(
        order_id=f"o{n}",
        symbol="BTC/USDT",
        side=side,
        type=OrderType.LIMIT,
        status=OrderStatus.OPEN,
        quantity=D(1),
        price=D(price),
    )
    for n, (side, price) in enumerate(
        [(Side.BUY, "97.25"), (Side.BUY, "40"), (Side.SELL, "103.5"), (Side.SELL, "180")]
    )
]


@settings(max_examples=150, deadline=None)
@given(
    mid=st.integers(60, 140),
    sizes=st.lists(st.integers(0, 9), min_size=1, max_size=12),
    depth=st.integers(0, 60),
    multiple=st.sampled_from([1, 2, 5, 10, 25]),
    rows=st.integers(1, 40),
)
def test_grouping_only_the_lines_that_fit_shows_the_same_rows(
    mid: int, sizes: list[int], depth: int, multiple: int, rows: int
) -> None:
    snapshot = book(mid, sizes, depth)
    cut = build_ladder(
        snapshot, tick_size=D("0.5"), multiple=multiple, rows_per_side=rows, own_orders=OWN
    )
    whole = view_grouping_everything(snapshot, multiple, rows)
    assert (cut.asks, cut.bids, cut.own_off_ladder) == (
        whole.asks,
        whole.bids,
        whole.own_off_ladder,
    )
    assert (cut.spread, cut.mid) == (snapshot.spread, snapshot.mid)


def test_a_limited_grouping_is_the_start_of_the_whole_one() -> None:
    levels = book(100, [1, 2, 3], depth=30).bids
    whole = group_levels(levels, D(2), Side.BUY)
    assert group_levels(levels, D(2), Side.BUY, limit=5) == whole[:5]
    assert group_levels(levels, D(2), Side.BUY, limit=500) == whole


@given(st.sets(st.integers(0, 80)))
def test_changed_rows_are_refreshed_as_runs_covering_exactly_them(rows: set[int]) -> None:
    runs = row_runs(sorted(rows))
    covered = [y for first, length in runs for y in range(first, first + length)]
    assert covered == sorted(rows)
    assert all(a + n < b for (a, n), (b, _) in itertools.pairwise(runs)), "runs never touch"


async def test_only_changed_rows_are_marked_for_repaint() -> None:
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        ladder.snapshot = book(100, [1, 2, 3])
        await pilot.pause()
        before = list(ladder._contents)
        ladder._repaint_regions.clear()
        ladder.snapshot = book(100, [1, 2, 3, 9])
        changed = {
            y for y, (a, b) in enumerate(zip(before, ladder._contents, strict=True)) if a != b
        }
        assert changed
        marked = {
            y - ladder.content_offset.y
            for region in ladder._repaint_regions
            for y in range(region.y, region.bottom)
        }
        assert marked == changed


class UnprintableSize(Decimal):
    """A size that fails only when drawn: stands for any value the drawing did not foresee."""

    def __format__(self, spec: str, context: object = None, /) -> str:
        raise RuntimeError("unprintable size")


async def test_a_line_that_fails_to_draw_is_contained_by_the_panel() -> None:
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        good = book(100, [1, 2])
        ladder.snapshot = good.model_copy(
            update={"bids": (PriceLevel(D("99.5"), UnprintableSize(3)), *good.bids[1:])}
        )
        await pilot.pause()
        drawn = [line.text for line in ladder.render_lines(ladder.outer_size.region)]
        assert drawn[0].startswith("⚠ first could not draw: RuntimeError: unprintable size")
        assert app.is_running

        ladder.snapshot = good
        await pilot.pause()
        assert_same_as_textual(ladder)


def _rich_color(number: int | None, rgb: tuple[int, int, int] | None) -> str | None:
    if rgb is not None:
        return f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return None if number is None else f"color({number})"


rich_styles = st.builds(
    lambda fg, fg_rgb, bg, bg_rgb, dim, bold: RichStyle(
        color=_rich_color(fg, fg_rgb), bgcolor=_rich_color(bg, bg_rgb), dim=dim, bold=bold
    ),
    st.none() | st.integers(0, 15),
    st.none() | st.tuples(*[st.integers(0, 255)] * 3),
    st.none() | st.integers(0, 15),
    st.none() | st.tuples(*[st.integers(0, 255)] * 3),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    styles=st.lists(rich_styles, min_size=1, max_size=8),
    texts=st.lists(st.text("ab ▶◆", min_size=1, max_size=4), min_size=8, max_size=8),
    which=st.sampled_from(["truecolor", "dim", "monochrome", "nocolor", "all"]),
    background=st.tuples(*[st.integers(0, 255)] * 3),
)
def test_filters_remembered_style_by_style_equal_textuals_filters(
    styles: list[RichStyle],
    texts: list[str],
    which: str,
    background: tuple[int, int, int],
) -> None:
    """A frame remembers each style's filtered result; the line must be what the filters
    themselves make of it, for each of Textual's style-by-style filters and all together."""
    filters: dict[str, LineFilter] = {
        "truecolor": ANSIToTruecolor(DEFAULT_TERMINAL_THEME),
        "dim": DimFilter(),
        "monochrome": Monochrome(),
        "nocolor": NoColor(),
    }
    chosen = tuple(filters.values()) if which == "all" else (filters[which],)
    left, right = Segment("│", styles[0]), Segment("│", styles[-1])
    content = [Segment(text, style) for text, style in zip(texts, styles, strict=False)]
    width = sum(len(segment.text) for segment in content) + 2
    frame = LineFrame(left, right, chosen, Color(*background), width, top=1)
    expected = [left, *content, right]
    try:
        for line_filter in chosen:
            expected = line_filter.apply(expected, Color(*background))
    except (AttributeError, TypeError):
        assume(False)  # a style Textual's own filter cannot take (it never meets one)
    for _ in range(2):  # the second line is framed from remembered styles
        assert list(frame.frame(content)) == list(Strip(expected, width))
        filtered = [Segment(text, frame.filtered_style(style)) for text, style, _ in content]
        assert list(frame.frame_filtered(filtered)) == list(Strip(expected, width))


def random_row(rng: random.Random) -> LadderRow:
    """A price row as the grouping makes them, with now and then a price or a size too
    long for its column (those lines are cut, not drawn in one pass)."""
    price = D(rng.randint(1, 10**6)) / 10 ** rng.randint(0, 3)
    if rng.random() < 0.05:
        price = D(rng.randint(10**12, 10**15)) + D("0.5")
    size = D(rng.randint(1, 10**6)) / 1000
    cumulative = size * rng.randint(1, 10 ** rng.randint(1, 12))
    own = D(rng.choice([0, 0, 0, 1, 25])) / 10
    return LadderRow(rng.choice(list(Side)), price, size, cumulative, rng.random(), own)


async def test_rows_drawn_in_one_pass_equal_rows_framed_from_their_segments() -> None:
    """A price row drawn at once in the frame's filtered styles must be the line framing its
    plain segments makes (itself checked against Textual above), for every style-by-style
    filter: cursor, own size, marks, depth bar and overlong numbers included."""
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        ladder.snapshot = book(100, [1, 2, 3])
        await pilot.pause()
        base = ladder.current_frame()
        assert base is not None
        each = [
            ANSIToTruecolor(DEFAULT_TERMINAL_THEME),
            DimFilter(),
            Monochrome(),
            NoColor(),
        ]
        rng = random.Random(16)
        for filters in [(), *((f,) for f in each), tuple(each)]:
            frame = LineFrame(base.left, base.right, filters, base.background, base.width, 1)
            assert frame.style_by_style
            palette = ladder._framed_palette(frame)
            shared = ladder._row_context(ladder.size.width, palette)  # as a drawing shares it
            draw_plain_row = plain_row_drawer(frame, palette, shared)
            plain = 0
            for _ in range(300):
                mark = rng.choice(["", "", "stop", "entry tp sl scale chase " * 3])
                row = random_row(rng)
                content = ("row", row, rng.random() < 0.2, mark)
                ours = ladder._framed_line(content, frame, palette)
                theirs = frame.frame(ladder._segments(content))
                assert list(ours) == list(theirs)
                assert list(ladder._framed_line(content, frame, palette, shared)) == list(theirs)
                assert ours.cell_length == theirs.cell_length == base.width
                in_one_call = draw_plain_row(content)
                if in_one_call is not None:
                    plain += 1
                    assert list(in_one_call) == list(theirs)
                    assert in_one_call.cell_length == base.width
                elif not (content[2] or content[3] or row.own_size):
                    # a plain row is left to the general path only when its numbers overrun
                    segments = ladder._row_segments(row, ladder.size.width, palette)
                    assert len(segments[1].text) + len(segments[2].text) != NUMBERS_WIDTH
            assert plain > 30  # the plain rows whose numbers fit were drawn in one call


def market(tick: str, step: str) -> Market:
    return Market(
        symbol="BTC/USDT",
        venue_id="BTCUSDT",
        type=MarketType.SPOT,
        base="BTC",
        quote="USDT",
        tick_size=D(tick),
        qty_step=D(step),
    )


async def test_rows_drawn_with_remembered_numbers_equal_rows_formatted_afresh() -> None:
    """The ladder remembers its prices and sizes as text (most repeat from book to book):
    a row must read as its numbers formatted afresh, at the decimals of the moment (the
    market and the grouping change them), whether its numbers were seen before or not."""
    app = TwoLadders()
    async with app.run_test(size=(120, 30)) as pilot:
        ladder = app.query_one("#first", OrderBookLadder)
        ladder.snapshot = book(100, [1, 2, 3])
        await pilot.pause()
        palette = ladder._palette()
        rng = random.Random(61)
        pool = [random_row(rng) for _ in range(30)]
        changes = {
            200: lambda: setattr(ladder, "market", market("0.5", "0.001")),
            400: lambda: setattr(ladder, "market", market("0.01", "0.1")),
            600: lambda: ladder.change_grouping(+1),
        }
        for step in range(800):
            if step in changes:
                changes[step]()
                await pilot.pause()
            first, second, third = rng.choice(pool), rng.choice(pool), rng.choice(pool)
            row = first._replace(size=second.size, cumulative=third.cumulative)
            at_cursor, mark = rng.random() < 0.2, rng.choice(["", "", "stop"])
            width = ladder.size.width
            ours = ladder._row_segments(row, width, palette, at_cursor=at_cursor, mark=mark)
            price_decimals, size_decimals = ladder._decimals()
            size = fit(format_amount(row.size, size_decimals), row.size, 10)
            cumulative = fit(format_amount(row.cumulative, size_decimals), row.cumulative, 11)
            assert ours[1].text == f"{format_amount(row.price, price_decimals):>13}"
            assert ours[2].text == f"{size:>11}{cumulative:>12}  "
            ladder._texts = None  # nothing remembered
            afresh = ladder._row_segments(row, width, palette, at_cursor=at_cursor, mark=mark)
            assert ours == afresh
