"""The drug catalogue: the shipped data matches the clinical reference, and the loader refuses bad files.

Runs with only the standard library and pytest (no PySide6).
"""

from fractions import Fraction

import pytest

from taperdesk.core.catalogue import (
    FORMS,
    SPLIT_PIECES,
    SPLITS,
    Catalogue,
    CatalogueError,
    Drug,
    Equivalence,
    Formulation,
    TableInfo,
    UnknownDrug,
    load_catalogue,
    parse_catalogue,
)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


# ------------------------------------------------------ section 1: equivalents

# Clinical reference section 1 (Ashton Table 1): drug -> (low, high) mg ≈ diazepam 10 mg, half-life text.
ASHTON = {
    "alprazolam": ((0.5, 0.5), "6–12"),
    "bromazepam": ((5, 6), "10–20"),
    "chlordiazepoxide": ((25, 25), "5–30 [36–200]"),
    "clobazam": ((20, 20), "12–60"),
    "clonazepam": ((0.5, 0.5), "18–50"),
    "clorazepate": ((15, 15), "[36–200]"),
    "diazepam": ((10, 10), "20–100 [36–200]"),
    "estazolam": ((1, 2), "10–24"),
    "flurazepam": ((15, 30), "[40–250]"),
    "loprazolam": ((1, 2), "6–12"),
    "lorazepam": ((1, 1), "10–20"),
    "lormetazepam": ((1, 2), "10–12"),
    "nitrazepam": ((10, 10), "15–38"),
    "oxazepam": ((20, 20), "4–15"),
    "quazepam": ((20, 20), "25–100"),
    "temazepam": ((20, 20), "8–22"),
    "triazolam": ((0.5, 0.5), "2"),
    "zaleplon": ((20, 20), "2"),
    "zolpidem": ((20, 20), "2"),
    "zopiclone": ((15, 15), "5–6"),
    "eszopiclone": ((3, 3), "6 (9 in the elderly)"),
}
VADOD = {
    "alprazolam": 1,
    "clonazepam": 1,
    "lorazepam": 2,
    "oxazepam": 30,
    "temazepam": 15,
    "triazolam": 0.25,
    "diazepam": 10,
}
Z_DRUGS = {"zaleplon", "zolpidem", "zopiclone", "eszopiclone"}
SHORT_ACTING = {
    "alprazolam", "bromazepam", "loprazolam", "lorazepam", "lormetazepam",
    "oxazepam", "temazepam", "triazolam", "estazolam",
} | Z_DRUGS


def test_every_drug_of_section_1_and_no_others(cat):
    assert [d.name for d in cat.drugs] == sorted(ASHTON)
    assert len(cat.drugs) == 21


@pytest.mark.parametrize("name", sorted(ASHTON))
def test_ashton_values_half_life_class_and_sources(cat, name):
    (low, high), half_life = ASHTON[name]
    drug = cat.drug(name)
    eq = drug.equivalence("ashton")
    assert (eq.low_mg, eq.high_mg) == (low, high)
    assert eq.mid_mg == (Fraction(str(low)) + Fraction(str(high))) / 2
    assert eq.source == "Ashton Manual (2002) Table 1; cross-checked ASAM pocket guide 2025 Table 7"
    assert drug.half_life_h == half_life
    assert drug.half_life_source
    assert drug.drug_class == ("z-drug" if name in Z_DRUGS else "benzodiazepine")
    assert drug.short_acting is (name in SHORT_ACTING)
    assert "Ashton" in drug.short_acting_source and "diazepam" in drug.short_acting_source


@pytest.mark.parametrize(
    ("name", "mid"),
    [("bromazepam", Fraction(11, 2)), ("flurazepam", Fraction(45, 2)), ("chlordiazepoxide", Fraction(25)),
     ("estazolam", Fraction(3, 2)), ("lormetazepam", Fraction(3, 2)), ("alprazolam", Fraction(1, 2))],
)
def test_ashton_midpoints(cat, name, mid):
    assert cat.drug(name).equivalence("ashton").mid_mg == mid


def test_vadod_values_exactly_the_reference(cat):
    covered = {d.name for d in cat.drugs if any(e.table == "vadod" for e in d.equivalents)}
    assert covered == set(VADOD)
    for name, mg in VADOD.items():
        eq = cat.drug(name).equivalence("vadod")
        assert eq.low_mg == eq.high_mg == mg
        assert eq.source == "VA/DoD 2021 via ASAM pocket guide 2025 Table 7"
    assert cat.drug("temazepam").equivalence("vadod").mid_mg == 15


