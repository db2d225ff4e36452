"""The console's log file: private, size-rotated, and quiet about other people's code.

At DEBUG the log used to grow by about 24 MB an hour, nearly all of it ``websockets``
printing every frame. So: the console's own loggers (``console.*``) log at the chosen
level; third-party libraries (ccxt, aiohttp, websockets, textual, ...) only from WARNING
unless ``log_libraries`` asks for them; WebSocket frames only with ``log_ws_frames``.
The file rotates at ``log_max_bytes`` keeping ``log_backups`` old files, each 0600 in a
0700 folder (DEBUG logs name orders and balances).
"""

from __future__ import annotations

import logging
import sys
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from console.config import Settings
from console.storage import private_file

OWN_LOGGER = "console"
FRAME_LOGGER = "websockets"
"""websockets logs each frame at DEBUG under ``websockets.client`` / ``websockets.server``."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _is_own(name: str) -> bool:
    return name == OWN_LOGGER or name.startswith(OWN_LOGGER + ".")


class LibraryFilter(logging.Filter):
    """Lets the console's records through; others only from WARNING unless asked."""

    def __init__(self, *, libraries: bool, ws_frames: bool) -> None:
        super().__init__()
        self.libraries = libraries
        self.ws_frames = ws_frames

    def filter(self, record: logging.LogRecord) -> bool:
        if _is_own(record.name) or record.levelno >= logging.WARNING:
            return True
        if record.name == FRAME_LOGGER or record.name.startswith(FRAME_LOGGER + "."):
            return self.ws_frames or (self.libraries and record.levelno > logging.DEBUG)
        return self.libraries


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A size-rotated log whose every file (the current one and each new one) is 0600."""

    def _open(self) -> TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def log_to_file(settings: Settings) -> logging.Handler:
    """Send the log to ``settings.resolved_log_file`` (or nowhere if it cannot be written).

    Returns the handler it installed on the root logger, so a caller can remove it.
    """
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    frames = logging.getLogger(FRAME_LOGGER)
    # websockets formats a frame only when DEBUG is enabled for it: keep that off unless
    # frames are wanted, so the filter is not the only thing paying for them.
    frames.setLevel(logging.NOTSET if settings.log_ws_frames else logging.INFO)
    path = settings.resolved_log_file
    handler: logging.Handler
    try:
        handler = PrivateRotatingFileHandler(
            path,
            maxBytes=settings.log_max_bytes,
            backupCount=settings.log_backups,
            encoding="utf-8",
        )
    except OSError as error:
        print(f"breakout-console: not logging, {path} is not writable ({error})", file=sys.stderr)
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(
        LibraryFilter(libraries=settings.log_libraries, ws_frames=settings.log_ws_frames)
    )
    root.addHandler(handler)
    return handler
