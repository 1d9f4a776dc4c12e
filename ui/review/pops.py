"""The pops of a session reviewed: the pop window it was recorded with, the events it stored with
their pops tied within that window and the sound's warnings replay's analysis gives, and the pops
heard in words, as the review's details and the report give them. No Qt."""

from __future__ import annotations

from firmware_bridge.replay import ReplayInput
from firmware_bridge.replay.analyze import with_stored_audio_notes
from firmware_bridge.session import SessionMeta
from firmware_bridge.session_scheme import stored_pop_window


NO_SOUND = "no audio recorded"     # the pops of a session without sound, in the review and the report


def _of_thrusts(n: int, total: int) -> str:
    """"at 1 of 3 thrusts", "at all 3 thrusts", "at the thrust" (its only one)."""
    if total == 1:
        return "at the thrust"
    return f"at all {total} thrusts" if n == total else f"at {n} of {total} thrusts"


def _dead_around(t: dict, dead, audio_span, window_s: float) -> bool:
    """Whether the thrust row ``t``, its pops unknown, is so for a stretch of no usable sound (a
    muted or dead microphone, the time it was off) rather than for the sound not reaching
    around it (it ended before the thrust, began after it, lies elsewhere): its tie window
    (``window_s``) reaches into one of ``dead`` (s), or, those not known (events as stored),
    lies within the sound's span (``audio_span``, the summary's ``spans_s.audio``)."""
    from analysis.summary import near_spans
    peak = t.get("t_peak")
    if peak is None:
        return False
    if dead:
        return near_spans(peak, dead, window_s)
    if not audio_span:
        return False
    a0, a1 = audio_span[:2]
    return a0 is not None and a1 is not None and a0 <= peak - window_s and peak + window_s <= a1


def pop_window_s(meta: SessionMeta | None) -> float | None:
    """The tie window (s) the session ``meta`` was recorded with (``--pop-window``), or None: the
    default."""
    ms = stored_pop_window(meta)[0]
    return None if ms is None else ms / 1000.0


def stored_events(inp: ReplayInput, meta: SessionMeta | None) -> list[dict]:
    """The events the recorder stored for ``inp`` (dicts, the summary last), its summary with the
    warnings about the sound that replay's whole analysis gives and the recorder's live one cannot
    (pops drifting against the thrusts, pops near none of them:
    :func:`firmware_bridge.replay.analyze.with_stored_audio_notes`), pops tied within the pop
    window the session was recorded with."""
    from analysis.scheme import ThrustScheme
    from analysis.summary import untie_dangling
    window = pop_window_s(meta)
    return with_stored_audio_notes(untie_dangling(list(inp.events)), inp,
                                   ThrustScheme().pop_window_ms / 1000.0 if window is None else window)


def describe_pops_heard(summary: dict | None, pops: list[dict], analysed: bool = True, dead=(),
                        window_s: float | None = None) -> str:
    """The pops of a recording with sound, in words, for the review's session details and the
    report: "3 (2 with a thrust)", "none heard", "none heard; unknown at 2 of 3 thrusts", or, no
    thrust's pops known, "unknown: no usable sound" (a muted or dead microphone around them),
    "unknown: no sound around the thrusts" (the sound ended before them, began after them or
    lies elsewhere), "unknown: no usable sound at 2 thrusts, no sound around 1" (both), or
    "unknown: recorded, cannot be analysed" (the warning says why). Whether a thrust's pops are
    known is the summary's (``summary``) per-thrust ``pops``, with the stretches of no usable
    sound applied, as replay's table gives them ("–"); ``analysed`` False is audio whose pops
    cannot be analysed at all (under 16 kHz: the summary's ``audio`` is false). ``dead`` is the
    stretches of no usable sound found on reading the audio (s), which say why a thrust's pops
    are unknown (its tie window, ``window_s``: 150 ms unless given, as the session's own or
    ``--pop-window``, reaches into one) and what
    was heard of a recording without thrusts."""
    s = summary or {}
    if not analysed or s.get("audio", True) is False:
        return "unknown: recorded, cannot be analysed"
    thrusts = [t for t in s.get("thrusts") or () if isinstance(t, dict)]
    unknown = [t for t in thrusts if t.get("pops", 0) is None]
    some = f"unknown {_of_thrusts(len(unknown), len(thrusts))}"
    if pops:
        heard = f"{len(pops)} ({sum(p.get('thrust') is not None for p in pops)} with a thrust)"
        return f"{heard}; {some}" if unknown else heard
    audio_span = (s.get("spans_s") or {}).get("audio")
    if thrusts and len(unknown) == len(thrusts):
        from analysis.scheme import ThrustScheme
        w = ThrustScheme().pop_window_ms / 1000.0 if window_s is None else window_s
        n_dead = sum(_dead_around(t, dead, audio_span, w) for t in unknown)
        if n_dead == len(unknown):
            return "unknown: no usable sound"
        if not n_dead:
            return f"unknown: no sound around the thrust{'s' if len(thrusts) != 1 else ''}"
        return (f"unknown: no usable sound at {n_dead} thrust{'s' if n_dead != 1 else ''}, no sound "
                f"around {len(unknown) - n_dead}")
    if unknown:
        return f"none heard; {some}"
    if not thrusts and dead:
        a0, a1 = (audio_span or (None, None))[:2]
        whole = a0 is not None and sum(b - a for a, b in dead) >= 0.99 * (a1 - a0)
        return "unknown: no usable sound" if whole else "none heard where the sound was usable"
    return "none heard"
