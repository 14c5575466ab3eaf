"""Tests stand in for a clinic that has entered the BWSQ's wording from its
licensed copy (the shipped scale cannot be used until then). The questions
here are invented placeholders, not the licensed wording."""

from __future__ import annotations

from taperdesk import storage


def enter_bwsq_wording(author) -> None:
    shipped = storage.scale_definitions()["bwsq"]
    data = shipped.to_dict()
    data["items"] = [{**item, "text": f"Test question {n}"} for n, item in enumerate(data["items"], start=1)]
    data.pop("needs_wording", None)
    storage.save_scale_definition(definition=data, author=author)
