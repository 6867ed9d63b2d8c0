"""A connector to a @CTES operator's HTTP interface, as S²LOW offers it.

The interface (from the S²LOW connector of Pastell and S²LOW's own code; see
docs/actes.md):
- `POST /modules/actes/actes_transac_create.php` (multipart form, `api=1`): the
  act's fields (`nature_code`, `number`, `subject`, `decision_date`, `classif1`..,
  `type_acte`, `type_pj[]`...) and files (`acte_pdf_file`, `acte_attachments[]`);
  answers `OK\\n<transaction>` or `KO\\n<message>`;
- `GET /modules/actes/actes_transac_get_status.php?api=1&transaction=ID`: answers
  `OK\\n<status>\\n...`: after status 4 comes the prefecture's acknowledgement
  (`ARActe` XML), after -1 the error's message; or `KO\\n<message>`;
- `GET /modules/actes/api/list_actes.php?api=1&status_id=S&offset=O&limit=L`: the
  collectivity's transactions in a status, JSON `{"transactions": [{"id",
  "number", ...}]}`: how the connector asks whether the operator already has an
  act before sending it again.
Texts are ISO-8859-1 (UTF-8 is accepted too). Authentication is the collectivity's
client certificate (mutual TLS).
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from pathlib import Path

from registre.actes.errors import OperatorError, OperatorRefusal, OperatorTimeout
from registre.actes.package import PackageContents
from registre.actes.xml import attribute, parse_xml, qualified

CREATE = "/modules/actes/actes_transac_create.php"
STATUS = "/modules/actes/actes_transac_get_status.php"
LIST = "/modules/actes/api/list_actes.php"
PAGE = 100


class OperatorStatus(IntEnum):
    """The statuses of a transaction at the operator (S²LOW's numbers)."""

    ERROR = -1
    CANCELLED = 0
    POSTED = 1
    WAITING = 2
    TRANSMITTED = 3
    ACKNOWLEDGED = 4
    VALIDATED = 5
    REFUSED = 6
    WAITING_TO_POST = 17
    WAITING_SIGNATURE = 18

    @classmethod
    def of(cls, code: int) -> OperatorStatus | None:
        """The status numbered `code`, or None for one this connector does not know."""
        return cls(code) if code in cls._value2member_map_ else None


# Where an act the operator holds may be: every status but cancelled.
HELD = (OperatorStatus.WAITING_TO_POST, OperatorStatus.WAITING_SIGNATURE, OperatorStatus.POSTED,
        OperatorStatus.WAITING, OperatorStatus.TRANSMITTED, OperatorStatus.ACKNOWLEDGED,
        OperatorStatus.VALIDATED, OperatorStatus.ERROR, OperatorStatus.REFUSED)  # fmt: skip
FAILED = (OperatorStatus.ERROR, OperatorStatus.REFUSED, OperatorStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class OperatorConfig:
    """How to reach a collectivity's operator: its base URL, and the client
    certificate and key (PEM) of mutual TLS; `ca` the operator's authority when it
    is not in the system's store; `timeout` in seconds for each request."""

    url: str
    cert: Path | None = None
    key: Path | None = None
    key_password: str | None = None
    ca: Path | None = None
    timeout: float = 60.0

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context (server checked, client certificate presented), or None
        for a plain `http://` URL (a test operator on loopback)."""
        if not self.url.startswith("https://"):
            return None
        context = ssl.create_default_context(cafile=str(self.ca) if self.ca else None)
        if self.cert is not None:
            context.load_cert_chain(str(self.cert), str(self.key) if self.key else None,
                                    self.key_password)  # fmt: skip
        return context


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The prefecture's acknowledgement (`ARActe`): the act id it gives, its date of
    receipt, and the classification version it holds current."""

    act_id: str
    received_on: date
    classification_date: date | None = None


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """A transaction's status; `message` is the operator's text after it (an error's
    reason), `acknowledgement` set once the prefecture has acknowledged."""

    code: int
    message: str = ""
    acknowledgement: Acknowledgement | None = None

    @property
    def status(self) -> OperatorStatus | None:
        """The known status, or None."""
        return OperatorStatus.of(self.code)


def parse_acknowledgement(data: bytes) -> Acknowledgement:
    """Read an `ARActe` message; OperatorError (French) when it is not one."""
    try:
        root = parse_xml(data, what="l'accusé de réception")
    except Exception as exc:
        raise OperatorError(str(exc)) from None
    if root.tag != qualified("ARActe"):
        raise OperatorError("l'opérateur n'a pas renvoyé d'accusé de réception ARActe")
    try:
        received = date.fromisoformat(attribute(root, "DateReception"))
    except ValueError:
        raise OperatorError("accusé de réception sans date de réception valide") from None
    version = root.findtext(qualified("ClassificationDateVersionEnCours"))
    try:
        current = date.fromisoformat(version.strip()) if version else None
    except ValueError:
        current = None
    return Acknowledgement(attribute(root, "IDActe"), received, current)


def _text(data: bytes) -> str:
    """An answer's text: UTF-8 when it is, else ISO-8859-1 (S²LOW's)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def latin1(text: str) -> bytes:
    """`text` in ISO-8859-1 for a form field, typographic signs made plain (’ -> ',
    – -> -, œ -> oe, € -> EUR) and anything else outside it replaced by `?`."""
    plain = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
             "\u2014": "-", "\u2026": "...", "\u0153": "oe", "\u0152": "OE", "\u20ac": "EUR",
             "\u202f": " ", "\u2009": " "}  # fmt: skip
    return "".join(plain.get(c, c) for c in text).encode("iso-8859-1", "replace")


Field = tuple[str, bytes]
File = tuple[str, str, bytes]


def form_of(contents: PackageContents) -> tuple[list[Field], list[File]]:
    """The form fields and files of `actes_transac_create.php` for a package."""
    message = contents.message
    act = message.act_id
    fields: list[Field] = [
        ("api", b"1"), ("nature_code", str(int(act.nature)).encode()),
        ("number", act.number.encode()), ("subject", latin1(message.subject)),
        ("decision_date", act.decision_date.isoformat().encode()), ("en_attente", b"0"),
        ("document_papier", b"1" if message.paper else b"0"),
        ("type_acte", contents.document.type_code.encode()),
    ]  # fmt: skip
    fields += [(f"classif{i}", str(code).encode()) for i, code in enumerate(message.matter, 1)]
    fields += [("type_pj[]", a.type_code.encode()) for a in contents.annexes]
    files: list[File] = [("acte_pdf_file", contents.document.name, contents.document.data)]
    files += [("acte_attachments[]", a.name, a.data) for a in contents.annexes]
    return fields, files


def multipart(fields: Sequence[Field], files: Sequence[File]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n'
                     f"Content-Type: text/plain; charset=ISO-8859-1\r\n\r\n".encode() + value + b"\r\n")  # fmt: skip
    for name, filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + data + b"\r\n")  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class OperatorClient:
    """The HTTP side: one method a request, raising OperatorTimeout, OperatorError
    (unreachable, HTTP error, unreadable answer) or OperatorRefusal (a `KO`)."""

    def __init__(self, config: OperatorConfig) -> None:
        """A client for `config`; nothing is sent until a method is called."""
        self.config = config
        self._context = config.ssl_context()

    def _request(self, path: str, *, body: bytes | None = None, content_type: str = "") -> bytes:
        url = self.config.url.rstrip("/") + path
        request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout,
                                        context=self._context) as answer:  # fmt: skip
                data: bytes = answer.read()
                return data
        except urllib.error.HTTPError as exc:
            raise OperatorError(f"l'opérateur a répondu HTTP {exc.code} ({exc.reason})") from None
        except TimeoutError as exc:
            raise OperatorTimeout(
                f"l'opérateur n'a pas répondu dans les {self.config.timeout:g} s"
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise OperatorTimeout(
                    f"l'opérateur n'a pas répondu dans les {self.config.timeout:g} s"
                ) from exc
            raise OperatorError(f"opérateur injoignable ({exc.reason})") from None
        except (OSError, ssl.SSLError) as exc:
            raise OperatorError(f"échange interrompu avec l'opérateur ({exc})") from None

    @staticmethod
    def _lines(data: bytes) -> list[str]:
        lines = _text(data).replace("\r\n", "\n").split("\n")
        if lines[0].strip() == "KO":
            raise OperatorRefusal("\n".join(lines[1:]).strip() or "refus sans message")
        if lines[0].strip() != "OK" or len(lines) < 2:
            raise OperatorError(f"réponse incompréhensible de l'opérateur : {_text(data)[:200]!r}")
        return lines

    def transaction_url(self, transaction: str) -> str:
        """Where the operator gives a transaction's status."""
        query = urllib.parse.urlencode({"transaction": transaction})
        return f"{self.config.url.rstrip('/')}{STATUS}?{query}"

    def create(self, contents: PackageContents) -> str:
        """Send the act of a package; the operator's transaction id."""
        body, content_type = multipart(*form_of(contents))
        lines = self._lines(self._request(CREATE, body=body, content_type=content_type))
        transaction = lines[1].strip()
        if not transaction:
            raise OperatorError("l'opérateur a accepté l'acte sans donner de numéro de transaction")
        return transaction

    def status(self, transaction: str) -> TransactionStatus:
        """A transaction's status, with the acknowledgement once there is one."""
        query = urllib.parse.urlencode({"api": 1, "transaction": transaction})
        data = self._request(f"{STATUS}?{query}")
        lines = self._lines(data)
        try:
            code = int(lines[1].strip())
        except ValueError:
            raise OperatorError(f"statut incompréhensible : {lines[1]!r}") from None
        if code == OperatorStatus.ACKNOWLEDGED:
            xml = data.split(b"\n", 2)[2] if data.count(b"\n") >= 2 else b""
            return TransactionStatus(code, acknowledgement=parse_acknowledgement(xml.strip()))
        return TransactionStatus(code, "\n".join(lines[2:]).strip())

    def find(self, number: str) -> str | None:
        """The transaction of the collectivity's act numbered `number`, if the
        operator holds one (in any status but cancelled)."""
        for status in HELD:
            offset = 0
            while True:
                rows = self._page(status, offset)
                match = next((r for r in rows if str(r.get("number")) == number), None)
                if match is not None:
                    return str(match.get("id"))
                if len(rows) < PAGE:
                    break
                offset += PAGE
        return None

    def _page(self, status: OperatorStatus, offset: int) -> list[dict[str, object]]:
        query = urllib.parse.urlencode({"api": 1, "status_id": int(status),
                                        "offset": offset, "limit": PAGE})  # fmt: skip
        data = self._request(f"{LIST}?{query}")
        try:
            found = json.loads(_text(data))
            rows = found["transactions"] if isinstance(found, dict) else None
        except (ValueError, KeyError):
            rows = None
        if not isinstance(rows, list):
            raise OperatorError("liste des transactions illisible chez l'opérateur")
        return [r for r in rows if isinstance(r, dict)]
