"""``breakout-console config init``: write the commented settings file.

Every setting at its default with its description, in the platform's config directory (or
``--config FILE``), readable only by you. An existing file is kept unless ``--force``.
"""

from __future__ import annotations

import argparse
import sys

from console.config import Settings
from console.config_file import chosen_config_file, example_config
from console.storage import open_private_text, private_dir

EXIT_EXISTS = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="write every setting at its default, commented")
    init.add_argument("--force", action="store_true", help="replace an existing file")


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = chosen_config_file(args.config)
    if path.exists() and not args.force:
        print(f"breakout-console: {path} exists; --force replaces it", file=sys.stderr)
        return EXIT_EXISTS
    private_dir(path.parent)
    with open_private_text(path) as out:
        out.write(example_config())
    print(f"wrote {path}")
    return 0
