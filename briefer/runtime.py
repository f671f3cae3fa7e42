"""What one run shares: settings, prompts, the response cache, the model client, the
tokenizer and the fetcher; opened once per run and closed at its end."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

from pydantic import BaseModel

from .cache import Cache
from .engines.llm import LLMClient
from .errors import CacheUnavailable, ConfigError
from .events import CallsMade, Event, Sink, Warned, WarningKind
from .prompts import PromptSet
from .prompts import load as load_prompts
from .readers.fetching import Fetcher
from .readers.inputs import Access
from .schema import reply_model, strict_json_schema
from .settings import Settings
from .token_budget import COUNT_RATIO_SLACK, json_tokens
from .tokens import Tokenizer, tokenizer_for

# Stands in for a key when --dry-run plans a run that has none: nothing is ever sent with it.
PLANNING_KEY = "dry-run-sends-nothing"


@dataclass
class Runtime:
    """What runs share: settings, prompts, cache and (when the LLM engine is used) the client."""

    settings: Settings
    prompts: PromptSet
    cache: Cache | None
    client: LLMClient | None = None
    # What every output of the run should mention, known when it opened.
    notices: list[Warned] = field(default_factory=list)
    # Where the run's events go (progress, model calls, Batch API jobs), if anywhere.
    events: Sink | None = None
    # What resolving the inputs already used, when that happened before the run opened: the
    # run then goes on counting on the same fetcher (one fetch budget for the whole run).
    given_access: Access | None = None
    _parts: list[int] = field(default_factory=lambda: [0, 0], repr=False)
    _tokenizer: Tokenizer | None = field(default=None, repr=False)
    _told: set[Warned] = field(default_factory=set, repr=False)

    def warnings(self) -> list[str]:
        """What every output of this run should mention: a cache it could not use or write,
        a backend that cannot cap replies (each told to the run's listener once)."""
        problem = self.cache.problem if self.cache is not None else None
        notes = [*self.notices, *([Warned("cache", problem)] if problem else [])]
        for note in notes:
            self.warn(note.kind, note.message)
        return [note.message for note in notes]

    def warn(self, kind: WarningKind, message: str, source: str | None = None) -> None:
        """Tell a warning to whoever listens, once a run: many articles saying the same
        thing of the same input (or of the run) is one warning."""
        warned = Warned(kind, message, source)
        if warned not in self._told:
            self._told.add(warned)
            self.tell(warned)

    def parts_planned(self, count: int) -> None:
        """Count `count` more model calls to wait for."""
        self._parts[1] += count
        self._report_parts()

    def part_done(self) -> None:
        """Count one finished model call."""
        self._parts[0] += 1
        self._report_parts()

    def _report_parts(self) -> None:
        self.tell(CallsMade(self._parts[0], self._parts[1]))

    def tell(self, event: Event) -> None:
        """Pass an event of the run to whoever listens."""
        if self.events is not None:
            self.events(event)

    @functools.cached_property
    def fetcher(self) -> Fetcher:
        """The run's one fetcher: its policy, and its budget counted over the whole run."""
        if self.given_access is not None:
            return self.given_access.fetcher
        return Fetcher(allow_private=self.settings.allow_private_urls)

    @functools.cached_property
    def access(self) -> Access:
        """What reading the run's inputs may reach: its fetcher, and links out of folders."""
        if self.given_access is not None:
            return self.given_access
        return Access(self.fetcher, self.settings.follow_symlinks)

    @classmethod
    def open(
        cls, settings: Settings, planning: bool = False, access: Access | None = None
    ) -> Runtime:
        """Open what a run needs. `planning`: the run only plans (--dry-run) and sends
        nothing, so a model asked for by name is planned for even without a key. `access`:
        what resolved the run's inputs, so the run fetches under the same budget."""
        prompts = load_prompts(settings.prompts_dir)
        engine = resolve_engine(settings, planning)
        cache: Cache | None = None
        notices: list[Warned] = []
        if settings.use_cache and engine == "llm":
            try:
                cache = Cache(settings.cache_path)
            except CacheUnavailable as exc:
                # An unattended run would rather brief uncached than brief nothing.
                notices.append(Warned("cache", f"running without the response cache: {exc}"))
        runtime = cls(settings, prompts, cache, notices=notices, given_access=access)
        if engine == "llm":
            if planning and not settings.llm_configured:
                # The client only computes cache keys and request sizes: it never sends, and
                # its key (none is set) is never part of a cache key.
                settings = settings.replace(api_key=PLANNING_KEY)
            runtime.client = LLMClient(
                settings, prompts, cache, count_tokens=lambda text: runtime.tokenizer.count(text)
            )
            runtime.client.on_ratio = runtime.learn_margin
            provider = runtime.client.provider
            if not provider.caps_output:
                note = (
                    f"{provider.label} takes no per-call output limit that briefer knows of:"
                    " a reply is cut only by the model's own limit"
                )
                runtime.notices.append(Warned("provider", note))
        return runtime

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            tokenizer = tokenizer_for(
                self.settings.model, state_dir=self.settings.resolved_cache_dir
            )
            if self.client is not None and self.client.accepted.count_margin:
                # What this endpoint was found to count beyond briefer's tokenizer, last time.
                learned = self.client.accepted.count_margin
                tokenizer = dataclasses.replace(tokenizer, learned=learned)
            self._tokenizer = tokenizer
        return self._tokenizer

    def learn_margin(self, count_ratio: float) -> None:
        """A server counted `count_ratio` tokens per token briefer counted (a context length
        error said so): budget with that ratio (and COUNT_RATIO_SLACK) from now on, and
        remember it for this endpoint and model, so the refusal is paid for once."""
        ratio = count_ratio * COUNT_RATIO_SLACK
        if ratio <= self.tokenizer.margin:
            return
        self._tokenizer = dataclasses.replace(self.tokenizer, learned=ratio)
        if self.client is not None:
            self.client.accepted.counts_more(ratio)

    @functools.cached_property
    def schema_tokens(self) -> int:
        """Tokens the reply schema adds to every map call: computed once per run."""
        return json_tokens(self.tokenizer.count, strict_json_schema(self.reply_model))

    @property
    def reply_model(self) -> type[BaseModel]:
        """What a map or consolidation call asks for in the run's evidence mode."""
        return reply_model(self.settings.evidence)

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        if self.cache is not None:
            self.cache.close()


def resolve_engine(settings: Settings, planning: bool = False) -> str:
    """'llm' or 'extractive': auto picks the LLM when a key or base URL is configured.

    A model asked for by name with neither is refused rather than quietly replaced by the
    offline engine: the user expects that model's briefings.
    """
    if settings.engine != "auto":
        return settings.engine
    if settings.llm_configured or (planning and settings.model_requested):
        return "llm"
    if settings.model_requested:
        raise ConfigError(
            f"Model {settings.model!r} was asked for, but no API key or base URL is set: set"
            " OPENAI_API_KEY (or run `briefer keys set openai`), pass --base-url for a local"
            " server, or use --engine extractive for the offline engine."
        )
    return "extractive"
