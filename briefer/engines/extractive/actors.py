"""Find the actors of an article by rules and small gazetteers: people with their titles,
organisations (acronyms and named bodies), states; with aliases folded in. Pure functions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...schema import ActorKind

# Titles that introduce a person: "Deputy Foreign Minister Araz Azimov".
_TITLE_WORDS = (
    "President|Vice President|Prime Minister|Deputy Prime Minister|Foreign Minister|Minister|"
    "Deputy Minister|Secretary-General|Secretary General|Secretary|Ambassador|Envoy|Mayor|"
    "Governor|Senator|Congressman|Congresswoman|Chancellor|Chairman|Chairwoman|Chair|Director|"
    "Spokesman|Spokeswoman|Spokesperson|Commissioner|General|Admiral|Colonel|Professor|Prof\\.|"
    "Dr\\.|Judge|Justice|King|Queen|Prince|Sheikh|Emir|Chief Executive|CEO|Speaker|Lord|"
    "Leader|Representative|Premier|Deputy|Mr\\.|Mrs\\.|Ms\\.|State Secretary|Cardinal|Pope"
)
_NAME = (
    r"[A-Z][a-zà-ÿ'’-]+(?:\s(?:[A-Z]\.\s)?(?:(?:van|von|de|da|al|bin|el|der|la|du)\s)?"
    r"[A-Z][a-zà-ÿ'’-]+){1,2}"
)
_TITLED = re.compile(
    rf"\b((?:(?:{_TITLE_WORDS})\s+(?:of\s+(?:the\s+)?(?:[A-Z][\w-]+\s+(?:and\s+)?){{1,4}})?(?:[A-Z][\w-]+\s+){{0,3}}"
    rf"(?:{_TITLE_WORDS})?\s*)|(?:[A-Z][\w-]+\s+)?(?:{_TITLE_WORDS})\s+)({_NAME})"
)
# "Vasily Istratov, Moscow's ambassador in Baku," / "Ole Magnussen, chairman of the association,".
_APPOSITIVE_AFTER = re.compile(
    rf"\b({_NAME}),\s+((?:an?|the|its|his|her|their|[A-Z][\w'’]+|[a-z][\w'’-]+)"
    rf"\s[^,.;“\"]{{3,80}}?)[,.]"
)
_APPOSITIVE_BEFORE = re.compile(
    rf"(?:^|(?<=\s))((?:[Aa]n?|[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|"
    rf"[A-Z][\w-]+['’]s)\s[^,.;“\"]{{3,60}}?),\s+({_NAME})[,.]",
    re.M,
)
# "New York said", "San Marino said": places speaking for their governments, not people.
_PLACE_STARTS = set(
    "New North South East West Saint San Santa Los Las Fort Mount Lake Cape Port El La Le Hong"
    " Kuala Buenos Costa Sierra Sri Puerto Abu Addis Dar Rio Tel".split()
)
_SAYING = r"said|says|told|tells|added|argued|warned|insisted|wrote|asked|urged|stressed|noted"
_SPEAKER_BEFORE_VERB = re.compile(
    rf"\b({_NAME})(?:,\s+(?:who|whose)\b[^,.;]{{3,100}},)?\s+(?:has |had |also )?(?:{_SAYING})\b"
)
_SPEAKER_AFTER_VERB = re.compile(rf"(?:[,”\"]\s*)(?:said|says|added|wrote)\s+({_NAME})\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,6}\b")
_ORG_WORDS = (
    "Ministry|Association|Bank|Party|Group|Organisation|Organization|Union|Council|Agency|"
    "Institute|Fund|Court|Commission|Alliance|Federation|Company|University|Authority|Committee|"
    "Assembly|Parliament|Congress|Senate|Government|Office|Department|Army|Navy|Police|"
    "Corporation|Coalition|Foundation|Movement|Front|Network|Service|Board|Church|Forum|"
    "Review|Times|News|Post|Agency|Treaty Organisation|Treaty Organization|Programme|Lines"
)
_ORGANISATION = re.compile(
    rf"\b(?:the\s+)?((?:[A-Z][\w'’-]+\s+(?:(?:of|for|and|on|de|the)\s+)*){{0,5}}"
    rf"(?:{_ORG_WORDS})(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)?)"
)
_NOT_ACRONYM = {"I", "A", "TV", "AM", "PM", "OK", "US", "UK", "EU", "UN", "CEO", "GDP"}
_KNOWN_ACRONYM_ACTORS = {"US", "UK", "EU", "UN"}

STATES = frozenset(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain
    Bangladesh Belarus Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chad Chile
    China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt Eritrea Estonia
    Ethiopia Finland France Gabon Georgia Germany Ghana Greece Guatemala Guinea Haiti Honduras
    Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya
    Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Libya Lithuania Luxembourg Madagascar Malawi
    Malaysia Mali Malta Mexico Moldova Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nepal
    Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palestine Panama Paraguay Peru
    Philippines Poland Portugal Qatar Romania Russia Rwanda Senegal Serbia Singapore Slovakia
    Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand
    Tunisia Turkey Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia
    Zimbabwe America Britain Chechnya Crimea Tibet Kurdistan Transnistria Abkhazia Ossetia
    Palestine Gaza Catalonia Scotland Wales""".split()
) | {
    "United States",
    "United Kingdom",
    "South Korea",
    "North Korea",
    "South Africa",
    "Saudi Arabia",
    "New Zealand",
    "Sri Lanka",
    "Ivory Coast",
    "European Union",
    "United Nations",
    "Czech Republic",
    "Nagorno-Karabakh",
    "West Bank",
}

