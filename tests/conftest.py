import os

# Offscreen unless CI or a developer chose another platform (e.g. xcb under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis: the default profile keeps `make test` under 3 minutes on 2 cores;
# `make soak` (TAPERDESK_HYPOTHESIS=soak) runs the long one. Tests that choose
# their own counts scale them with `examples(quick, soak)`.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("soak", max_examples=2000, deadline=None)
PROFILE = os.environ.get("TAPERDESK_HYPOTHESIS", "default")
_settings.load_profile(PROFILE)


def examples(quick: int, soak: int) -> int:
    return soak if PROFILE == "soak" else quick
