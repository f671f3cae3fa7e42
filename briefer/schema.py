"""Pydantic models of the JSON contract (schema_version "1") and of the model's reply.

`Briefing` is what briefer returns and prints. `Draft` is what the model is asked for: the
same content without character offsets, which grounding computes from the article text.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

ActorKind = Literal["person", "organization", "state", "group", "other"]


class _Contract(BaseModel):
    # Every field is always present in the JSON, so the printed schema marks them required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Evidence(_Contract):
    """A verbatim span of the article: `text[start:end] == quote`."""

    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    direct: bool = Field(description="True when the span is inside quotation marks in the source.")


class Actor(_Contract):
    """A person, organisation, state or group that acts, speaks or holds a position."""

    name: str = Field(min_length=1)
    kind: ActorKind
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)


class Position(_Contract):
    """What one actor wants or holds, with the evidence for it."""

    actor: str = Field(min_length=1)
    stance: str = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)


class OpenIssue(_Contract):
    """A question the article leaves unresolved."""

    issue: str = Field(min_length=1)
    stakeholders: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class KeyFact(_Contract):
    """A fact the article establishes."""

    fact: str = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)


class Source(_Contract):
    """Where the article came from."""

    id: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    tokens: int = Field(ge=0)


class Usage(_Contract):
    """What calls cost: HTTP calls made, answered from cache, tokens, retries and repairs.

    The one record of cost: the client adds to it as calls are made, and a briefing's
    `engine` and a digest's `usage` are it with what produced them.
    """

    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    repairs: int = 0

    def add(self, other: Usage) -> None:
        """Count `other`'s calls and tokens in this record too."""
        for name in Usage.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> Usage:
        """This record's counts alone (without what a subclass adds)."""
        return Usage(**{name: getattr(self, name) for name in Usage.model_fields})


class Engine(Usage):
    """What produced the briefing and what it cost."""

    name: Literal["llm", "extractive"]
    model: str | None = None
    prompt_version: str | None = None
    structured_mode: str | None = None


class Briefing(_Contract):
    """One article's structured briefing: the JSON contract."""

    schema_version: Literal["1"] = "1"
    source: Source
    headline: str
    summary: str
    actors: list[Actor] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    open_issues: list[OpenIssue] = Field(default_factory=list)
    key_facts: list[KeyFact] = Field(default_factory=list)
    engine: Engine
    warnings: list[str] = Field(default_factory=list)


# --- the digest contract -----------------------------------------------------------------


class DigestArticle(_Contract):
    """One story briefed once: its briefing and every source that carried the same text."""

    id: str = Field(description="Short stable reference: the first 12 hex digits of source.id.")
    sources: list[Source] = Field(min_length=1, description="The briefed source first.")
    story: str | None = Field(description="Id of the story the article belongs to.")
    briefing: Briefing


class Story(_Contract):
    """Related articles grouped by shared actors and content, most important first."""

    id: str
    headline: str
    articles: list[str] = Field(description="Ids of the story's articles.")
    actors: list[str]
    importance: float
    status: Literal["new", "continuing"] | None = Field(
        default=None, description="Against the history: new today, or reported on an earlier day."
    )
    first_seen: str | None = Field(
        default=None, description="YYYY-MM-DD: the first day the history holds this story."
    )


class TopLine(_Contract):
    """One line of the day's top lines, with the articles it rests on."""

    line: str
    articles: list[str]


class ActorPosition(_Contract):
    """An actor's position as one article reports it."""

    article: str
    stance: str
    evidence: list[Evidence]


class Contradiction(_Contract):
    """Articles that report incompatible positions of one actor."""

    articles: list[str]
    note: str


class IndexedActor(_Contract):
    """An actor across the digest: the articles it appears in and its positions there."""

    name: str
    kind: ActorKind
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)
    articles: list[str]
    positions: list[ActorPosition] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)


class RolledUpIssue(_Contract):
    """An open issue rolled up across the articles that leave it open."""

    issue: str
    stakeholders: list[str] = Field(default_factory=list)
    articles: list[str]


class Failure(_Contract):
    """An input that could not be read or briefed, and why."""

    source: str
    reason: str


class Skipped(_Contract):
    """Inputs read but not briefed."""

    outside_window: int = 0
    duplicates: int = 0


class DigestUsage(Usage):
    """What produced the digest and what it cost, summed over every briefing and the synthesis."""

    engine: Literal["llm", "extractive"]
    model: str | None = None
    prompt_version: str | None = None
    articles_read: int = 0
    articles_briefed: int = 0
    batch_requests: int = Field(default=0, description="Map calls sent through the Batch API.")
    batch_jobs: list[str] = Field(default_factory=list, description="Batch API job ids used.")


class StanceRecord(_Contract):
    """An actor's stance as the digest of one day reported it."""

    day: str
    stance: str
    quote: str | None = None
    headline: str | None = Field(default=None, description="Headline of the article it is from.")
    article: str | None = Field(default=None, description="Article id, when in this digest.")


