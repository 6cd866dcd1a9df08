"""What every loopback test site shares: a threaded HTTP server on 127.0.0.1, on a free port,
serving in a daemon thread for the length of a `with` block."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackSite:
    handler_class: type[BaseHTTPRequestHandler]  # each site's request handler
    server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer

    def __enter__(self):
        # A handler class per site instance: handlers reach their site as `self.site`.
        handler = type("Handler", (self.handler_class,), {"site": self})
        self.server = self.server_class(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
