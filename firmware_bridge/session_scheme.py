"""Grading settings a session folder keeps beyond session.json's own fields (docs/format.md).

``r1_n``, ``r2_n``, ``alpha`` and ``target`` have fields of their own; a fixed minimum amplitude
(``--min-amplitude``) is kept in ``extra`` as ``min_amplitude_n``, and a pop window other than the
default (``--pop-window``) as ``pop_window_ms``, so that ``replay``, ``report``, the review and the
library grade the folder, and tie its pops, as it was done while it was recorded.
"""

from __future__ import annotations

from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.session import SessionMeta
from firmware_bridge.session_meta import finite_float, value_text

MIN_AMPLITUDE_KEY = "min_amplitude_n"
POP_WINDOW_KEY = "pop_window_ms"
DEFAULT_POP_WINDOW_MS = ThrustScheme().pop_window_ms
# --min-amplitude's largest: no hand presses 100 kN, a larger one is a typo (and one near the largest
# float overflowed the analysis's sums)
MAX_MIN_AMPLITUDE_N = 1e5
MIN_POP_WINDOW_MS = 1.0             # --pop-window's smallest (a pop is timed to the millisecond)
MAX_POP_WINDOW_MS = 2000.0          # --pop-window's largest (a pop 2 s from a peak is not the thrust's)


def fixed_min_amplitude(scheme: GradingScheme) -> float | None:
    """The minimum amplitude (N) ``scheme`` holds fixed whatever R1 and the crest (as
    :meth:`GradingScheme.with_min_amplitude` makes it), None when it follows the default rule."""
    if scheme.min_amplitude_frac == 0 and scheme.min_amplitude_crest_frac == 0:
        return float(scheme.min_amplitude_n)
    return None


def keep_scheme(meta: SessionMeta, scheme: GradingScheme, thrust: ThrustScheme | None = None) -> SessionMeta:
    """``meta`` with what of ``scheme`` (and ``thrust``, when given) its own fields do not hold: a
    fixed minimum amplitude and a pop window other than the default in ``extra`` (none is written
    for the default rule or window, as a folder recorded before they were kept reads)."""
    fixed = fixed_min_amplitude(scheme)
    if fixed is not None:
        meta.extra[MIN_AMPLITUDE_KEY] = fixed
    else:
        meta.extra.pop(MIN_AMPLITUDE_KEY, None)
    if thrust is not None:
        if thrust.pop_window_ms != DEFAULT_POP_WINDOW_MS:
            meta.extra[POP_WINDOW_KEY] = float(thrust.pop_window_ms)
        else:
            meta.extra.pop(POP_WINDOW_KEY, None)
    return meta


def stored_min_amplitude(meta: SessionMeta | None) -> tuple[float | None, str | None]:
    """The fixed minimum amplitude (N) a session was recorded with, or None (the default rule);
    and, for a stored value that is not a positive force, None with the words saying so."""
    if meta is None or MIN_AMPLITUDE_KEY not in meta.extra:
        return None, None
    v = meta.extra[MIN_AMPLITUDE_KEY]
    n = finite_float(v)
    if n is not None and 0 < n <= MAX_MIN_AMPLITUDE_N:
        return n, None
    return None, (f"{MIN_AMPLITUDE_KEY} {value_text(v, 20)} is not a positive force in N (up to "
                  f"{MAX_MIN_AMPLITUDE_N:g}); the default minimum amplitude is used (give --min-amplitude to set one)")


def stored_pop_window(meta: SessionMeta | None) -> tuple[float | None, str | None]:
    """The pop window (ms) a session was recorded with, or None (the default, 150 ms); and, for a
    stored value that is not a time in the range ``--pop-window`` takes, None with the words
    saying so."""
    if meta is None or POP_WINDOW_KEY not in meta.extra:
        return None, None
    v = meta.extra[POP_WINDOW_KEY]
    n = finite_float(v)
    if n is not None and MIN_POP_WINDOW_MS <= n <= MAX_POP_WINDOW_MS:
        return n, None
    return None, (f"{POP_WINDOW_KEY} {value_text(v, 20)} is not a time of {MIN_POP_WINDOW_MS:g}–{MAX_POP_WINDOW_MS:g} ms; pops are tied "
                  f"with the default pop window, {DEFAULT_POP_WINDOW_MS:g} ms (give --pop-window to set one)")


def stored_thrust_scheme(meta: SessionMeta | None) -> ThrustScheme:
    """The thrust scheme a session's pops are tied with: its stored pop window, else the default."""
    ms = stored_pop_window(meta)[0]
    return ThrustScheme() if ms is None else ThrustScheme(pop_window_ms=ms)
