"""A fake @CTES operator on loopback, written to the interface docs/actes.md describes
(S²LOW's): `actes_transac_create.php`, `actes_transac_get_status.php`,
`api/list_actes.php`. It is a real HTTP server in a thread; each act's number can
be given a script of what the operator does at each request about it (accept,
refuse, fail with HTTP 500, or answer too late), so that the tests drive the
connector through every failure.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

from registre.actes.xml import NS, NSMAP, qualified

DUPLICATE = (
    "Un acte portant le même numéro interne existe déjà dans la base de données.\n"
    "Il faut peut-être ajouter un suffixe au numéro."
)


@dataclass
class Transaction:
    """An act the operator holds."""

    id: str
    fields: dict[str, str]
    files: list[tuple[str, str, bytes]]
    status: int = 1
    polls: int = 0

    @property
    def number(self) -> str:
        return self.fields["number"]


@dataclass
class Script:
    """What the operator does about one act number: `create` at each post, then
    `status` at each status read (the last step repeats). Steps: "ok", "timeout"
    (store, then answer too late), "http500" (nothing stored), "ko:MESSAGE";
    for status: "posted", "transmitted", "ack", "error:MESSAGE", "http500", "timeout"."""

    create: list[str] = field(default_factory=lambda: ["ok"])
    status: list[str] = field(default_factory=lambda: ["posted", "transmitted", "ack"])


class FakeOperator:
    """The server and what it saw: `stored` counts the acts taken per number, `posts`
    the create requests per number, `requests` every request's path."""

    def __init__(self, *, departement: str, siren: str, delay: float = 1.5,
                 received_on: str = "2023-11-24", tls: ssl.SSLContext | None = None) -> None:  # fmt: skip
        self.departement, self.siren, self.delay = departement, siren, delay
        self.received_on = received_on
        self.scripts: dict[str, Script] = {}
        self.transactions: list[Transaction] = []
        self.stored: Counter[str] = Counter()
        self.posts: Counter[str] = Counter()
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.tls = tls
        if tls is not None:  # mutual TLS: the handshake happens when a connection is taken
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def __enter__(self) -> FakeOperator:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, number: str) -> Script:
        return self.scripts.setdefault(number, Script())

    # --- what the endpoints do -----------------------------------------------------

    def create(
        self, fields: dict[str, str], files: list[tuple[str, str, bytes]]
    ) -> tuple[int, bytes, float]:
        number = fields.get("number", "")
        with self.lock:
            self.posts[number] += 1
            steps = self.script(number).create
            step = steps.pop(0) if len(steps) > 1 else steps[0]
            if step == "http500":
                return 500, b"erreur interne", 0.0
            if step.startswith("ko:"):
                return 200, ("KO\n" + step[3:] + "\n").encode("iso-8859-1"), 0.0
            if any(t.number == number and t.status != 0 for t in self.transactions):
                return 200, ("KO\n" + DUPLICATE + "\n").encode("iso-8859-1"), 0.0
            if "acte_pdf_file" not in {name for name, _, _ in files}:
                return 200, "KO\nAucun fichier acte n'a été posté\n".encode("iso-8859-1"), 0.0
            transaction = Transaction(str(1000 + len(self.transactions)), fields, files)
            self.transactions.append(transaction)
            self.stored[number] += 1
        late = self.delay if step == "timeout" else 0.0
        return 200, f"OK\n{transaction.id}\n".encode(), late

    def status(self, transaction_id: str) -> tuple[int, bytes, float]:
        with self.lock:
            found = next((t for t in self.transactions if t.id == transaction_id), None)
            if found is None:
                return 200, "KO\nTransaction inconnue\n".encode("iso-8859-1"), 0.0
            steps = self.script(found.number).status
            step = steps[min(found.polls, len(steps) - 1)]
            found.polls += 1
        if step == "http500":
            return 503, b"indisponible", 0.0
        if step == "timeout":
            return 200, f"OK\n{found.status}\n".encode(), self.delay
        codes = {"posted": 1, "transmitted": 3, "ack": 4}
        found.status = -1 if step.startswith("error:") else codes[step]
        if step == "ack":
            return 200, b"OK\n4\n" + self.acknowledgement(found), 0.0
        if step.startswith("error:"):
            return 200, ("OK\n-1\n" + step[6:] + "\n").encode("iso-8859-1"), 0.0
        return 200, f"OK\n{found.status}\n".encode(), 0.0

    def listing(self, query: dict[str, list[str]]) -> tuple[int, bytes, float]:
        status = int(query["status_id"][0])
        offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["100"])[0])
        with self.lock:
            rows = [{"id": t.id, "subject": t.fields.get("subject", ""), "number": t.number,
                     "date": t.fields.get("decision_date"), "type": "1"}
                    for t in self.transactions if t.status == status]  # fmt: skip
        body = {"status_id": status, "offset": offset, "limit": limit,
                "transactions": rows[offset : offset + limit]}  # fmt: skip
        return 200, json.dumps(body).encode(), 0.0

    def act_id(self, transaction: Transaction) -> str:
        day = transaction.fields["decision_date"].replace("-", "")
        return f"{self.departement}-{self.siren}-{day}-{transaction.number}-DE"

    def acknowledgement(self, transaction: Transaction) -> bytes:
        """The prefecture's `ARActe` for an act, valid ACTES v1.1."""
        fields = transaction.fields
        root = etree.Element(qualified("ARActe"), nsmap=NSMAP)
        root.set(qualified("IDActe"), self.act_id(transaction))
        root.set(qualified("DateReception"), self.received_on)
        act = etree.SubElement(root, qualified("ActeRecu"))
        act.set(qualified("Date"), fields["decision_date"])
        act.set(qualified("NumeroInterne"), transaction.number)
        act.set(qualified("CodeNatureActe"), fields["nature_code"])
        levels = sorted(k for k in fields if k.startswith("classif"))
        for index, key in enumerate(levels, start=1):
            etree.SubElement(
                act, qualified(f"CodeMatiere{index}"), {qualified("CodeMatiere"): fields[key]}
            )
        etree.SubElement(act, qualified("Objet")).text = fields["subject"]
        etree.SubElement(act, qualified("ClassificationDateVersion")).text = "2017-04-19"
        document = etree.SubElement(act, qualified("Document"))
        etree.SubElement(document, qualified("NomFichier")).text = transaction.files[0][1]
        etree.SubElement(
            act, qualified("Annexes"), {qualified("Nombre"): str(len(transaction.files) - 1)}
        )
        etree.SubElement(act, qualified("DocumentPapier")).text = "N"
        etree.SubElement(root, f"{{{NS}}}ClassificationDateVersionEnCours").text = "2017-04-19"
        data: bytes = etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")
        return data


