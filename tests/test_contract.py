"""Output validates against the binding contract in shared/contract."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import briefer
from briefer.schema import contract_json_schema

from .conftest import EXAMPLES
from .fake_openai import FakeOpenAI

CONTRACT = Path(__file__).parent / "fixtures" / "briefing-v1.schema.json"


def check(briefing: briefer.Briefing, text: str) -> None:
    data = json.loads(briefing.model_dump_json())
    jsonschema.validate(data, json.loads(CONTRACT.read_text()))
    names = [a.name for a in briefing.actors]
    assert len(names) == len(set(names))
    for position in briefing.positions:
        assert position.actor in names
    for issue in briefing.open_issues:
        assert set(issue.stakeholders) <= set(names)
    for item in [*briefing.positions, *briefing.open_issues, *briefing.key_facts]:
        for evidence in item.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.*")), ids=lambda p: p.name)
def test_llm_output_follows_the_contract(fake: FakeOpenAI, path: Path) -> None:
    check(briefer.summarize(path), briefer.Article.from_text(path.read_text()).text)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.*")), ids=lambda p: p.name)
def test_extractive_output_follows_the_contract(path: Path) -> None:
    check(
        briefer.summarize(path, engine="extractive"),
        briefer.Article.from_text(path.read_text()).text,
    )


def test_schema_command_is_equivalent_to_the_contract() -> None:
    ours, theirs = contract_json_schema(), json.loads(CONTRACT.read_text())
    assert set(theirs["required"]) <= set(ours["required"])
    assert set(theirs["properties"]) <= set(ours["properties"])


def test_the_reply_by_reference_is_the_quoted_reply_with_citations_for_quotes() -> None:
    """The two reply shapes the model is asked for differ only where evidence goes."""
    from briefer.schema import Draft, DraftRef, strict_json_schema

    quoted = json.dumps(strict_json_schema(Draft))
    assert json.dumps(strict_json_schema(DraftRef)) == quoted.replace('"quotes"', '"cites"')
    assert '"quotes"' in quoted
