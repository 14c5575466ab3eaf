"""The catalogue loader refuses bad files, naming the file, the entry and the field.

Runs with only the standard library and pytest (no PySide6).
"""

import pytest

from taperdesk.core.catalogue import CatalogueError, parse_catalogue

TABLES = """
[tables.ashton]
title = "Ashton Manual Table 1"
source = "Ashton 2002"

[tables.vadod]
title = "VA/DoD 2021"
source = "ASAM Table 7"
"""

DIAZEPAM = """
[[drug]]
name = "diazepam"
class = "benzodiazepine"
half_life_h = "20–100 [36–200]"
half_life_source = "Ashton"
short_acting = false
short_acting_source = "Ashton"

[[drug.equivalent]]
table = "ashton"
low_mg = 10
high_mg = 10
source = "Ashton"

[[drug.equivalent]]
table = "vadod"
low_mg = 10
high_mg = 10
source = "VA/DoD"
"""

LORAZEPAM = """
[[drug]]
name = "lorazepam"
class = "benzodiazepine"
half_life_h = "10–20"
half_life_source = "Ashton"
short_acting = true
short_acting_source = "Ashton"

[[drug.equivalent]]
table = "ashton"
low_mg = 1
high_mg = 1
source = "Ashton"
"""

GOOD_DRUGS = TABLES + DIAZEPAM + LORAZEPAM

TABLET = """
[[formulation]]
drug = "diazepam"
form = "tablet"
strength_mg = 2
label = "2 mg tablet"
split = "half"
market = "UK"
unverified = false
source = "NHS"
"""

LIQUID = """
[[formulation]]
drug = "diazepam"
form = "liquid"
mg_per_ml = 0.4
label = "2 mg/5 mL oral solution"
split = "none"
market = "UK"
unverified = false
source = "NHS"
"""

CAPSULE = """
[[formulation]]
drug = "lorazepam"
form = "capsule"
strength_mg = 1
label = "1 mg capsule"
split = "none"
market = "US"
unverified = true
source = "made up"
"""

GOOD_FORMULATIONS = TABLET + LIQUID + CAPSULE


def test_minimal_files_parse():
    c = parse_catalogue(GOOD_DRUGS, GOOD_FORMULATIONS)
    assert [d.name for d in c.drugs] == ["diazepam", "lorazepam"]
    assert c.drug("lorazepam").diazepam_factor("ashton") == 10
    assert len(c.formulations) == 3
    assert c.formulations_for("diazepam")[0].strength_mg == 2.0


def _drugs_error(text):
    with pytest.raises(CatalogueError) as exc:
        parse_catalogue(text, GOOD_FORMULATIONS)
    return str(exc.value)


