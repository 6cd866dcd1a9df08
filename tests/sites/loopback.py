"""What every loopback test site shares: a threaded HTTP server on 127.0.0.1, on a free port,
serving in a daemon thread for the length of a `with` block."""

from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Linux's option for the time the kernel received a packet (not exported by Python's socket).
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


class KernelStampedHandler(BaseHTTPRequestHandler):
    """A handler that knows when each request reached the machine (`self.arrived`, epoch
    seconds): the kernel's receive time of its first bytes, not when a thread of a busy
    test process got round to reading them, so gaps between requests measure the crawler."""

    rbufsize = 0   # nothing read ahead: the next request's bytes stay in the kernel to peek at

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)

    def handle_one_request(self):
        self.arrived = _kernel_arrival(self.connection)
        super().handle_one_request()


def _kernel_arrival(connection: socket.socket) -> float:
    """Wait for the next bytes of `connection` without reading them; when they arrived."""
    try:
        _, ancillary, _, _ = connection.recvmsg(1, STAMP_SPACE, socket.MSG_PEEK)
    except OSError:
        return time.time()
    return kernel_stamp(ancillary) or time.time()


# Room for the receive time in a `recvmsg` answer.
STAMP_SPACE = socket.CMSG_SPACE(16)


def kernel_stamp(ancillary: list[tuple[int, int, bytes]]) -> float | None:
    """The receive time (epoch seconds) in a `recvmsg` answer on a socket with
    SO_TIMESTAMPNS set, or None when it holds none."""
    for level, kind, value in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            seconds, nanoseconds = struct.unpack("qq", value[:16])
            return seconds + nanoseconds / 1e9
    return None


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
