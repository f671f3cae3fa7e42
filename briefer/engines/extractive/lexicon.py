"""General word lists of the spaCy engine: reporting verbs, titles, states' other names.

The reporting verbs are the usual inventory of speech-act and cognition verbs used by quote
attribution systems (the BBC's Citron, Pareti's PARC corpus); the state names are public
gazetteer facts. Nothing here is taken from any particular article.
"""

from __future__ import annotations

# Verbs of taking a stand in public, which report the actor's position when the act is told
# as done ("the union denounced the plan"), not when it is only named ("needs to endorse").
TAKING_A_STAND = frozenset(
    "denounce decry slam blast lambaste hail applaud dispute reaffirm endorse".split()
)
REPORTING = (
    frozenset(
        """say tell add state warn argue insist note explain declare announce write ask urge stress
    concede reply suggest believe think claim deny admit acknowledge confirm predict caution
    describe comment observe remark respond counter retort indicate pledge promise vow threaten
    accuse criticise criticize complain demand reject propose recommend report tweet testify
    assert allege contend maintain emphasise emphasize agree estimate expect hope fear worry
    question doubt dismiss welcome praise condemn blame insist reveal disclose recall acknowledge
    announce caution advise conclude contend point forecast cite quote brief inform
    assure reiterate repeat underline highlight signal hint mention explain add""".split()
    )
    | TAKING_A_STAND
)
# Verbs of wanting, intending, deciding and taking sides: "the union wants X", "the council
# plans to Y", "Berlin opposes Z" report where an actor stands without a verb of saying (the
# attitude and intention categories of attribution corpora such as PARC).
STANCE = frozenset(
    """want plan intend seek aim oppose support back favour favor decide vote approve
    push lobby insist""".split()
)
_STANCE_IRREGULAR = {"sought": "seek"}

# Reporting verbs whose content the speaker holds untrue: "denied that X" reports not-X, as
# "did not say that X" does not report X.
DENYING = frozenset({"deny"})
# The forms of "be" (the pipeline runs without a lemmatizer): what their subject is, not does.
BE_FORMS = frozenset("be is are was were been being 's 're".split())

# Verbs of refusing or failing to speak, by lemma: "declined to comment on X", "refused to say
# whether X", "failed to respond" report that nothing was said about X, not X. All forms: the
# pipeline runs without a lemmatizer.
REFUSING = frozenset(
    f"{stem}{ending}" for stem in ("declin", "refus") for ending in ("e", "es", "ed", "ing")
) | frozenset({"fail", "fails", "failed", "failing"})
# Irregular forms of the verbs above; regular ones are recognised by their endings.
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "thought": "think",
    "thinks": "think",
    "thinking": "think",
    "foresaw": "forecast",
    "forecasted": "forecast",
}


def verb_lemma(form: str) -> str:
    """The base form of a verb form when it is a reporting verb's, else the form itself."""
    form = form.lower()
    if form in REPORTING:
        return form
    if form in _IRREGULAR:
        return _IRREGULAR[form]
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ing", "e"),
        ("es", ""),
        ("ed", ""),
        ("ed", "e"),
        ("s", ""),
        ("d", ""),
    ):
        if form.endswith(suffix):
            stem = form[: -len(suffix)] + repl
            if stem in REPORTING:
                return stem
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in REPORTING:
                return stem[:-1]  # "admitted", "committing"
    return form


def is_reporting(form: str) -> bool:
    """True when `form` is a form of a reporting verb."""
    return verb_lemma(form) in REPORTING