_TITLE_HEAD = re.compile(rf"^(?:{_TITLE_WORDS})$")
_FUNCTION_WORDS = {
    "In",
    "On",
    "At",
    "For",
    "By",
    "From",
    "With",
    "As",
    "After",
    "Before",
    "But",
    "And",
    "The",
    "A",
    "An",
    "If",
    "When",
    "While",
    "Since",
    "Under",
    "Over",
    "To",
}


@dataclass
class Found:
    """An actor being assembled: canonical name, kind, role, aliases, first offset."""

    name: str
    kind: ActorKind
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    first: int = 0
    # Found as the subject of a verb of saying or acting: an actor by what it does.
    acts: bool = False

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def _clean_role(role: str) -> str:
    return re.sub(
        r"^(?:the|an?|its|his|her|their)\s+", "", re.sub(r"\s+", " ", role).strip(" ,"), flags=re.I
    )


def find_people(text: str) -> dict[str, Found]:
    """People named with a title or an appositive role, keyed by full name."""
    people: dict[str, Found] = {}

    def add(name: str, role: str | None, at: int) -> None:
        words = name.split()
        while len(words) > 2 and _TITLE_HEAD.match(words[0]):
            words = words[1:]
        name = " ".join(words)
        if len(words) < 2 or words[0] in _FUNCTION_WORDS or _TITLE_HEAD.match(words[-1]):
            return  # "The Minister said", "Prime Minister said": a title, not a name
        if name.split()[0] in STATES or any(w in _ORG_WORDS.split("|") for w in name.split()):
            return
        person = people.setdefault(name, Found(name, "person", None, [], at))
        if role and not person.role:
            person.role = _clean_role(role)

    for match in _TITLED.finditer(text):
        title = (match.group(1) or "").strip()
        if title in ("Mr.", "Mrs.", "Ms.", "Dr.", "Prof."):
            title = ""
        add(match.group(2), title or None, match.start(2))
    for match in _APPOSITIVE_AFTER.finditer(text):
        role = match.group(2)
        if _looks_like_role(role):
            add(match.group(1), role, match.start(1))
    for match in _APPOSITIVE_BEFORE.finditer(text):
        if _looks_like_role(match.group(1)):
            # "under the chairmanship of a retired Swiss diplomat, Anna Keller": the role is
            # the last noun phrase, not the whole run-up.
            role = re.split(r"\s(?:a|an|the)\s", match.group(1))[-1]
            add(match.group(2), role, match.start(2))
    # Named without a title, but speaking: "Ole Magnussen told reporters", "said Anna Berg".
    for pattern in (_SPEAKER_BEFORE_VERB, _SPEAKER_AFTER_VERB):
        for match in pattern.finditer(text):
            if match.group(1).split()[0] not in _PLACE_STARTS:
                add(match.group(1), None, match.start(1))
    return people


