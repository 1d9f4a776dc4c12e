"""One analysis pipeline for live use and replay: chunks in, events out.

``Analyzer.feed(chunk)`` dispatches by ``chunk.stream`` to the registered processor. The
registry maps a stream name to a factory ``f(analyzer) -> processor``; a processor has
``feed(chunk) -> list[Event]`` and ``finish() -> list[Event]``. Thrusts found on the force
stream are announced to processors that want them (``note_thrust``), e.g. the cavitation
detector, which ties pops to thrusts.
"""

from __future__ import annotations

from typing import Callable

from analysis.chunk import Chunk
from analysis.events import Event, ThrustEvent, WarningEvent
from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme, ThrustScheme
from analysis.summary import Summarizer

PROCESSORS: dict[str, Callable[["Analyzer"], object]] = {
    "force": lambda a: ForceProcessor(a.scheme, a.thrust_scheme),
}


def register_processor(stream: str, factory: Callable[["Analyzer"], object]) -> None:
    """Register the processor for a stream name (one line per new stream kind)."""
    PROCESSORS[stream] = factory


def _load_optional() -> None:
    # processors living in their own modules register themselves on import
    for mod in ("analysis.imu", "analysis.cavitation"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


class Analyzer:
    """Feed chunks of any stream; collects a summary. Deterministic: no clocks, no threads."""

    def __init__(self, scheme: GradingScheme | None = None, thrust: ThrustScheme | None = None,
                 streams: tuple[str, ...] | None = None, options: dict | None = None) -> None:
        _load_optional()
        self.scheme = scheme or GradingScheme()
        self.thrust_scheme = thrust or ThrustScheme()
        self.options = dict(options or {})
        self.processors: dict[str, object] = {}
        self.summarizer = Summarizer(self.scheme)
        self.warnings: list[str] = []
        self.skipped_rows = 0
        self._t_min: float | None = None
        self._t_max: float | None = None
        if not self.scheme.calibrated:
            self.warnings.append("no calibration (R1/R2): cycles are measured but not graded")
        for s in streams or ():
            self._proc(s)

    def _proc(self, stream: str):
        p = self.processors.get(stream)
        if p is None:
            factory = PROCESSORS.get(stream)
            if factory is None:
                return None
            p = self.processors[stream] = factory(self)
        return p

    def start_events(self) -> list[Event]:
        """Warnings known before any data (e.g. missing calibration)."""
        return [WarningEvent(message=w, t_detect_s=0.0) for w in self.warnings]

    def feed(self, chunk: Chunk) -> list[Event]:
        if len(chunk) == 0:
            return []
        t0, t1 = float(chunk.t_s[0]), float(chunk.t_s[-1])
        self._t_min = t0 if self._t_min is None else min(self._t_min, t0)
        self._t_max = t1 if self._t_max is None else max(self._t_max, t1)
        p = self._proc(chunk.stream)
        if p is None:
            return []
        events = p.feed(chunk)
        self._announce(events, chunk.stream)
        self.summarizer.add(events)
        return events

    def _announce(self, events: list[Event], origin: str) -> None:
        thrusts = [e for e in events if isinstance(e, ThrustEvent)]
        if not thrusts:
            return
        for name, p in self.processors.items():
            if name != origin and hasattr(p, "note_thrust"):
                for t in thrusts:
                    p.note_thrust(t)

    def finish(self) -> list[Event]:
        """Flush every processor and append the summary (always the last event)."""
        out: list[Event] = []
        for name, p in self.processors.items():
            ev = p.finish()
            self._announce(ev, name)
            out.extend(ev)
        self.summarizer.add(out)
        force = self.processors.get("force")
        if isinstance(force, ForceProcessor) and force.dropped_backwards:
            self.warnings.append(f"{force.dropped_backwards} samples skipped: time did not advance")
        dur = (self._t_max - self._t_min) if self._t_min is not None else 0.0
        out.append(self.summarizer.summary(dur, self.skipped_rows, self.warnings))
        return out
