"""The transmission package: a tar.gz holding the envelope, the act's message, the
signed PDF and its attachments, named as the @CTES operators name them.

Names (as STELA and S²LOW write them; the official specification is not public):
- the archive `{APP}-EACT--{SIREN}--{AAAAMMJJ}-{n}.tar.gz` (APP: the sending
  application's trigram, n: the envelope's number in the day);
- the envelope `EACT--{SIREN}--{AAAAMMJJ}-{n}.xml`;
- the message `{base}_0.xml`, the act `{type}-{base}_1.pdf`, the annexes
  `{type}-{base}_2.pdf`, `_3`..., with `base = {DDD}-{SIREN}-{AAAAMMJJ}-{number}-DE-1-1`
  (transaction 1, flux 1: the transmission of an act) and AAAAMMJJ the day the
  package is made; `type` is the file's type from the prefecture's classification
  (`99_DE` "délibération" and `99_AU` "autre document" by default).
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from registre.actes.classification import Classification
from registre.actes.errors import ActesError, ActIdError, PackageError
from registre.actes.ids import ActId, build_act_id, parse_act_id
from registre.actes.message import (
    ActMessage,
    Emitter,
    act_message_xml,
    envelope_xml,
    read_act_message,
    read_emitter,
    with_emitter,
)
from registre.actes.schema import validate
from registre.record import DeliberationRecord, MeetingRecord

ACT_TYPE = "99_DE"
ANNEX_TYPE = "99_AU"
APPLICATION = "REG"
SUBJECT_MAX = 500
_MATTER = re.compile(r"[1-9][0-9]?(\.[0-9]{1,2}){1,4}")
_TYPE = re.compile(r"[A-Za-z0-9_]{1,10}")
_EMAIL = re.compile(
    r"[_a-zA-Z0-9\-]+(\.[_a-zA-Z0-9\-]+)*@[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)*\.[a-zA-Z]{2,6}"
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the act (annexe): its name (for its extension), content and type."""

    name: str
    data: bytes
    type_code: str = ANNEX_TYPE


@dataclass(frozen=True, slots=True, kw_only=True)
class Transmission:
    """Everything one act's package holds, before it is checked.

    `matter_code` is dotted (`8.6`); `classification` is the prefecture's, when
    imported (the matter is then checked in it and its date used); otherwise
    `classification_date` must be given.
    """

    act_id: ActId
    subject: str
    matter_code: str | None
    pdf: bytes | None
    pdf_name: str = "acte.pdf"
    attachments: tuple[Attachment, ...] = ()
    classification: Classification | None = None
    classification_date: date | None = None
    act_type: str = ACT_TYPE
    paper: bool = False
    previous: ActId | None = None


@dataclass(frozen=True, slots=True)
class Package:
    """A package made: its archive name and bytes, the act's id, the files inside."""

    name: str
    data: bytes
    act_id: ActId
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PackedFile:
    """A file of a package: its name, content and type (the name's prefix)."""

    name: str
    data: bytes
    type_code: str = field(default="")


def act_id_for(record: MeetingRecord, number: str, act_number: str | None = None) -> ActId:
    """The act id of item `number`: the one the record already carries (read from a
    document) unless `act_number` is given, else built from the collectivity's
    département and SIREN, the meeting's date and `act_number` (default: the item's
    number). PackageError listing each missing or invalid part."""
    item = _item(record, number)
    if item.act_id and act_number is None:
        try:
            return parse_act_id(item.act_id)
        except ActIdError as exc:
            raise PackageError([str(exc)]) from None
    problems = []
    who, day = record.collectivity, record.meeting.date
    if not who.departement_code:
        problems.append("le département de la collectivité n'est pas connu (departement_code)")
    if not who.siren:
        problems.append("le SIREN de la collectivité n'est pas connu (siren)")
    if day is None:
        problems.append("la date de la séance (date de la décision) n'est pas connue")
    if problems:
        raise PackageError(problems)
    assert who.departement_code and who.siren and day  # for mypy: checked just above
    try:
        return build_act_id(who.departement_code, who.siren, day, act_number or number)
    except ActIdError as exc:
        raise PackageError([str(exc)]) from None


def _item(record: MeetingRecord, number: str) -> DeliberationRecord:
    found = next((d for d in record.deliberations if d.number == number), None)
    if found is None:
        known = ", ".join(d.number for d in record.deliberations)
        raise PackageError([f"la délibération n° {number} n'est pas dans la séance ({known})"])
    return found


def transmission_for(
    record: MeetingRecord, number: str, *, pdf: bytes | None, act_number: str | None = None,
    attachments: Sequence[Attachment] = (), classification: Classification | None = None,
    classification_date: date | None = None, matter_code: str | None = None,
) -> Transmission:  # fmt: skip
    """The transmission of item `number` of `record` with its signed PDF; the matter
    is the item's unless `matter_code` is given. PackageError when its id cannot be made."""
    item = _item(record, number)
    act_id = act_id_for(record, number, act_number)
    return Transmission(
        act_id=act_id, subject=" ".join(item.subject.split()), pdf=pdf,
        matter_code=matter_code or item.matter_code, attachments=tuple(attachments),
        classification=classification, classification_date=classification_date,
    )  # fmt: skip


