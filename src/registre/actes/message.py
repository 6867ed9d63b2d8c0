"""The ACTES v1.1 messages of a transmission: the act (`Acte`) and its envelope
(`EnveloppeCLMISILL`), written in ISO-8859-1 as the operators expect.

Characters outside ISO-8859-1 (typographic apostrophes, œ, the euro sign...) are
kept as XML character references: the message stays lossless and valid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from lxml import etree

from registre.actes.errors import ActesError
from registre.actes.ids import ActId, ActNature, build_act_id
from registre.actes.xml import ENCODING, NS, NSMAP, attribute, parse_xml, qualified

SUBJECT_MAX = 500  # `Objet`: 500 characters at most


@dataclass(frozen=True, slots=True)
class ActMessage:
    """What the `Acte` message says of one act.

    `matter` holds the matter's code level by level (`(8, 6)` for 8.6; 2 to 5
    levels); `document` and `annexes` are the names of the files in the package;
    `paper` says a paper document is sent by post beside (`DocumentPapier`);
    `previous` is the id of an act this one replaces, if any.
    """

    act_id: ActId
    subject: str
    matter: tuple[int, ...]
    classification_date: date
    document: str
    annexes: tuple[str, ...] = ()
    paper: bool = False
    previous: ActId | None = None


@dataclass(frozen=True, slots=True)
class Emitter:
    """The collectivity as the envelope names it (`IDCL`), and where the prefecture
    answers (`AdressesRetour`).

    `arrondissement` is one digit, `nature` the two-digit code of the kind of
    collectivity in @CTES: both are given by the prefecture or the operator when the
    collectivity joins @CTES. The referent (name, telephone, e-mail) is optional.
    """

    siren: str
    departement: str
    arrondissement: str
    nature: str
    emails: tuple[str, ...]
    referent_name: str | None = None
    referent_phone: str | None = None
    referent_email: str | None = None


def _element(parent: etree._Element, name: str, text: str | None = None,
             **attributes: str) -> etree._Element:  # fmt: skip
    child = etree.SubElement(
        parent, qualified(name), {qualified(k): v for k, v in attributes.items()}
    )
    if text is not None:
        child.text = text
    return child


def _serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)
    return data


def act_message_xml(message: ActMessage) -> bytes:
    """The `Acte` message of `message`, ISO-8859-1 (valid against ACTES v1.1 when
    the values fit it; `registre.actes.validate` says where they do not)."""
    act = message.act_id
    root = etree.Element(qualified("Acte"), nsmap=NSMAP)
    root.set(qualified("Date"), act.decision_date.isoformat())
    root.set(qualified("NumeroInterne"), act.number)
    root.set(qualified("CodeNatureActe"), str(int(act.nature)))
    for level, code in enumerate(message.matter, start=1):
        _element(root, f"CodeMatiere{level}", CodeMatiere=str(code))
    _element(root, "Objet", message.subject)
    if message.previous is not None:
        _element(root, "PrecedentIdentifiantActe", IDActe=str(message.previous))
    _element(root, "ClassificationDateVersion", message.classification_date.isoformat())
    document = _element(root, "Document")
    _element(document, "NomFichier", message.document)
    annexes = _element(root, "Annexes", Nombre=str(len(message.annexes)))
    for name in message.annexes:
        _element(_element(annexes, "Annexe"), "NomFichier", name)
    _element(root, "DocumentPapier", "O" if message.paper else "N")
    return _serialise(root)


def envelope_xml(emitter: Emitter, message_files: tuple[str, ...]) -> bytes:
    """The envelope (`EnveloppeCLMISILL`) listing the messages sent, ISO-8859-1."""
    root = etree.Element(qualified("EnveloppeCLMISILL"), nsmap=NSMAP)
    sender = _element(root, "Emetteur")
    idcl = _element(sender, "IDCL", Departement=emitter.departement,
                    Arrondissement=emitter.arrondissement, Nature=emitter.nature)  # fmt: skip
    idcl.set(f"{{{NSMAP['insee']}}}SIREN", emitter.siren)
    referent = (emitter.referent_name, emitter.referent_phone, emitter.referent_email)
    if any(referent):
        element = _element(sender, "Referent")
        for name, value in zip(("Nom", "Telephone", "Email"), referent, strict=True):
            if value:
                _element(element, name, value)
    addresses = _element(root, "AdressesRetour")
    for email in emitter.emails:
        _element(addresses, "Email", email)
    forms = _element(root, "FormulairesEnvoyes")
    for name in message_files:
        _element(_element(forms, "Formulaire"), "NomFichier", name)
    return _serialise(root)


def read_act_message(data: bytes) -> ActMessage:
    """The act a `Acte` message describes (for sending a package read back);
    ActesError (French) when a value the sending needs is missing. The département
    and SIREN are not in the message: they come from the envelope (`with_emitter`)."""
    root = parse_xml(data, what="le message de l'acte")
    if root.tag != qualified("Acte"):
        raise ActesError(f"le message n'est pas un acte ACTES ({etree.QName(root).localname})")
    try:
        day = date.fromisoformat(attribute(root, "Date"))
        nature = ActNature(int(attribute(root, "CodeNatureActe")))
        matter = tuple(int(attribute(e, "CodeMatiere")) for e in _matter_elements(root))
        version = date.fromisoformat(root.findtext(qualified("ClassificationDateVersion")) or "")
    except ValueError as exc:
        raise ActesError(f"message de l'acte incomplet ou invalide : {exc}") from None
    act_id = ActId("000", "000000000", day, attribute(root, "NumeroInterne"), nature)
    annexes = tuple(
        e.text or "" for e in root.iterfind(f"{{{NS}}}Annexes/{{{NS}}}Annexe/{{{NS}}}NomFichier")
    )
    return ActMessage(
        act_id=act_id,
        subject=root.findtext(qualified("Objet")) or "",
        matter=matter,
        classification_date=version,
        document=root.findtext(f"{{{NS}}}Document/{{{NS}}}NomFichier") or "",
        annexes=annexes,
        paper=root.findtext(qualified("DocumentPapier")) == "O",
    )


def _matter_elements(root: etree._Element) -> list[etree._Element]:
    return [e for level in range(1, 6) for e in root.iterfind(qualified(f"CodeMatiere{level}"))]


def read_emitter(data: bytes) -> tuple[str, str]:
    """The département and SIREN an envelope names (`IDCL`)."""
    root = parse_xml(data, what="l'enveloppe")
    idcl = root.find(f"{{{NS}}}Emetteur/{{{NS}}}IDCL")
    if idcl is None:
        raise ActesError("l'enveloppe ne nomme pas la collectivité émettrice (IDCL)")
    siren = idcl.get(f"{{{NSMAP['insee']}}}SIREN") or idcl.get("SIREN") or ""
    return attribute(idcl, "Departement"), siren


def with_emitter(message: ActMessage, departement: str, siren: str) -> ActMessage:
    """The message with its act id completed by the envelope's collectivity."""
    act = message.act_id
    full = build_act_id(departement, siren, act.decision_date, act.number, act.nature)
    return replace(message, act_id=full)
