"""One module per ``breakout-console`` subcommand (see ``console.cli.COMMANDS``)."""
