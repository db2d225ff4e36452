"""Trading from the console: the order flow, ladder keys, the kill switch, live arming and
paper practice sessions (issue 7).

Each module does one job and reaches the services only through the app's workers; the
screens they open live in :mod:`console.tui.screens`. Nothing here imports ccxt at import
time, so the console's first frame stays fast.
"""
