"""Life stages as age bands: "puppies", "kittens", "baby rabbits", "senior dogs".

The bands follow what adoption sites use (baby, young, adult, senior). A band is a range of ages; an age the
question states itself ("puppies under 6 months") replaces it. Sort words stay sorts: "young" and "baby" also
order youngest first, "senior" oldest first (see `order.ORDER_WORDS`).

| stage  | ages                | words (en, es, fr, de)                                                     |
|--------|---------------------|----------------------------------------------------------------------------|
| baby   | under 1 year        | baby, puppy, pup, kitten; bebé, cachorro, gatito; bébé, chiot, chaton; Welpe, Kätzchen, Jungtier |
| young  | under 3 years       | young, juvenile; joven; jeune; jung                                        |
| adult  | 3 to under 8 years  | adult, grown-up; adulto; adulte; erwachsen                                 |
| senior | 8 years and older   | senior, elderly, geriatric; anciano, mayor; âgé, sénior; Senior, betagt    |
"""

from __future__ import annotations

import re

from .text import alternation, words_of

# stage -> (min_age inclusive, max_age exclusive); None is unbounded
BANDS: dict[str, tuple[float | None, float | None]] = {
    "baby": (None, 1),
    "young": (None, 3),
    "adult": (3, 8),
    "senior": (8, None),
}

# Adjectives and nouns naming a stage without naming the animal (read after es/fr/de words became English).
STAGE_WORDS: dict[str, str] = {
    **dict.fromkeys(["baby", "babies", "bebe", "bebes", "newborn", "newborns", "jungtier", "jungtiere",
                     "tierbaby", "tierbabys"], "baby"),
    **dict.fromkeys(["young", "youngster", "youngsters", "juvenile", "juveniles"], "young"),
    **dict.fromkeys(["adult", "adults", "grown", "grown up", "grown-up", "grownup", "fully grown", "mature",
                     "adulto", "adultos", "adulta", "adultas", "adulte", "adultes", "erwachsen", "erwachsene",
                     "erwachsenen", "erwachsener"], "adult"),
    **dict.fromkeys(["senior", "seniors", "elderly", "geriatric", "anciano", "ancianos", "anciana", "ancianas",
                     "betagt", "betagte", "betagten"], "senior"),
}
STAGE_RE = re.compile(rf"(?<![\w-])(?:{alternation(STAGE_WORDS)})(?![\w-])")

# Nouns that name an animal at a stage: the lexicon gives them their type, this table their band.
NOUN_STAGES: dict[str, str] = dict.fromkeys(
    ["puppy", "puppies", "pup", "pups", "pupper", "puppers", "cachorro", "cachorros", "cachorrito", "cachorritos",
     "chiot", "chiots", "welpe", "welpen", "kitten", "kittens", "gatito", "gatitos", "gatita", "gatitas",
     "chaton", "chatons", "katzchen"], "baby",
)


def band_fields(stage: str) -> dict[str, object]:
    low, high = BANDS[stage]
    fields: dict[str, object] = {}
    if low is not None:
        fields["min_age"] = low
    if high is not None:
        fields["max_age"], fields["max_age_strict"] = high, True
    return fields


WORDS = words_of(*STAGE_WORDS)
