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
        try:
            with httpx.Client(follow_redirects=False, trust_env=False) as client:
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
        headers = {"User-Agent": USER_AGENT, "Host": url.netloc.decode("ascii")}
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
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > MAX_RESPONSE_BYTES:
                raise InputError(url, f"larger than {MAX_RESPONSE_BYTES // 1_048_576} MB")
            if time.monotonic() - started > self.deadline:
                # A server can keep a read timeout from firing by trickling bytes.
                raise InputError(url, f"took longer than {self.deadline:.0f} s")
            chunks.append(chunk)
        return b"".join(chunks)


_OPT_IN = " (pass --allow-private-urls to fetch from an intranet)"


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
