"""``python -m console`` is the same as ``breakout-console``."""

from console.cli import main

raise SystemExit(main())
