"""`layso server`, `demo`, `user`, `device`: the server-side subcommands."""

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the server's subcommands to `layso`."""
