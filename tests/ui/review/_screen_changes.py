"""A recording during which the trainer's screen graded against a changed target, and the target as
the trainer keeps it."""

from __future__ import annotations

from analysis.chunk import Chunk
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.simulator import Noise, Sim, technique


def _detail(text: str) -> dict:
    """A target as the trainer keeps it (its ``target_detail``)."""
    from ui.trainer.target import Target
    t = Target.parse(text)
    return dict(t.to_dict(), text=t.text)


def _recorded_with_screen_changes(folder):
    """A recording of grade III cycles (R1 40 N, R2 120 N) by the trainer's recorder, during which
    the screen graded with target IV-, R1 30 N, R2 100 N from 5 s, and with the recording's own
    settings again from 9.5 s."""
    from ui.trainer.recording import Recorder
    scheme = GradingScheme(40.0, 120.0).with_target("III")
    sim = Sim(40.0, 120.0, seed=2)
    technique("III", sim, scheme, freq_hz=1.5, cycles=16)
    t, y = sim.sample(200.0, Noise(noise_n=0.3, tremor_n=0.4))
    rec = Recorder(folder, scheme, ThrustScheme(), target=_detail("III"), profile="blue manikin",
                   trainee="ana", technique="PA L4")
    changes = {5.0: (GradingScheme(30.0, 100.0).with_target("IV-"), _detail("IV-"), False),
               9.5: (scheme, _detail("III"), True)}
    for i in range(0, len(t), 20):                      # 0.1 s chunks, as a source gives them
        rec.feed(Chunk(t[i:i + 20], y[i:i + 20], i, "force", 200.0))
        for at in [a for a in changes if t[min(i + 19, len(t) - 1)] >= a]:
            s, d, own = changes.pop(at)
            rec.screen_changed(s, d, own=own)
    rec.close()
    return rec.path
