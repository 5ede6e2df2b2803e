"""Subcommands of `layso` owned by this package (filled in by its issue)."""

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's subcommands to `layso`."""
