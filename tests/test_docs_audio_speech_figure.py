"""docs/audio.md's advice on talking near the microphone gives the false-pop rate of close speech
that its measurements give, and the thrusts per false pop computed from it."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_the_advice_uses_the_measured_speech_rate():
    text = (ROOT / "docs" / "audio.md").read_text()
    measured = float(re.search(r"real speech is much harder: ([\d.]+) false pops per minute", text).group(1))
    advice = text[:text.index("Pops within about 100 ms")]
    rates = {float(x) for x in re.findall(r"([\d.]+) (?:false pops\s+)?a minute of close-microphone", advice)}
    rates |= {float(x) for x in re.findall(r"at ([\d.]+) false pops\s+a minute", advice)}
    assert rates == {measured}, rates
    once = int(re.search(r"about once in (\d+) thrusts", advice).group(1))
    assert once == int(60 / (measured * 0.300)), once