def test_diazepam_factors(cat):
    assert cat.drug("lorazepam").diazepam_factor("ashton") == 10
    assert cat.drug("alprazolam").diazepam_factor("ashton") == 20
    assert cat.drug("alprazolam").diazepam_factor("vadod") == 10
    assert cat.drug("lorazepam").diazepam_factor("vadod") == 5
    assert cat.drug("bromazepam").diazepam_factor("ashton") == Fraction(20, 11)
    assert cat.drug("triazolam").diazepam_factor("vadod") == 40
    for table in ("ashton", "vadod"):
        assert cat.drug("diazepam").diazepam_factor(table) == 1
    assert isinstance(cat.drug("oxazepam").diazepam_factor("ashton"), Fraction)


def test_missing_table_value_names_the_table_title(cat):
    with pytest.raises(CatalogueError, match=r"the VA/DoD 2021 table has no value for nitrazepam") as exc:
        cat.drug("nitrazepam").equivalence("vadod")
    assert "ashton" in str(exc.value)
    with pytest.raises(CatalogueError, match="VA/DoD"):
        cat.drug("nitrazepam").diazepam_factor("vadod")
    with pytest.raises(CatalogueError, match=r"unknown equivalence table 'who'.*ashton.*vadod"):
        cat.drug("lorazepam").equivalence("who")


def test_tables(cat):
    assert [t.name for t in cat.tables] == ["ashton", "vadod"]
    assert cat.table("ashton").title and "Ashton" in cat.table("ashton").source
    assert "ASAM" in cat.table("vadod").source
    assert cat.table("VADOD") is cat.table("vadod")
    with pytest.raises(CatalogueError, match=r"unknown equivalence table 'nice'.*ashton.*vadod"):
        cat.table("nice")


def test_range_text():
    assert Equivalence("ashton", 5.0, 6.0, "s").range_text() == "5–6 mg"
    assert Equivalence("ashton", 1.0, 1.0, "s").range_text() == "1 mg"
    assert Equivalence("ashton", 0.5, 0.5, "s").range_text() == "0.5 mg"
    assert Equivalence("vadod", 0.25, 0.25, "s").range_text() == "0.25 mg"


def test_hand_built_drug_without_titles_still_explains():
    drug = Drug("x", "benzodiazepine", "1", True, "s", (Equivalence("ashton", 1, 1, "s"),))
    with pytest.raises(CatalogueError, match="the vadod table has no value for x"):
        drug.equivalence("vadod")


# --------------------------------------------------------------- drug lookup


def test_drug_lookup_is_case_insensitive(cat):
    assert cat.drug("Lorazepam") is cat.drug("lorazepam")
    assert cat.drug("  DIAZEPAM ").name == "diazepam"


def test_unknown_drug_suggestions(cat):
    with pytest.raises(UnknownDrug) as exc:
        cat.drug("lorazepan")
    err = exc.value
    assert isinstance(err, KeyError)
    assert err.name == "lorazepan"
    assert err.suggestions[0] == "lorazepam"
    assert "lormetazepam" in err.suggestions
    message = str(err)
    assert message.startswith("unknown drug 'lorazepan'; did you mean: lorazepam, ")
    assert message.endswith("?") and "\n" not in message


def test_unknown_drug_matches_case_insensitively(cat):
    with pytest.raises(UnknownDrug) as exc:
        cat.drug("DIAZEPAN")
    assert exc.value.suggestions[0] == "diazepam"


def test_unknown_drug_without_close_match_lists_known(cat):
    with pytest.raises(UnknownDrug) as exc:
        cat.drug("xyz")
    assert exc.value.suggestions == ()
    assert str(exc.value).startswith("unknown drug 'xyz'; known drugs: alprazolam, ")


def test_formulations_for_unknown_drug_raises(cat):
    with pytest.raises(UnknownDrug):
        cat.formulations_for("diazepan")


# -------------------------------------------------- section 8: formulations

