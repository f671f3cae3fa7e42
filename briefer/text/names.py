"""Names of actors: the words around a name that are not part of it (titles, honorifics) and
the folded key two names are compared by. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Nouns naming an office or a function: "the minister", "the spokesman" refer back to a person
# whose role has them.
TITLES = frozenset(
    """president minister secretary senator congressman congresswoman representative governor mayor
    ambassador envoy chancellor chairman chairwoman chairperson chair director spokesman
    spokeswoman spokesperson commissioner general admiral colonel professor judge justice king
    queen prince premier leader chief executive head sheriff inspector officer commander lawyer
    attorney analyst economist researcher official adviser advisor deputy speaker founder diplomat
    co-founder manager editor correspondent author activist campaigner mp mep lawmaker legislator
    councillor councilor prosecutor coordinator""".split()
)
# Occupations beside a name that say it is a person's ("Li Wei, owner of X", "Ann Lee, a
# historian"), though no office of a body: "a security consultant said" is not the security's.
PROFESSIONS = frozenset(
    """owner coach captain teacher scientist engineer entrepreneur investor strategist
    historian lecturer expert consultant candidate ceo""".split()
)
# Of the roles, those a body holds as often as a person ("Brook Holdings, the owner of the
# mall"): beside a name they say what it does, not whether it is a person.
SHARED_ROLES = frozenset({"owner", "investor", "consultant"})
# The words of a role beside a name, and those of them only a person holds.
ROLE_WORDS = TITLES | PROFESSIONS
PERSON_ROLES = ROLE_WORDS - SHARED_ROLES
# A word for a kind of office that a text uses for whoever holds one of its offices: "the
# diplomat" after "the Russian ambassador to Cyprus".
OFFICE_KINDS = {"diplomat": ("ambassador", "envoy", "consul", "diplomat", "foreign minister")}


def holds_office(role: str | None, title: str) -> bool:
    """Whether a person's `role` is the office `title` names, or one of its kind."""
    if not role:
        return False
    role = role.lower()
    if re.search(rf"\b(?:vice|deputy|former|ex)[ -]{re.escape(title)}", role):
        return False  # "the president" is not Vice President Pence
    return title in role or any(office in role for office in OFFICE_KINDS.get(title, ()))


# The abbreviated ranks and offices news writes before a surname ("Supt Evans", "Sen. Lee",
# "Det Insp Byrne"): not part of the name, but an office its holder acts in.
OFFICE_ABBREVIATIONS = {
    "supt": "Superintendent",
    "insp": "Inspector",
    "det": "Detective",
    "sgt": "Sergeant",
    "cllr": "Councillor",
    "sen": "Senator",
    "sens": "Senator",
    "rep": "Representative",
    "reps": "Representative",
    "gov": "Governor",
    "gen": "General",
    "col": "Colonel",
    "lt": "Lieutenant",
    "capt": "Captain",
    "cmdr": "Commander",
    "prof": "Professor",
    "cpl": "Corporal",
    "pte": "Private",
    "maj": "Major",
}
_HONORIFIC_WORDS = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "dame", "rev", "hon", "fr"} | set(OFFICE_ABBREVIATIONS)
)
HONORIFICS = _HONORIFIC_WORDS | frozenset(f"{word}." for word in _HONORIFIC_WORDS)

# Generational suffixes: "Donald Trump Jr" is not "Donald Trump".
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words inside a surname that are written small or stand before its last word: "Marine Le
# Pen", "Ursula von der Leyen", "Luiz Inacio Lula da Silva", "Osama bin Laden".
PARTICLES = frozenset(
    """de da di do du del della des der den dos das van von le la al el bin ibn ben abu ter
    zu""".split()
)
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")


def name_key(name: str) -> str:
    """Comparable form of a name: lower case, no leading article, punctuation removed."""
    folded = _NON_WORD.sub(" ", name.lower().replace("’", "'").replace("'s ", " ")).strip()
    return _LEADING_ARTICLE.sub("", folded)


def actor_keys(names: Sequence[str]) -> frozenset[str]:
    """Folded actor names, for comparing actors across articles."""
    return frozenset(key for key in (name_key(n) for n in names) if key)
