"""A relay in front of a real OpenAI-compatible server that records what the server counted."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class CountingRelay:
    """Forwards requests to a real server and keeps each one's body, the status it got and
    the prompt tokens the server reported (0 unless answered): a real run's requests counted as
    the server counts them."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.lock = threading.Lock()
        self.seen: list[tuple[dict[str, Any], int, int]] = []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._forward(None)

            def do_POST(self) -> None:  # noqa: N802
                self._forward(self.rfile.read(int(self.headers["Content-Length"])))

            def _forward(self, body: bytes | None) -> None:
                url = relay.target + self.path.removeprefix("/v1")
                request = urllib.request.Request(url, data=body, method=self.command)
                request.add_header("Content-Type", "application/json")
                try:
                    with urllib.request.urlopen(request, timeout=600) as response:
                        status, answer = response.status, response.read()
                except urllib.error.HTTPError as refused:
                    status, answer = refused.code, refused.read()
                if body is not None:
                    usage = (json.loads(answer) if status == 200 else {}).get("usage") or {}
                    prompt = int(usage.get("prompt_tokens", 0))
                    with relay.lock:
                        relay.seen.append((json.loads(body), status, prompt))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
