"""Serve the demo site on the loopback interface.

    with DemoSite() as site:            # binds 127.0.0.1 on a free port
        print(site.base_url)            # http://127.0.0.1:PORT
        ...crawl site.base_url + "/"...

`gossipcrawl demo --serve [--port N]` serves it in the foreground on 127.0.0.1 (the way to
point `gossipcrawl crawl`, Scrapyd or the scheduler at it; docs/operations.md walks through
it); `python -m gossipcrawl.demo.server [--host H] [--port N]` does the same, on any address.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import content
from .render import Site

logger = logging.getLogger(__name__)

_QUIET_ERRORS = (ConnectionError, BrokenPipeError, TimeoutError, socket.timeout)


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 15  # idle keep-alive connections end after this many seconds

    server: _Server

    def _respond(self, method: str, send_body: bool) -> None:
        try:
            response = self.server.site.handle(method, self.path)
        except Exception:  # a bug in the demo must not kill the connection silently
            logger.exception("demo site failed on %s %s", method, self.path)
            response = self.server.site.error(500, "Internal server error.")
        if method == "POST":  # drain the request body so keep-alive stays in step
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._respond("GET", True)

    def do_HEAD(self) -> None:
        self._respond("GET", False)

    def do_POST(self) -> None:
        self._respond("POST", True)

    # Quiet: no access log at all (a crawl in the same process logs at DEBUG, and one line
    # per request would drown it). Real failures are logged in _respond.
    def log_message(self, format: str, *args) -> None:
        pass

    def log_error(self, format: str, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: Site

    def __init__(self, *args, **kwargs):
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End keep-alive connections still open, so a stopped site serves nothing more."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, _QUIET_ERRORS):
            return
        logger.debug("demo site: error serving %s", client_address, exc_info=True)


class DemoSite:
    """The demo site on a background thread. `start()` returns the base URL."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, host: str | None = None, port: int | None = None) -> str:
        if self._server is not None:
            return self.base_url
        if host is not None:
            self.host = host
        if port is not None:
            self.port = port
        server = _Server((self.host, self.port), _Handler)
        self.port = server.server_address[1]
        server.site = Site(self.base_url)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"gossipcrawl-demo-{self.port}", daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
            server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def start_url(self) -> str:
        return self.base_url + "/"

    def manifest(self) -> list[dict]:
        """Expected facts for every article at this site's base URL (content.manifest)."""
        return content.manifest(self.base_url)

    def __enter__(self) -> DemoSite:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.base_url if self.running else "stopped"
        return f"<DemoSite {state}>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gossipcrawl.demo.server",
        description="Serve gossipcrawl's offline demo site (a fictional soap-news WordPress site).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    args = parser.parse_args(argv)
    site = DemoSite(args.host, args.port)
    try:
        base = site.start()
    except OSError as error:
        print(f"cannot serve the demo site on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Serving the demo site at {base}/ (robots: {base}/robots.txt) - Ctrl+C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
