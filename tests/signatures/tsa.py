"""An RFC 3161 timestamp server on loopback: pyHanko's DummyTimeStamper (a real
TSA's signing logic with a test key) behind a small HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp, x509
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


@contextmanager
def timestamp_server(certificate: x509.Certificate, key: keys.PrivateKeyInfo) -> Iterator[str]:
    """Serve timestamps at the yielded URL until the block ends."""
    stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
