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
VADOD = {  # clinical reference section 10: ASAM Table 7's VA/DoD 2021 column, complete
    "alprazolam": 1,
    "chlordiazepoxide": 25,
    "clorazepate": 15,
    "estazolam": 1,
    "flurazepam": 15,
    "quazepam": 10,
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
        assert eq.source.startswith("VA/DoD 2021 via ASAM pocket guide 2025 Table 7")
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
