"""Sounds the cavitation detector's tests make: a struck object's bright ring, digital clicks,
pairs of close pops, a thud that swells; and whether a pop is found at a place."""

from __future__ import annotations

import numpy as np
from scipy import signal

from firmware_bridge.audio_sim import _pink, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _pop_found_at(x: np.ndarray, i: int, fs: float, **scheme) -> bool:
    """Whether a pop is found within 5 ms of sample ``i`` of ``x``."""
    return any(abs(e["t"] - i / fs) < 5e-3 for e in detect_pops(x.astype(np.float32), fs, **scheme))


def _struck(seed: int, tau_ms: float, share: float, order: int = 2, **scheme) -> bool:
    """Whether a pop is found at a struck object's sound: noise at 600-1800 Hz (a band-pass of
    ``order``) ringing down with time constant ``tau_ms`` and, with ``share`` of the energy, the
    same ring at 2.5-10 kHz."""
    fs = 48000.0
    rng = np.random.default_rng(seed)
    x = 1e-3 * rng.standard_normal(int(1.2 * fs))
    n = int(0.03 * fs)
    env = np.exp(-np.arange(n) / (tau_ms * 1e-3 * fs))
    ring = signal.lfilter(*signal.butter(order, [600, 1800], "bandpass", fs=fs), rng.standard_normal(n)) * env
    hi = signal.lfilter(*signal.butter(4, [2500, 10000], "bandpass", fs=fs), rng.standard_normal(n)) * env
    c = ring + hi * np.sqrt(share / (1 - share) * np.sum(ring ** 2) / np.sum(hi ** 2))
    i = int(0.6 * fs)
    x[i:i + n] += 1e-2 * c / np.sqrt(np.mean(c[:int(0.006 * fs)] ** 2))
    return _pop_found_at(x, i, fs, **scheme)


def _click(kind: str, ms: float) -> np.ndarray:
    n = max(1, int(round(ms * 1e-3 * FS)))
    if kind == "half-sine":
        return np.sin(np.pi * (np.arange(n) + 0.5) / n)
    if kind == "bipolar":
        return np.r_[np.ones(n // 2), -np.ones(n - n // 2)]
    return np.ones(n)


def _pairs(gap_ms: float, seed: int, n: int = 20) -> tuple[np.ndarray, list[float]]:
    """``n`` pairs of pops ``gap_ms`` apart, 20-30 dB over the noise, 0.4 s between pairs, and the
    times found."""
    rng = np.random.default_rng(seed)
    starts = 0.5 + 0.4 * np.arange(n)
    x = 1e-3 * rng.standard_normal(int((starts[-1] + 0.5) * FS))
    for t in starts:
        g = 1e-3 * 10 ** (rng.uniform(20, 30) / 20)
        for tt in (t, t + gap_ms * 1e-3):
            w = pop_wave(rng, FS)
            i = int(round(tt * FS))
            x[i:i + len(w)] += g * w
    return starts, [e["t"] for e in detect_pops(x.astype(np.float32), FS)]


def _thud(grow_ms: float = 4.0, decay_ms: float = 1.2, f_hz: float = 260.0) -> np.ndarray:
    """A floor's ring at ``f_hz`` whose swings grow evenly for ``grow_ms`` and then die away
    (time constant ``decay_ms``), as the block-set-down sounds taken for pops do: each swing
    larger than the last for one or two periods, then gone within about 10 ms."""
    t_ms = np.arange(int(0.04 * FS)) / FS * 1e3
    env = np.where(t_ms < grow_ms, t_ms / grow_ms, np.exp(-(t_ms - grow_ms) / decay_ms))
    w = env * np.sin(2 * np.pi * f_hz * t_ms * 1e-3)
    return w / np.abs(w).max()


def _found(seed: int, what: str, **scheme) -> bool:
    """Whether the detector finds a pop at 0.6 s, where a thud or a pop (peak 20-30 dB over
    the room noise) is added to 1.2 s of room noise."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(1.2 * FS), FS)
    w = _thud() if what == "thud" else pop_wave(rng, FS)
    i = int(0.6 * FS)
    x[i:i + len(w)] += 1e-3 * 10 ** (rng.uniform(20, 30) / 20) * w / np.abs(w).max()
    return any(abs(e["t"] - 0.6) < 5e-3 for e in detect_pops(x.astype(np.float32), FS, **scheme))


def sharp_pops(n: int = 5, fs: int = 48000) -> tuple[np.ndarray, list[float]]:
    """Room noise (white, 0.001) with ``n`` pops 0.5 s apart from 0.5 s that start at full
    amplitude: a 400 Hz ring of 0.3 dying in 1.25 ms; and their start times (s)."""
    x = 0.001 * np.random.default_rng(0).standard_normal(fs * (n + 1) // 2 + fs // 2)
    starts = [0.5 + 0.5 * i for i in range(n)]
    k = int(round(fs * 200 / 48000))                       # (4.2 ms of it)
    w = 0.3 * np.sin(2 * np.pi * 400 * np.arange(k) / fs) * np.exp(-np.arange(k) / (1.25e-3 * fs))
    for t in starts:
        i = int(round(t * fs))
        x[i:i + len(w)] += w
    return x, starts

