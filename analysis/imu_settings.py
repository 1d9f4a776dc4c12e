"""The settings of the IMU's analysis (:class:`ImuSettings`) and the sample rates it needs."""

from __future__ import annotations

from dataclasses import dataclass

# the rates an IMU's analysis needs (simulated grade III cycles at 1.5 Hz and thrusts, at 50-500 Hz and
# the 500 Hz recordings decimated to 25 and 10 Hz): 39-41 of 40 cycles at 25-500 Hz, 31 at 10 Hz; times to
# peak within 20 ms of 500 Hz's at 100 and 200 Hz, up to 72 ms off at 50 Hz, 0-300 ms at 25 Hz
MIN_CYCLES_RATE_HZ = 20.0
MIN_THRUST_RATE_HZ = 100.0


@dataclass(frozen=True)
class ImuSettings:
    """Parameters of :class:`ImuProcessor`; defaults follow the 0.5–3 Hz mobilisation rates and
    60–200 ms thrusts in shared domain figures (docs/imu.md)."""

    grid_hz: float = 500.0           # movement and thrust content lies below 30 Hz
    gravity_hz: float = 0.1          # accelerometer/gyroscope cross-over of the gravity estimate
    hp_hz: float = 0.4               # lower band edge of the double integration
    leak_hz: float = 0.05            # leak of each integrator (bounds integrated noise)
    hysteresis_mm: float = 0.15      # turning point confirmed once back by this much
    min_cycle_mm: float = 0.4        # smaller movements are below accelerometer noise
    min_period_s: float = 0.2
    max_period_s: float = 2.5       # 0.4 Hz: slower movement is below the band
    burst_band_hz: tuple[float, float] = (1.0, 30.0)
    thrust_acc_mps2: float = 2.0     # fast mobilisations stay under ~1.5 m/s² (bench_imu)
    thrust_snr: float = 4.0
    burst_quiet_s: float = 0.15      # a burst ends this long after its last loud sample
    refractory_s: float = 1.0        # the release belongs to the same thrust
    thrust_hold_s: tuple[float, float] = (0.5, 0.2)   # a thrust's movement is measured from the
                                     # hand held at the preload from this long before its onset to
                                     # this long before it, clear of any let-up (the hold before it:
                                     # 0.6-1.2 s, its let-up 60-150 ms, in firmware_bridge/simulator.py)
    max_time_to_peak_s: float = 0.3  # its deepest point is looked for this long after onset
                                     # (times to peak 60-200 ms, 250 ms on a servo: domain.md) ...
    peak_fall_noise: float = 3.0     # ... up to where the hand comes back from it by this many
                                     # times the RMS wiggle of the held hand's movement before the
                                     # onset (tremor and noise integrated twice, _hold_wiggle) ...
    peak_fall_mm: float = 0.04       # ... and at least this far, once it has moved this far: the
    peak_min_rise_mm: float = 0.5    # thrust is known there (_peak_of). On 24+48 simulated thrusts
                                     # (bench_imu.py, --pops) and 322 with 0.3-0.9 m/s² tremor and
                                     # 120-400 µg/√Hz noise, the hand came back before its deepest
                                     # point by 0.144 mm at most, 1.5 times its hold's wiggle; a
                                     # fixed 3 % of the movement (0.1 mm or more) was 0.154 mm there.
                                     # bench_imu.py --pops: pops that waited for it were given 74.6 ms
                                     # after they began at most, 11 of 126 over 50 ms (87.1 ms, 27 with
                                     # 3 %); a pop during a thrust not known yet no longer waits
                                     # (thrust_in_progress): 47.2 ms at most
    settle_smooth_s: float = 0.1     # after a thrust's peak the hand is at rest where its vertical
                                     # acceleration, averaged over this long (a mean over 0.1 s takes
                                     # 8-12 Hz tremor down 4-6 times) ...
    settle_acc_mps2: float = 0.1     # ... stays under this (a release moves at 0.5-3 m/s²) ...
    settle_rest_s: float = 0.08      # ... for this long (holds after a release: 0.2-0.5 s,
                                     # firmware_bridge/simulator.py) ...
    settle_max_drift_mps2: float = 0.04  # ... and its speed there is no more than this error in the
                                     # hold's mean could give (200 simulated thrusts: up to 0.018
                                     # m/s²; a release read as quiet, at 65-85 mm/s, gave 0.08-0.13)
    force_peak_slack_s: float = 0.05  # a force thrust's movement: the hand's deepest point is
                                     # looked for up to this long after the force peak (bench_imu:
                                     # the hand deepest 26 ms before to 25 ms after the force peak)
    preload_hold_s: float = 0.4      # a cycle with none found before it that ends this long
                                     # before a thrust is the ramp to its preload: the hand sinking
                                     # to a new place, read as a rise and a fall back (the band
                                     # lets go of a step, and the sensor's offset turns with the
                                     # hand); simulated ones ended 0.03 and 0.34 s before the
                                     # thrust. Such a cycle waits this long to be given
    settle_min_cycle_mm: float = 1.5  # a cycle with none found before it that begins while a run
                                     # of data is settling is at least this times what is left of
                                     # the band's start then (settle_left: 0.92 in its first second,
                                     # 0.39 at 1.5-2 s, 0.13 at 2.9 s): at rest, or on the ramp into
                                     # a set, the band's start and the noise made 0.4-0.6 mm
                                     # "cycles" there (a run's start reads up to 1.2 mm off)
    history_s: float = 30.0          # displacement kept for the force–displacement loops
    max_net_share: float = 0.5       # refined troughs further apart than this share of the
                                     # amplitude: the hand moved to a new place
    max_band_ratio: float = 1.8      # integrated over band-limited amplitude, at most: the band
                                     # reads a set's first cycle low, its ramp's transient against it
    min_band_ratio: float = 0.625    # and at least (1/1.6): a ramp out of a set, slower than the
                                     # band, reads as a band-limited cycle larger than the movement
    refine_share: float = 0.2        # troughs are refined within this share of a period
    retry_share: float = 0.5         # a cycle that fails is looked for once more this far out:
                                     # the band, still ringing from a set's ramp in, puts the first
                                     # cycle's troughs early (bench_imu: 32 of 41 missed were firsts)
    retry_bias_periods: float = 1.0  # … with gravity from the mean over this many periods either
                                     # side (the mean between the troughs moves with the troughs,
                                     # so any pair inside the cycle looks like troughs) …
    retry_max_band_ratio: float = 2.6  # … where the band may read it this low (bench_imu: first
                                     # cycles at 1.8-2.5 times the band, measured within 11 %) …
    rest_levels: tuple[float, float] = (0.2, 0.8)   # … and a trough that is a rest (the hold
                                     # before a set) starts where a sine-like rise through these
                                     # shares of the amplitude leaves it …
    rest_min_share: float = 0.1      # … if that is this share of a period after the trough found;
    max_fall_in_share: float = 1.75  # such a cycle is dropped when the movement fell into it from
                                     # more than this many times its height (_fell_in; bench_imu
                                     # and 20 recordings of four sets: real cycles up to 1.56, a
                                     # ramp into a set read as a cycle 1.88-2.05)
    max_dip_share: float = 0.3       # a cycle's troughs are its lowest points; a movement that
                                     # dips further below them is a ramp or a step, not a cycle
    glitch_acc_mps2: float = 39.2    # 4 g on any axis: a hand pushing on a patient moves at well
                                     # under 1 g (thrusts: a few m/s², bench_imu); beyond it a
                                     # sample is a glitch (saturation, a bus error), left out
    glitch_gyro_rads: float = 17.5   # 1000 °/s on any axis: a hand on a patient turns far slower
    gravity_mps2: tuple[float, float] = (4.9, 19.6)   # RMS |a| of a recording: gravity, 9.81
                                     # (0.5–2 g); near 1 the accelerometer was read in g
    max_rms_gyro_rads: float = 1.0  # RMS |ω| of a recording: a hand turns at a few °/s on
                                     # average (bench_imu: 0.03 rad/s); 57 °/s is deg/s read as rad/s
    max_gyro_leak_mps2: float = 0.015  # RMS change the gyroscope makes to the vertical specific
                                     # force (bench_imu: 0.002-0.003, a hand rolling 1° a cycle; °/s
                                     # read as rad/s: 0.02-1.7; cycles are lost from about 0.02) …
    gyro_leak_lowpass_hz: float = 4.0  # … below this (4th order): a hand's 8-12 Hz tremor times the
                                     # gyroscope's small tilt of the vertical read up to 0.031 m/s²
                                     # (0.6-0.9 m/s² of tremor, bench_imu.py --peaks), below 4 Hz
                                     # 0.010 at most; °/s: 0.28 or more. It moves the hand by
                                     # micrometres (0.02 m/s² at 8 Hz: 8 µm)
    min_overlap_share: float = 0.5   # IMU and force times must share this much of their union
    units_block_s: float = 0.25      # the units are judged on the data up to a cycle's or thrust's
                                     # detection, in blocks this long (so not on how it was chunked)
    despike_max_step_s: float = 0.004   # a median of three despikes samples closer than this
                                     # (250 Hz): three span 8 ms, under a thrust's peak (bench_imu)
    start_s: float = 1.0             # a run's filters start from this much of its data
