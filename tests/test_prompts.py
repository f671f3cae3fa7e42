from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefer
from briefer.errors import ConfigError
from briefer.prompts import default_prompts_dir, load
from briefer.token_budget import request_tokens
from briefer.tokens import tokenizer_for
from tests.fake_openai import FakeOpenAI


def copy_of_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), folder)
    return folder


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{briefings} and {unknown}", "body uses"),
        ("{briefings.upper}", "body uses"),
        ("an unclosed { brace {briefings}", "literal brace"),
    ],
)
def test_a_broken_template_fails_when_the_set_loads(
    tmp_path: Path, body: str, problem: str
) -> None:
    """Before the first paid call, not after the last (the synthesis template is used last)."""
    folder = copy_of_shipped(tmp_path)
    path = folder / "synthesis.user.txt"
    header = path.read_text().split("---")[1]
    path.write_text(f"---{header}---\n{body}\n")
    with pytest.raises(ConfigError, match=problem):
        load(folder)


def test_the_shipped_set_renders_with_its_declared_variables() -> None:
    prompts = load()
    template = prompts["map.user"]
    text = template.render(**{name: f"<{name}>" for name in template.variables})
    assert "<article>" in text
    with pytest.raises(ConfigError, match="missing: article"):
        template.render(**{name: "x" for name in template.variables if name != "article"})


def test_the_seed_article_s_request_spends_at_most_1000_tokens_beyond_the_article(
    fake: FakeOpenAI, seed_article: Path
) -> None:
    # Issue 19: on a 4k window the instructions must leave room for the article; the bound is
    # the (prompt <= 1.05 x article + 1,000), counted as briefer counts a request.
    article = briefer.Article.from_text(seed_article.read_text())
    briefer.summarize(article)
    [request] = fake.requests
    count = tokenizer_for(str(request["model"])).count
    prompt = request_tokens(count, request["messages"], request["response_format"])
    assert request["response_format"]["type"] == "json_schema"
    assert prompt <= 1.05 * count(article.text) + 1000, prompt - count(article.text)
