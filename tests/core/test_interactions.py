"""Interaction rules: data with sources, checked in the core against the taper's drugs
(both of a crossover) and what else the patient takes, names matched as people type them."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.interactions import (
    InteractionDataError,
    OtherMedicine,
    alcohol_units,
    check,
    findings,
    load_rules,
    parse_rules,
)


def _rules_of(warnings):
    return sorted(w.rule for w in warnings)


def test_diazepam_oxycodone_and_20_units_warn_with_sources():
    warnings = check(["diazepam"], [OtherMedicine("oxycodone", "10 mg twice a day")], 20)
    assert _rules_of(warnings) == ["alcohol", "opioids"]
    opioid = next(w for w in warnings if w.rule == "opioids")
    assert opioid.pair == "oxycodone 10 mg twice a day (opioids) with diazepam"
    assert "respiratory depression" in opioid.risk and "FDA" in opioid.source and "2016" in opioid.source
    assert opioid.line().endswith("Source: " + opioid.source + ".")
    alcohol = next(w for w in warnings if w.rule == "alcohol")
    assert alcohol.patient_text.startswith("Do not drink alcohol while you take diazepam.")
    assert alcohol.other == "alcohol, 20 units a week"


def test_alprazolam_with_clarithromycin_gets_the_cyp3a4_warning():
    [warning] = check(["alprazolam"], [OtherMedicine("Clarithromycin 500 mg")])
    assert warning.rule == "cyp3a4_alprazolam"
    assert "CYP3A4" in warning.risk and "Xanax" in warning.source
    assert warning.patient_text == "Clarithromycin can make alprazolam much stronger. Ask your doctor before you take clarithromycin."


def test_diazepam_with_clarithromycin_gets_no_cyp3a4_warning():
    assert check(["diazepam"], [OtherMedicine("clarithromycin")]) == []


@pytest.mark.parametrize("typed, rule", [
    ("OxyContin", "opioids"), ("oxycontin 20mg", "opioids"), ("Co-codamol 30/500", "opioids"),
    ("LYRICA", "gabapentinoids"), ("gabapentin 300 mg tds", "gabapentinoids"), ("Cipro", "quinolones"),
    ("levofloxacin", "quinolones"), ("Seroquel", "cns_depressants"), ("Xanax", "cns_depressants"),
])
def test_brand_names_and_synonyms_match_case_insensitively(typed, rule):
    assert _rules_of(check(["diazepam"], [OtherMedicine(typed)])) == [rule]


def test_names_match_whole_words_only():
    # "morphine" must not match inside "apomorphine"; "codeine" not inside "noscodeine"
    assert check(["diazepam"], [OtherMedicine("apomorphine"), OtherMedicine("noscodeine")]) == []


def test_a_crossover_checks_both_drugs_in_one_warning():
    [warning] = check(["alprazolam", "diazepam"], [OtherMedicine("ketoconazole")])
    assert warning.rule == "cyp3a4_alprazolam" and warning.drug == "alprazolam"
    [alcohol] = check(["lorazepam", "diazepam"], [], 10)
    assert alcohol.drug == "lorazepam or diazepam"


def test_a_z_drug_with_another_hypnotic_gets_the_specific_rule_only():
    assert _rules_of(check(["zolpidem"], [OtherMedicine("temazepam")])) == ["z_drug_hypnotics"]
    assert _rules_of(check(["temazepam"], [OtherMedicine("zolpidem")])) == ["cns_depressants"]


def test_a_sedating_substance_warns_by_kind():
    [warning] = check(["diazepam"], [OtherMedicine("cannabis", kind="substance")])
    assert warning.rule == "substances" and warning.other_class == "sedating substance"
    assert check(["diazepam"], [OtherMedicine("cannabis")]) == []  # a medicine we have no rule for


def test_nothing_recorded_and_nothing_found_are_said_not_silent():
    assert findings(["diazepam"]).status == (
        "No other medicines, substances or alcohol recorded for this patient: nothing to check.")
    found = findings(["diazepam"], [OtherMedicine("paracetamol", "1 g")], 0)
    assert found.warnings == () and found.status == (
        "No interactions found with the medicines recorded (paracetamol 1 g, alcohol 0 units a week).")
    assert findings(["diazepam"], [], 14).status == "1 interaction warning with the medicines recorded."


def test_every_rule_has_its_source_and_says_what_was_read():
    rules = load_rules()
    assert {r.id for r in rules.rules} >= {"opioids", "gabapentinoids", "alcohol", "cyp3a4_alprazolam",
                                           "cyp3a4_triazolam", "cyp3a4_midazolam", "quinolones", "z_drug_hypnotics"}
    for rule in rules.rules:
        assert rule.source and rule.read and rule.risk.endswith(".") and rule.action
        assert "[UNVERIFIED" in rule.cite() if rule.unverified else "UNVERIFIED" not in rule.cite()
    # what we could not read in the original is marked
    unverified = {r.id for r in rules.rules if r.unverified}
    assert unverified == {"cyp3a4_midazolam", "quinolones", "z_drug_hypnotics"}


def test_every_catalogue_drug_is_in_a_taper_group():
    rules = load_rules()
    for drug in load_catalogue().drugs:
        assert {"benzodiazepine", "z_drug"} & set(rules.classes_of(drug.name)), drug.name


def test_bad_data_is_refused_naming_the_entry():
    data = tomllib.loads(files("taperdesk.data").joinpath("interactions.toml").read_text(encoding="utf-8"))
    data["rule"][0]["other"] = ["opiates"]
    with pytest.raises(InteractionDataError, match="rule 'opioids': no group 'opiates'"):
        parse_rules(data)
    data = tomllib.loads(files("taperdesk.data").joinpath("interactions.toml").read_text(encoding="utf-8"))
    del data["rule"][1]["source"]
    with pytest.raises(InteractionDataError, match="rule 'gabapentinoids': source is missing"):
        parse_rules(data)


@pytest.mark.parametrize("typed, units", [("", None), (None, None), ("0", 0.0), ("14", 14.0), ("2,5", 2.5)])
def test_alcohol_units_as_typed(typed, units):
    assert alcohol_units(typed) == units


@pytest.mark.parametrize("typed", ["abc", "-1", "nan", "inf", "1e9", "501"])
def test_bad_alcohol_units_say_what_to_fix(typed):
    with pytest.raises(ValueError, match="units a week"):
        alcohol_units(typed)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=5), st.one_of(st.none(), st.floats(0, 500)))
def test_any_typed_names_check_without_error(names, units):
    found = findings(["alprazolam", "diazepam"], [OtherMedicine(n) for n in names], units)
    assert found.status
    for w in found.warnings:
        assert w.source and w.patient_text[:1].isupper()
