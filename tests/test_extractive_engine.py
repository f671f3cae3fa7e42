"""The offline engine's mechanics: choosing spaCy or the rules, quotation marks in damaged text,
alias folding and attribution over the parse, exact evidence offsets."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefer
from briefer.cli import cli
from briefer.engines import extractive
from briefer.engines.extractive import nlp
from briefer.events import Event, Warned
from briefer.readers.sources import Article, load_file
from briefer.render import render
from briefer.settings import Settings

from .conftest import EXAMPLES


def _article(text: str) -> Article:
    return Article(text=text, path="-")


def _spacy() -> None:
    pytest.importorskip("spacy", reason="the spaCy engine needs the nlp extra")
    if nlp.load() is None:
        pytest.skip("no English spaCy pipeline installed (pip install '.[nlp]')")


def test_importing_briefer_does_not_import_spacy() -> None:
    code = (
        "import sys, briefer, briefer.cli, briefer.engines.extractive;"
        " print('spacy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_without_a_pipeline_the_rules_answer_and_say_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(nlp, "load", lambda configured=None: None)
    article = load_file(EXAMPLES / "azerbaijan-nato.txt")
    first = extractive.brief(article, tokens=10)
    second = extractive.brief(article, tokens=10)
    assert first.engine.name == "extractive" and first.engine.model == "rules"
    assert extractive.FALLBACK_WARNING in first.warnings
    assert second.actors == first.actors
    # The library says it in the briefings, never on stderr; the CLI says it once a run.
    assert capsys.readouterr().err == ""
    paths = [str(EXAMPLES / "azerbaijan-nato.txt"), str(EXAMPLES / "water-tariffs.txt")]
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for command in (["summarize", *paths], ["digest", *paths, "--no-history"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, result.output
        assert result.stderr.count("pip install 'briefer[nlp]'") == 1, command
    # A script hears it once a run too, as a warning of its kind.
    events: list[Event] = []
    outcomes = briefer.summarize_many(paths, on_event=events.append)
    [warned] = [e for e in events if isinstance(e, Warned)]
    assert warned.kind == "offline-rules" and warned.source is None
    assert all(warned.message in o.briefing.warnings for o in outcomes if o.briefing)


def test_the_pipeline_setting_comes_from_the_environment_and_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text('spacy_model = "from_config"\n')
    assert Settings.load().spacy_model == "from_config"
    monkeypatch.setenv("BRIEFER_SPACY_MODEL", "from_env")
    assert Settings.load().spacy_model == "from_env"


def test_the_settings_are_read_once_a_run_not_once_an_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _spacy()
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    loads: list[object] = []
    load = Settings.load.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Settings], *args: object, **kwargs: object) -> Settings:
        loads.append(args)
        return load(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Settings, "load", classmethod(counted))
    outcomes = briefer.summarize_many(sorted(EXAMPLES.glob("*")))
    assert len(outcomes) > 2 and all(o.briefing for o in outcomes)
    assert len(loads) == 1


def test_a_pipeline_that_is_not_installed_is_not_downloaded() -> None:
    pytest.importorskip("spacy")
    assert nlp.load("no_such_pipeline_xx") is None
    article = load_file(EXAMPLES / "azerbaijan-nato.txt")
    [briefing] = extractive.brief_many([(article, 10)], "no_such_pipeline_xx")
    assert any("'no_such_pipeline_xx' did not load" in w for w in briefing.warnings)


def test_aliases_are_folded_by_the_text_s_own_evidence() -> None:
    _spacy()
    text = (
        "The North Atlantic Treaty Organisation (NATO) met in Brussels on Monday. "
        "Foreign Minister Anna Lindqvist of Sweden said the talks had gone well. "
        "Lindqvist added that NATO would meet again in June. "
        "Stockholm has asked for more time, she said."
    )
    briefing = extractive.brief(_article(text), tokens=60)
    actors = {a.name: a for a in briefing.actors}
    assert "NATO" in actors["North Atlantic Treaty Organisation"].aliases
    assert "Lindqvist" in actors["Anna Lindqvist"].aliases
    assert actors["Anna Lindqvist"].role == "Foreign Minister"
    assert "Stockholm" in actors["Sweden"].aliases


def test_quotes_are_attributed_by_the_parse_and_carried_by_a_pronoun() -> None:
    _spacy()
    text = (
        "Maria Keller, the city's mayor, said on Tuesday that the budget would pass. "
        '"We have the votes and we will use them," she told reporters. '
        '"Nobody should doubt that this plan is fair to every district." '
        "According to the finance office, the deficit is shrinking this year. "
        '"This is a disaster for the schools in our town," one placard read.'
    )
    briefing = extractive.brief(_article(text), tokens=80)
    by_quote = {e.quote: p.actor for p in briefing.positions for e in p.evidence}
    assert by_quote["We have the votes and we will use them,"] == "Maria Keller"
    assert by_quote["Nobody should doubt that this plan is fair to every district."] == (
        "Maria Keller"
    )
    assert "This is a disaster for the schools in our town," not in by_quote


def test_every_evidence_span_is_exact() -> None:
    _spacy()
    for path in sorted(EXAMPLES.glob("*")):
        article = load_file(path)
        briefing = briefer.summarize(article, engine="extractive")
        assert briefing.engine.model and briefing.engine.model.startswith("spacy:")
        spans = [e for p in briefing.positions for e in p.evidence] + [
            e for i in briefing.open_issues for e in i.evidence
        ]
        assert spans
        for evidence in spans:
            assert article.text[evidence.start : evidence.end] == evidence.quote
        names = {a.name for a in briefing.actors}
        assert {p.actor for p in briefing.positions} <= names
        assert {s for i in briefing.open_issues for s in i.stakeholders} <= names


def test_briefing_in_worker_processes_gives_the_same_briefings() -> None:
    _spacy()
    pairs = [(load_file(path), 0) for path in sorted(EXAMPLES.glob("*"))]
    alone = list(extractive.brief_many(pairs))

    async def in_workers() -> list[object]:
        from briefer.briefing import offline

        articles = [article for article, _ in pairs]
        workers = offline.brief_in_processes(articles, [0] * len(pairs), None, 2)
        return [briefing for _, briefing in sorted([item async for item in workers])]

    assert asyncio.run(in_workers()) == alone


def test_a_run_stopped_while_workers_brief_leaves_no_pipe_to_the_garbage_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ctrl-C cancels the run's task; a worker's pipes left open until the loop has closed
    # print "Exception ignored … Event loop is closed" with a traceback after the run ends.
    _spacy()
    from briefer.briefing import offline

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    articles = [load_file(path) for path in sorted(EXAMPLES.glob("*"))] * 4

    async def stopped_after_the_first_chunk() -> None:
        async def run() -> None:
            async for _ in offline.brief_in_processes(articles, [0] * len(articles), None, 2):
                finished.set()

        finished = asyncio.Event()
        task = asyncio.ensure_future(run())
        await finished.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(stopped_after_the_first_chunk())
    gc.collect()
    assert unraisable == []


def test_a_quotation_over_two_sentences_goes_to_the_speaker_named_after_it() -> None:
    _spacy()
    text = (
        "Anna Berg, the mayor, said on Monday that the council would meet again. "
        '"We will build the bridge this year. It will open to traffic in the spring," '
        "said Tom Weller, the city engineer."
    )
    briefing = extractive.brief(_article(text), tokens=60)
    by_quote = {e.quote: p.actor for p in briefing.positions for e in p.evidence}
    quote = "We will build the bridge this year. It will open to traffic in the spring,"
    assert by_quote[quote] == "Tom Weller"


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _spacy()
    monkeypatch.setattr(nlp, "PIECE", 400)
    article = load_file(EXAMPLES / "river-accord-special-report.txt")
    briefing = extractive.brief(article, tokens=0)
    spans = [e for p in briefing.positions for e in p.evidence]
    assert briefing.actors and spans
    for evidence in spans + [e for i in briefing.open_issues for e in i.evidence]:
        assert article.text[evidence.start : evidence.end] == evidence.quote


def test_a_digest_briefs_many_articles_in_worker_processes_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefer.briefing import offline

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setattr(offline, "PROCESS_MIN_ARTICLES", 4)
    monkeypatch.setattr(offline, "CHUNK_ARTICLES", 3)
    devset = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
    folder = devset if devset.is_dir() else EXAMPLES
    paths = sorted(folder.glob("*.txt"))[:8]
    assert offline.processes_for(Settings.load(processes=2), len(paths)) == 2
    alone = briefer.digest(paths, processes=1, use_history=False, engine="extractive")
    workers = briefer.digest(paths, processes=2, use_history=False, engine="extractive")
    assert [a.briefing for a in workers.articles] == [a.briefing for a in alone.articles]
    assert len(workers.articles) == len(paths) and not workers.failures


def test_a_script_without_a_main_guard_runs_once_when_workers_brief_its_articles(
    tmp_path: Path,
) -> None:
    # Worker processes are started afresh: nothing re-runs the caller's script in them (as
    # multiprocessing's spawn would, running its top level once more per worker).
    devset = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
    folder = tmp_path / "day"
    folder.mkdir()
    texts = [p.read_text() for p in sorted(devset.glob("*.txt")) + sorted(EXAMPLES.glob("*"))]
    for number, text in enumerate(texts[:24]):
        (folder / f"{number}.txt").write_text(text)
    script = tmp_path / "daily.py"
    script.write_text(
        "import briefer\n"
        "print('script ran')\n"
        f"digest = briefer.digest([{str(folder)!r}], processes=2, use_history=False,"
        " engine='extractive')\n"
        "print(len(digest.articles), len(digest.failures))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["script ran", f"{len(texts[:24])} 0"]


def test_a_quotation_comes_with_the_sentence_that_says_who_said_it() -> None:
    _spacy()
    text = (
        "The senators met on Tuesday to discuss the nomination. "
        'Harris, a longtime ally of the governor, "cannot make this decision alone," '
        "Senator Paula Green said. "
        '"We will vote on Friday," Green told reporters after a long meeting that ran '
        "late into the evening at the state capitol, where dozens of protesters had "
        "gathered outside since the early morning to oppose the plan that the "
        "committee is expected to approve next week."
    )
    briefing = extractive.brief(_article(text), tokens=90)
    fragment = next(p for p in briefing.positions if p.evidence[0].quote.startswith("cannot make"))
    assert fragment.actor == "Paula Green"
    quotation, sentence = fragment.evidence
    assert quotation.direct and not sentence.direct
    assert sentence.quote.startswith("Harris, a longtime ally") and sentence.quote.endswith(
        "Senator Paula Green said."
    )
    assert text[sentence.start : sentence.end] == sentence.quote
    # Where the rest of the sentence is a story of its own, the quotation stands alone.
    vote = next(p for p in briefing.positions if "vote on Friday" in p.evidence[0].quote)
    assert [e.direct for e in vote.evidence] == [True]

    shown = render(briefing, "md")
    assert '> _Harris, a longtime ally of the governor, "cannot make this decision alone,"' in (
        shown
    )
    assert "“cannot make this decision alone,”" not in shown


def test_what_the_same_speaker_s_evidence_holds_already_is_not_a_second_position() -> None:
    _spacy()
    text = (
        "The council met on Monday. "
        '"When it comes to taxes, the mayor has a blind spot. The bottom line is that the '
        'council is wasting money," Senator Paula Green said. '
        '"It was the voters," Green said, "who paid for the roads." '
        "Deputy Mayor Tom Weller told reporters in Springfield that the vote was "
        '"not a question of today or tomorrow" and that the city\'s first priority remained '
        "the repair of its roads."
    )
    briefing = extractive.brief(_article(text), tokens=110)
    firsts = [p.evidence[0].quote for p in briefing.positions]
    assert firsts == [
        "When it comes to taxes, the mayor has a blind spot. The bottom line is that the "
        "council is wasting money,",
        "It was the voters,",
        "Deputy Mayor Tom Weller told reporters in Springfield that the vote was "
        '"not a question of today or tomorrow" and that the city\'s first priority remained '
        "the repair of its roads.",
    ]
    # What the second quotation said is read in the sentence the first is given with.
    assert "who paid for the roads" in briefing.positions[1].evidence[-1].quote


def test_what_an_actor_does_in_a_sentence_of_its_own_is_its_position() -> None:
    # Analysts list a party's acts among its positions: a main clause with the actor its
    # subject. Not one that only says what it is, not one that carries someone's words
    # (those are the speaker's), not what it did years before the story, and not every act of
    # a long narrative.
    _spacy()
    text = (
        "Freedonia and Vesperia met in Geneva on Monday. Vesperia closed its border crossings to"
        " Freedonian trucks on Tuesday, Freedonia's trade minister Tom Weller said. Freedonia has"
        " been pressing Vesperia to reopen the crossings before the harvest. Vesperia is a small"
        " country. Vesperia withdrew its ambassador from Freedonia on Wednesday. Vesperia seized"
        " two Freedonian ships. Vesperia cut its gas deliveries. Freedonia holds 40 seats in the"
        " regional assembly. In 2009 Freedonia blocked the river for a year. The 2017 harvest"
        " begins in May."
    )
    briefing = extractive.brief(_article(text), tokens=80)
    held = {(p.actor, p.evidence[0].quote.split(" on ")[0]) for p in briefing.positions}
    assert (
        "Freedonia",
        "Freedonia has been pressing Vesperia to reopen the crossings before the harvest.",
    ) in held
    assert ("Vesperia", "Vesperia withdrew its ambassador from Freedonia") in held
    assert ("Tom Weller", "Vesperia closed its border crossings to Freedonian trucks") in held
    vesperia = [p.stance for p in briefing.positions if p.actor == "Vesperia"]
    assert not [s for s in vesperia if "small country" in s or "closed" in s]
    assert len(vesperia) == 2
    assert not [p for p in briefing.positions if "40 seats" in p.stance]
    # What an actor did in a year before the story's is its background.
    assert not [p for p in briefing.positions if "2009" in p.stance]


def test_a_headline_without_a_full_stop_does_not_run_into_the_first_sentence() -> None:
    # The parser alone reads a headline and the sentence under it as one clause: the
    # headline became an actor holding what the harbour master wants.
    _spacy()
    text = (
        "Harbour Board Votes On New Bridge\n\nThe harbour master who works for Mayor Tom Weller"
        " wants the board to pay for the bridge. Weller said on Monday that the bridge would"
        " open in May."
    )
    briefing = extractive.brief(_article(text), tokens=40)
    assert [a.name for a in briefing.actors] == ["Tom Weller"]
    assert not [p for p in briefing.positions if "\n\n" in p.evidence[0].quote]


def test_a_reported_clause_is_not_cut_inside_a_hyphenated_word() -> None:
    # The parser made "co", "-" and "operated ..." three complements of "said": the stance
    # was "Ostroda Motors had co".
    _spacy()
    text = (
        "The Harbour Authority said Ostroda Motors had co-operated with the inquiry and had"
        ' undergone an "extensive" period of change.'
    )
    briefing = extractive.brief(_article(text), tokens=30)
    assert [p.stance for p in briefing.positions if p.actor == "Harbour Authority"] == [
        "Ostroda Motors had co-operated with the inquiry"
    ]


def test_an_article_the_engine_loops_on_is_given_up_and_the_digest_goes_on(
    tmp_path: Path,
) -> None:
    # A loop in the engine (session 19 found two) must not stop an unattended digest: the
    # worker is given up on that article after BRIEFER_OFFLINE_TIME_LIMIT seconds and
    # replaced. The loop is put into the worker processes by a sitecustomize module, the one
    # thing faked: the CLI, the workers and the parse are real.
    _spacy()
    devset = Path(__file__).resolve().parents[2] / "shared" / "devset" / "articles"
    texts = [p.read_text() for p in sorted(devset.glob("*.txt")) + sorted(EXAMPLES.glob("*"))]
    day = tmp_path / "day"
    day.mkdir()
    for number, text in enumerate(texts[:24]):
        (day / f"{number:02d}.txt").write_text(text)
    (day / "05.txt").write_text(texts[5] + "\nLOOP-HERE\n")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import briefer.engines.extractive.spacy_engine as engine\n"
        "_brief = engine.brief\n"
        "def brief(article, *args):\n"
        "    while 'LOOP-HERE' in article.text:\n"
        "        pass\n"
        "    return _brief(article, *args)\n"
        "engine.brief = brief\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
        "BRIEFER_OFFLINE_TIME_LIMIT": "8",
    }
    env.pop("OPENAI_API_KEY", None)
    out = tmp_path / "digest.json"
    command = [sys.executable, "-m", "briefer", "digest", str(day), "--no-history"]
    run = subprocess.Popen(
        [*command, "--processes", "2", "-f", "json", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        _, stderr = run.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        # The workers hold the pipes too: stop the whole group, or the test waits on them.
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail("the digest did not finish: the article the engine loops on stopped it")
    assert run.returncode == 1, stderr
    failed = [line for line in stderr.splitlines() if "gave up" in line]
    assert len(failed) == 1 and "05.txt" in failed[0], stderr
    digest = json.loads(out.read_text())
    assert len(digest["articles"]) == 23


def _digest_with_a_looping_article(
    folder: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> briefer.Digest:
    """The digest of three example articles, the engine looping on the second (in this
    process) until the run ends, or a minute has passed: an engine without the time limit
    fails the test rather than hangs it."""
    from briefer.engines.extractive import spacy_engine

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    released = threading.Event()
    original = spacy_engine.brief

    def looping(article: Article, *args: object) -> object:
        while "LOOP-HERE" in article.text and not released.is_set():
            pass
        return original(article, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(spacy_engine, "brief", looping)
    for number, path in enumerate(sorted(EXAMPLES.glob("*.txt"))[:3]):
        mark = "\nLOOP-HERE\n" if number == 1 else ""
        (folder / f"{number}.txt").write_text(path.read_text() + mark)
    deadline = threading.Timer(60, released.set)
    deadline.start()
    try:
        return briefer.digest(
            [folder], use_history=False, engine="extractive", offline_time_limit=3, **options
        )
    finally:
        released.set()
        deadline.cancel()


def test_in_the_run_s_own_process_too_an_article_the_engine_loops_on_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fewer than PROCESS_MIN_ARTICLES are briefed in threads of the run's process: there the
    # article is given up after the time limit (its thread cannot be stopped; this one is let
    # go once the run has ended).
    _spacy()
    digest = _digest_with_a_looping_article(tmp_path, monkeypatch)
    assert len(digest.articles) == 2
    [failure] = digest.failures
    assert failure.source.endswith("1.txt")
    assert "gave up on this article after 3 s" in failure.reason


def test_with_no_worker_process_an_article_the_engine_loops_on_still_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where worker processes cannot start (or die), their articles are briefed in the run's
    # own process: there too within the time limit.
    _spacy()
    from briefer.briefing import offline

    async def no_process(*args: object, **kwargs: object) -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(offline, "PROCESS_MIN_ARTICLES", 2)
    monkeypatch.setattr(offline, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(offline.asyncio, "create_subprocess_exec", no_process)
    assert offline.processes_for(Settings.load(processes=2), 3) == 2
    digest = _digest_with_a_looping_article(tmp_path, monkeypatch, processes=2)
    assert len(digest.articles) == 2
    [failure] = digest.failures
    assert failure.source.endswith("1.txt") and "gave up" in failure.reason
