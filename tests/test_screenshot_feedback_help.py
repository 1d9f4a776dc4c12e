"""screenshot --help names the feedback schedules --feedback takes, as trainer --help does."""
from tests.conftest import gc
from ui.trainer.feedback import MODES


def test_feedback_choices_are_in_the_help():
    out = gc("screenshot", "--help").stdout
    assert "--feedback {" + ",".join(MODES) + "}" in " ".join(out.split())