# (drug, form, strength, market, split, unverified) spot checks from clinical reference section 8.
SPOT = [
    ("diazepam", "tablet", 2.0, "US", "half", True),
    ("diazepam", "tablet", 2.0, "UK", "half", False),
    ("diazepam", "tablet", 10.0, "UK", "half", True),
    ("diazepam", "liquid", 1.0, "US", "none", False),
    ("diazepam", "liquid", 0.4, "UK", "none", False),
    ("alprazolam", "tablet", 0.25, "US", "half", True),
    ("alprazolam", "tablet", 2.0, "US", "half", True),
    ("clonazepam", "tablet", 0.5, "US", "half", False),
    ("clonazepam", "tablet", 2.0, "UK", "half", True),
    ("clonazepam", "liquid", 0.1, "UK", "none", False),
    ("clonazepam", "liquid", 0.4, "UK", "none", False),
    ("lorazepam", "tablet", 2.5, "UK", "half", True),
    ("lorazepam", "liquid", 2.0, "US", "none", False),
    ("oxazepam", "capsule", 30.0, "US", "none", True),
    ("oxazepam", "tablet", 15.0, "UK", "half", True),
    ("temazepam", "capsule", 22.5, "US", "none", False),
    ("temazepam", "tablet", 20.0, "UK", "half", True),
    ("temazepam", "liquid", 2.0, "UK", "none", False),
    ("chlordiazepoxide", "capsule", 25.0, "US", "none", True),
    ("chlordiazepoxide", "capsule", 10.0, "UK", "none", False),
    ("nitrazepam", "tablet", 5.0, "UK", "half", True),
    ("nitrazepam", "liquid", 0.5, "UK", "none", False),
    ("zolpidem", "tablet", 10.0, "US", "half", True),
    ("zolpidem", "tablet", 5.0, "UK", "half", True),
    ("eszopiclone", "tablet", 3.0, "US", "half", True),
    ("zopiclone", "tablet", 3.75, "UK", "half", True),
]


def _find(cat, drug, form, strength, market):
    matches = [
        f for f in cat.formulations
        if f.drug == drug and f.form == form and f.market == market
        and (f.mg_per_ml if f.is_liquid else f.strength_mg) == strength
    ]
    assert len(matches) == 1, (drug, form, strength, market)
    return matches[0]


@pytest.mark.parametrize(("drug", "form", "strength", "market", "split", "unverified"), SPOT)
def test_section_8_spot_checks(cat, drug, form, strength, market, split, unverified):
    f = _find(cat, drug, form, strength, market)
    assert f.split == split
    assert f.unverified is unverified
    assert f.source


def test_every_strength_per_market(cat):
    def strengths(drug, market, form):
        return sorted(
            (f.mg_per_ml if f.is_liquid else f.strength_mg)
            for f in cat.formulations_for(drug, market=market, forms=(form,))
        )

    assert strengths("diazepam", "US", "tablet") == [2, 5, 10]
    assert strengths("diazepam", "UK", "tablet") == [2, 5, 10]
    assert strengths("alprazolam", "US", "tablet") == [0.25, 0.5, 1, 2]
    assert cat.formulations_for("alprazolam", market="UK") == ()  # not on NHS
    assert strengths("clonazepam", "US", "tablet") == [0.5, 1, 2]
    assert strengths("clonazepam", "UK", "tablet") == [0.5, 2]
    assert strengths("clonazepam", "UK", "liquid") == [0.1, 0.4]
    assert strengths("lorazepam", "US", "tablet") == [0.5, 1, 2]
    assert strengths("lorazepam", "UK", "tablet") == [1, 2.5]
    assert strengths("oxazepam", "US", "capsule") == [10, 15, 30]
    assert strengths("oxazepam", "UK", "tablet") == [10, 15]
    assert strengths("temazepam", "US", "capsule") == [7.5, 15, 22.5, 30]
    assert strengths("temazepam", "UK", "tablet") == [10, 20]
    assert strengths("chlordiazepoxide", "US", "capsule") == [5, 10, 25]
    assert strengths("chlordiazepoxide", "UK", "capsule") == [5, 10]
    assert cat.formulations_for("nitrazepam", market="US") == ()  # not marketed
    assert strengths("zolpidem", "US", "tablet") == strengths("zolpidem", "UK", "tablet") == [5, 10]
    assert strengths("eszopiclone", "US", "tablet") == [1, 2, 3]
    assert strengths("zopiclone", "UK", "tablet") == [3.75, 7.5]
    assert cat.formulations_for("zopiclone", market="US") == ()
    assert len(cat.formulations) == 53


def test_reference_unverified_marks(cat):
    for f in cat.formulations_for("oxazepam"):
        assert f.unverified and "UNVERIFIED" in f.source
    for f in cat.formulations_for("lorazepam", market="UK"):
        assert f.unverified and "UNVERIFIED" in f.source
    for f in cat.formulations_for("chlordiazepoxide", market="US"):
        assert f.unverified and "UNVERIFIED" in f.source
    for f in cat.formulations_for("chlordiazepoxide", market="UK"):
        assert not f.unverified


def test_capsules_and_liquids_never_split(cat):
    for f in cat.formulations:
        if f.form in ("capsule", "liquid"):
            assert f.split == "none" and f.pieces == 1, f.describe()


