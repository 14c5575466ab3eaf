"""The patient list's plans are kept in a bounded LRU cache across keystrokes,
and the "needs attention" filter reads the kept attention table, not plans.

Read through the item model on a demo clinic: a cache far smaller than the
clinic still shows every row as a fresh model does; refining a search re-reads
no plan already shown; the filter finds exactly the patients whose kept row
has a reason; a write (refresh) trusts nothing cached."""

from __future__ import annotations

from datetime import date

import pytest

from taperdesk import storage
from taperdesk.ui import patient_list
from taperdesk.ui.patient_list import COLUMNS, PatientListModel

TODAY = date.today()


def _table(model) -> list[tuple]:
    return [tuple(model.index(r, c).data() for c in range(len(COLUMNS))) for r in range(model.rowCount())]


@pytest.fixture
def reads(monkeypatch):
    """The patient ids whose plans the list read from the file, call by call."""
    calls: list[list[int]] = []
    real = patient_list.current_plans

    def counted(*, patient_ids):
        calls.append(list(patient_ids))
        return real(patient_ids=patient_ids)

    monkeypatch.setattr(patient_list, "current_plans", counted)
    return calls


def test_a_small_cache_shows_the_same_list_and_stays_small(open_demo, monkeypatch, qtmodeltester):
    fresh = PatientListModel(today=TODAY)
    fresh.refresh()
    want = _table(fresh)
    assert len(want) >= 8, "the demo clinic has enough patients to overflow the cache"
    monkeypatch.setattr(patient_list, "CACHE_SIZE", 3)
    monkeypatch.setattr(patient_list, "BATCH", 2)
    small = PatientListModel(today=TODAY)
    small.refresh()
    qtmodeltester.check(small)
    assert _table(small) == want
    assert len(small._cache) <= 3
    assert _table(small) == want  # read again after eviction: still right, still bounded
    assert len(small._cache) <= 3
    for row in range(small.rowCount()):  # the page a click opens uses the same cache
        pid = small.patient(row).id
        assert small.plan_of(pid) == fresh.plan_of(pid)
        assert len(small._cache) <= 3


def test_refining_a_search_reads_no_plan_twice(open_demo, reads):
    model = PatientListModel(today=TODAY)
    model.refresh()
    _table(model)
    shown = {pid for call in reads for pid in call}
    reads.clear()
    name = model.patient(0).name
    for n in range(1, 4):  # typing the first patient's name, letter by letter
        model.set_search(name[:n])
        _table(model)
    assert not {pid for call in reads for pid in call} & shown
    reads.clear()
    model.refresh()  # after a write: read again
    _table(model)
    assert reads


def test_the_attention_filter_reads_the_kept_table_not_plans(open_demo, reads):
    model = PatientListModel(today=TODAY)
    model.refresh()
    everyone = [model.patient(r) for r in range(model.rowCount())]
    kept = storage.attention_reasons([p.id for p in everyone], TODAY)
    reads.clear()
    model.set_attention_only(True)
    assert not reads, "toggling the filter reads no plan"
    shown = [model.patient(r).id for r in range(model.rowCount())]
    assert shown == [p.id for p in everyone if kept.get(p.id)]
    assert shown, "the demo clinic has someone who needs attention"
    column = COLUMNS.index("Needs attention")
    for row, pid in enumerate(shown):
        reasons = kept[pid]
        text = model.index(row, column).data()
        assert text == (reasons[0] if len(reasons) == 1 else f"{reasons[0]} (+{len(reasons) - 1})")
    model.set_attention_only(False)
    assert model.rowCount() == len(everyone)