class PositionChange(_Contract):
    """An actor's position that changed since the last digest that reported it."""

    actor: str
    before: StanceRecord
    after: StanceRecord
    note: str | None = Field(default=None, description="What moved, when a model compared them.")


class IssueOutcome(_Contract):
    """An open issue of the previous digest, and what today's articles do with it."""

    issue: str
    day: str = Field(description="YYYY-MM-DD: the digest that held it open.")
    status: Literal["settled", "not mentioned"]
    stakeholders: list[str] = Field(default_factory=list)
    articles: list[str] = Field(
        default_factory=list, description="Ids of today's articles that speak to it."
    )


class Changes(_Contract):
    """What changed since the earlier digests held in the history."""

    previous_day: str | None = Field(description="YYYY-MM-DD of the latest earlier digest.")
    history: str | None = Field(default=None, description="The history file compared with.")
    started: bool = Field(default=False, description="This digest started the history file.")
    new_stories: int = 0
    continuing_stories: int = 0
    positions: list[PositionChange] = Field(default_factory=list)
    issues: list[IssueOutcome] = Field(default_factory=list)


class Digest(_Contract):
    """Many articles in one digest: briefings, stories, synthesis, failures and cost."""

    # "2" added what changed since earlier digests (`changes`, stories' `status`); all optional.
    schema_version: Literal["2"] = "2"
    kind: Literal["digest"] = "digest"
    title: str
    date: str | None = Field(description="YYYY-MM-DD: the day digested, else the latest article's.")
    top_lines: list[TopLine] = Field(default_factory=list)
    stories: list[Story] = Field(default_factory=list)
    articles: list[DigestArticle] = Field(default_factory=list)
    actors: list[IndexedActor] = Field(default_factory=list)
    open_issues: list[RolledUpIssue] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)
    skipped: Skipped = Field(default_factory=Skipped)
    usage: DigestUsage
    warnings: list[str] = Field(default_factory=list)
    changes: Changes | None = Field(
        default=None, description="Against the history; null when none was used."
    )


# --- what the model is asked to return -------------------------------------------------


class _Reply(BaseModel):
    """What a model replies: keys the shape does not know are ignored, not refused."""

    model_config = ConfigDict(extra="ignore")


class DraftActor(_Reply):
    name: str = Field(min_length=1, description="Full name as the article gives it.")
    kind: ActorKind
    role: str | None = Field(description="Title or role the article gives, else null.")
    aliases: list[str] = Field(description="Other names the article uses for this actor.")


class DraftPosition(_Reply):
    actor: str = Field(min_length=1, description="Exactly the name of an entry in actors.")
    stance: str = Field(min_length=1, description="One sentence: what the actor wants or holds.")
    quotes: list[str] = Field(
        min_length=1, description="Verbatim passages of the article that support the stance."
    )


class DraftOpenIssue(_Reply):
    issue: str = Field(min_length=1, description="One sentence: what is still unresolved.")
    stakeholders: list[str] = Field(description="Names of entries in actors it concerns.")
    quotes: list[str] = Field(description="Verbatim passages of the article that show it.")


class DraftKeyFact(_Reply):
    fact: str = Field(min_length=1, description="One sentence.")
    quotes: list[str] = Field(description="Verbatim passages of the article that state it.")


class Draft(_Reply):
    """The model's reply: a briefing whose evidence is quoted but not yet located.

    Inside briefer a reply by reference is carried as a Draft too (see `as_draft`): then
    `quotes` holds citations, which grounding resolves against the sentence table.
    """

    headline: str = Field(min_length=1, description="One line, no more than 15 words.")
    summary: str = Field(min_length=1, description="Two to four sentences.")
    actors: list[DraftActor]
    positions: list[DraftPosition]
    open_issues: list[DraftOpenIssue]
    key_facts: list[DraftKeyFact]


