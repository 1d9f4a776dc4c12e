"""An ordinary electrical spike (20-200 N) on a light recording is drawn in the report's force
figure as data, not marked off the scale; a value no plot can show beside the rest (a bus
error's 1e30 N) still is (a 150 N spike on a 40 N recording got the pink triangle and the
"far outside the rest" warning)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from ui.cli import main
from ui.review.trace import OFF_SCALE_COLOR

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WARNING = "far outside the rest of the recording"


def _recording(tmp_path: Path, spikes: dict[float, str]) -> Path:
    """A simulated grade III set on R1 20 N, R2 50 N (crests up to about 40 N) with ``value``
    written over the force sample nearest each time."""
    path = tmp_path / "light.csv"
    assert main(["simulate", "--grade", "III", "--r1", "20", "--r2", "50", "--cycles", "12",
                 "-o", str(path)]) == 0
    lines = path.read_text().splitlines()
    t = np.array([float(ln.split(",")[0]) for ln in lines[1:]])
    for t_s, value in spikes.items():
        i = 1 + int(np.argmin(np.abs(t - t_s)))
        cells = lines[i].split(",")
        lines[i] = ",".join([cells[0], value] + cells[2:])
    path.write_text("\n".join(lines) + "\n")
    return path


def _force_figure(page: str) -> QImage:
    b64 = re.search(r'<img alt="force of [^"]*" src="data:image/png;base64,([^"]+)"', page).group(1)
    img = QImage()
    assert img.loadFromData(base64.b64decode(b64), "PNG")
    return img


def _count(img: QImage, rgb: tuple[int, int, int]) -> int:
    want = QColor(*rgb).rgb()
    return sum(img.pixel(x, y) == want for y in range(img.height()) for x in range(img.width()))


def _report(tmp_path: Path, path: Path, name: str, capsys) -> tuple[QImage, str, str]:
    out = tmp_path / "r.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    page = out.read_text()
    img = _force_figure(page)
    ARTIFACTS.mkdir(exist_ok=True)
    img.save(str(ARTIFACTS / name))                  # to look at
    return img, page, capsys.readouterr().err


@pytest.mark.parametrize("spike", ["150", "-120"])
def test_a_spike_of_a_believable_size_is_drawn_as_data(tmp_path, capsys, spike):
    path = _recording(tmp_path, {4.0: spike})
    img, page, err = _report(tmp_path, path, f"report_spike_{spike}.png", capsys)
    assert _count(img, OFF_SCALE_COLOR) == 0                  # no triangle
    assert WARNING not in page and WARNING not in err         # and no warning
    # the spike is drawn where it is: the trace spans more than half the figure's height there
    rows = [y for y in range(img.height()) if any(max(QColor(img.pixel(x, y)).getRgb()[:3]) < 100
                                                   for x in range(img.width()))]
    assert max(rows) - min(rows) > 0.6 * img.height()


def test_a_sample_no_plot_could_show_is_still_marked(tmp_path, capsys):
    path = _recording(tmp_path, {4.0: "150", 6.0: "1e30"})
    img, page, err = _report(tmp_path, path, "report_spike_and_1e30.png", capsys)
    assert _count(img, OFF_SCALE_COLOR) > 20                   # one triangle, at the edge
    note = "force: a sample far outside the rest of the recording (1e+30 N at "
    assert note in page and note in err                        # the 150 N one is not counted with it
