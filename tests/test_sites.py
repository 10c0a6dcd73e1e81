from activcrea_odoo.rules.sites import match_sites, normalize_address


def test_normalize_address_strips_case_accents_and_punctuation():
    text = "  BGE Hauts-de-France – 3, rue de l'Église\t59280  ARMENTIÈRES "
    assert normalize_address(text) == "bge hauts de france 3 rue de l eglise 59280 armentieres"


def test_normalize_address_empty_values():
    assert normalize_address(None) == ""
    assert normalize_address("") == ""
    assert normalize_address(" - , ") == ""


def test_match_sites_maps_known_addresses_and_lists_unknown_ones_once():
    index = {
        normalize_address("BGE HAUTS DE FRANCE - 3 RUE DE LA GARE 59280 ARMENTIERES"): 1,
        normalize_address("14 boulevard Carnot, 59000 Lille"): 2,
    }
    addresses = [
        "BGE HAUTS DE FRANCE - 3 RUE DE LA GARE 59280 ARMENTIERES",
        "Bge Hauts de France 3 rue de la Gare, 59280 Armentières",
        "14 BOULEVARD CARNOT 59000 LILLE",
        "25 GRANDE RUE 59100 ROUBAIX",
        "",
        None,
        "1 PLACE DU THEATRE 59800 LILLE",
        "25 GRANDE RUE 59100 ROUBAIX",
    ]
    matched, unknown = match_sites(addresses, index)
    assert matched == {
        "BGE HAUTS DE FRANCE - 3 RUE DE LA GARE 59280 ARMENTIERES": 1,
        "Bge Hauts de France 3 rue de la Gare, 59280 Armentières": 1,
        "14 BOULEVARD CARNOT 59000 LILLE": 2,
    }
    assert unknown == ["25 GRANDE RUE 59100 ROUBAIX", "1 PLACE DU THEATRE 59800 LILLE"]


def test_match_sites_with_empty_index_reports_everything():
    matched, unknown = match_sites(["A", "b"], {})
    assert matched == {}
    assert unknown == ["A", "b"]
