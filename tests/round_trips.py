"""A TCP proxy in front of PostgreSQL that counts round trips: each time the server answers after the
client has sent something is one (what a network's latency multiplies, whatever the driver does)."""

from __future__ import annotations

import selectors
import socket
import threading

from sqlalchemy.engine import make_url


class RoundTripCounter:
    def __init__(self, database_url: str):
        url = make_url(database_url)
        self._target = (url.host or "127.0.0.1", url.port or 5432)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = url.set(host="127.0.0.1", port=self._listener.getsockname()[1]).render_as_string(
            hide_password=False)
        self._lock = threading.Lock()
        self.round_trips = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.round_trips = 0

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        client_spoke = False
        try:
            while True:
                for key, _ in selector.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    # counted before it is passed on: the client may read the answer at once
                    if key.fileobj is client:
                        client_spoke = True
                    elif client_spoke:
                        client_spoke = False
                        with self._lock:
                            self.round_trips += 1
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            client.close()
            server.close()