def test_tablets_whose_splitting_is_not_stated_are_flagged(cat):
    stated = {("diazepam", 2.0, "UK"), ("clonazepam", 0.5, "US")}
    for f in cat.formulations:
        if f.form != "tablet":
            continue
        if (f.drug, f.strength_mg, f.market) in stated:
            assert f.split_note == ""
        else:
            assert f.unverified, f.describe()
            assert f.split_note == "scoring varies by product: verify locally", f.describe()


def test_uk_diazepam_2mg_is_off_licence_when_split(cat):
    uk2 = _find(cat, "diazepam", "tablet", 2.0, "UK")
    assert "off-licence" in uk2.off_licence_note and "PrescQIPP" in uk2.off_licence_note
    others = [f for f in cat.formulations if f.off_licence_note]
    assert others == [uk2]


def test_liquid_fields_and_labels(cat):
    for f in cat.formulations:
        assert f.form in FORMS and f.split in SPLITS and f.market in ("US", "UK")
        if f.is_liquid:
            assert f.strength_mg is None and f.mg_per_ml > 0
        else:
            assert f.mg_per_ml is None and f.strength_mg > 0
    assert _find(cat, "lorazepam", "liquid", 2.0, "US").label == "2 mg/mL concentrate"
    assert _find(cat, "diazepam", "liquid", 0.4, "UK").label == "2 mg/5 mL oral solution"


def test_describe(cat):
    assert _find(cat, "diazepam", "tablet", 5.0, "UK").describe() == "diazepam 5 mg tablet (UK)"
    assert _find(cat, "diazepam", "liquid", 0.4, "UK").describe() == "diazepam 2 mg/5 mL oral solution (UK)"
    assert _find(cat, "temazepam", "capsule", 7.5, "US").describe() == "temazepam 7.5 mg capsule (US)"


def test_formulations_for_order_and_filters(cat):
    got = cat.formulations_for("diazepam", market="UK")
    assert [f.describe() for f in got] == [
        "diazepam 10 mg tablet (UK)",
        "diazepam 5 mg tablet (UK)",
        "diazepam 2 mg tablet (UK)",
        "diazepam 2 mg/5 mL oral solution (UK)",
    ]
    both = cat.formulations_for("Diazepam")
    assert [f.is_liquid for f in both] == [False] * 6 + [True] * 2
    assert [f.strength_mg for f in both[:6]] == [10, 10, 5, 5, 2, 2]
    assert cat.formulations_for("diazepam", market="uk") == got
    assert all(not f.is_liquid for f in cat.formulations_for("diazepam", forms=("tablet", "capsule")))
    clon = cat.formulations_for("clonazepam", market="UK", forms=("liquid",))
    assert [f.mg_per_ml for f in clon] == [0.4, 0.1]
    with pytest.raises(CatalogueError, match="unknown market"):
        cat.formulations_for("diazepam", market="FR")
    with pytest.raises(CatalogueError, match="unknown form"):
        cat.formulations_for("diazepam", forms=("patch",))


def test_solid_strengths(cat):
    assert cat.solid_strengths("diazepam") == (2.0, 5.0, 10.0)
    assert cat.solid_strengths("lorazepam") == (0.5, 1.0, 2.0, 2.5)
    assert cat.solid_strengths("temazepam") == (7.5, 10.0, 15.0, 20.0, 22.5, 30.0)
    assert cat.solid_strengths("temazepam", market="UK") == (10.0, 20.0)
    assert cat.solid_strengths("nitrazepam") == (5.0,)
    assert cat.solid_strengths("quazepam") == ()


def test_split_pieces():
    assert [SPLIT_PIECES[s] for s in SPLITS] == [1, 2, 4]


def test_loading_twice_returns_the_cached_object():
    assert load_catalogue() is load_catalogue()
    assert load_catalogue(None) is load_catalogue()


def test_values_are_frozen(cat):
    with pytest.raises(AttributeError):
        cat.drug("diazepam").name = "x"  # type: ignore[misc]
    assert isinstance(cat.formulations[0], Formulation)
    assert isinstance(cat.tables[0], TableInfo)
    assert hash(cat) == hash(load_catalogue())


def test_load_from_a_directory(tmp_path, cat):
    from importlib.resources import files

    data = files("taperdesk.data")
    for name in ("drugs.toml", "formulations.toml"):
        (tmp_path / name).write_text(data.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    copy = load_catalogue(tmp_path)
    assert copy == cat and copy is not cat
    (tmp_path / "formulations.toml").write_text("[[formulation]]\ndrug = 3\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"formulations\.toml entry 1"):
        load_catalogue(tmp_path)
    (tmp_path / "drugs.toml").unlink()
    with pytest.raises(CatalogueError, match=r"drugs\.toml: cannot be read"):
        load_catalogue(tmp_path)


# ------------------------------------------------------- validation on load

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
