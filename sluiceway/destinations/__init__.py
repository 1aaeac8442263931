"""The built-in catalog: one package per destination, one module per action.

Each package exposes `destination` (a `sluiceway.kit.Destination`); `kit.catalog()` finds
every package here on its own, so adding a destination means adding its folder.
"""
