"""Grading settings a session folder keeps beyond session.json's own fields (docs/format.md).

``r1_n``, ``r2_n``, ``alpha`` and ``target`` have fields of their own; a fixed minimum amplitude
(``--min-amplitude``) is kept in ``extra`` as ``min_amplitude_n``, so that ``replay``, ``report``
and the library grade the folder as it was graded while it was recorded.
"""

from __future__ import annotations

import math

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta

MIN_AMPLITUDE_KEY = "min_amplitude_n"


def fixed_min_amplitude(scheme: GradingScheme) -> float | None:
    """The minimum amplitude (N) ``scheme`` holds fixed whatever R1 and the crest (as
    :meth:`GradingScheme.with_min_amplitude` makes it), None when it follows the default rule."""
    if scheme.min_amplitude_frac == 0 and scheme.min_amplitude_crest_frac == 0:
        return float(scheme.min_amplitude_n)
    return None


def keep_scheme(meta: SessionMeta, scheme: GradingScheme) -> SessionMeta:
    """``meta`` with what of ``scheme`` its own fields do not hold: a fixed minimum amplitude in
    ``extra`` (none is written for the default rule, as a folder recorded before it was kept reads)."""
    fixed = fixed_min_amplitude(scheme)
    if fixed is not None:
        meta.extra[MIN_AMPLITUDE_KEY] = fixed
    else:
        meta.extra.pop(MIN_AMPLITUDE_KEY, None)
    return meta


def stored_min_amplitude(meta: SessionMeta | None) -> tuple[float | None, str | None]:
    """The fixed minimum amplitude (N) a session was recorded with, or None (the default rule);
    and, for a stored value that is not a positive force, None with the words saying so."""
    if meta is None or MIN_AMPLITUDE_KEY not in meta.extra:
        return None, None
    v = meta.extra[MIN_AMPLITUDE_KEY]
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < math.inf:
        return float(v), None
    return None, (f"{MIN_AMPLITUDE_KEY} {str(v)[:20]!r} is not a positive force in N; the default minimum "
                  f"amplitude is used (give --min-amplitude to set one)")
