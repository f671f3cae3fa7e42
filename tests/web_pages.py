"""A local web server for URL and feed-URL inputs: real sockets, pages set by the test."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds between bytes: a server that keeps a read timeout from ever firing.
    trickle: float = 0.0
    # With `trickle`, the status line and headers are trickled too: the whole of this.
    raw: bytes | None = None


class WebPages:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.hits: list[str] = []
        self.hosts: list[str | None] = []
        pages = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                pages.hits.append(self.path)
                pages.hosts.append(self.headers.get("host"))
                page = pages.pages.get(self.path, Page(b"not found", "text/plain", 404))
                if page.delay:
                    time.sleep(page.delay)
                if page.raw is not None:
                    try:
                        for byte in page.raw:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(page.trickle)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                try:
                    self.send_response(page.status)
                    self.send_header("content-type", page.content_type)
                    self.send_header("content-length", str(len(page.body)))
                    for name, value in page.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if not page.trickle:
                        self.wfile.write(page.body)
                    for byte in page.body if page.trickle else b"":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(page.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
