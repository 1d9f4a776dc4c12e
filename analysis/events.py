"""Events emitted by processors: small frozen dataclasses with one ``to_dict()``.

The dict form is the JSON-lines contract documented in docs/format.md. Every time is in
seconds from the recording's start; ``t_detect_s`` is the time of the sample whose arrival
let the processor decide (its latency is ``t_detect_s`` minus the event's own time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar


def _clean(v: Any) -> Any:
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return round(v, 6)
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


@dataclass(frozen=True)
class Event:
    """Base class; subclasses set ``TYPE``."""

    TYPE: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        d = {"type": self.TYPE}
        d.update({f.name: _clean(getattr(self, f.name)) for f in fields(self)})
        return d

    @property
    def t_sort(self) -> float:
        """Time used to order events in a file (one at no time of the data first)."""
        t = getattr(self, "t_detect_s", 0.0)
        return -math.inf if t is None else t


@dataclass(frozen=True)
class CycleEvent(Event):
    """One oscillation trough → crest → trough.

    ``grade`` is None when no calibration (R1/R2) is known, and ``beyond_r2`` then too (no crest
    was checked against an R2), not False; ``modifier`` is set for III/IV only.
    ``crest_pct`` is the crest position in R1–R2 in percent (0 at R1, 100 at R2);
    ``crest_dwell_pct`` the share of the cycle's time (trough to trough, smoothed force) within a
    tenth of its amplitude, or the hysteresis if larger, of the crest (dwell at end range; 0–50,
    a larger share being a hold).
    ``displacement_mm`` and ``loop`` (force–displacement pairs) are filled when an IMU is present.
    """

    TYPE: ClassVar[str] = "cycle"
    t_start: float
    t_end: float
    t_crest: float
    grade: str | None
    modifier: str | None
    trough_n: float
    crest_n: float
    amplitude_n: float
    freq_hz: float
    beyond_r2: bool | None
    crest_pct: float | None = None
    set_index: int = 0
    t_detect_s: float = 0.0
    displacement_mm: float | None = None
    loop: list | None = None
    crest_dwell_pct: float | None = None


@dataclass(frozen=True)
class ThrustEvent(Event):
    """One HVLA thrust (grade V), measured on the force (or acceleration) trace.

    ``duration_ms`` runs from onset until the force falls back to halfway between its force at
    onset and the peak (below the preload after a let-up); None if that did not happen within the
    detector's decision window. An IMU's thrust's is its acceleration burst instead. ``letup_n`` is how far the force dropped below
    the held preload just before onset, as measured (0 with no held preload); ``letup`` is the
    flag, set when it is large enough to count (see ``ThrustScheme``). A thrust a hand-worn IMU
    alone saw (``source`` "imu") has no forces: ``letup_n`` NaN (null) and ``letup`` None. ``displacement_mm`` is how
    far the hand wearing an IMU moved into the tissue from onset to peak (None without one).
    """

    TYPE: ClassVar[str] = "thrust"
    t_onset: float
    t_peak: float
    preload_n: float
    peak_n: float
    time_to_peak_ms: float
    duration_ms: float | None
    rate_n_per_s: float
    max_rate_n_per_s: float
    letup_n: float
    letup: bool | None = False
    index: int = 0
    source: str = "force"
    t_detect_s: float = 0.0
    displacement_mm: float | None = None


@dataclass(frozen=True)
class CavitationEvent(Event):
    """One joint pop heard on the audio stream; ``thrust`` is the index of its thrust or None.

    ``level_db``: its loudest 2 ms mean square in the pop band (100 Hz–2 kHz), dB re full scale
    (samples of ±1: a full-scale sine reads about -3 dB); ``duration_ms``: from its band level
    standing out of the floor until 20 dB under its peak or the next pop; ``peak_hz``: the
    strongest frequency of its ring's first 20 ms (docs/format.md gives each in full).
    """

    TYPE: ClassVar[str] = "cavitation"
    t: float
    level_db: float
    confidence: float = 1.0
    duration_ms: float | None = None
    peak_hz: float | None = None
    thrust: int | None = None
    reason: str = ""
    t_detect_s: float = 0.0


@dataclass(frozen=True)
class GapEvent(Event):
    """Samples missing between ``t_start`` and ``t_end`` (dropout, unplug, skipped rows)."""

    TYPE: ClassVar[str] = "gap"
    t_start: float
    t_end: float
    stream: str = "force"
    reason: str = ""
    t_detect_s: float = 0.0


@dataclass(frozen=True)
class WarningEvent(Event):
    """Something the user should know that is not an error (e.g. no calibration); ``t_detect_s``
    None for one known before any data (what reading the file found), at no time of the data."""

    TYPE: ClassVar[str] = "warning"
    message: str
    t_detect_s: float | None = 0.0


@dataclass(frozen=True)
class SummaryEvent(Event):
    """Last line of an event file: per-set statistics and file-level counts."""

    TYPE: ClassVar[str] = "summary"
    n_cycles: int
    n_thrusts: int
    n_cavitations: int
    duration_s: float
    sets: list = field(default_factory=list)
    thrusts: list = field(default_factory=list)
    pops_outside_thrusts: list = field(default_factory=list)   # {"t", "set_index" or None}
    # pops heard before the sensor's first sample or after its last: no force (or IMU) recorded then
    pops_without_force: list = field(default_factory=list)     # {"t", "when": "before" or "after"}
    audio: bool = False                     # whether there was audio to hear pops in
    audio_unreadable: bool = False          # audio given that could not be read at all: pops unknown
    spans_s: dict = field(default_factory=dict)   # per stream: [first, last] sample time (s)
    # stretches of sound that hides pops (a voice, music: the detector's loud_spans), [start, end] (s)
    loud_s: list = field(default_factory=list)
    grade_histogram: dict = field(default_factory=dict)
    skipped_rows: int = 0
    warnings: list = field(default_factory=list)
    r1_n: float | None = None
    r2_n: float | None = None
    alpha: float | None = None
    target: str | None = None
    t_detect_s: float = 0.0


_TYPES: dict[str, type[Event]] = {
    c.TYPE: c for c in (CycleEvent, ThrustEvent, CavitationEvent, GapEvent, WarningEvent, SummaryEvent)
}


def register_event_type(cls: type[Event]) -> type[Event]:
    """Make ``event_from_dict`` know an event class defined in another module (decorator)."""
    _TYPES[cls.TYPE] = cls
    return cls


def event_from_dict(d: dict[str, Any]) -> Event:
    """Inverse of ``to_dict``; unknown keys are ignored so newer files still load. Older files
    wrote False where nothing was known: an ungraded cycle's ``beyond_r2`` and an IMU thrust's
    ``letup`` are read as None, as they are written now."""
    cls = _TYPES.get(d.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown event type {d.get('type')!r}; known: {', '.join(sorted(_TYPES))}")
    names = {f.name for f in fields(cls)}
    kw = {k: v for k, v in d.items() if k in names}
    if cls is CycleEvent and kw.get("grade") is None:
        kw["beyond_r2"] = None
    if cls is ThrustEvent and kw.get("source") == "imu":
        kw["letup"] = None
    return cls(**kw)
