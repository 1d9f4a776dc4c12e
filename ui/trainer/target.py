"""What the trainee aims at: a grade with modifier and a rate, or an HVLA thrust with corridors."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from analysis.errors import InputError
from analysis.scheme import GradingScheme, ThrustScheme, parse_target

# Modifier → crest position q in R1–R2 (0 at R1, 1 at R2), the same grid the scheme grades on.
MOD_Q = {"--": 0.0, "-": 0.25, "": 0.5, "+": 0.75, "++": 1.0}
MOD_HALF_WIDTH_Q = 0.125     # half the distance between neighbouring modifiers

# HVLA corridors pre-filled in the picker: the range of the built-in emulator's thrusts
# (firmware_bridge/scenarios.py), so the first minute on the emulator lands in them.
DEFAULT_PRELOAD_N = (100.0, 160.0)
DEFAULT_PEAK_N = (400.0, 650.0)


RATE_HZ = (0.1, 10.0)      # the pacer's rates (the command line's and the target dialog's)


@dataclass(frozen=True)
class Target:
    """``grade`` I–IV or V; ``modifier`` for III/IV; ``rate_hz`` paces the metronome (None: off);
    ``preload_n``/``peak_n`` are (low, high) corridors in N for a thrust."""

    grade: str = "III"
    modifier: str | None = ""
    rate_hz: float | None = None
    preload_n: tuple[float, float] | None = None
    peak_n: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for name in ("preload_n", "peak_n"):
            c = getattr(self, name)
            if c is not None and not (0 <= c[0] < c[1]):
                raise InputError(f"{name.replace('_n', '')} corridor must be low < high and ≥ 0 N (got {c[0]:g}–{c[1]:g} N)")
        if self.rate_hz is not None and not RATE_HZ[0] <= self.rate_hz <= RATE_HZ[1]:
            raise InputError(f"rate must be between 0.1 and 10 Hz (got {self.rate_hz:g})")

    @classmethod
    def parse(cls, text: str, rate_hz: float | None = None) -> "Target":
        g, m = parse_target(text)
        if g == "V":
            return cls("V", None, None, DEFAULT_PRELOAD_N, DEFAULT_PEAK_N)
        return cls(g, m if g in ("III", "IV") else None, rate_hz)

    @property
    def is_thrust(self) -> bool:
        return self.grade == "V"

    @property
    def text(self) -> str:
        return self.grade + (self.modifier or "")

    def crest_zone(self, scheme: GradingScheme) -> tuple[float, float] | None:
        """Force band (N) where a cycle's crest is on target as ``scheme`` grades it, for the
        shaded zone: 0 to R1 for I; ``alpha*R1`` to R1 for II (a crest lower than that cannot
        sweep the large amplitude II needs from a trough at or above 0 N); for III and IV from the midpoint to the modifier below (R1 itself for ``--``: a crest
        at R1 is short of resistance) to the midpoint to the one above (for ``++`` the
        beyond-R2 limit ``R2 + beyond_tol*(R2-R1)``: a crest past it is flagged, never on target)."""
        if not scheme.calibrated or self.is_thrust:
            return None
        r1, r2 = scheme.r1_n, scheme.r2_n
        grade, modifier = parse_target(self.text)         # (III with no modifier is graded as III)
        if grade in ("I", "II"):
            return (0.0 if grade == "I" else scheme.alpha * r1), r1
        q = MOD_Q[modifier]
        low = max(0.0, q - MOD_HALF_WIDTH_Q)
        high = min(q + MOD_HALF_WIDTH_Q if q < max(MOD_Q.values()) else math.inf, 1.0 + scheme.beyond_tol)
        return r1 + low * (r2 - r1), r1 + high * (r2 - r1)

    def apply(self, scheme: GradingScheme, thrust: ThrustScheme) -> tuple[GradingScheme, ThrustScheme]:
        return (scheme.with_target(self.text),
                replace(thrust, preload_corridor_n=self.preload_n, peak_corridor_n=self.peak_n))

    def to_dict(self) -> dict:
        return asdict(self)
