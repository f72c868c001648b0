"""`python -m api.cli`: the `tarjotin` command."""

from api.cli.app import main

main()