def _by_reference(
    model: type[_Reply], cites: str = "", items: dict[str, type[_Reply]] | None = None
) -> type[_Reply]:
    """`model` as the model writes it with evidence by reference: verbatim `quotes` become
    `cites` (sentence ids, described as `cites`) in the same place with the same bounds, and a
    list of `items` holds their by-reference shape; derived, so the two shapes cannot drift."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if name == "quotes":
            name, info = "cites", FieldInfo.merge_field_infos(info, description=cites)
        elif items and name in items:
            annotation = list[items[name]]  # type: ignore[valid-type]
        fields[name] = (annotation, info)
    return create_model(model.__name__.replace("Draft", "DraftRef"), __base__=_Reply, **fields)


# The model's reply with evidence by reference: sentence ids ("S12", "S12: words") in `cites`
# instead of copied quotes; otherwise a Draft.
DraftRef = _by_reference(
    Draft,
    items={
        "positions": _by_reference(DraftPosition, "Citations of the supporting sentences."),
        "open_issues": _by_reference(DraftOpenIssue, "Citations of the sentences that show it."),
        "key_facts": _by_reference(DraftKeyFact, "Citations of the sentences that state it."),
    },
)


EvidenceMode = Literal["ref", "quote"]
_EVIDENCE_LISTS = ("positions", "open_issues", "key_facts")


def reply_model(evidence: EvidenceMode) -> type[_Reply]:
    """The reply the model is asked for: citations by reference, or verbatim quotes."""
    return DraftRef if evidence == "ref" else Draft


def as_draft(reply: _Reply) -> Draft:
    """The reply as a Draft whose `quotes` hold its evidence entries as written (citations
    stay citations), so merging works on one shape whichever way evidence was given."""
    if isinstance(reply, Draft):
        return reply
    return Draft.model_validate(_renamed(reply.model_dump(), "cites", "quotes"))


def as_reply(draft: Draft, evidence: EvidenceMode) -> _Reply:
    """A Draft in the shape the model reads and writes in `evidence` mode."""
    if evidence == "quote":
        return draft
    data = _renamed(draft.model_dump(), "quotes", "cites")
    # A merged position can have lost all its evidence (a part's citations that resolved to
    # nothing): a position is shown with its evidence or not at all.
    data["positions"] = [position for position in data["positions"] if position["cites"]]
    return DraftRef.model_validate(data)


def _renamed(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    for name in _EVIDENCE_LISTS:
        data[name] = [{(new if k == old else k): v for k, v in item.items()} for item in data[name]]
    return data


def _one_form(reference: str) -> str:
    # A model writes "[A3]", " a3" or "A3" for the same item of a digest step's request.
    return reference.strip().strip("[]").upper()


# A reply's reference to an item of the request (A3, B1, N2), read in one form as the reply
# is parsed, so that no step cleans its citations; the schema sent is a plain string.
Reference = Annotated[str, AfterValidator(_one_form)]


class DraftTopLine(_Reply):
    line: str = Field(min_length=1, description="One sentence: a development of the day.")
    articles: list[Reference] = Field(
        description="Refs (A1, A2, ...) of the briefings it rests on."
    )


class DraftContradiction(_Reply):
    actor: str = Field(min_length=1, description="The actor, as named in the briefings.")
    articles: list[Reference] = Field(description="Refs of the briefings that disagree.")
    note: str = Field(min_length=1, description="One sentence: what each briefing reports.")


class DraftRolledUpIssue(_Reply):
    issue: str = Field(min_length=1, description="One sentence: what is still unresolved.")
    stakeholders: list[str] = Field(description="Actors it concerns, as named in the briefings.")
    articles: list[Reference] = Field(description="Refs of the briefings that leave it open.")


class SynthesisDraft(_Reply):
    """The model's reply to the synthesis request."""

    top_lines: list[DraftTopLine]
    contradictions: list[DraftContradiction]
    open_issues: list[DraftRolledUpIssue]


class DraftStory(_Reply):
    headline: str = Field(min_length=1, description="One line naming the story's event.")
    articles: list[Reference] = Field(description="Refs (A1, A2, ...) of the cards that report it.")


class EditorDraft(_Reply):
    """The model's reply to the editor's pass: the stories of two or more articles."""

    stories: list[DraftStory]


class DraftPositionChange(_Reply):
    before: Reference = Field(description="Ref (B1, B2, ...) of the earlier position.")
    after: Reference = Field(description="Ref (N1, N2, ...) of today's position of the same actor.")
    note: str = Field(min_length=1, description="One sentence: what moved.")


class PositionsDraft(_Reply):
    """The model's reply to the position comparison: the positions that moved."""

    changes: list[DraftPositionChange]


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return the model's JSON schema in the form OpenAI's strict structured output accepts,
    as small as it can be: it is sent, and paid for, with every call.

    Strict mode wants every property required, no additional properties, and no keywords it
    does not support (defaults, string and array length bounds). Descriptions are dropped (the
    system prompt explains every field), `$defs` are inlined (each is used once) and nullable
    strings are written as a type list.
    """
    schema = copy.deepcopy(model.model_json_schema())
    definitions = schema.pop("$defs", {})

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return visit(copy.deepcopy(definitions[node["$ref"].rsplit("/", 1)[-1]]))
        for key in ("default", "title", "description", "minLength", "maxLength", "minItems"):
            node.pop(key, None)
        variants = node.get("anyOf")
        if variants and all(set(v) == {"type"} and isinstance(v["type"], str) for v in variants):
            node.pop("anyOf")
            node["type"] = [v["type"] for v in variants]
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return {key: visit(value) for key, value in node.items()}

    result: dict[str, Any] = visit(schema)
    return result


def contract_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (2020-12) of the briefing contract, as `briefer schema` prints it."""
    schema = Briefing.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "briefer/briefing-v1"
    schema["title"] = "briefer briefing, schema_version 1"
    return schema


def digest_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (2020-12) of the digest contract."""
    schema = Digest.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "briefer/digest-v2"
    schema["title"] = "briefer digest, schema_version 2"
    return schema