_ROLE_HINT = re.compile(
    rf"(?i)\b(?:{_TITLE_WORDS}|analyst|official|expert|chief|head|leader|president|founder|"
    r"member|adviser|advisor|economist|lawyer|farmer|operator|owner|researcher|engineer|"
    r"negotiator|diplomat|correspondent|author|activist|resident|mayor|governor|spokes\w+)\b"
)


def _looks_like_role(phrase: str) -> bool:
    return bool(_ROLE_HINT.search(phrase)) and len(phrase.split()) <= 12


def find_organisations(text: str) -> dict[str, Found]:
    """Named bodies and acronyms, keyed by name; acronyms paired with their spelled-out names."""
    found: dict[str, Found] = {}
    for match in _ORGANISATION.finditer(text):
        name = match.group(1).strip()
        words = name.split()
        if len(words) < 2 and name not in ("Parliament", "Congress", "Government"):
            continue
        if words[0] in ("The", "A", "An", "Its", "His", "Her", "Their", "But", "And"):
            name = " ".join(words[1:])
        if len(name.split()) >= 2 and name.split()[0] not in _FUNCTION_WORDS:
            found.setdefault(name, Found(name, "organization", None, [], match.start(1)))
    for match in _ACRONYM.finditer(text):
        acronym = match.group()
        if acronym in _NOT_ACRONYM and acronym not in _KNOWN_ACRONYM_ACTORS:
            continue
        spelled = next((f for f in found.values() if _initials(f.name) == acronym), None)
        if spelled is not None:
            if acronym not in spelled.aliases:
                spelled.aliases.append(acronym)
            continue
        kind: ActorKind = "state" if acronym in ("US", "UK") else "organization"
        found.setdefault(acronym, Found(acronym, kind, None, [], match.start()))
    return found


# Bodies the text names in lower case ("the port authority", "the fishermen's association"),
# kept only as the subject of a verb of saying or acting, and only with a modifier: a bare
# "the council" or "the government" usually repeats a body named in full elsewhere.
_BODY_HEADS = (
    "authority|agency|association|council|ministry|commission|committee|union|court|bank|"
    "company|party|alliance|board|federation|institute|department|regulator|operator|"
    "delegation|coalition|opposition|utility"
)
# People acting as a body. The first heads stand alone ("the fishermen said"); the others
# need a word that says which ("opposition parties", "negotiators from the four states").
_PLAIN_GROUPS = (
    "residents|fishermen|farmers|protesters|villagers|activists|campaigners|steelmakers|"
    "producers|manufacturers|exporters|importers|lenders|airlines|teachers|nurses|students|"
    "parents|pensioners|consumers|employers|carmakers|automakers|shipowners|traders"
)
_QUALIFIED_GROUPS = (
    "workers|mayors|unions|doctors|parties|negotiators|officials|diplomats|governments|"
    "ministers|lawmakers|deputies|investors|critics|opponents|members|leaders|authorities"
)
_GROUP_HEADS = f"{_PLAIN_GROUPS}|{_QUALIFIED_GROUPS}"


def _any_case(words: str) -> str:
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words.split("|"))


_BODY_VERB = (
    r"said|says|warned|warns|asked|asks|threatened|threatens|wants|want|argued|argues|insisted|"
    r"insists|demanded|demands|rejected|rejects|called|calls|urged|urges|expects|expect|has|have|"
    r"had|would|will|plans|plan|announced|welcomed|criticised|criticized|opposes|oppose|filed|"
    r"appealed|accused|denied|declined|refused|proposed|complained|agreed|voted|must|should|"
    r"could|may|might|is|was|are|were|say|adjourned|met|signed|approved|backed|blocked|"
    r"postponed|delayed|launched|rejected|accepted|walked|left"
)
_MODIFIER = (
    r"(?!(?:that|the|which|who|whom|of|and|or|to|in|on|at|for|with|by|a|an|its|their|his|"
    r"her|this|these|those|said|says)\b)[a-z][\w'’-]+ "
)
# Words that widen a body's name without changing which body it is.
_LOOSE_MODIFIERS = {"regional", "national", "local", "federal", "state", "city", "new", "main"}
_POSTMODIFIER = r"(?: (?:of|from|in) (?:the )?(?:[a-z0-9][\w'’-]* ){0,3}[a-z][\w'’-]*)"
_GROUP = (
    rf"(?:[A-Z][a-z]+ )?(?:{_MODIFIER}){{0,2}}(?:{_any_case(_PLAIN_GROUPS)}){_POSTMODIFIER}?"
    rf"|(?:{_MODIFIER}){{1,2}}(?:{_QUALIFIED_GROUPS}){_POSTMODIFIER}?"
    rf"|(?:{_any_case(_QUALIFIED_GROUPS)}){_POSTMODIFIER}"
)
_BODY = re.compile(
    rf"(?:\b[Tt]he ((?:{_MODIFIER}){{1,3}}(?:{_BODY_HEADS}))"
    rf"|(?:\b[Tt]he |(?:^|(?<=[.;:]\s)|(?<=\bwhere\s)|(?<=\bwhile\s))(?=[A-Za-z]))"
    rf"({_GROUP}))"
    rf"\b(?=(?:,[^.;]{{0,160}}?,|\s+who\s[^,.;]{{3,80}}?)?\s+(?:also\s+)?(?:{_BODY_VERB})\b)",
    re.M,
)


