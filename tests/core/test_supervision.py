"""The flare rule and the attention list: worked examples with their exact
sentences, and properties over thousands of symptom series on real plans (a flat
series never flares, a rise after a cut always does, entries before the first
cut never do, a hold from the flare day answers it, a CIWA-B band rise flares)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples  # quick by default, long under `make soak`

from taperdesk.core.edits import hold
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.supervision import (
    Flare,
    FlareRule,
    FlareRuleError,
    Observation,
    attention,
    find_flare,
    format_day,
    load_flare_rule,
    lookback,
)
from tests.core.strategies import CATALOGUE, plan_inputs

MANY = settings(max_examples=examples(400, 20000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=examples(100, 3000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULE = FlareRule()
START = date(2026, 1, 5)


def _plan(drug, doses, **kw):
    return make_plan(Regimen(drug, doses), PlanSettings(start=START, **kw), CATALOGUE)


PLANS = (
    _plan("diazepam", (("night", 20.0),), method="proportional", interval_days=14),
    _plan("diazepam", (("night", 15.0),), method="stepwise", interval_days=7),
    _plan("lorazepam", (("morning", 1.0), ("night", 1.0)), method="proportional", interval_days=14, crossover=True),
    _plan("clonazepam", (("morning", 0.5), ("night", 0.5)), method="fixed", interval_days=21, cut_percent=10.0),
    _plan("diazepam", (("morning", 5.0), ("night", 5.0)), method="proportional", interval_days=28, cut_percent=5.0),
)
DIAZEPAM = PLANS[0]


def daily(day, value):
    return Observation(day, "daily", value)


def ciwa(day, total, band):
    return Observation(day, "ciwa-b", total, band)


# -- the defaults and their sources ------------------------------------------

def test_defaults_come_from_the_data_file_with_sources():
    rule, sources = load_flare_rule()
    assert rule == FlareRule() == FlareRule(14, 7, 3.0, 1, 91, 7)
    assert set(sources) == set(rule.to_dict())
    assert "Rec 1" in sources["review_every_days"] and "3 months" in sources["review_every_days"]
    for name in ("window_days", "baseline_days", "daily_rise", "ciwa_band_rise"):
        assert "TaperDesk design rule" in sources[name] and "not a validated threshold" in sources[name]
        assert "Joint Guideline 2025 Rec" in sources[name]
    assert "Rec 9" in sources["window_days"] and "Rec 11" in sources["daily_rise"]
    assert all("\n" not in s for s in sources.values())


def test_rule_dict_round_trip_and_partial_settings():
    assert FlareRule.from_dict({}) == RULE
    assert FlareRule.from_dict(RULE.to_dict()) == RULE
    mine = FlareRule.from_dict({"daily_rise": 2, "window_days": 10})
    assert (mine.daily_rise, mine.window_days, mine.baseline_days) == (2.0, 10, 7)
    assert isinstance(mine.daily_rise, float)


@pytest.mark.parametrize("d,words", [
    ({"window_days": 0}, "flare window"), ({"baseline_days": -3}, "baseline"), ({"daily_rise": 0}, "rise"),
    ({"daily_rise": "3"}, "rise"), ({"ciwa_band_rise": 1.5}, "CIWA-B"), ({"review_every_days": True}, "review"),
    ({"step_change_soon_days": 0}, "step change"), ({"speed": 3}, "Unknown flare threshold 'speed'"),
])
def test_bad_thresholds_are_refused(d, words):
    with pytest.raises(FlareRuleError, match=words) as err:
        FlareRule.from_dict(d)
    assert isinstance(err.value, ValueError) and "\n" not in str(err.value)
    with pytest.raises(ValueError):
        FlareRule.from_dict([("window_days", 3)])


# -- worked examples ---------------------------------------------------------

CUT = DIAZEPAM.cut_dates()[1]
BASELINE = [daily(CUT - timedelta(days=n), v) for n, v in zip(range(1, 8), (3, 4, 4, 3, 4, 3, 4))]  # mean 25/7


def test_daily_flare_with_its_sentence():
    obs = BASELINE + [daily(CUT + timedelta(days=1), 6), daily(CUT + timedelta(days=3), 7)]
    flare = find_flare(DIAZEPAM, obs, RULE, CUT + timedelta(days=5))
    assert (flare.cut_date, flare.day, flare.scale) == (CUT, CUT + timedelta(days=3), "daily")
    assert isinstance(flare, Flare)
    assert flare.text == "Daily rating 7 on 12 Feb, 3.4 above the 7 days before the cut on 9 Feb (mean 3.6)."


def test_the_threshold_is_inclusive_and_exact():
    base = [daily(CUT - timedelta(days=n), 4) for n in (1, 2, 3)]
    assert find_flare(DIAZEPAM, base + [daily(CUT, 7)], RULE, CUT).day == CUT
    assert find_flare(DIAZEPAM, base + [daily(CUT, 6)], RULE, CUT) is None
    odd = [daily(CUT - timedelta(days=1), 1), daily(CUT - timedelta(days=2), 2)]  # mean 1.5
    assert find_flare(DIAZEPAM, odd + [daily(CUT + timedelta(days=2), 4)], RULE, CUT + timedelta(days=2)) is None
    hit = find_flare(DIAZEPAM, odd + [daily(CUT + timedelta(days=2), 5)], RULE, CUT + timedelta(days=2))
    assert "3.5 above" in hit.text and "(mean 1.5)" in hit.text
    loose = FlareRule(daily_rise=2.5)
    assert find_flare(DIAZEPAM, odd + [daily(CUT + timedelta(days=2), 4)], loose, CUT + timedelta(days=2))


def test_window_edges_and_today():
    last = CUT + timedelta(days=RULE.window_days - 1)
    base = [daily(CUT - timedelta(days=1), 2)]
    assert find_flare(DIAZEPAM, base + [daily(last, 9)], RULE, last).day == last
    assert find_flare(DIAZEPAM, base + [daily(last + timedelta(days=1), 9)], RULE, last + timedelta(days=1)) is None
    # an entry dated after today (not possible in storage, but never read)
    assert find_flare(DIAZEPAM, base + [daily(CUT + timedelta(days=3), 9)], RULE, CUT + timedelta(days=2)) is None
    # baseline only the 7 days before the cut
    old = [daily(CUT - timedelta(days=8), 0)]
    assert find_flare(DIAZEPAM, old + [daily(CUT, 9)], RULE, CUT) is None


def test_only_the_most_recent_cut_is_watched():
    nxt = DIAZEPAM.cut_dates()[2]
    obs = BASELINE + [daily(CUT + timedelta(days=2), 9)]
    assert find_flare(DIAZEPAM, obs, RULE, nxt - timedelta(days=1)) is not None
    assert find_flare(DIAZEPAM, obs, RULE, nxt) is None


def test_ciwa_b_band_rise_with_its_sentence():
    before = [ciwa(CUT - timedelta(days=20), 30, 2), ciwa(CUT - timedelta(days=6), 12, 1)]
    flare = find_flare(DIAZEPAM, before + [ciwa(CUT + timedelta(days=4), 24, 2)], RULE, CUT + timedelta(days=6))
    assert flare.scale == "ciwa-b" and flare.day == CUT + timedelta(days=4)
    assert flare.text == "CIWA-B 24 on 13 Feb, a band higher than 12 on 3 Feb, before the cut on 9 Feb."
    same = find_flare(DIAZEPAM, before + [ciwa(CUT + timedelta(days=4), 20, 1)], RULE, CUT + timedelta(days=6))
    assert same is None
    two = FlareRule(ciwa_band_rise=2)
    assert find_flare(DIAZEPAM, before + [ciwa(CUT + timedelta(days=4), 24, 2)], two, CUT + timedelta(days=6)) is None
    jump = find_flare(DIAZEPAM, before + [ciwa(CUT + timedelta(days=4), 45, 3)], two, CUT + timedelta(days=6))
    assert "2 bands higher" in jump.text
    # no CIWA-B before the cut: nothing to compare with
    assert find_flare(DIAZEPAM, [ciwa(CUT + timedelta(days=4), 70, 4)], RULE, CUT + timedelta(days=6)) is None


def test_other_scales_are_not_read():
    obs = [Observation(CUT - timedelta(days=1), "bwsq", 2), Observation(CUT + timedelta(days=1), "bwsq", 30)]
    assert find_flare(DIAZEPAM, obs, RULE, CUT + timedelta(days=2)) is None


def test_holds_answer_a_flare_only_from_its_day_on():
    obs = BASELINE + [daily(CUT + timedelta(days=3), 8)]
    today = CUT + timedelta(days=5)
    assert find_flare(hold(DIAZEPAM, CUT + timedelta(days=3), 7, "flare"), obs, RULE, today) is None
    assert find_flare(hold(DIAZEPAM, today, 14, "flare"), obs, RULE, today) is None
    earlier = hold(DIAZEPAM, CUT + timedelta(days=1), 1, "unwell")  # before the flare: still shown
    assert find_flare(earlier, obs, RULE, today) is not None


def test_no_cut_yet():
    first = DIAZEPAM.cut_dates()[0]
    obs = [daily(first - timedelta(days=n), 9 if n == 1 else 0) for n in range(1, 9)]
    assert find_flare(DIAZEPAM, obs, RULE, first - timedelta(days=1)) is None


# -- the attention list --------------------------------------------------------

def test_attention_reasons_in_plain_words():
    today = CUT + timedelta(days=5)
    obs = BASELINE + [daily(CUT + timedelta(days=3), 8)]
    recent = today - timedelta(days=10)
    assert attention(DIAZEPAM, "active", obs, recent, RULE, today) == ["Flare after the cut on 9 Feb"]
    nxt = DIAZEPAM.cut_dates()[2]
    assert attention(DIAZEPAM, "active", obs, nxt, RULE, nxt - timedelta(days=3)) == [
        "Flare after the cut on 9 Feb", "Step change on 23 Feb (this week)"]
    assert attention(DIAZEPAM, "active", obs, nxt, RULE, nxt) == ["Step change on 23 Feb (today)"]
    assert attention(DIAZEPAM, "active", obs, nxt, RULE, nxt + timedelta(days=1)) == [
        "No symptoms recorded since the cut on 23 Feb"]
    assert attention(DIAZEPAM, "active", obs, nxt, FlareRule(step_change_soon_days=10), nxt - timedelta(days=9)) == [
        "Flare after the cut on 9 Feb", "Step change on 23 Feb (within 10 days)"]


def test_review_overdue():
    today = date(2026, 3, 4)
    plan = hold(DIAZEPAM, date(2026, 2, 20), 30, "unwell")  # no step change near today
    recent = [daily(today - timedelta(days=1), 3)]
    assert attention(plan, "active", recent, date(2025, 12, 2), RULE, today) == [
        "Review overdue (last 2 Dec, over 3 months)"]
    assert attention(plan, "active", recent, today - timedelta(days=91), RULE, today) == []
    assert attention(plan, "active", recent, date(2024, 12, 2), RULE, today) == [
        "Review overdue (last 2 Dec 2024, over 3 months)"]
    assert attention(plan, "active", recent, None, RULE, today) == []  # started under 3 months ago
    assert "Review overdue (none recorded)" in attention(plan, "active", recent, None, RULE, date(2026, 4, 8))
    weeks = FlareRule(review_every_days=28)
    assert "over 4 weeks" in attention(plan, "active", recent, date(2026, 1, 1), weeks, today)[0]


def test_status_decides_what_is_looked_at():
    today = CUT + timedelta(days=5)
    obs = BASELINE + [daily(CUT + timedelta(days=3), 8)]
    old = today - timedelta(days=200)
    assert attention(DIAZEPAM, "paused", obs, old, RULE, today) == [
        f"Review overdue (last {format_day(old, today)}, over 3 months)"]
    for status in ("draft", "completed", "stopped"):
        assert attention(DIAZEPAM, status, obs, old, RULE, today) == []
    assert attention(None, None, obs, old, RULE, today) == []
    assert attention(DIAZEPAM, None, obs, today, RULE, today) == ["Flare after the cut on 9 Feb"]


def test_no_symptoms_since_the_cut_and_the_lookback():
    today = CUT + timedelta(days=4)
    assert attention(DIAZEPAM, "active", BASELINE, today, RULE, today) == [
        "No symptoms recorded since the cut on 9 Feb"]
    assert attention(DIAZEPAM, "active", BASELINE + [ciwa(CUT + timedelta(days=1), 3, 1)], today, RULE, today) == []
    assert lookback(DIAZEPAM, RULE, today) == CUT - timedelta(days=91)
    assert lookback(None, RULE, today) == today - timedelta(days=91)


# -- properties ----------------------------------------------------------------

@st.composite
def scenes(draw):
    """A plan, one of its cuts (not the final stop) and a day in that cut's window
    before the next cut."""
    plan = draw(st.sampled_from(PLANS))
    cuts = plan.cut_dates()
    n = draw(st.integers(0, len(cuts) - 1))
    cut = cuts[n]
    limit = RULE.window_days - 1
    if n + 1 < len(cuts):
        limit = min(limit, (cuts[n + 1] - cut).days - 1)
    today = cut + timedelta(days=draw(st.integers(0, limit)))
    return plan, cut, today


def _all_days(plan):
    return plan.start - timedelta(days=30), plan.end + timedelta(days=30)


@MANY
@given(st.sampled_from(PLANS), st.data())
def test_a_flat_series_never_flares(plan, data):
    first, last = _all_days(plan)
    value = data.draw(st.integers(0, 10))
    band = data.draw(st.integers(0, 4))
    days = data.draw(st.sets(st.integers(0, (last - first).days), max_size=80))
    obs = [daily(first + timedelta(days=d), value) for d in days]
    obs += [ciwa(first + timedelta(days=d), 30, band) for d in days if d % 9 == 0]
    today = first + timedelta(days=data.draw(st.integers(0, (last - first).days)))
    assert find_flare(plan, obs, RULE, today) is None
    assert not any(r.startswith("Flare") for r in attention(plan, "active", obs, today, RULE, today))


@MANY
@given(scenes(), st.data())
def test_a_rise_after_a_cut_always_flares(scene, data):
    plan, cut, today = scene
    rule = FlareRule(daily_rise=data.draw(st.sampled_from((1.0, 2.0, 2.5, 3.0, 4.0))))
    base_days = data.draw(st.sets(st.integers(1, rule.baseline_days), min_size=1))
    base = [daily(cut - timedelta(days=d), data.draw(st.integers(0, 6))) for d in base_days]
    mean = sum(o.value for o in base) / len(base)
    value = math.ceil(mean + rule.daily_rise - 1e-9)
    day = cut + timedelta(days=data.draw(st.integers(0, (today - cut).days)))
    noise = [daily(cut + timedelta(days=d), data.draw(st.integers(0, 10)))
             for d in data.draw(st.sets(st.integers(0, (today - cut).days), max_size=5))]
    flare = find_flare(plan, base + noise + [daily(day, value)], rule, today)
    assert flare is not None and flare.cut_date == cut and cut <= flare.day <= day and flare.scale == "daily"
    assert attention(plan, "active", base + [daily(day, value)], today, rule, today)[0] == \
        f"Flare after the cut on {format_day(cut, today)}"


@MANY
@given(st.sampled_from(PLANS), st.data())
def test_entries_before_the_first_cut_never_flare(plan, data):
    first_cut = plan.cut_dates()[0]
    earliest = first_cut - timedelta(days=60)
    days = data.draw(st.lists(st.integers(0, 59), max_size=40))
    obs = [daily(earliest + timedelta(days=d), data.draw(st.integers(0, 10))) for d in days]
    obs += [ciwa(earliest + timedelta(days=d), 0, data.draw(st.integers(0, 4))) for d in days[:5]]
    today = earliest + timedelta(days=data.draw(st.integers(0, 400)))
    assert find_flare(plan, obs, RULE, today) is None


@MANY
@given(scenes(), st.data())
def test_a_hold_from_the_flare_day_answers_it(scene, data):
    plan, cut, today = scene
    base = [daily(cut - timedelta(days=d), data.draw(st.integers(0, 4))) for d in (1, 2)]
    day = cut + timedelta(days=data.draw(st.integers(0, (today - cut).days)))
    obs = base + [daily(day, 10)]
    flare = find_flare(plan, obs, RULE, today)
    assert flare is not None
    step = plan.step_on(flare.day)
    if step is None or step.kind == "stop":
        return  # a flare after the taper stopped cannot be held
    held = hold(plan, flare.day, data.draw(st.integers(1, 28)), "flare after the cut")
    assert find_flare(held, obs, RULE, today) is None
    later = today + timedelta(days=data.draw(st.integers(0, 20)))
    again = find_flare(held, obs, RULE, later)
    assert again is None or again.cut_date > cut


@MANY
@given(scenes(), st.data())
def test_a_ciwa_b_band_rise_flares(scene, data):
    plan, cut, today = scene
    rule = FlareRule(ciwa_band_rise=data.draw(st.integers(1, 3)))
    before = data.draw(st.integers(0, 4 - rule.ciwa_band_rise))
    older = [ciwa(cut - timedelta(days=d), 0, data.draw(st.integers(0, 4))) for d in (40, 30)]
    last = ciwa(cut - timedelta(days=data.draw(st.integers(1, 20))), 0, before)
    after = ciwa(cut + timedelta(days=data.draw(st.integers(0, (today - cut).days))), 0,
                 data.draw(st.integers(before + rule.ciwa_band_rise, 4)))
    flare = find_flare(plan, older + [last, after], rule, today)
    assert flare is not None and flare.scale == "ciwa-b" and flare.day == after.day and flare.cut_date == cut


@SOME
@given(plan_inputs(crossover=False), st.data())
def test_any_flare_found_is_in_the_window_of_the_last_cut(inputs, data):
    plan = make_plan(*inputs, CATALOGUE)
    first, last = _all_days(plan)
    span = (last - first).days
    obs = [daily(first + timedelta(days=d), data.draw(st.integers(0, 10)))
           for d in data.draw(st.sets(st.integers(0, span), max_size=60))]
    today = first + timedelta(days=data.draw(st.integers(0, span)))
    flare = find_flare(plan, obs, RULE, today)
    if flare is not None:
        assert flare.cut_date == max(c for c in plan.cut_dates() if c <= today)
        assert flare.cut_date <= flare.day <= min(today, flare.cut_date + timedelta(days=RULE.window_days - 1))
        assert not any(h.start >= flare.day for h in plan.holds())
    reasons = attention(plan, "active", obs, today, RULE, today)
    assert all("\n" not in r for r in reasons) and len(reasons) == len(set(reasons))


def test_a_fall_puts_the_patient_on_the_list_for_fall_days():
    plan = _plan("diazepam", (("night", 10.0),))
    today = plan.start + timedelta(days=30)
    fell = Observation(today - timedelta(days=3), "daily", 2, falls=1)
    reasons = attention(plan, "active", [fell], today, RULE, today)
    assert f"Fall recorded on {format_day(fell.day, today)}" in reasons
    assert attention(plan, "paused", [fell], today, RULE, today)[0].startswith("Fall recorded on")
    later = fell.day + timedelta(days=RULE.fall_days)
    assert not any(r.startswith("Fall") for r in attention(plan, "active", [fell], later, RULE, later))
    assert attention(plan, "completed", [fell], today, RULE, today) == []  # no plan in progress
    assert not any(r.startswith("Fall") for r in attention(
        plan, "active", [Observation(fell.day, "daily", 2)], today, RULE, today))
