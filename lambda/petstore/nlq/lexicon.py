"""The parser's nouns: pet types and their common words in four languages, other animals, and the store's breeds.

Each noun found in a sentence is replaced by a marker ``N<index><number>`` (``N0P``: noun 0, plural) so that
later patterns can see "a noun is here" and its grammatical number.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from .attributes import NOUN_SEXES
from .numbers import NUMBER_WORDS
from .stages import NOUN_STAGES
from .text import TOKEN, fold, squash
from .typos import SpellIndex
from .vocabulary import Vocabulary

NOUN = r"N\d+[SPB]"
MARKER = re.compile(r"N(\d+)([SPB])")


SINGULAR, PLURAL, EITHER = "S", "P", "B"

# canonical type -> {surface word: grammatical number}
_TYPE_WORDS: dict[str, dict[str, str]] = {
    "dog": {
        **dict.fromkeys(["dog", "puppy", "pup", "pupper", "doggo", "doggy", "doggie", "hound", "canine", "perro",
                         "perra", "perrito", "cachorro", "chien", "chienne", "chiot", "hund", "hundin", "welpe"],
                        SINGULAR),
        **dict.fromkeys(["dogs", "puppies", "pups", "puppers", "doggos", "doggies", "hounds", "canines", "perros",
                         "perras", "perritos", "cachorros", "chiens", "chiennes", "chiots", "hunde", "hunden",
                         "hundinnen", "welpen"], PLURAL),
    },
    "cat": {
        **dict.fromkeys(["cat", "kitten", "kitty", "feline", "gato", "gata", "gatito", "gatita", "chat", "chatte",
                         "chaton", "katze"], SINGULAR),
        **dict.fromkeys(["cats", "kittens", "kitties", "felines", "gatos", "gatas", "gatitos", "gatitas", "chats",
                         "chattes", "chatons", "katzen"], PLURAL),
        **dict.fromkeys(["katzchen", "kater"], EITHER),
    },
    "bird": {
        **dict.fromkeys(["bird", "birdie", "parrot", "budgie", "parakeet", "canary", "cockatiel", "cockatoo", "macaw",
                         "finch", "lovebird", "pajaro", "ave", "oiseau", "perruche", "perroquet", "loro",
                         "papagei", "wellensittich"], SINGULAR),
        **dict.fromkeys(["birds", "birdies", "parrots", "budgies", "parakeets", "canaries", "cockatiels", "cockatoos",
                         "macaws", "finches", "lovebirds", "pajaros", "aves", "oiseaux", "vogeln", "perruches",
                         "perroquets", "loros", "papageien", "wellensittiche"], PLURAL),
        "vogel": EITHER,
    },
    "rabbit": {
        **dict.fromkeys(["rabbit", "bunny", "conejo", "lapin", "hase"], SINGULAR),
        **dict.fromkeys(["rabbits", "bunnies", "conejos", "lapins", "hasen"], PLURAL),
        "kaninchen": EITHER,
    },
    "fish": {
        **dict.fromkeys(["fish", "goldfish", "koi"], EITHER),
        **dict.fromkeys(["guppy", "betta"], SINGULAR),
        **dict.fromkeys(["guppies", "bettas", "fishies"], PLURAL),
        **dict.fromkeys(["pez", "poisson", "fisch"], SINGULAR),
        **dict.fromkeys(["fishes", "goldfishes", "peces", "poissons", "fische", "fischen"], PLURAL),
    },
    "hamster": {"hamster": SINGULAR, "hamsters": PLURAL, "hamsteres": PLURAL},
    "reptile": {
        **dict.fromkeys(["reptile", "snake", "lizard", "gecko", "turtle", "tortoise", "iguana", "chameleon",
                         "bearded dragon", "reptil", "serpiente", "serpent", "schlange", "tortuga", "tortue",
                         "schildkrote"], SINGULAR),
        **dict.fromkeys(["reptiles", "snakes", "lizards", "geckos", "geckoes", "turtles", "tortoises", "iguanas",
                         "chameleons", "bearded dragons", "reptilien", "serpientes", "serpents", "schlangen",
                         "tortugas", "tortues", "schildkroten"], PLURAL),
    },
}
# Other animals a shopper may ask for: they name their own type, so a store without them answers "none".
_OTHER_ANIMALS = [
    "gerbil", "guinea pig", "mouse", "rat", "chinchilla", "ferret", "hedgehog", "horse", "pony", "donkey", "pig",
    "goat", "sheep", "cow", "chicken", "duck", "goose", "frog", "toad", "spider", "tarantula", "scorpion",
    "axolotl", "hermit crab", "crab", "shrimp", "snail", "insect", "newt", "salamander", "degu", "sugar glider",
    "alpaca", "llama",
]
# Nouns that name no type but still tell singular from plural ("cheapest pets"): the whole store is the subject.
_GENERIC_NOUNS = {
    **dict.fromkeys(["pet", "animal", "companion", "mascota", "tier", "haustier", "friend", "critter", "creature"],
                    SINGULAR),
    **dict.fromkeys(["pets", "animals", "companions", "mascotas", "animales", "animaux", "tiere", "haustiere",
                     "friends", "critters", "creatures", "catalog", "catalogue", "catalogo", "katalog"], PLURAL),
}
# Nouns that point back at the previous answer ("the cheaper ones", "only the first 3 results").
_REFERRING_NOUNS = {
    **dict.fromkeys(["option", "result", "match"], SINGULAR),
    **dict.fromkeys(["ones", "options", "results", "matches"], PLURAL),
}
_IRREGULAR_PLURALS = {"mouse": "mice", "goose": "geese", "sheep": "sheep", "deer": "deer", "fish": "fish",
                      "wolf": "wolves", "calf": "calves", "ox": "oxen", "octopus": "octopuses", "axolotl": "axolotls"}
# Words too common to name a breed on their own ("labradors" names Labrador Retriever; "golden" does not).
_NOT_DISTINCTIVE = {
    "golden", "black", "white", "red", "blue", "brown", "grey", "gray", "silver", "cream", "yellow", "tan",
    "orange", "chocolate", "big", "small", "little", "great", "giant", "toy", "mini", "miniature", "standard",
    "long", "short", "wire", "smooth", "rough", "curly", "hairless", "domestic", "common", "mixed", "old",
    "new", "young", "english", "american", "french", "german", "british", "spanish", "irish", "scottish",
    "welsh", "japanese", "chinese", "russian", "australian", "dutch", "italian", "swiss", "siberian",
    "norwegian", "african", "asian", "european", "mountain", "royal", "king", "queen", "fancy", "dwarf",
    "pet", "show", "cheap", "house", "lion", "bull", "fox", "water", "field", "border", "flat", "west",
    "east", "north", "south", "holland",
}
_BREED_STOPWORDS = {"other", "unknown", "none", "na", "n a", "any", "all", "various", "misc", "mix", "n"}
_NICKNAMES = {
    "lab": ("labrador retriever", "labrador"),
    "yorkie": ("yorkshire terrier",),
    "frenchie": ("french bulldog",),
    "aussie": ("australian shepherd",),
    "gsd": ("german shepherd", "german shepherd dog"),
    "alsatian": ("german shepherd", "german shepherd dog"),
    "westie": ("west highland white terrier",),
    "sheltie": ("shetland sheepdog",),
    "staffie": ("staffordshire bull terrier",),
    "staffy": ("staffordshire bull terrier",),
    "doxie": ("dachshund",),
    "wiener dog": ("dachshund",),
    "sausage dog": ("dachshund",),
    "pitbull": ("american pit bull terrier", "pit bull", "pit bull terrier"),
    "pittie": ("american pit bull terrier", "pit bull", "pit bull terrier"),
    "husky": ("siberian husky",),
    "cavalier": ("cavalier king charles spaniel",),
    "berner": ("bernese mountain dog",),
    "goldie": ("golden retriever",),
    # common misspellings a typo rule can't reach, and es/fr/de names
    "daschund": ("dachshund",),
    "dachsund": ("dachshund",),
    "dashund": ("dachshund",),
    "dackel": ("dachshund",),
    "teckel": ("dachshund",),
    "siamois": ("siamese",),
    "siames": ("siamese",),
    "siamkatze": ("siamese",),
    "persan": ("persian",),
    "perser": ("persian",),
    "perserkatze": ("persian",),
    "persa": ("persian",),
    "pastor aleman": ("german shepherd", "german shepherd dog"),
    "berger allemand": ("german shepherd", "german shepherd dog"),
    "schaferhund": ("german shepherd", "german shepherd dog"),
    "deutscher schaferhund": ("german shepherd", "german shepherd dog"),
    "bouledogue francais": ("french bulldog",),
    "bulldog frances": ("french bulldog",),
    "franzosische bulldogge": ("french bulldog",),
    "perserkatzen": ("persian",),
}


def _plural(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _forms(name: str) -> dict[str, str]:
    """Surface forms of a (possibly multi-word) noun -> grammatical number. Keys are lowercase, space-separated."""
    words = name.split()
    last = words[-1]
    plural = _plural(last)
    if plural == last or re.search(r"(?:s|x|z|ese)$", last):
        forms = {name: EITHER}
    else:
        forms = {name: SINGULAR}
    forms.setdefault(" ".join([*words[:-1], plural]), PLURAL)
    return forms


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass(frozen=True)
class Noun:
    types: frozenset[str]
    breed: str | None
    number: str
    kind: str = "type"  # "type", "breed", "generic" (the whole store) or "referring" ("ones")
    stage: str | None = None  # life stage a word such as "puppy" implies (see stages.py)
    sex: str | None = None  # sex a word such as "perra" implies (see attributes.py)

    @property
    def name(self) -> str:
        """How to show this noun to a shopper: the breed as stored, else the type."""
        return self.breed or next(iter(sorted(self.types)), "")

    @property
    def is_subject(self) -> bool:
        return self.kind != "referring"


@dataclass(frozen=True)
class Nouns:
    lookup: dict[str, Noun]  # surface with everything but letters and digits removed -> noun
    starts: frozenset[str]  # tokens that can begin a noun
    longest: int  # most words in any surface
    surfaces: dict[str, Noun]  # surface as written (lowercase, words separated by spaces) -> noun

    @functools.cached_property
    def spelling(self) -> SpellIndex:
        """One-word surfaces (meaning: their noun) and the words of longer ones, for typo correction."""
        words: dict[str, str] = {}
        # A type's own name and plural first: among equally close words of one meaning, they are preferred.
        def own_name(surface: str) -> bool:
            noun = self.surfaces[surface]
            return noun.kind == "type" and surface in _forms(noun.name)

        # Then in the tables' order, which puts the common words first ("kittens" before "kitties").
        order = {surface: i for i, surface in enumerate(self.surfaces)}
        plain = sorted(self.surfaces, key=lambda s: (not own_name(s), order[s]))
        for surface in plain:
            noun = self.surfaces[surface]
            if " " not in surface:  # one animal whatever its stage: "kittins" may be kittens or kitties
                words.setdefault(surface, f"noun:{sorted(noun.types)}:{noun.breed}")
        for surface in plain:
            if " " in surface:
                for word in surface.split():
                    words.setdefault(word, f"word:{word}")
        return SpellIndex(words, preferred=[surface for surface in plain if own_name(surface)])

    @functools.cached_property
    def parts(self) -> dict[str, list[Noun]]:
        """Each word of a several-word noun -> the nouns it is part of ("dragon" -> Bearded Dragon)."""
        found: dict[str, list[Noun]] = {}
        for surface, noun in self.surfaces.items():
            if " " in surface:
                for word in surface.split():
                    if noun not in found.setdefault(word, []):
                        found[word].append(noun)
        return found

    def noun_for(self, surface: str) -> Noun | None:
        return self.lookup.get(_key(surface))

    def mark(self, text: str, found: list[Noun]) -> str:
        """Replace each noun (longest match first) by a marker N<index><number>; append the nouns to `found`."""
        tokens = [(m.start(), m.end(), m.group(0)) for m in TOKEN.finditer(text)]
        out: list[str] = []
        at = i = 0
        while i < len(tokens):
            if tokens[i][2] not in self.starts:
                i += 1
                continue
            for width in range(min(self.longest, len(tokens) - i), 0, -1):
                window = tokens[i : i + width]
                # words of one noun are separated by spaces, hyphens or apostrophes only ("shih-tzu")
                if any(text[a[1] : b[0]].strip(" '-") for a, b in zip(window, window[1:])):
                    continue
                noun = self.lookup.get("".join(t[2] for t in window))
                if noun is not None:
                    out.append(text[at : window[0][0]])
                    out.append(f" N{len(found)}{noun.number} ")
                    found.append(noun)
                    at = window[-1][1]
                    i += width
                    break
            else:
                i += 1
        out.append(text[at:])
        return "".join(out)


@functools.lru_cache(maxsize=64)
def nouns_for(vocabulary: Vocabulary) -> Nouns:
    lookup: dict[str, Noun] = {}
    surfaces: dict[str, Noun] = {}
    starts: set[str] = set()
    longest = 1

    def add(surface: str, noun: Noun) -> None:
        nonlocal longest
        words = surface.split()
        if noun.kind == "type" and surface in NOUN_STAGES:
            noun = replace(noun, stage=NOUN_STAGES[surface])
        if noun.kind == "type" and surface in NOUN_SEXES:
            noun = replace(noun, sex=NOUN_SEXES[surface])
        lookup.setdefault(_key(surface), noun)
        surfaces.setdefault(surface, noun)
        starts.update((words[0], _key(surface)))  # "shih tzu" may be typed "shihtzu"
        longest = max(longest, len(words))

    # Breeds first: they are longer and more specific than type words ("Basset Hound" is not just a hound).
    normalised_breeds: dict[str, str] = {}
    for breed in vocabulary.breeds:
        name = squash(re.sub(r"[^a-z0-9]+", " ", fold(breed)))
        if name and name not in _BREED_STOPWORDS and len(name) > 1:
            normalised_breeds[name] = breed

    def breed_noun(breed: str, number: str) -> Noun:
        implied = frozenset() if breed in vocabulary.shared_breeds else frozenset({vocabulary.breeds[breed]})
        return Noun(implied, breed, number, kind="breed")

    for name, breed in normalised_breeds.items():
        for surface, number in _forms(name).items():
            add(surface, breed_noun(breed, number))
    first_words: dict[str, list[str]] = {}
    all_words: dict[str, int] = {}
    for name in normalised_breeds:
        words = name.split()
        first_words.setdefault(words[0], []).append(name)
        for word in set(words):
            all_words[word] = all_words.get(word, 0) + 1
    builtin_words = {w for forms in _TYPE_WORDS.values() for w in forms} | set(_GENERIC_NOUNS) | set(_REFERRING_NOUNS)
    for word, names in first_words.items():
        name = names[0]
        if (len(names) == 1 and len(name.split()) > 1 and len(word) >= 4 and all_words[word] == 1
                and word not in _NOT_DISTINCTIVE and word not in builtin_words and word not in normalised_breeds
                and word not in NUMBER_WORDS and word not in vocabulary.types and word not in _OTHER_ANIMALS):
            for surface, number in _forms(word).items():
                add(surface, breed_noun(normalised_breeds[name], number))
    for nickname, targets in _NICKNAMES.items():
        target = next((t for t in targets if t in normalised_breeds), None)
        if target is not None and nickname not in normalised_breeds:
            for surface, number in _forms(nickname).items():
                add(surface, breed_noun(normalised_breeds[target], number))

    # Types present in the store win over the built-in synonyms ("snake" stays "snake" if the store has snakes).
    for pet_type in sorted(vocabulary.types):
        name = squash(re.sub(r"[^a-z0-9]+", " ", fold(pet_type)))
        if name:
            for surface, number in {**_TYPE_WORDS.get(pet_type, {}), **_forms(name)}.items():
                add(surface, Noun(frozenset({pet_type}), None, number))
    for pet_type, words in _TYPE_WORDS.items():
        for surface, number in words.items():
            add(surface, Noun(frozenset({pet_type}), None, number))
    for animal in _OTHER_ANIMALS:
        for surface, number in _forms(animal).items():
            add(surface, Noun(frozenset({animal}), None, number))
    for surface, number in _GENERIC_NOUNS.items():
        add(surface, Noun(frozenset(), None, number, kind="generic"))
    for surface, number in _REFERRING_NOUNS.items():
        add(surface, Noun(frozenset(), None, number, kind="referring"))

    return Nouns(lookup, frozenset(starts), longest, surfaces)