# "Eurofer, the industry's lobby group, said": a one-word name made an organisation by its
# appositive.
_NAMED_BY_APPOSITIVE = re.compile(
    r"\b([A-Z][\w&’'-]+),\s+(?:the|a|an)\s+[^,.;]{0,60}?\b(?:group|association|body|"
    r"organi[sz]ation|company|firm|union|lobby|agency|party|movement|network|coalition|alliance|"
    r"federation|council|institute|bank|regulator|operator|producer|maker|broadcaster|newspaper)"
    r"\b[^,.;]{0,30},"
)


def find_named_bodies(text: str) -> dict[str, Found]:
    """Organisations with a one-word name that an appositive introduces."""
    found: dict[str, Found] = {}
    for match in _NAMED_BY_APPOSITIVE.finditer(text):
        name = match.group(1)
        if name not in _FUNCTION_WORDS and name not in STATES:
            found.setdefault(name, Found(name, "organization", None, [], match.start(1), True))
    return found


def mark_acting(actors: list[Found], text: str) -> None:
    """Flag each actor that is the subject of a verb of saying or acting somewhere."""
    for actor in actors:
        names = "|".join(re.escape(n) for n in actor.names())
        if re.search(
            rf"\b(?:{names})\b(?:,[^.;]{{0,160}}?,)?\s+(?:also\s+)?(?:{_BODY_VERB})\b", text
        ):
            actor.acts = True


def find_bodies(text: str) -> dict[str, Found]:
    """Bodies and groups named in lower case that speak or act, keyed by name."""
    found: dict[str, Found] = {}
    for match in _BODY.finditer(text):
        phrase = match.group(1) or match.group(2)
        words = phrase.split()
        words[0] = words[0][0].lower() + words[0][1:]  # "Negotiators from ..." at a sentence start
        # "the regional environment agency" and "the environment agency" are one body.
        while len(words) > 2 and words[0] in _LOOSE_MODIFIERS:
            words = words[1:]
        name = " ".join(words)
        head = next((w for w in words if re.fullmatch(_GROUP_HEADS, w)), words[-1])
        kind: ActorKind = "group" if re.fullmatch(_GROUP_HEADS, head) else "organization"
        body = found.setdefault(
            name, Found(name, kind, None, [f"the {name}"], match.start(), acts=True)
        )
        if phrase != name and f"the {phrase}" not in body.aliases:
            body.aliases.append(f"the {phrase}")
    # "the association" for "the fishermen's association", when no other body shares the head.
    heads = Counter(name.split()[-1] for name in found if found[name].kind == "organization")
    for name, body in found.items():
        head = name.split()[-1]
        if body.kind == "organization" and heads[head] == 1 and len(name.split()) > 1:
            body.aliases.append(f"the {head}")
    return found


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper() and w.lower() not in ("of",))


def find_states(text: str) -> dict[str, Found]:
    """Countries and regions from the gazetteer that the text names."""
    found: dict[str, Found] = {}
    for state in STATES:
        match = re.search(rf"\b{re.escape(state)}\b(?!\s+(?:{_ORG_WORDS}))", text)
        if match:
            found[state] = Found(state, "state", None, [], match.start())
    return found
