"""`python -m sluiceway` is the `sluiceway` command."""

from sluiceway.cli import main

main()
