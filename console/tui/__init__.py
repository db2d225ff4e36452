"""The Textual interface. Nothing outside this package imports Textual (a test proves it).

``ConsoleApp`` (in :mod:`console.tui.app`) is the entry point; it is not re-exported here so
that importing a widget module does not drag the whole app in. Importing this package
changes nothing: the workarounds of Textual's internals are applied when the app starts
(:mod:`console.tui.textual_compat`).
"""
