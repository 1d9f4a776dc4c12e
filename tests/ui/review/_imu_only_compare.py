"""A compare plot's trace and its marks, read from the plot."""

from __future__ import annotations


def curve_and_marks(plot):
    """A compare plot's trace ``(t, y)`` (None if none) and its marks by symbol."""
    items = plot.listDataItems()
    curves = [it.getData() for it in items if it.opts["symbol"] is None]
    return (curves[0] if curves else None), {it.opts["symbol"]: it for it in items if it.opts["symbol"] is not None}
