import os

# Offscreen unless CI or a developer chose another platform (e.g. xcb under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
