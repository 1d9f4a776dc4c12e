"""Stretches of audio with no usable sound (a muted or dead microphone, a constant level, an
input at full scale throughout), found as the audio is read and said in one warning."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from firmware_bridge.replay.inputs import ReplayInput

# audio with no usable sound: a muted or dead microphone, a cable that carries a constant level, an
# input driven to full scale throughout. Judged in frames of DEAD_FRAME_S; a stretch of such frames
# DEAD_MIN_S long or more (or the whole file) hears no pop, so the thrusts in it have unknown pops
DEAD_FRAME_S = 0.1
DEAD_MIN_S = 1.0
CLIP_LEVEL = 0.999            # |sample| at full scale (16-bit full scale reads 32767/32768 = 0.99997)
CLIPPED_SHARE = 0.5           # a frame with half its samples held at full scale or beyond is clipped
FLOOR_FROM_S = 0.010          # the detector's noise floor stands from a recording's 10 ms on (docs/audio.md)
POP_MAX_S = 0.008             # a pop lasts 3-8 ms (docs/audio.md; 5.7 ms on average, shared/domain.md)
MIN_AUDIO_S = FLOOR_FROM_S + POP_MAX_S     # audio shorter than this can hold no pop the detector finds
DEAD_KINDS = {1: "silent (every sample 0)", 2: "constant (one level, no sound)", 3: "clipped (at full scale)"}


def dead_frames(blk: np.ndarray, frame: int) -> np.ndarray:
    """Per frame of ``frame`` samples of ``blk`` (n, channels), the last one possibly shorter:
    0 when it may hold sound, else the :data:`DEAD_KINDS` key of why it holds none, in every
    channel (one live channel is enough to hear a pop)."""
    n = len(blk)
    starts = np.arange(0, n, frame)
    out = np.zeros(len(starts), np.int8)
    for i0, part in ((0, blk[:n - n % frame]), (n - n % frame, blk[n - n % frame:])):
        if not len(part):
            continue
        x = part.reshape(-1, min(frame, len(part)), part.shape[1])
        flat = np.ptp(x, axis=1) == 0                                          # (frames, channels)
        # clipped: held at the converter's rail, the frame's own top or bottom value; a float file's
        # samples beyond full scale that move (a DC offset of 3.0, a loud export) are sound, not clipped
        hi, lo = x.max(axis=1, keepdims=True), x.min(axis=1, keepdims=True)
        pinned = (np.abs(x) >= CLIP_LEVEL) & ((x == hi) | (x == lo))
        railed = np.mean(pinned, axis=1) >= CLIPPED_SHARE
        silent, constant = np.all(x == 0, axis=(1, 2)), np.all(flat, axis=1)
        dead = np.all(flat | railed, axis=1)          # a channel dead one way, another the other way
        kind = np.where(silent, 1, np.where(constant, 2, np.where(dead, 3, 0)))
        k = i0 // frame
        out[k:k + len(kind)] = kind
    return out


class DeadStretches:
    """Collects the stretches of audio with no usable sound as blocks are read, in samples."""

    def __init__(self, frame: int) -> None:
        self.frame = frame
        self.runs: list[list] = []         # [start, end, {kind: samples}]
        self.n = 0

    def feed(self, blk: np.ndarray) -> None:
        kinds = dead_frames(blk, self.frame)
        for j in np.flatnonzero(kinds):
            a = self.n + int(j) * self.frame
            b = min(self.n + len(blk), a + self.frame)
            if self.runs and self.runs[-1][1] == a:
                run = self.runs[-1]
                run[1] = b
            else:
                run = [a, b, {}]
                self.runs.append(run)
            run[2][int(kinds[j])] = run[2].get(int(kinds[j]), 0) + b - a
        self.n += len(blk)

    def spans(self, min_len: int, min_whole: int) -> list[tuple[int, int, str]]:
        """(start, end, why) of the stretches ``min_len`` samples long or more, or of the whole
        file when it is ``min_whole`` samples long or more."""
        return [(a, b, DEAD_KINDS[max(k, key=k.get)]) for a, b, k in self.runs
                if b - a >= min_len or (a == 0 and b == self.n >= min_whole)]


def _dead_note(inp: ReplayInput, path: Path, dead: DeadStretches, sr: int) -> None:
    """Mark and say the stretches of ``path`` with no usable sound (:class:`DeadStretches`)."""
    spans = dead.spans(int(round(DEAD_MIN_S * sr)), int(np.ceil(MIN_AUDIO_S * sr)))   # (shorter: said so)
    if not spans or not dead.n:
        return
    inp.dead_audio = [tuple(float(t) for t in inp.audio_times([a, b], sr)) for a, b, _ in spans]
    a, b, why = spans[0]
    if a == 0 and b == dead.n:
        kind = why.split(" ", 1)
        inp.warnings.append(f"{path}: the audio holds no usable sound: {kind[0]} throughout {kind[1]}; a muted "
                            f"or dead microphone? The pops of the thrusts it covers are unknown, not none")
        return
    t0, t1 = inp.dead_audio[0]
    more = f", and {len(spans) - 1} more stretch{'es' if len(spans) > 2 else ''}" if len(spans) > 1 else ""
    inp.warnings.append(f"{path}: no usable sound at {t0:.1f}–{t1:.1f} s, {why.split(' ', 1)[0]}{more}; the "
                        f"pops of the thrusts there are unknown, not none")
