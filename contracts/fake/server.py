"""Running the fake provider: a threaded Werkzeug server, in the foreground (``checkout-contracts serve``)
or in a background thread (the pytest plugin's ``--contracts-live default``, tests)."""
from __future__ import annotations

import re
import threading
from typing import Iterable

from .app import PROVIDERS, FakeApp


#: seconds a connection may stay silent (between requests, or in the middle of one) before it is closed
IDLE_TIMEOUT = 10.0
#: connections served at once, one thread each; one more is answered 503 and closed at once
MAX_CONNECTIONS = 64
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 45\r\n"
         b"Connection: close\r\nRetry-After: 1\r\n\r\nToo many open connections to the fake; retry.")


def _bound_threads(server, limit: int) -> None:
    """At most ``limit`` connection threads: the threaded server otherwise starts one per connection, without
    end (1,500 stalled connections were 1,501 threads)."""
    slots = threading.BoundedSemaphore(limit)
    serve = server.process_request_thread

    def process_request(request, client_address) -> None:
        if not slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(_BUSY)
            except OSError:
                pass
            server.shutdown_request(request)
            return

        def run() -> None:
            try:
                serve(request, client_address)
            finally:
                slots.release()

        threading.Thread(target=run, name="checkout-contracts-fake-conn", daemon=True).start()

    server.process_request = process_request


class FakeServer:
    """``with FakeServer() as fake: fake.url`` — the fake on 127.0.0.1 and a free port, served from a daemon
    thread until ``stop()`` (or the end of the ``with`` block)."""

    def __init__(self, providers: Iterable[str] = PROVIDERS, host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None, *, seed: int | None = None, quiet: bool = True,
                 max_connections: int = MAX_CONNECTIONS, callback_scale: float = 1.0) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Handler(WSGIRequestHandler):
            timeout = IDLE_TIMEOUT  # a connection that sends nothing (a stalled body) is closed, its thread freed

            def log_request(self, code: object = "-", size: object = "-") -> None:
                if quiet:
                    return
                # the request line without its query string (tokens and e-mails ride there), scrubbed
                from ..redact import public_url
                target = getattr(self, "path", None) or "?"
                shown = public_url("http://fake" + target)[len("http://fake"):]
                line = f"{getattr(self, 'command', None) or '?'} {shown} {getattr(self, 'request_version', '')}"
                self.log("info", '"%s" %s %s', line.strip(), getattr(code, "value", code), size)

            def log_error(self, format: str, *args: object) -> None:
                # http.server quotes the raw request line in its errors ("Bad request syntax ('GET /x?token=…')")
                if quiet:
                    return
                from ..redact import scrub
                text = re.sub(r"\?[^\s'\"]*", "", format % args if args else format)
                self.log("error", "%s", scrub(text))

        self.app = FakeApp(providers, token=token, seed=seed, callback_scale=callback_scale)
        self._server = make_server(host, port, self.app, threaded=True, request_handler=Handler)
        self._server.daemon_threads = True
        _bound_threads(self._server, max_connections)
        self.host, self.port = host, self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> "FakeServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                            name="checkout-contracts-fake", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.app.close()  # no callback goes out after the server is gone
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