def is_stance(form: str) -> bool:
    """True when `form` is a form of a verb of wanting, intending, deciding or taking sides."""
    form = form.lower()
    if form in _STANCE_IRREGULAR or form in STANCE:
        return True
    for suffix, repl in (("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if form.endswith(suffix) and form[: -len(suffix)] + repl in STANCE:
            return True
    return form.endswith("ied") and form[:-3] + "y" in STANCE


# Titles of whoever leads a body: "the director of X" makes X a body, not a person (unlike
# "the lawyer of X" or "the spokesman of X", who may serve a person).
HEADS = frozenset(
    """president chairman chairwoman chair director founder co-founder manager executive
    chief head editor""".split()
)
# Honorifics that stand before a name but are not a role.

# Nouns a text uses for an organisation already named: "the company said".
ORG_NOUNS = frozenset(
    """company group organisation organization agency ministry department union party firm
    charity bank council committee commission body association institute court government
    administration regulator authority office""".split()
)

# Nouns for a business by what it does: "the German automaker" is a company, not Germany.
BUSINESSES = frozenset(
    """automaker automakers carmaker carmakers maker makers manufacturer manufacturers
    producer producers supplier suppliers exporter exporters lender lenders insurer insurers
    airline airlines carrier carriers operator operators conglomerate conglomerates
    giant giants chain chains startup startups miner miners developer developers
    broadcaster broadcasters publisher publishers""".split()
)

# Nouns for people and bodies of people: a plural subject headed by one of them ("analysts
# said", "campaigners warn") is a group actor; other plurals ("sectors", "lives") are not.
PEOPLE = frozenset(
    """officials analysts experts critics police authorities people staff crew members leaders
    parties groups companies firms banks governments ministers doctors nurses voters citizens
    students families neighbours neighbors witnesses sources victims survivors refugees
    migrants fans troops forces soldiers militants rebels unions agencies ministries
    democrats republicans liberals conservatives delegates representatives executives
    relatives detectives spokesmen spokeswomen residents participants immigrants applicants
    claimants defendants plaintiffs tenants consultants""".split()
)
# People named by who they are to someone: "X's widow said" is not X speaking.
RELATIONS = frozenset(
    """widow widower wife husband son daughter brother sister mother father parent child
    family relative cousin friend partner aide lawyer attorney doctor neighbour neighbor
    colleague""".split()
)
# Agent nouns: "campaigners", "activists", "politicians" (not "-ents": "comments").
_AGENT_SUFFIXES = ("ers", "ists", "ians")


def is_people(noun: str) -> bool:
    """True when a plural noun names people or bodies of people."""
    noun = noun.lower()
    return noun in PEOPLE or (len(noun) > 6 and noun.endswith(_AGENT_SUFFIXES))


# Words that name a news medium ("ABC News", "The Washington Post", "Press TV") and the
# international wire services known by their initials: a medium carries what others say and
# is not itself an actor of the story.
MEDIA_WORDS = frozenset(
    """news times post journal herald gazette tribune telegraph guardian radio television tv
    broadcasting broadcaster press newspaper magazine daily channel""".split()
)
WIRE_SERVICES = frozenset(
    "AP AFP Reuters TASS CNN BBC ABC NBC CBS RIA Xinhua Interfax DPA ANSA EFE Kyodo Yonhap".split()
)


def is_medium(name: str) -> bool:
    """Whether an organisation's name names a news medium."""
    words = name.replace("-", " ").split()
    return any(w in WIRE_SERVICES for w in words) or any(
        w.lower() in MEDIA_WORDS for w in words[1:] or words
    )


# A state's armed and security forces: "the Ukrainian military shelled ..." is not what the
# state's government says or does, and news treats them as actors of their own.
ARMED_FORCES = frozenset(
    """military army armies forces troops soldiers navy coastguard militia police""".split()
)


# Faiths: what people believe, not who acts ("fighting radical Islam"); "Nation of Islam" is
# a body and keeps its whole name.
RELIGIONS = frozenset(
    """Islam Christianity Judaism Buddhism Hinduism Sikhism Catholicism Protestantism
    Shinto Taoism Jainism""".split()
)


# Names of instruments and publications, not of actors: "the Paris Agreement", "the Census".
INSTRUMENTS = frozenset(
    """agreement treaty accord act convention pact deal law bill report index programme
    program plan initiative strategy protocol charter declaration resolution magazine
    journal constitution amendment statute ordinance directive memorandum memo manifesto
    newspaper website podcast""".split()
)

# A state's other names; a capital stands for its state when the text names that state.
STATE_ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "America": "United States",
    "the United States": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "the United Kingdom": "United Kingdom",
    "Russian Federation": "Russia",
    # Bodies better known by their initials than most.
    "UN": "United Nations",
    "U.N.": "United Nations",
    "EU": "European Union",
    "E.U.": "European Union",
    "Kiev": "Ukraine",
}
CAPITALS = {
    "Washington": "United States",
    "London": "United Kingdom",
    "Moscow": "Russia",
    "Beijing": "China",
    "Paris": "France",
    "Berlin": "Germany",
    "Rome": "Italy",
    "Madrid": "Spain",
    "Tokyo": "Japan",
    "Seoul": "South Korea",
    "Pyongyang": "North Korea",
    "Tehran": "Iran",
    "Baghdad": "Iraq",
    "Damascus": "Syria",
    "Ankara": "Turkey",
    "Kyiv": "Ukraine",
    "Kiev": "Ukraine",
    "Minsk": "Belarus",
    "Warsaw": "Poland",
    "Brussels": "Belgium",
    "Ottawa": "Canada",
    "Canberra": "Australia",
    "New Delhi": "India",
    "Islamabad": "Pakistan",
    "Kabul": "Afghanistan",
    "Riyadh": "Saudi Arabia",
    "Cairo": "Egypt",
    "Jerusalem": "Israel",
    "Amman": "Jordan",
    "Beirut": "Lebanon",
    "Baku": "Azerbaijan",
    "Yerevan": "Armenia",
    "Tbilisi": "Georgia",
    "Stockholm": "Sweden",
    "Oslo": "Norway",
    "Copenhagen": "Denmark",
    "Helsinki": "Finland",
    "Dublin": "Ireland",
    "Athens": "Greece",
    "Vienna": "Austria",
    "Budapest": "Hungary",
    "Prague": "Czech Republic",
    "Bucharest": "Romania",
    "Sofia": "Bulgaria",
    "Belgrade": "Serbia",
    "Mexico City": "Mexico",
    "Havana": "Cuba",
    "Caracas": "Venezuela",
    "Brasilia": "Brazil",
    "Buenos Aires": "Argentina",
    "Pretoria": "South Africa",
    "Nairobi": "Kenya",
    "Addis Ababa": "Ethiopia",
    "Mogadishu": "Somalia",
    "Abuja": "Nigeria",
    "Khartoum": "Sudan",
    "Tripoli": "Libya",
    "Doha": "Qatar",
    "Abu Dhabi": "United Arab Emirates",
    "Hanoi": "Vietnam",
    "Bangkok": "Thailand",
    "Jakarta": "Indonesia",
    "Manila": "Philippines",
    "Astana": "Kazakhstan",
    "Tashkent": "Uzbekistan",
}
# Adjectives of nationality, for "the Russian government" standing for Russia.
DEMONYMS = {
    "American": "United States",
    "British": "United Kingdom",
    "Russian": "Russia",
    "Chinese": "China",
    "French": "France",
    "German": "Germany",
    "Italian": "Italy",
    "Spanish": "Spain",
    "Japanese": "Japan",
    "Iranian": "Iran",
    "Iraqi": "Iraq",
    "Syrian": "Syria",
    "Turkish": "Turkey",
    "Ukrainian": "Ukraine",
    "Polish": "Poland",
    "Canadian": "Canada",
    "Australian": "Australia",
    "Indian": "India",
    "Pakistani": "Pakistan",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Egyptian": "Egypt",
    "Saudi": "Saudi Arabia",
    "Swedish": "Sweden",
    "Norwegian": "Norway",
    "Danish": "Denmark",
    "Finnish": "Finland",
    "Irish": "Ireland",
    "Greek": "Greece",
    "Mexican": "Mexico",
    "Brazilian": "Brazil",
    "Somali": "Somalia",
    "Nigerian": "Nigeria",
    "Kenyan": "Kenya",
    "Azerbaijani": "Azerbaijan",
    "Armenian": "Armenia",
    "Georgian": "Georgia",
    "Jordanian": "Jordan",
    "Lebanese": "Lebanon",
    "Afghan": "Afghanistan",
    "Korean": "South Korea",
    "North Korean": "North Korea",
    "South Korean": "South Korea",
    "Austrian": "Austria",
    "Belgian": "Belgium",
    "Dutch": "Netherlands",
    "Swiss": "Switzerland",
    "Portuguese": "Portugal",
    "Hungarian": "Hungary",
    "Czech": "Czech Republic",
    "Slovak": "Slovakia",
    "Slovenian": "Slovenia",
    "Croatian": "Croatia",
    "Serbian": "Serbia",
    "Bosnian": "Bosnia and Herzegovina",
    "Albanian": "Albania",
    "Macedonian": "Macedonia",
    "Montenegrin": "Montenegro",
    "Romanian": "Romania",
    "Bulgarian": "Bulgaria",
    "Moldovan": "Moldova",
    "Belarusian": "Belarus",
    "Lithuanian": "Lithuania",
    "Latvian": "Latvia",
    "Estonian": "Estonia",
    "Icelandic": "Iceland",
    "Maltese": "Malta",
    "Cypriot": "Cyprus",
    "Tunisian": "Tunisia",
    "Algerian": "Algeria",
    "Moroccan": "Morocco",
    "Libyan": "Libya",
    "Sudanese": "Sudan",
    "Ethiopian": "Ethiopia",
    "Eritrean": "Eritrea",
    "Ugandan": "Uganda",
    "Tanzanian": "Tanzania",
    "Rwandan": "Rwanda",
    "Burundian": "Burundi",
    "Zambian": "Zambia",
    "Zimbabwean": "Zimbabwe",
    "Mozambican": "Mozambique",
    "Angolan": "Angola",
    "Namibian": "Namibia",
    "Malawian": "Malawi",
    "Ghanaian": "Ghana",
    "Senegalese": "Senegal",
    "Malian": "Mali",
    "Chadian": "Chad",
    "Cameroonian": "Cameroon",
    "Ivorian": "Ivory Coast",
    "Liberian": "Liberia",
    "Yemeni": "Yemen",
    "Omani": "Oman",
    "Kuwaiti": "Kuwait",
    "Bahraini": "Bahrain",
    "Qatari": "Qatar",
    "Emirati": "United Arab Emirates",
    "Bangladeshi": "Bangladesh",
    "Nepali": "Nepal",
    "Nepalese": "Nepal",
    "Sri Lankan": "Sri Lanka",
    "Burmese": "Myanmar",
    "Thai": "Thailand",
    "Vietnamese": "Vietnam",
    "Cambodian": "Cambodia",
    "Laotian": "Laos",
    "Malaysian": "Malaysia",
    "Singaporean": "Singapore",
    "Indonesian": "Indonesia",
    "Filipino": "Philippines",
    "Taiwanese": "Taiwan",
    "Mongolian": "Mongolia",
    "Kazakh": "Kazakhstan",
    "Uzbek": "Uzbekistan",
    "Kyrgyz": "Kyrgyzstan",
    "Tajik": "Tajikistan",
    "Turkmen": "Turkmenistan",
    "Argentine": "Argentina",
    "Argentinian": "Argentina",
    "Chilean": "Chile",
    "Peruvian": "Peru",
    "Colombian": "Colombia",
    "Venezuelan": "Venezuela",
    "Ecuadorian": "Ecuador",
    "Bolivian": "Bolivia",
    "Paraguayan": "Paraguay",
    "Uruguayan": "Uruguay",
    "Cuban": "Cuba",
    "Haitian": "Haiti",
    "Jamaican": "Jamaica",
    "Guatemalan": "Guatemala",
    "Honduran": "Honduras",
    "Salvadoran": "El Salvador",
    "Nicaraguan": "Nicaragua",
    "Costa Rican": "Costa Rica",
    "Panamanian": "Panama",
    "South African": "South Africa",
    "South Sudanese": "South Sudan",
}

# States this module knows by name, for the kind of an actor the recogniser mislabelled.
KNOWN_STATES = frozenset(CAPITALS.values()) | frozenset(DEMONYMS.values())
