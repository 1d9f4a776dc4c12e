"""Hand movement from a worn IMU: displacement per cycle, thrusts from acceleration, and the
force–displacement loop behind Maitland's movement diagram.

Method (all causal, ``sosfilt``/``lfilter`` with carried state, so chunk-invariant):

1. Accelerations are despiked and resampled onto a uniform grid (``analysis.resample``).
2. Gravity is tracked with a 0.3 Hz low-pass of the acceleration vector; the movement
   acceleration is the deviation from it projected on the gravity direction. A
   postero-anterior mobilisation or thrust pushes along gravity, so this is the axis that moves;
   sideways movement is not measured (a limitation, see docs/imu.md).
3. Band-limited double integration: high-pass (``hp_hz``), leaky integrator, high-pass, leaky
   integrator, high-pass. The band keeps 0.5–5 Hz oscillations and removes the bias and drift
   that plain integration would turn into metres.
4. Cycles of the displacement are found with the same turning-point detector as force cycles
   (``analysis.cycles.CycleDetector``, run on millimetres) and emitted as ``imu_cycle`` events.
5. A thrust is an acceleration burst: the 1–30 Hz movement acceleration exceeds
   ``thrust_acc_mps2`` and stands ``thrust_snr`` times above its level in the preceding second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import signal

from analysis.chunk import Chunk
from analysis.cycles import CycleDetector
from analysis.events import Event, ThrustEvent, register_event_type
from analysis.history import History
from analysis.resample import Resampler
from analysis.scheme import GradingScheme


@register_event_type
@dataclass(frozen=True)
class ImuCycleEvent(Event):
    """One oscillation of the hand: displacement amplitude (mm) and frequency."""

    TYPE: ClassVar[str] = "imu_cycle"
    t_start: float
    t_end: float
    t_crest: float
    displacement_mm: float
    freq_hz: float
    t_detect_s: float = 0.0


class ImuProcessor:
    """Feed ``imu`` chunks (values (n, 6): ax, ay, az in m/s², gx, gy, gz in rad/s)."""

    stream = "imu"
    BLOCK = 256

    def __init__(self, grid_hz: float = 500.0, hp_hz: float = 0.25, thrust_acc_mps2: float = 2.0,
                 thrust_snr: float = 4.0, history_s: float = 20.0) -> None:
        self.fs = grid_hz
        self.axes = [Resampler(grid_hz) for _ in range(3)]
        self.sos_g = signal.butter(2, 0.3, fs=grid_hz, output="sos")
        self.sos_hp = signal.butter(2, hp_hz, btype="highpass", fs=grid_hz, output="sos")
        self.sos_burst = signal.butter(2, [1.0, 30.0], btype="bandpass", fs=grid_hz, output="sos")
        leak = 1.0 - 2 * np.pi * 0.05 / grid_hz
        self.int_b, self.int_a = np.array([1.0 / grid_hz]), np.array([1.0, -leak])
        # millimetre-scale turning points: 0.2 mm hysteresis, 0.5 mm smallest cycle
        self.cycles = CycleDetector(GradingScheme(hysteresis_min_n=0.2, hysteresis_frac=0.0,
                                                  min_amplitude_n=0.5, min_amplitude_frac=0.0,
                                                  tremor_band_hz=None, lowpass_hz=6.0), grid_hz)
        self.disp = History(int(history_s * grid_hz))
        self.burst = History(int(2.0 * grid_hz))
        self.thrust_acc, self.thrust_snr = thrust_acc_mps2, thrust_snr
        self.t_last: float | None = None
        self._state = None
        self._in_burst = False
        self._burst_start = -1
        self._n_thrusts = 0
        self._refractory_k = -1
        self.refractory_s = 1.0     # a thrust's release is part of the same thrust
        self._run_k0, self._run_t0 = 0, 0.0

    def _t(self, k: int) -> float:
        return self._run_t0 + (k - self._run_k0) / self.fs

    def _init_state(self, a0: np.ndarray) -> dict:
        zi_g = signal.sosfilt_zi(self.sos_g)
        return {"g": [zi_g * a0[i] for i in range(3)],
                "hp": [np.zeros((self.sos_hp.shape[0], 2)) for _ in range(3)],
                "int": [np.zeros(1) for _ in range(2)],
                "burst": np.zeros((self.sos_burst.shape[0], 2))}

    def feed(self, chunk: Chunk) -> list[Event]:
        v = np.asarray(chunk.values, dtype=np.float64)
        if len(v) == 0:
            return []
        segs = [r.feed(chunk.t_s, v[:, i]) for i, r in enumerate(self.axes)]
        self.t_last = float(chunk.t_s[-1]) if self.t_last is None else max(self.t_last, float(chunk.t_s[-1]))
        out: list[Event] = []
        for sx, sy, sz in zip(*segs):
            a = np.column_stack([sx.x, sy.x, sz.x])
            for b in range(0, len(a), self.BLOCK):   # bounded well inside the histories
                out.extend(self._segment(sx.k0 + b, sx.t_s[b:b + self.BLOCK], a[b:b + self.BLOCK], sx.new and b == 0))
        return out

    def finish(self) -> list[Event]:
        return []

    def _segment(self, k0: int, t: np.ndarray, a: np.ndarray, new: bool) -> list[Event]:
        if new or self._state is None:
            self._state = self._init_state(a[0])
            self._run_k0, self._run_t0 = k0, float(t[0])
            self._in_burst = False
        st = self._state
        g = np.empty_like(a)
        for i in range(3):
            g[:, i], st["g"][i] = signal.sosfilt(self.sos_g, a[:, i], zi=st["g"][i])
        gn = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
        # movement along gravity, positive when the hand moves down (into the patient)
        a_mov = np.einsum("ij,ij->i", a - g, gn)
        x, st["hp"][0] = signal.sosfilt(self.sos_hp, a_mov, zi=st["hp"][0])
        x, st["int"][0] = signal.lfilter(self.int_b, self.int_a, x, zi=st["int"][0])
        x, st["hp"][1] = signal.sosfilt(self.sos_hp, x, zi=st["hp"][1])
        x, st["int"][1] = signal.lfilter(self.int_b, self.int_a, x, zi=st["int"][1])
        x, st["hp"][2] = signal.sosfilt(self.sos_hp, x, zi=st["hp"][2])
        d_mm = -1000.0 * x        # gravity points down: moving down is negative along it
        self.disp.append(k0, d_mm)
        burst, st["burst"] = signal.sosfilt(self.sos_burst, a_mov, zi=st["burst"])
        mag = np.abs(burst)
        out: list[Event] = self._thrusts(k0, mag)
        self.burst.append(k0, mag)
        for c in self.cycles.feed(k0, t, d_mm, new):
            out.append(ImuCycleEvent(t_start=c.t_start, t_end=c.t_end, t_crest=c.t_crest,
                                     displacement_mm=c.amplitude_n, freq_hz=c.freq_hz, t_detect_s=c.t_detect_s))
        return out

    def _thrusts(self, k0: int, mag: np.ndarray) -> list[Event]:
        """Acceleration bursts well above the preceding second's level → thrust events.

        A burst starts at a sample over the threshold and ends 150 ms after its last one."""
        out: list[Event] = []
        above = np.flatnonzero(mag >= self.thrust_acc) + k0
        quiet_n = int(0.15 * self.fs)
        k_end = k0 + len(mag)
        pos = 0
        while True:
            if not self._in_burst:
                if pos >= len(above):
                    return out
                k = int(above[pos])
                pos += 1
                if k < self._refractory_k:
                    continue
                before = self.burst.get(k - int(self.fs), k - int(0.1 * self.fs))
                level = float(np.sqrt(np.mean(before ** 2))) if len(before) else 0.0
                if mag[k - k0] >= self.thrust_snr * max(level, 1e-3):
                    self._in_burst, self._burst_start, self._last_above = True, k, k
                continue
            nxt = int(above[pos]) if pos < len(above) else None
            if nxt is not None and nxt - self._last_above <= quiet_n:
                self._last_above = nxt
                pos += 1
                continue
            if (nxt if nxt is not None else k_end) - self._last_above <= quiet_n:
                return out          # the burst may still go on in the next chunk
            out.append(self._measure_burst(self._last_above + quiet_n))
            self._in_burst = False
            self._refractory_k = self._last_above + int(self.refractory_s * self.fs)

    def _measure_burst(self, k_dec: int) -> ThrustEvent:
        seg = self.burst.get(self._burst_start, self._last_above + 1)
        k_pk = self._burst_start + int(np.argmax(seg)) if len(seg) else self._burst_start
        k_d0 = max(self.disp.k_start, self._burst_start - int(0.3 * self.fs))
        d = self.disp.get(k_d0, self._last_above + 1)
        k_dpk = k_d0 + int(np.argmax(d)) if len(d) else k_pk
        ev = ThrustEvent(
            t_onset=self._t(self._burst_start), t_peak=self._t(k_dpk), preload_n=float("nan"),
            peak_n=float("nan"), time_to_peak_ms=(k_dpk - self._burst_start) / self.fs * 1e3,
            duration_ms=(self._last_above - self._burst_start) / self.fs * 1e3,
            rate_n_per_s=float("nan"), max_rate_n_per_s=float("nan"), letup_n=float("nan"),
            index=self._n_thrusts, source="imu", t_detect_s=self._t(k_dec))
        self._n_thrusts += 1
        return ev

    def displacement(self, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Displacement (mm) between two times, from the bounded history."""
        k0 = self._run_k0 + int(np.floor((t0_s - self._run_t0) * self.fs))
        k1 = self._run_k0 + int(np.ceil((t1_s - self._run_t0) * self.fs)) + 1
        d = self.disp.get(k0, k1)
        k_first = max(k0, self.disp.k_start)
        return self._t(k_first) + np.arange(len(d)) / self.fs, d.copy()


def force_displacement_loop(t_force: np.ndarray, force_n: np.ndarray, t_disp: np.ndarray, disp_mm: np.ndarray,
                            t_start: float, t_end: float, n_points: int = 64) -> list[list[float]]:
    """``n_points`` pairs ``[disp_mm, force_n]`` evenly spaced in time over one cycle."""
    if len(t_force) < 2 or len(t_disp) < 2:
        return []
    tt = np.linspace(t_start, t_end, n_points)
    f = np.interp(tt, t_force, force_n)
    d = np.interp(tt, t_disp, disp_mm)
    return [[round(float(a), 3), round(float(b), 2)] for a, b in zip(d, f)]


def _register() -> None:
    from analysis.pipeline import register_processor
    register_processor("imu", lambda a: ImuProcessor(**a.options.get("imu", {})))


_register()
