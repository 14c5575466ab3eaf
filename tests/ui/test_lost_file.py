"""A clinic file deleted while the app has it open (issue 12, item 5): the next
write is refused, and the app says so once, in a modal dialog, with what to do."""

from __future__ import annotations

import datetime as dt

import pytest

from taperdesk import storage
from taperdesk.ui.lost_file import TITLE, watch_for_lost_file

from .modal import ModalAnswerer


def test_deleted_file_stops_writes_and_shows_one_dialog(db, clinician, qtbot):
    stop = watch_for_lost_file()
    answerer = ModalAnswerer(["OK"]).start()
    try:
        storage.add_patient(name="Before Deletion", born=dt.date(1970, 1, 1), identifier="TD-1", author=clinician)
        db.path.unlink()
        for n in range(3):
            with pytest.raises(storage.StorageError, match="was deleted or moved"):
                storage.add_patient(name=f"After {n}", born=dt.date(1970, 1, 1), identifier=f"TD-{n + 2}",
                                    author=clinician)
        qtbot.waitUntil(lambda: len(answerer.seen) == 1)
        qtbot.wait(0)  # a second dialog would have been queued by now
    finally:
        answerer.stop()
        stop()
    box = answerer.seen[0]
    assert box.title == TITLE and str(db.path) in box.text and "cannot be saved" in box.text
    assert "restore the newest backup" in box.detail and len(answerer.seen) == 1