def problems_of(transmission: Transmission, emitter: Emitter) -> list[str]:
    """Every reason, in French, why the package of `transmission` cannot be made."""
    t = transmission
    found = _matter_problems(t) + _file_problems(t) + _emitter_problems(emitter, t.act_id)
    if not t.subject.strip():
        found.append("l'objet de l'acte est vide")
    elif len(t.subject) > SUBJECT_MAX:
        found.append(
            f"l'objet compte {len(t.subject)} caractères : {SUBJECT_MAX} au plus dans @CTES"
        )
    if t.classification is None and t.classification_date is None:
        found.append("la date de la classification est inconnue : importez la classification de "
                     "la préfecture (RetourClassification) ou donnez sa date")  # fmt: skip
    return found


def _matter_problems(t: Transmission) -> list[str]:
    code = t.matter_code
    if not code:
        return ["la matière @CTES de l'acte manque (au moins deux niveaux, par exemple 8.6)"]
    if not _MATTER.fullmatch(code):
        if re.fullmatch(r"[1-9][0-9]?", code):
            return [
                f"la matière « {code} » n'a qu'un niveau : il en faut au moins deux (par exemple {code}.1)"
            ]
        return [
            f"la matière « {code} » n'est pas un code @CTES (chiffres séparés par des points, par exemple 8.6)"
        ]
    if t.classification is not None and t.classification.matter(code) is None:
        day = t.classification.version.strftime("%d/%m/%Y")
        return [f"la matière {code} n'existe pas dans la classification de la préfecture du {day}"]
    return []


def _file_problems(t: Transmission) -> list[str]:
    found = []
    if not t.pdf:
        found.append("le PDF signé de l'acte manque")
    elif not t.pdf.startswith(b"%PDF-"):
        found.append(f"le fichier de l'acte ({t.pdf_name}) n'est pas un PDF")
    for attachment in t.attachments:
        if not attachment.data:
            found.append(f"l'annexe {attachment.name} est vide")
        if not _TYPE.fullmatch(attachment.type_code):
            found.append(
                f"type de pièce « {attachment.type_code} » invalide pour {attachment.name}"
            )
    if not _TYPE.fullmatch(t.act_type):
        found.append(f"type de pièce « {t.act_type} » invalide pour l'acte")
    return found


def _emitter_problems(emitter: Emitter, act_id: ActId) -> list[str]:
    found = []
    if not re.fullmatch(r"[09][0-9][AB0-9]", emitter.departement):
        found.append(f"département de la collectivité « {emitter.departement} » invalide ou inconnu : "
                     "trois caractères, par exemple 021 ou 02A")  # fmt: skip
    if emitter.siren != act_id.siren:
        found.append(
            f"le SIREN de l'émetteur ({emitter.siren}) n'est pas celui de l'acte ({act_id.siren})"
        )
    if not re.fullmatch(r"[0-9]", emitter.arrondissement):
        found.append(f"arrondissement « {emitter.arrondissement} » invalide : un chiffre")
    if not re.fullmatch(r"[0-9]{2}", emitter.nature):
        found.append(f"nature de la collectivité « {emitter.nature} » invalide : deux chiffres")
    if not emitter.emails:
        found.append("aucune adresse électronique de retour pour les réponses de la préfecture")
    found += [
        f"adresse électronique « {e} » invalide" for e in emitter.emails if not _EMAIL.fullmatch(e)
    ]
    return found


def build_package(
    transmission: Transmission, emitter: Emitter, *, built_on: date, sequence: int = 1,
    application: str = APPLICATION,
) -> Package:  # fmt: skip
    """The tar.gz of `transmission`, made on `built_on` as the day's `sequence`-th
    envelope; PackageError listing every problem (nothing is made then). The two XML
    files are checked against ACTES v1.1 before the archive is written."""
    problems = problems_of(transmission, emitter)
    if problems:
        raise PackageError(problems)
    t, act = transmission, transmission.act_id
    stamp = built_on.strftime("%Y%m%d")
    base = f"{act.departement}-{act.siren}-{stamp}-{act.number}-{act.nature.abbreviation}-1-1"
    document = f"{t.act_type}-{base}_1.{_extension(t.pdf_name, 'pdf')}"
    annexes = tuple(f"{a.type_code}-{base}_{i}.{_extension(a.name, 'pdf')}"
                    for i, a in enumerate(t.attachments, start=2))  # fmt: skip
    message_name, envelope_name = f"{base}_0.xml", f"EACT--{act.siren}--{stamp}-{sequence}.xml"
    assert t.matter_code is not None and t.pdf is not None  # checked by problems_of
    version = t.classification.version if t.classification else t.classification_date
    assert version is not None
    message = ActMessage(act_id=act, subject=t.subject, classification_date=version,
                         matter=tuple(int(p) for p in t.matter_code.split(".")),
                         document=document, annexes=annexes, paper=t.paper, previous=t.previous)  # fmt: skip
    members = [(envelope_name, envelope_xml(emitter, (message_name,))),
               (message_name, act_message_xml(message)), (document, t.pdf)]  # fmt: skip
    members += [(name, a.data) for name, a in zip(annexes, t.attachments, strict=True)]
    invalid = [f"{name}, {reason}" for name, xml in members[:2] for reason in validate(xml)]
    if invalid:
        raise PackageError(invalid)
    when = datetime.combine(built_on, time(12)).timestamp()
    data = _archive(members, when)
    return Package(f"{application}-{envelope_name[:-4]}.tar.gz", data, act,
                   tuple(name for name, _ in members))  # fmt: skip


