"""``python -m syndicate`` runs the CLI."""

from .cli import main

main()
