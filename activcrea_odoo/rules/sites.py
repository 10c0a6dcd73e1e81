"""Recognise a site from the address string France Travail writes in its lists.

France Travail names a site by a free-text address ("BGE HAUTS DE FRANCE - 3 RUE DE
LA GARE 59280 ARMENTIERES"). Each site keeps aliases; both sides are compared once
normalised with :func:`normalize_address`, so case, accents and punctuation never matter.
"""

import functools
import re
import unicodedata

_NON_ALNUM_RE = re.compile(r"[\W_]+")


def normalize_address(text):
    """Return ``text`` lowercased, without accents, punctuation or repeated spaces.

    ``None`` and empty strings give ``""``.
    """
    if not text:
        return ""
    return _normalize(str(text))


# a list repeats its headers, sites, titles and modes on every row
@functools.lru_cache(maxsize=4096)
def _normalize(text):
    bare = text.lower()
    if not bare.isascii():  # ASCII has nothing to decompose: most names and addresses
        decomposed = unicodedata.normalize("NFKD", bare)
        bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM_RE.sub(" ", bare).strip()


def match_sites(addresses, alias_index):
    """Map addresses to sites through ``alias_index`` (normalised alias -> site id).

    Returns ``(matched, unknown)``: ``matched`` maps each recognised address (the exact
    string given) to its site id; ``unknown`` lists the other addresses once each, in the
    order first seen. Empty addresses are neither matched nor reported.
    """
    matched = {}
    unknown = []
    for address in addresses:
        key = normalize_address(address)
        if not key or address in matched or address in unknown:
            continue
        if key in alias_index:
            matched[address] = alias_index[key]
        else:
            unknown.append(address)
    return matched, unknown
