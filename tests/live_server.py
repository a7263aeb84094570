"""A real ``reviewer serve`` server for tests: uvicorn in a thread, on a free loopback port, with its workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass
class Live:
    """A running server: its base URL (no trailing slash) and its app (``app.state.reviewer`` is its state)."""

    url: str
    app: object

    @property
    def state(self):
        return self.app.state.reviewer

    @property
    def folder(self) -> str:
        return self.state.folder


@contextmanager
def running(settings=None, ready_timeout: float = 180.0) -> Iterator[Live]:
    """Start the server, wait until ``/healthz`` says ready, stop it (and its workers) afterwards."""
    import uvicorn

    from reviewer.server import Settings, bind_socket, create_app, url_of

    settings = settings or Settings(jobs=1)
    app = create_app(settings)
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    url = url_of(sock).rstrip("/")
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the test server at {url} did not become ready")
            time.sleep(0.1)
        yield Live(url, app)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