def package_for(
    record: MeetingRecord, number: str, emitter: Emitter, *, pdf: bytes | None, built_on: date,
    act_number: str | None = None, attachments: Sequence[Attachment] = (),
    classification: Classification | None = None, classification_date: date | None = None,
    matter_code: str | None = None, sequence: int = 1,
) -> Package:  # fmt: skip
    """The package of item `number` of `record` (see `transmission_for` and
    `build_package`); PackageError listing every problem at once, those of the act
    id (a number outside the pattern, no SIREN...) with the others (no matter, no PDF...)."""
    item = _item(record, number)
    try:
        act_id, problems = act_id_for(record, number, act_number), []
    except PackageError as exc:  # a stand-in id, so that the rest is checked too
        act_id, problems = (
            ActId(emitter.departement, emitter.siren, built_on, "0"),
            list(exc.problems),
        )
    transmission = Transmission(
        act_id=act_id, subject=" ".join(item.subject.split()), pdf=pdf,
        matter_code=matter_code or item.matter_code, attachments=tuple(attachments),
        classification=classification, classification_date=classification_date,
    )  # fmt: skip
    problems += problems_of(transmission, emitter)
    if problems:
        raise PackageError(problems)
    return build_package(transmission, emitter, built_on=built_on, sequence=sequence)


def _extension(name: str, default: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if re.fullmatch(r"[a-z0-9]{1,5}", suffix) else default


def _archive(members: Sequence[tuple[str, bytes]], mtime: float) -> bytes:
    """A reproducible tar.gz: fixed dates, owner and modes, in the given order."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=int(mtime)) as stream:
        stream.write(raw.getvalue())
    return out.getvalue()


MAX_PACKAGE = 150 * 1024 * 1024  # @CTES limits an envelope well below this


def unpack(data: bytes) -> dict[str, bytes]:
    """The files of a package by name; ActesError (French) when it is not a tar.gz
    of plain files (no folders, links or paths)."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for info in tar:
                if not info.isfile() or "/" in info.name or info.name.startswith("."):
                    raise ActesError(
                        f"le paquet contient « {info.name} », qui n'est pas un simple fichier"
                    )
                if info.size > MAX_PACKAGE:
                    raise ActesError(f"le fichier {info.name} du paquet est trop volumineux")
                stream = tar.extractfile(info)
                files[info.name] = stream.read() if stream else b""
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ActesError(f"ce n'est pas un paquet @CTES (tar.gz) lisible : {exc}") from None
    return files


@dataclass(frozen=True, slots=True)
class PackageContents:
    """A package read back: the act's message (its id completed by the envelope's
    collectivity), the act's file and the annexes, in the message's order."""

    message: ActMessage
    document: PackedFile
    annexes: tuple[PackedFile, ...]


def read_package(data: bytes) -> PackageContents:
    """Read a package made by `build_package` (or by another @CTES tool naming its
    files the same way); ActesError (French) when it lacks its envelope, its
    message or a file the message names, or when a message is not valid ACTES."""
    files = unpack(data)
    envelope = _one(
        files, lambda n: n.startswith("EACT--") and n.endswith(".xml"), "enveloppe EACT--….xml"
    )
    message_name = _one(files, lambda n: n.endswith("_0.xml"), "message de l'acte (…_0.xml)")
    invalid = [f"{n}, {r}" for n in (envelope, message_name) for r in validate(files[n])]
    if invalid:
        raise PackageError(invalid)
    departement, siren = read_emitter(files[envelope])
    message = with_emitter(read_act_message(files[message_name]), departement, siren)
    missing = [n for n in (message.document, *message.annexes) if n not in files]
    if missing:
        raise PackageError(
            [f"le fichier {n}, nommé par le message, manque au paquet" for n in missing]
        )
    return PackageContents(message, _packed(message.document, files),
                           tuple(_packed(n, files) for n in message.annexes))  # fmt: skip


def _one(files: dict[str, bytes], wanted: Callable[[str], bool], what: str) -> str:
    found = [name for name in files if wanted(name)]
    if len(found) != 1:
        count = "aucun" if not found else f"{len(found)}"
        raise ActesError(f"le paquet doit contenir un seul {what} ({count} trouvé)")
    return found[0]


def _packed(name: str, files: dict[str, bytes]) -> PackedFile:
    return PackedFile(name, files[name], name.split("-", 1)[0] if "-" in name else "")