def _formulations_error(text, drugs=GOOD_DRUGS):
    with pytest.raises(CatalogueError) as exc:
        parse_catalogue(drugs, text)
    return str(exc.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # formulation 2 is the liquid, formulation 1 the tablet, 3 the capsule
        ('strength_mg = 2\n', 'strength_mg = 0\n', "formulations.toml entry 1 (diazepam tablet): strength_mg must be > 0"),
        ('strength_mg = 2\n', 'strength_mg = -2\n', "entry 1 (diazepam tablet): strength_mg must be > 0"),
        ('strength_mg = 2\n', 'strength_mg = nan\n', "entry 1 (diazepam tablet): strength_mg must be > 0"),
        ('strength_mg = 2\n', 'strength_mg = "2"\n', "entry 1 (diazepam tablet): strength_mg must be a number"),
        ('strength_mg = 2\n', '', "entry 1 (diazepam tablet): missing required field strength_mg"),
        ('strength_mg = 2\n', 'strength_mg = 2\nmg_per_ml = 1\n', "entry 1 (diazepam tablet): a tablet takes strength_mg, not mg_per_ml"),
        ('mg_per_ml = 0.4\n', 'mg_per_ml = 0\n', "entry 2 (diazepam liquid): mg_per_ml must be > 0"),
        ('mg_per_ml = 0.4\n', 'strength_mg = 2\n', "entry 2 (diazepam liquid): a liquid takes mg_per_ml, not strength_mg"),
        ('mg_per_ml = 0.4\n', '', "entry 2 (diazepam liquid): missing required field mg_per_ml"),
        ('form = "tablet"', 'form = "pill"', "entry 1 (diazepam pill): form must be one of 'tablet', 'capsule', 'liquid'"),
        ('split = "half"', 'split = "third"', "entry 1 (diazepam tablet): split must be one of 'none', 'half', 'quarter'"),
        ('market = "US"', 'market = "FR"', "entry 3 (lorazepam capsule): market must be one of 'US', 'UK'"),
        ('split = "none"\nmarket = "US"', 'split = "half"\nmarket = "US"', "entry 3 (lorazepam capsule): split must be 'none' for a capsule"),
        ('label = "2 mg/5 mL oral solution"\nsplit = "none"', 'label = "2 mg/5 mL oral solution"\nsplit = "quarter"', "entry 2 (diazepam liquid): split must be 'none' for a liquid"),
        ('label = "2 mg tablet"\n', '', "entry 1 (diazepam tablet): missing required field label"),
        ('source = "made up"\n', '', "entry 3 (lorazepam capsule): missing required field source"),
        ('source = "NHS"\n', 'source = ""\n', "entry 1 (diazepam tablet): source must not be empty"),
        ('unverified = true\n', 'unverified = "yes"\n', "entry 3 (lorazepam capsule): unverified must be true or false"),
        ('unverified = false\nsource = "NHS"\n', 'unverified = false\nsource = "NHS"\nscored = true\n', "entry 1 (diazepam tablet): unknown key scored"),
        ('drug = "lorazepam"', 'drug = "lorazepan"', "entry 3 (lorazepan capsule): drug 'lorazepan' is not in drugs.toml; did you mean: lorazepam?"),
    ],
)
def test_formulation_validation(old, new, expected):
    text = GOOD_FORMULATIONS.replace(old, new, 1)
    assert text != GOOD_FORMULATIONS
    assert expected in _formulations_error(text)


def test_duplicate_formulation():
    message = _formulations_error(GOOD_FORMULATIONS + TABLET.replace('"2 mg tablet"', '"2 mg scored tablet"'))
    assert "formulations.toml entry 4 (diazepam tablet): duplicate of entry 1" in message
    # the same strength in another market, or another form, is not a duplicate
    parse_catalogue(GOOD_DRUGS, GOOD_FORMULATIONS + TABLET.replace('"UK"', '"US"'))


