"""Breakout Console: a terminal trading console for crypto exchanges."""

__version__ = "0.1.0"
