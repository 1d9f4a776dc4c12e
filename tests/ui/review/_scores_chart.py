"""A library item of recordings (a module fixture) and its score chart as an RGB array."""

from __future__ import annotations

import base64
import copy

import numpy as np
import pytest
from PySide6.QtGui import QImage

from ui.report import load_item, scores_figure

from .conftest import make_session


@pytest.fixture(scope="module")
def item(tmp_path_factory):
    return load_item(make_session(tmp_path_factory.mktemp("s") / "s", cycles=3))


def _chart(item, n: int, unscored=()) -> np.ndarray:
    """The score chart of ``n`` recordings as an RGB array."""
    items = []
    for i in range(n):
        c = copy.copy(item)
        c.stats = dict(item.stats, score_pct=None if i in unscored else 50.0 + i % 50)
        items.append(c)
    img = QImage.fromData(base64.b64decode(scores_figure(items)), "PNG").convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    return a[:, :img.width(), :3].copy()