def test_formulations_file_shape():
    assert "formulations.toml: no [[formulation]] entries" in _formulations_error("")
    assert "unknown top-level key formulations" in _formulations_error("[[formulations]]\ndrug = 'x'\n")
    assert "must be an array of tables" in _formulations_error("formulation = 3\n")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('low_mg = 1\nhigh_mg = 1', 'low_mg = 2\nhigh_mg = 1',
         "drugs.toml entry 2 (lorazepam) equivalent 1 (ashton): low_mg must be <= high_mg"),
        ('low_mg = 1\n', 'low_mg = 0\n', "drugs.toml entry 2 (lorazepam) equivalent 1 (ashton): low_mg must be > 0"),
        ('high_mg = 1\n', 'high_mg = -1\n', "entry 2 (lorazepam) equivalent 1 (ashton): high_mg must be > 0"),
        ('low_mg = 1\n', '', "entry 2 (lorazepam) equivalent 1 (ashton): missing required field low_mg"),
        ('table = "ashton"\nlow_mg = 1\n', 'table = "nice"\nlow_mg = 1\n',
         "entry 2 (lorazepam) equivalent 1 (nice): table 'nice' is not named in [tables]"),
        ('table = "ashton"\nlow_mg = 1\n', 'table = "vadod"\nlow_mg = 1\n',
         "drugs.toml entry 2 (lorazepam): no 'ashton' equivalence"),
        ('table = "ashton"\nlow_mg = 10\nhigh_mg = 10', 'table = "ashton"\nlow_mg = 10\nhigh_mg = 12',
         "drugs.toml entry 1 (diazepam) equivalent 1 (ashton): diazepam is the reference: its equivalence must be exactly 10"),
        ('table = "vadod"\nlow_mg = 10\nhigh_mg = 10', 'table = "vadod"\nlow_mg = 5\nhigh_mg = 5',
         "entry 1 (diazepam) equivalent 2 (vadod): diazepam is the reference"),
        ('name = "lorazepam"', 'name = "diazepam"', "drugs.toml entry 2 (diazepam): duplicate drug name 'diazepam'"),
        ('name = "lorazepam"', 'name = "Lorazepam"', "entry 2 (Lorazepam): name must be a lowercase generic name"),
        ('class = "benzodiazepine"\nhalf_life_h = "10–20"', 'class = "benzo"\nhalf_life_h = "10–20"',
         "entry 2 (lorazepam): class must be one of 'benzodiazepine', 'z-drug'"),
        ('short_acting = true\n', 'short_acting = 1\n', "entry 2 (lorazepam): short_acting must be true or false"),
        ('short_acting = true\n', '', "entry 2 (lorazepam): missing required field short_acting"),
        ('half_life_h = "10–20"\n', 'half_life_h = "10–20"\nhalflife = "x"\n', "entry 2 (lorazepam): unknown key halflife"),
        ('source = "Ashton"\n\n[[drug.equivalent]]\ntable = "vadod"', 'source = "Ashton"\nnote = "x"\n\n[[drug.equivalent]]\ntable = "vadod"',
         "entry 1 (diazepam) equivalent 1 (ashton): unknown key note"),
        ('title = "VA/DoD 2021"\n', '', "drugs.toml [tables.vadod]: missing required field title"),
        ('title = "VA/DoD 2021"\n', 'title = "VA/DoD 2021"\nyear = 2021\n', "drugs.toml [tables.vadod]: unknown key year"),
    ],
)
def test_drug_validation(old, new, expected):
    text = GOOD_DRUGS.replace(old, new, 1)
    assert text != GOOD_DRUGS
    assert expected in _drugs_error(text)


def test_duplicate_equivalence_table():
    text = GOOD_DRUGS + '\n[[drug.equivalent]]\ntable = "ashton"\nlow_mg = 2\nhigh_mg = 2\nsource = "x"\n'
    assert "entry 2 (lorazepam) equivalent 2 (ashton): a second value for table 'ashton'" in _drugs_error(text)


def test_drug_file_shape():
    assert "drugs.toml: no [tables] section" in _drugs_error(DIAZEPAM + LORAZEPAM)
    assert "must include the default table 'ashton'" in _drugs_error(
        TABLES.replace("[tables.ashton]", "[tables.other]") + DIAZEPAM + LORAZEPAM
    )
    assert "drugs.toml: diazepam is missing" in _drugs_error(TABLES + LORAZEPAM)
    assert "diazepam has no value in table vadod" in _drugs_error(
        TABLES + DIAZEPAM.split("[[drug.equivalent]]\ntable = \"vadod\"")[0] + LORAZEPAM
    )
    assert "drugs.toml: unknown top-level key drugs" in _drugs_error(GOOD_DRUGS + "\n[[drugs]]\nname = 'x'\n")


def test_formulation_drug_must_exist():
    text = GOOD_FORMULATIONS.replace('drug = "lorazepam"', 'drug = "zolpidem"')
    message = _formulations_error(text)
    assert "formulations.toml entry 3 (zolpidem capsule): drug 'zolpidem' is not in drugs.toml" in message


def test_malformed_toml_names_file_and_line():
    broken = GOOD_DRUGS.replace('short_acting = true', 'short_acting = tru', 1)
    message = _drugs_error(broken)
    line = GOOD_DRUGS.splitlines().index("short_acting = true") + 1
    assert message.startswith("drugs.toml: invalid TOML")
    assert f"line {line}" in message

    message = _formulations_error(GOOD_FORMULATIONS + "\n[[formulation]\n")
    assert message.startswith("formulations.toml: invalid TOML") and "line" in message


def test_custom_file_names_in_messages():
    with pytest.raises(CatalogueError, match=r"^clinic/forms\.toml entry 1 \(diazepam tablet\)"):
        parse_catalogue(
            GOOD_DRUGS,
            GOOD_FORMULATIONS.replace("strength_mg = 2\n", "strength_mg = 0\n"),
            formulations_name="clinic/forms.toml",
        )
