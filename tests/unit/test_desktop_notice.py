"""Desktop notifications through the terminal's OSC escapes: the text cannot end the escape
early (no ESC, BEL or other control character gets through) nor add OSC 777 fields."""

from __future__ import annotations

from console.tui.desktop_notice import MAX_TEXT, clean, notice_escape


def test_osc9_and_osc777_carry_the_title_and_body() -> None:
    assert notice_escape("osc9", "Alert #1", "BTC price above 61000: 61012") == (
        "\x1b]9;Alert #1: BTC price above 61000: 61012\x07"
    )
    assert notice_escape("osc777", "Alert #1", "BTC above 61000") == (
        "\x1b]777;notify;Alert #1;BTC above 61000\x07"
    )
    assert notice_escape("off", "Alert #1", "BTC") is None


def test_control_characters_and_field_separators_cannot_escape_the_sequence() -> None:
    hostile = "BTC\x1b]52;c;ZXZpbA==\x07\x9b31m;rm\x7f"
    for kind in ("osc9", "osc777"):
        escape = notice_escape(kind, "t;x", hostile)
        assert escape is not None
        inner = escape[2:-1]  # between "ESC ]" and the closing BEL
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in inner)
    escape = notice_escape("osc777", "t;x", hostile)
    assert escape is not None
    assert escape.count(";") == 3, "only notify;TITLE;BODY separate fields"


def test_long_text_is_cut() -> None:
    assert len(clean("x" * 1000)) == MAX_TEXT
