"""The shipped scales match the clinical reference (section 7), score and band as
published, and any definition that exists is valid: bad ones are refused with a
one-line message naming what to fix."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples  # quick by default, long under `make soak`

from taperdesk.core.scales import Band, Item, ScaleDefinition, ScaleError, load_scales, parse_scales

SCALES = load_scales()
DAILY, CIWA, BWSQ = SCALES["daily"], SCALES["ciwa-b"], SCALES["bwsq"]
MANY = settings(max_examples=examples(250, 10000), deadline=None)

CIWA_PATIENT = ("irritable", "fatigued", "tense", "concentration", "appetite", "numbness", "heart_racing",
                "head_full", "muscle_aches", "anxious", "upset", "sleep_restful", "weak", "enough_sleep",
                "visual", "fearful", "worrying")
CIWA_OBSERVER = ("restlessness", "tremor", "sweating")


# -- the shipped definitions ------------------------------------------------

def test_shipped_scales_and_versions():
    assert set(SCALES) == {"daily", "ciwa-b", "bwsq"}
    assert {k: s.version for k, s in SCALES.items()} == {"daily": 2, "ciwa-b": 1, "bwsq": 1}
    assert all(s.key == k for k, s in SCALES.items())
    assert all(s.source and s.note for s in SCALES.values())


def test_the_daily_ratings_version_1_is_still_shipped_for_the_entries_made_with_it():
    from taperdesk.core.scales import shipped_versions

    versions = shipped_versions()
    assert set(versions) == {("daily", 1), ("daily", 2), ("ciwa-b", 1), ("bwsq", 1)}
    old, new = versions[("daily", 1)], versions[("daily", 2)]
    assert [i.key for i in old.items] == ["severity", "sleep"]
    assert [i.key for i in new.items] == ["severity", "sleep", "drowsy", "falls", "confused", "memory"]
    for entry in ({"severity": 4}, {"severity": 4, "sleep": 6}):  # every version-1 entry reads the same by both
        assert old.score(entry) == new.score(entry) == 4 and old.total(entry) == new.total(entry)
    assert new.required_keys == ("severity",)  # side effects are optional: a phone call may give none
    assert new.score({"severity": 3, "falls": 2, "drowsy": 1}) == 3


def test_daily_rating():
    assert [(i.key, i.low, i.high, i.rater) for i in DAILY.items] == [
        ("severity", 0, 10, "patient"), ("sleep", 0, 10, "patient"), ("drowsy", 0, 3, "patient"),
        ("falls", 0, 9, "patient"), ("confused", 0, 3, "patient"), ("memory", 0, 3, "patient")]
    assert DAILY.item("severity").text == "How bad were your withdrawal symptoms today?"
    assert DAILY.item("sleep").text == "How well did you sleep last night?"
    assert DAILY.headline == "severity" and DAILY.bands == () and not DAILY.unverified
    assert "no validated daily scale" in DAILY.note.lower() and "Maudsley" in DAILY.source
    assert DAILY.score({"severity": 6, "sleep": 2}) == 6
    assert DAILY.score({"severity": 6}) == 6  # a phone call may give no sleep rating
    assert DAILY.total({"severity": 6, "sleep": 2}) == 8
    assert DAILY.value_range == (0, 10) and (DAILY.total_low, DAILY.total_high) == (0, 38)
    assert DAILY.required_keys == ("severity",)


def test_ciwa_b_matches_busto_1989():
    assert "Busto" in CIWA.source and "1989" in CIWA.source and not CIWA.unverified
    assert tuple(i.key for i in CIWA.items if i.rater == "patient") == CIWA_PATIENT
    assert tuple(i.key for i in CIWA.items if i.rater == "observer") == CIWA_OBSERVER
    assert all((i.low, i.high) == (0, 4) for i in CIWA.items)
    assert (CIWA.total_low, CIWA.total_high) == (0, 80) and CIWA.headline is None
    assert CIWA.item("tremor").text.startswith("Tremor") and "arms extended" in CIWA.item("tremor").text
    assert [(b.low, b.high, b.label) for b in CIWA.bands] == [
        (0, 0, "none"), (1, 20, "mild"), (21, 40, "moderate"), (41, 60, "severe"), (61, 80, "very severe")]


@pytest.mark.parametrize("total,label,index", [(0, "none", 0), (1, "mild", 1), (20, "mild", 1), (21, "moderate", 2),
                                               (40, "moderate", 2), (41, "severe", 3), (60, "severe", 3),
                                               (61, "very severe", 4), (80, "very severe", 4)])
def test_ciwa_b_band_edges(total, label, index):
    assert CIWA.band(total).label == label and CIWA.band_index(total) == index


def test_every_ciwa_b_total_has_a_band():
    assert all(CIWA.band(t) is not None for t in range(0, 81))
    assert CIWA.band(81) is None and CIWA.band_index(-1) is None


def test_bwsq_structure_without_invented_wording():
    assert "Tyrer" in BWSQ.source and "1990" in BWSQ.source and BWSQ.unverified
    assert len(BWSQ.items) == 20 and all((i.low, i.high, i.rater) == (0, 2, "patient") for i in BWSQ.items)
    assert [i.key for i in BWSQ.items] == [f"bwsq_{n:02d}" for n in range(1, 21)]
    assert all(i.text == f"BWSQ question {n} (wording not entered yet)" for n, i in enumerate(BWSQ.items, 1))
    assert (BWSQ.total_low, BWSQ.total_high) == (0, 40) and BWSQ.bands == () and BWSQ.band(12) is None


def test_bwsq_cannot_be_used_until_its_licensed_wording_is_entered():
    assert not BWSQ.usable and "Imperial College London" in BWSQ.needs_wording
    assert "section 7" in BWSQ.needs_wording
    with pytest.raises(ScaleError, match="BWSQ cannot be used yet: the BWSQ is licensed by Imperial College London"):
        BWSQ.check_usable()
    worded = BWSQ.to_dict()
    worded.pop("needs_wording")
    assert ScaleDefinition.from_dict(worded).usable
    assert DAILY.usable and CIWA.usable and "needs_wording" not in CIWA.to_dict()


def test_ciwa_b_answer_anchors_on_every_item_and_its_sleep_items_read_higher_is_worse():
    standard = "0 not at all · 1 a little · 2 moderately · 3 quite a bit · 4 very much so"
    texts = {i.key: CIWA.anchor_text(i) for i in CIWA.items}
    assert all(texts[k] == standard for k in texts if k not in ("sleep_restful", "enough_sleep"))
    assert texts["sleep_restful"] == "0 very restful · 1 restful · 2 somewhat restless · 3 restless · 4 not restful at all"
    assert texts["enough_sleep"].startswith("0 plenty of sleep") and texts["enough_sleep"].endswith("4 hardly any sleep")
    for key in ("sleep_restful", "enough_sleep"):
        assert "higher = " in CIWA.item(key).text and "NOT" in CIWA.item(key).text
    assert ScaleDefinition.from_dict(CIWA.to_dict()) == CIWA  # the anchors survive the stored form


def test_anchors_that_do_not_fit_an_item_are_refused_and_ranges_edited_drop_the_scales():
    data = CIWA.to_dict()
    data["items"][0]["anchors"] = ["no", "yes"]
    with pytest.raises(ScaleError, match="item 'irritable': give one answer anchor for each score 0-4 \\(5\\), not 2"):
        ScaleDefinition.from_dict(data)
    data = CIWA.to_dict()
    data["items"][-1]["high"] = 2
    data["bands"] = []
    edited = ScaleDefinition.from_dict(data)
    assert edited.anchor_text(edited.items[-1]) == "" and edited.anchor_text(edited.items[0]).startswith("0 not at all")
    assert "anchors" not in DAILY.to_dict()  # definitions without anchors keep their stored form


def test_load_scales_returns_a_fresh_dict():
    mine = load_scales()
    mine.pop("daily")
    assert "daily" in load_scales()


# -- scoring -----------------------------------------------------------------

def full(scale: ScaleDefinition, value: int = 0) -> dict[str, int]:
    return {i.key: value for i in scale.items}


def test_ciwa_b_score_is_the_total():
    items = full(CIWA, 1) | {"tremor": 4}
    assert CIWA.score(items) == CIWA.total(items) == 23
    assert CIWA.band(CIWA.score(items)).label == "moderate"


@pytest.mark.parametrize("scale,items,words", [
    (DAILY, {"severity": 11}, ["'severity'", "whole number 0-10", "11"]),
    (DAILY, {"severity": 1.5}, ["'severity'", "whole"]),
    (DAILY, {"severity": True}, ["'severity'", "whole"]),
    (DAILY, {"severity": -1}, ["'severity'", "0-10"]),
    (DAILY, {"sleep": 4}, ["'severity'", "no score"]),
    (DAILY, {"severity": 2, "mood": 3}, ["no item 'mood'", "severity, sleep"]),
    (CIWA, {k: 0 for k in CIWA_PATIENT}, ["'restlessness'", "no score", "2 more"]),
    (CIWA, full(CIWA) | {"tremor": 5}, ["'tremor'", "0-4", "5"]),
    (BWSQ, full(BWSQ) | {"bwsq_07": 3}, ["'bwsq_07'", "0-2"]),
])
def test_bad_scores_are_refused_naming_the_item(scale, items, words):
    with pytest.raises(ScaleError) as err:
        scale.score(items)
    message = str(err.value)
    assert "\n" not in message and all(w in message for w in words), message
    with pytest.raises(ScaleError):
        scale.total(items)


def test_scale_error_is_a_value_error():
    assert issubclass(ScaleError, ValueError)


@MANY
@given(st.data())
def test_scores_of_valid_entries(data):
    scale = data.draw(st.sampled_from(list(SCALES.values())))
    items = {i.key: data.draw(st.integers(i.low, i.high)) for i in scale.items}
    if scale.headline is not None:
        for key in [k for k in items if k != scale.headline]:
            if data.draw(st.booleans()):
                del items[key]
    value = scale.score(items)
    assert value == (items[scale.headline] if scale.headline else sum(items.values()))
    low, high = scale.value_range
    assert low <= value <= high and scale.total(items) == sum(items.values())
    band, index = scale.band(value), scale.band_index(value)
    assert (band is None) == (index is None)
    if band is not None:
        assert scale.bands[index] == band and band.low <= value <= band.high


# -- definitions: round trip and validation ---------------------------------

@pytest.mark.parametrize("key", sorted(SCALES))
def test_shipped_definitions_round_trip(key):
    d = SCALES[key].to_dict()
    assert ScaleDefinition.from_dict(d) == SCALES[key]
    assert d["headline"] == SCALES[key].headline and isinstance(d["items"], list)


def _valid() -> dict:
    return {"key": "mood", "version": 1, "title": "Mood check", "headline": None, "source": "our clinic",
            "unverified": False, "note": "",
            "items": [{"key": "low", "text": "Low mood", "low": 0, "high": 3, "rater": "patient"},
                      {"key": "panic", "text": "Panic", "low": 0, "high": 3, "rater": "observer"}],
            "bands": [{"low": 0, "high": 2, "label": "little"}, {"low": 3, "high": 6, "label": "some"}]}


def _with(path, value):
    d = _valid()
    target = d
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


BAD = [
    (("items", 1, "key"), "low", ["'low'", "twice", "unique"]),
    (("items", 0, "high"), 0, ["'low'", "lowest score (0)", "highest (0)"]),
    (("items", 0, "low"), -1, ["'low'", "0 or more"]),
    (("items", 0, "high"), 2.5, ["'low'", "whole numbers"]),
    (("items", 1, "rater"), "nurse", ["'panic'", "'patient' or 'observer'"]),
    (("items", 1, "text"), " ", ["'panic'", "wording"]),
    (("items", 1, "colour"), "red", ["'panic'", "unknown field 'colour'"]),
    (("items", 0, "high", ), KeyError, ["'low'", "needs a 'high'"]),
    (("items",), [], ["at least one item"]),
    (("bands", 1, "high"), 7, ["'some'", "outside the total's range 0-6"]),
    (("bands", 1, "low"), 2, ["'some'", "overlaps 'little'"]),
    (("bands",), [{"low": 3, "high": 6, "label": "some"}, {"low": 0, "high": 2, "label": "little"}],
     ["'little'", "lowest to highest"]),
    (("bands", 0, "label"), "", ["band 0-2", "label"]),
    (("bands", 0, "high"), -1, ["'little'", "low to high"]),
    (("headline",), "calm", ["headline item 'calm'"]),
    (("version",), 0, ["version", "from 1"]),
    (("version",), True, ["version"]),
    (("title",), "", ["'mood'", "title"]),
    (("key",), " mood", ["key"]),
    (("unverified",), "yes", ["'unverified'"]),
    (("colour",), "red", ["unknown field 'colour'"]),
    (("items",), KeyError, ["needs a 'items'"]),
]


@pytest.mark.parametrize("path,value,words", BAD)
def test_bad_definitions_are_refused_with_one_line(path, value, words):
    with pytest.raises(ScaleError) as err:
        ScaleDefinition.from_dict(_with(path, value))
    message = str(err.value)
    assert "\n" not in message and all(w in message for w in words), message


def test_headline_bands_are_checked_against_the_headline_range():
    d = _valid() | {"headline": "low", "bands": [{"low": 0, "high": 3, "label": "any"}]}
    assert ScaleDefinition.from_dict(d).band(3).label == "any"
    d["bands"] = [{"low": 0, "high": 4, "label": "any"}]
    with pytest.raises(ScaleError, match="outside the 'low' score's range 0-3"):
        ScaleDefinition.from_dict(d)


def test_a_definition_built_directly_is_validated_too():
    good = ScaleDefinition.from_dict(_valid())
    with pytest.raises(ScaleError, match="twice"):
        dataclasses.replace(good, items=good.items + (good.items[0],))
    assert dataclasses.replace(good, version=2).version == 2


def test_definitions_are_hashable_values():
    assert hash(CIWA) == hash(ScaleDefinition.from_dict(CIWA.to_dict()))
    assert Item("a", "A", 0, 1, "patient") == Item("a", "A", 0, 1, "patient")
    assert Band(0, 1, "x").to_dict() == {"low": 0, "high": 1, "label": "x"}


def test_toml_table_key_must_agree():
    with pytest.raises(ScaleError, match="says its key"):
        parse_scales('[scales.a]\nkey = "b"\nversion = 1\ntitle = "A"\n'
                     'items = [{ key = "x", text = "X", low = 0, high = 1 }]\n')


@st.composite
def definitions(draw) -> dict:
    keys = draw(st.lists(st.text("abcdefgh_", min_size=1, max_size=6), min_size=1, max_size=8, unique=True))
    items = []
    for key in keys:
        low = draw(st.integers(0, 3))
        items.append({"key": key, "text": f"Item {key}", "low": low, "high": draw(st.integers(low + 1, 10)),
                      "rater": draw(st.sampled_from(("patient", "observer")))})
    headline = draw(st.sampled_from([None] + keys))
    if headline is None:
        lo, hi = sum(i["low"] for i in items), sum(i["high"] for i in items)
    else:
        item = next(i for i in items if i["key"] == headline)
        lo, hi = item["low"], item["high"]
    cuts = sorted(draw(st.sets(st.integers(lo, hi), max_size=4)))
    bands = []
    for n, start in enumerate(cuts):
        end = cuts[n + 1] - 1 if n + 1 < len(cuts) else hi
        bands.append({"low": start, "high": end, "label": f"band {n}"})
    return {"key": "own", "version": draw(st.integers(1, 50)), "title": "Our scale", "items": items,
            "bands": bands, "headline": headline, "source": "clinic", "unverified": draw(st.booleans()), "note": ""}


@MANY
@given(definitions())
def test_any_valid_definition_round_trips(d):
    scale = ScaleDefinition.from_dict(d)
    assert scale.to_dict() == d
    assert ScaleDefinition.from_dict(scale.to_dict()) == scale


@MANY
@given(definitions(), st.data())
def test_a_broken_definition_never_gets_through(d, data):
    """Break one thing at random: the definition is refused with a one-line message."""
    how = data.draw(st.sampled_from(("dup", "range", "band_out", "overlap", "headline")))
    if how == "dup":
        d["items"].append(dict(d["items"][0]))
    elif how == "range":
        item = data.draw(st.sampled_from(d["items"]))
        item["high"] = item["low"] - data.draw(st.integers(0, 2))
    elif how == "band_out":
        d["bands"].append({"low": 10_000, "high": 10_001, "label": "beyond"})
    elif how == "overlap":
        if not d["bands"]:
            d["bands"] = [{"low": 0, "high": 0, "label": "a"}]
        d["bands"].append(dict(d["bands"][-1], label="again"))
    else:
        d["headline"] = "not-an-item"
    with pytest.raises(ScaleError) as err:
        ScaleDefinition.from_dict(d)
    assert "\n" not in str(err.value) and str(err.value)