def _form(content_type: str, body: bytes) -> tuple[dict[str, str], list[tuple[str, str, bytes]]]:
    """The fields (decoded from ISO-8859-1, as S²LOW reads them) and files of a
    multipart/form-data body."""
    message = BytesParser(policy=policy.default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    files: list[tuple[str, str, bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            files.append((str(name), filename, data))
        else:
            fields[str(name)] = data.decode("iso-8859-1")
    return fields, files


def _handler(operator: FakeOperator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read `operator.requests` instead."""

        def _answer(self, result: tuple[int, bytes, float]) -> None:
            code, body, late = result
            if late:
                time.sleep(late)  # the client has given up by then
            try:
                self.send_response(code)
                self.send_header("Content-Type", "text/plain; charset=ISO-8859-1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client went away (a timeout): exactly what is tested

        def do_POST(self) -> None:
            operator.requests.append(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not self.path.startswith("/modules/actes/actes_transac_create.php"):
                self._answer((404, b"", 0.0))
                return
            self._answer(operator.create(*_form(self.headers["Content-Type"], body)))

        def do_GET(self) -> None:
            operator.requests.append(self.path)
            path, _, query = self.path.partition("?")
            values = urllib.parse.parse_qs(query)
            if path == "/modules/actes/actes_transac_get_status.php":
                self._answer(operator.status(values["transaction"][0]))
            elif path == "/modules/actes/api/list_actes.php":
                self._answer(operator.listing(values))
            else:
                self._answer((404, b"", 0.0))

    return Handler
