"""Breakout Console: a terminal trading console for crypto exchanges."""

from console import ccxt_loader

__version__ = "0.1.0"

# Before any of ours imports ccxt: only the exchanges a run uses are loaded (ccxt_loader).
ccxt_loader.install()
