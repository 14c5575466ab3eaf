"""The advice page is built from what applies to the patient, every point has a
source, and every variant reads at Flesch-Kincaid grade 6 or below (textstat),
over combinations of medicines, alcohol, other sedating substances, support
agreed and clinic details drawn by hypothesis."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import textstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk.core.advice import AdviceFacts, SupportLine, advice_page, hours_in_words, load_advice, medicines_for
from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.interactions import OtherMedicine, check
from taperdesk.core.support import SupportError, parse_options, shipped_options
from tests.conftest import examples

CATALOGUE = load_catalogue()
MAX_GRADE = 6.0
OTHERS = (OtherMedicine("oxycodone", "10 mg"), OtherMedicine("pregabalin"), OtherMedicine("clarithromycin"),
          OtherMedicine("ciprofloxacin"), OtherMedicine("zolpidem"), OtherMedicine("cannabis", kind="substance"),
          OtherMedicine("ramipril"), OtherMedicine("OxyContin 20 mg twice a day"))


def grade(text: str) -> float:
    textstat.set_lang("en_US")
    return textstat.flesch_kincaid_grade(text)


def _drug_names() -> list[str]:
    data = tomllib.loads(files("taperdesk.data").joinpath("drugs.toml").read_text(encoding="utf-8"))
    return [d["name"] for d in data["drug"]]


NAMES = _drug_names()

facts_strategy = st.builds(
    AdviceFacts,
    medicines=st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True).map(
        lambda names: medicines_for(names, CATALOGUE)),
    alcohol_units=st.one_of(st.none(), st.just(0.0), st.floats(0.5, 120)),
    others=st.lists(st.sampled_from(OTHERS), max_size=3, unique=True).map(tuple),
    support=st.lists(st.sampled_from(shipped_options()), max_size=5, unique=True).map(tuple),
    clinic_name=st.sampled_from(["Harbour Street Clinic", "", "Clinique du Port"]),
    clinic_phone=st.sampled_from(["023 9200 0100", "", "+33 1 23 45 67 89"]),
    emergency_number=st.sampled_from(["999", "112 or 999", "911", "000", ""]),
)


@settings(max_examples=examples(60, 3000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=facts_strategy)
def test_every_variant_reads_at_grade_6_or_below(facts):
    page = advice_page(facts)
    assert grade(page.text()) <= MAX_GRADE, page.text()


@settings(max_examples=examples(40, 2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=facts_strategy)
def test_what_applies_is_printed_and_nothing_else(facts):
    page = advice_page(facts)
    text = page.text()
    drinks = facts.alcohol_units is not None and facts.alcohol_units > 0
    assert ("You told us that you drink alcohol" in text) == drinks
    assert "Do not drink alcohol while you take" in text  # the page's own line, or the alcohol rule's
    assert ("If you drink a lot, do not stop all at once" in text) == drinks
    warnings = check([m.name for m in facts.medicines], facts.others, facts.alcohol_units)
    for w in warnings:  # each interaction in the rule's own words, with its source
        assert w.patient_text in text and w.cite() in page.sources
    for option in shipped_options():
        assert (option.patient in text) == (option in facts.support)
    assert ("Ask us about it" in text) == (not facts.support)
    assert ("St John's wort" in text) == any(m.name == "alprazolam" for m in facts.medicines)
    for m in facts.medicines:
        assert hours_in_words(m.half_life_h) in text
    if facts.emergency_number:
        assert f"Call {facts.emergency_number} now" in page.emergency
    assert all(p.source and p.source in page.sources for s in page.sections for p in s.points)


def test_two_patients_get_different_pages():
    diazepam = medicines_for(["diazepam"], CATALOGUE)
    [cbt, _, hygiene, group, _] = shipped_options()
    drinker = advice_page(AdviceFacts(diazepam, alcohol_units=20, others=(OtherMedicine("oxycodone"),),
                                      support=(cbt, group)))
    sober = advice_page(AdviceFacts(diazepam, alcohol_units=0, support=(hygiene,)))
    assert drinker.text() != sober.text()
    assert "You told us that you drink alcohol" in drinker.text()
    assert "Oxycodone and diazepam together can make you very sleepy" in drinker.text()
    assert cbt.patient in drinker.text() and hygiene.patient not in drinker.text()
    assert hygiene.patient in sober.text() and "Do not drink alcohol while you take diazepam" in sober.text()


def test_half_lives_in_plain_words():
    assert hours_in_words("6–12") == "6 to 12 hours"
    assert hours_in_words("20–100 [36–200]") == "1 to 4 days"
    assert hours_in_words("[36–200]") == "2 to 8 days"  # only the active metabolite's is known
    assert hours_in_words("2") == "2 hours"
    short = advice_page(AdviceFacts(medicines_for(["alprazolam"], CATALOGUE))).sections[2]
    assert short.heading == "How long your medicine stays in your body"
    assert short.points[0].text.startswith("Alprazolam leaves your body fast. Half of each dose is gone in 6 to 12 hours.")
    assert short.points[0].source.startswith("Ashton Manual (2002) Table 1")


def test_every_point_in_the_data_has_a_source_and_unverified_is_said():
    data = load_advice()
    for section in data["section"]:
        assert section.get("source"), section["heading"]
        for point in section.get("points", ()):
            if isinstance(point, dict):
                assert point.get("source") or section.get("source")
    herbs = next(s for s in data["section"] if s["heading"] == "Herbs and supplements")
    assert herbs["source"].startswith("UNVERIFIED")
    assert any("Markowitz" in p.get("source", "") for p in herbs["points"] if isinstance(p, dict))
    assert all(o.source for o in shipped_options())


def test_a_clinics_support_list_is_checked():
    good = [{"key": "walk", "label": "Walking group", "patient": "A walking group on Tuesdays.", "source": ""}]
    assert parse_options(good) == (SupportLine("walk", "Walking group", "A walking group on Tuesdays.", ""),)
    for bad, words in [([], "at least one"), ([{**good[0], "key": "Walk Group"}], "lower-case"),
                       (good * 2, "used twice"), ([{**good[0], "patient": " "}], "the patient reads"),
                       ([{**good[0], "colour": "red"}], "unknown field")]:
        try:
            parse_options(bad)
        except SupportError as exc:
            assert words in str(exc)
        else:
            raise AssertionError(f"accepted {bad}")


MAX_SENTENCE_GRADE = 7.0


def _common_pair(rule, rules) -> tuple[str, str]:
    """The names a typical patient of the rule would see: diazepam (or the one drug the rule
    is about) and the first-listed, commonest member of the other group."""
    drug = rule.only[0] if rule.only else "diazepam"
    group = rule.other[0]
    other = {"alcohol": "alcohol", "substance": "cannabis"}.get(group)
    return drug, other or next(iter(rules.groups[group].members))


def test_each_interactions_patient_words_read_at_grade_7_or_below():
    """Each rule's sentence on its own, not only the page it sits in (where the page's
    plainer sentences can hide a hard one): the quinolone sentence scored 7.9."""
    from taperdesk.core.interactions import load_rules
    rules = load_rules()
    for rule in rules.rules:
        drug, other = _common_pair(rule, rules)
        text = rule.patient.format(drug=drug, other=other)
        assert grade(text) <= MAX_SENTENCE_GRADE, (rule.id, round(grade(text), 1), text)
    quinolone = next(r for r in rules.rules if r.id == "quinolones")
    assert grade(quinolone.patient.format(drug="lorazepam", other="Ciprofloxacin")) <= MAX_SENTENCE_GRADE
