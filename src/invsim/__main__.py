"""Allow `python -m invsim ...`."""

from invsim.cli import main

main()
