"""Words that carry no meaning for a filter: never reported as not understood, never "corrected".

Real words close to a pet word ("carrot", "mittens", "parents") are listed too, so they are not read as typos.

Folded (lowercase, accents removed). Add a word here when shoppers write it and it is neither a subject nor a
constraint; add it to the grammar instead when it should change the filter.
"""

from __future__ import annotations

_ENGLISH = """
a about above across after again against all also am an and another any anybody anyone anything are around as
ask asking at away back be because been before being best better both but buy buying by
can cannot could currently day days did do does doing done dont don't down during each either else enough etc
even ever every exactly few find finding for found from get getting give go going got had has have having he hello
her here hers hey hi him his home hope how however i i'd i'll i'm i've if in interested into is it it's its just
kind kinda know last let let's like likely list looking look lot lots love made make many may maybe me mine more
much must my myself need needs next nice no nor not now of off ok okay on once one only or other our
ours out own perhaps please plenty possible pretty probably quite rather really right same see seeing seem
shop show showing so some somebody someone something store such sure tell than thank thanks that that's the
their theirs them then there there's these they thing things think this those though through to today too toward
towards truly try u until up upon us very via want wanted wanting wants was way we well were what what's
whatever when where whether which while who whom whose why will wish with within without would yes yet you your
yours yourself ya yeah hmm um uh oh wow cool great awesome perfect lovely cute sweet adorable beautiful gorgeous
fine good friend friends buddy companion family families forever loving happy healthy
shopping purchase purchasing adopt adopting adoption browse browsing search searching seek seeking got gotta
wanna gonna lemme gimme pls plz thx ty currently still stock pet pets animal animals creature creatures critter
critters listing listings inventory selection choice choices see seeing watch
actually anyway anyways basically honestly literally specifically preferably ideally possibly definitely
house home room apartment flat garden yard daughter son daughters sons wife husband girlfriend boyfriend mom
mum dad mother father grandma grandpa kid's
cart carts coat coats cast card cards care bard bards dish wish fist boat boats kite kites mitten mittens carrot
carrots rabbi rabbis parent parents parrotfish birth catch kitchen dodge hoses horsey mousy fishing gear
"""
_SPANISH = """
a al algo algun alguna algunas alguno algunos alli aqui as asi cual cuales cuando como con cual de del desde donde
el ella ellas ellos en entre era es esa esas ese eso esos esta estan estas este esto estos hay hola la las le les
lo los me mi mis muestrame muestreme mostrar mostrame ver favor gracias por para pero poco porque puedo puede
quiero queremos quisiera que se si sin sobre solo su sus tambien tengo tiene tienen tienes tu un una unas uno unos
y o ya busco buscamos buscando necesito dame deme hay tienda mascota mascotas animal animales comprar adoptar
ver mirar
"""
_FRENCH = """
a au aux avec avez avoir bonjour ce ces cet cette chez comme dans de des du elle en est et etre il ils je la le
les leur lui ma mais me mes moi mon montre montrez montre-moi montrez-moi ne ni nous on ou par pas peu pour
pourriez pouvez puis qu que quel quelle quels quelles qui sa se ses si son sont sur ta te tes toi ton tu un une
vos votre vous veux voudrais voulons cherche cherchons recherche merci plait svp y a-t-il il-y-a avez-vous
animal animaux compagnie acheter adopter boutique magasin voir
regarder plait taille
"""
_GERMAN = """
ab aber alle als am an auch auf aus bei bin bis bitte da dann das dass dem den der des die dies diese diesem
diesen dieser du ein eine einem einen einer eines er es fur gibt habe haben habt hallo hast hat ich ihr im in ist
ja kann kannst konnen mein meine mich mir mit mochte mochten nach nicht noch nur oder sein sie sind so suche suchen
uns und vom von vor was welche welcher welches wie wir wo zeig zeige zeigen zu zum zur danke gerne kaufen
adoptieren tier tiere haustier haustiere laden sehen
ansehen anschauen schauen sich
"""

FILLER: frozenset[str] = frozenset(
    word for block in (_ENGLISH, _SPANISH, _FRENCH, _GERMAN) for word in block.split()
)

# Real words a letter or two away from a word of the parser ("herding" / "pending", "brown" / "grown", "weight" /
# "eight"): never corrected, and reported as not understood when they look meaningful. Add one when a shopper's
# word is read as another.
REAL_WORDS: frozenset[str] = frozenset("""
short shorter shortest hunting hunter hunters herding herder sporting sport sports spotted spots brown browns
ears weight weights light lighter height heights grandma grandpa grandmother grandfather fourth fifth sixth
seventh eighth ninth tenth shorthaired longhaired haired hair hairs black white quiet beach barks barking walking
walks shipping
""".split())
