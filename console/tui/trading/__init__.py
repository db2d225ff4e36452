"""Trading from the console: the order flow, ladder keys, moving orders from the ladder and
leverage (issue 13), the kill switch, live arming and paper practice sessions (issue 7),
held together by :class:`.controller.TradingController`.

Each module does one job and reaches the console only through :mod:`.host`'s protocols
(never the app itself), starting workers for anything that waits on the venue and posting
the results as :mod:`console.tui.messages`; the screens they open live in
:mod:`console.tui.screens`. Nothing here imports ccxt at import time, so the console's
first frame stays fast.
"""
