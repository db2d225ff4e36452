"""``python -m console`` is the same as ``breakout-console``."""

from console.launch import main

raise SystemExit(main())
