"""``python -m console.sim --host 127.0.0.1 --port N --api-key K --api-secret S --seed N``."""

from __future__ import annotations

import argparse

from console.sim.standalone import add_server_arguments, serve


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m console.sim", description="Bybit-v5-compatible simulator (REST + WS)"
    )
    add_server_arguments(parser)
    return serve(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
