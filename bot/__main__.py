"""`python -m bot` / `pendamping`: read settings, set up logging, run the chosen command."""

from __future__ import annotations

import sys

from bot.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
