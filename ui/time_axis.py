"""A time axis whose ticks read as the times the tables print (``9000020``, ``12.5``).

pyqtgraph writes a tick of 10,000 or more in ``%g`` (``9.00002e+06``): a recording timed by a
device's clock (its uptime, Unix time) then has ticks that cannot be told apart or matched with
the times the event list, replay's table and the report's tables give. This axis writes every
tick in fixed point, with as many decimals as the tick spacing needs.
"""

from __future__ import annotations

import math

import pyqtgraph as pg


class TimeAxis(pg.AxisItem):
    """A bottom axis of seconds, its ticks in fixed point at any size."""

    def __init__(self, orientation: str = "bottom", **kw) -> None:
        super().__init__(orientation, **kw)
        self.enableAutoSIPrefix(False)          # seconds, not "ks" for an hour or "Ms" for a clock

    def tickStrings(self, values, scale, spacing):
        if self.logMode or not spacing or not math.isfinite(spacing * scale):
            return super().tickStrings(values, scale, spacing)
        places = max(0, math.ceil(-math.log10(spacing * scale)))
        return [_fixed(v * scale, places) for v in values]


def _fixed(x: float, places: int) -> str:
    """``x`` with ``places`` decimals; a tick that rounds to zero without its sign ("0.0", not "-0.0")."""
    s = f"{x:.{places}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def time_axis() -> dict:
    """``axisItems`` for a plot whose bottom axis is time in seconds (:class:`TimeAxis`)."""
    return {"bottom": TimeAxis("bottom")}
