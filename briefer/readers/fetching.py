"""Fetch http(s) URLs from the open internet without reaching where briefer must not.

Links in feeds and URL lists come from strangers. A run on a server that also sits on a private
network must not become a way to read that network (server-side request forgery), so by default
every hop of a fetch, redirects included, is checked on the address its name resolves to, and
the connection goes to that checked address (a second lookup could answer differently: DNS
rebinding). Every fetch has a total deadline and a size cap, and a run has a fetch budget.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
READ_TIMEOUT_SECONDS = 20.0
FETCH_DEADLINE_SECONDS = 30.0
MAX_REDIRECTS = 5
MAX_FETCHES_PER_RUN = 1000
USER_AGENT = "briefer/0.1"
# Names that only mean something inside a private network.
_PRIVATE_NAME_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(address: IPAddress) -> str | None:
    """Why a destination is refused by default (None for a public address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for test, reason in (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (address.is_unspecified, "an unspecified address"),
        (not address.is_global, "not a public address"),
    ):
        if test:
            return reason
    return None


def private_name(host: str) -> bool:
    """True for names that only resolve inside a private network (one label, .internal, ...)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or "." not in name or name.endswith(_PRIVATE_NAME_SUFFIXES)


@dataclass
class Fetcher:
    """Fetches URLs under one policy and one budget: a run shares one Fetcher.

    `allow_private` opts in to intranet addresses (loopback, private ranges, .internal names).
    """

    allow_private: bool = False
    deadline: float = FETCH_DEADLINE_SECONDS
    max_fetches: int = MAX_FETCHES_PER_RUN
    resolve: Resolver = system_resolver
    fetches: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def fetch(self, url: str) -> tuple[bytes, str]:
        """Return the body (at most MAX_RESPONSE_BYTES) and content type of an http(s) URL.

        Any failure, a refused destination included, is an InputError naming the URL.
        """
        import httpx

        self._spend(url)
        started = time.monotonic()
        transport = deadline_transport(started + self.deadline)
        try:
            with httpx.Client(
                follow_redirects=False, trust_env=False, transport=transport
            ) as client:
                current = _parse(url, url)
                for _ in range(MAX_REDIRECTS + 1):
                    left = self.deadline - (time.monotonic() - started)
                    if left <= 0:
                        raise InputError(url, f"took longer than {self.deadline:.0f} s")
                    request = self._request(client, current, url, min(left, READ_TIMEOUT_SECONDS))
                    response = client.send(request, stream=True)
                    try:
                        location = response.headers.get("location")
                        if response.is_redirect and location:
                            current = _parse(str(current.join(location)), url)
                            continue
                        if response.status_code >= 400:
                            raise InputError(url, f"HTTP {response.status_code}")
                        body = self._read(response, url, started)
                        return body, response.headers.get("content-type", "")
                    finally:
                        response.close()
                raise InputError(url, f"redirected more than {MAX_REDIRECTS} times")
        except httpx.TimeoutException:
            if time.monotonic() - started >= self.deadline:
                raise InputError(url, f"took longer than {self.deadline:.0f} s") from None
            raise InputError(url, f"timed out after {READ_TIMEOUT_SECONDS:.0f} s") from None
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise InputError(url, f"cannot be fetched ({type(exc).__name__})") from None

    def _spend(self, url: str) -> None:
        with self._lock:
            if self.fetches >= self.max_fetches:
                raise InputError(
                    url, f"not fetched: this run already made {self.max_fetches} fetches"
                )
            self.fetches += 1

    def _request(self, client: Any, url: Any, original: str, timeout: float) -> Any:
        """A request to the checked address of `url`'s host, still naming the host."""
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        address = self._checked_address(host, port, original)
        literal = f"[{address}]" if ":" in address else address
        headers = {
            "User-Agent": USER_AGENT,
            "Host": url.netloc.decode("ascii"),
            # The encodings briefer decodes itself, within the size cap (see `_read`).
            "Accept-Encoding": "gzip, deflate",
        }
        extensions: dict[str, Any] = {"timeout": _timeouts(timeout)}
        if url.scheme == "https":
            extensions["sni_hostname"] = host
        return client.build_request(
            "GET", url.copy_with(host=literal), headers=headers, extensions=extensions
        )

    def _checked_address(self, host: str, port: int, original: str) -> str:
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is None and not self.allow_private and private_name(host):
            raise InputError(original, f"refused: {host} is a private network name{_OPT_IN}")
        try:
            addresses = [str(literal)] if literal else self.resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise InputError(original, f"cannot be fetched ({host}: {exc})") from None
        if not addresses:
            raise InputError(original, f"cannot be fetched ({host} has no address)")
        if not self.allow_private:
            for address in addresses:
                reason = refusal(ipaddress.ip_address(address.split("%")[0]))
                if reason:
                    raise InputError(original, f"refused: {host} is {reason}{_OPT_IN}")
        return addresses[0]

    def _read(self, response: Any, url: str, started: float) -> bytes:
        """The body, decoded here rather than by httpx: a few kilobytes of gzip can stand for
        gigabytes, so the cap applies to the decoded bytes as they are produced."""
        decoder = _Decoder(response.headers.get("content-encoding", ""), url)
        for raw in response.iter_raw():
            decoder.feed(raw)
            if time.monotonic() - started > self.deadline:
                # A server can keep a read timeout from firing by trickling bytes.
                raise InputError(url, f"took longer than {self.deadline:.0f} s")
        return decoder.finish()


_OPT_IN = " (pass --allow-private-urls to fetch from an intranet)"


class _Decoder:
    """Decodes one Content-Encoding (identity, gzip or deflate) with the decoded size capped
    while decoding; stacked or unknown encodings are refused."""

    def __init__(self, header: str, url: str) -> None:
        import zlib

        self.url = url
        encodings = [e.strip().lower() for e in header.split(",") if e.strip()]
        encodings = [e for e in encodings if e != "identity"]
        if len(encodings) > 1:
            raise InputError(url, f"refused: stacked content encodings ({header[:60]})")
        self.encoding = encodings[0] if encodings else None
        if self.encoding in ("gzip", "x-gzip"):
            self._zlib: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif self.encoding is not None:
            raise InputError(url, f"refused: unsupported content encoding {self.encoding[:30]!r}")
        self.chunks: list[bytes] = []
        self.size = 0

    def feed(self, raw: bytes) -> None:
        import zlib

        if self.encoding is None:
            self._keep(raw)
            return
        try:
            data = raw
            while data:
                # Never more than the cap allows out of one input chunk.
                out = self._zlib.decompress(data, MAX_RESPONSE_BYTES - self.size + 1)
                self._keep(out)
                data = self._zlib.unconsumed_tail
                if not out and not data:
                    break
        except zlib.error as exc:
            raise InputError(
                self.url, f"cannot be fetched (a damaged {self.encoding} body)"
            ) from exc

    def finish(self) -> bytes:
        return b"".join(self.chunks)

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_RESPONSE_BYTES:
            raise InputError(self.url, f"larger than {MAX_RESPONSE_BYTES // 1_048_576} MB")
        self.chunks.append(data)


def deadline_transport(deadline_at: float) -> Any:
    """An httpx transport whose every connect, read and write waits no later than
    `deadline_at` (time.monotonic()): a server trickling a byte now and then cannot keep a
    fetch alive past its deadline, as it can against per-read timeouts."""
    import ssl

    import certifi
    import httpcore
    import httpx

    def left(timeout: float | None) -> float:
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the fetch's deadline passed")
        return remaining if timeout is None else min(timeout, remaining)

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return bytes(self.inner.read(max_bytes, left(timeout)))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self.inner.write(buffer, left(timeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.NetworkStream:
            return Stream(self.inner.start_tls(ssl_context, server_hostname, left(timeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.NetworkStream:
            stream = self.inner.connect_tcp(
                host, port, left(timeout), local_address, socket_options
            )
            return Stream(stream)

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> httpcore.NetworkStream:
            raise httpcore.ConnectError("briefer fetches over TCP only")

        def sleep(self, seconds: float) -> None:
            self.inner.sleep(seconds)

    transport = httpx.HTTPTransport(trust_env=False)
    # The pool httpx builds, with the backend above: the one seam httpcore offers for this.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl.create_default_context(cafile=certifi.where()),
        network_backend=Backend(),
    )
    return transport


def _timeouts(seconds: float) -> dict[str, float]:
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


def _parse(url: str, original: str) -> Any:
    import httpx

    try:
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise InputError(original, f"is not an http(s) URL: {url[:80]!r}")
        return parsed
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise InputError(original, f"is not a valid URL ({exc})") from None
