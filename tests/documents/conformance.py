"""A reusable checker of registre's PDFs: PDF/A-3a, PDF/UA-1 and the embedded record.

`check_conformance(pdf_bytes, embeds_record=...)` returns human-readable problems,
an empty list when the document passes every check. It checks what the standards
require and can be seen in the file's structure (identification, output intent,
embedded fonts, no encryption or active content, tagging, language, title) and
registre's own promise: the canonical record JSON as an associated file whose
SHA-256 is in the XMP keywords. It is no substitute for veraPDF.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pikepdf

from registre.documents import ATTACHMENT

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
KEYWORD = re.compile(r"registre-sha256:([0-9a-f]{64})")
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

__all__ = ["ATTACHMENT", "check_conformance"]


def check_conformance(pdf_bytes: bytes, *, embeds_record: bytes | None) -> list[str]:
    """Every problem found; `embeds_record`: the bytes the PDF must carry, or None for none."""
    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    except (pikepdf.PdfError, pikepdf.PasswordError) as error:
        return [f"not a readable PDF: {error}"]
    with pdf:
        xmp = xmp_root(pdf)
        problems = [] if xmp is not None else ["no XMP metadata stream in the catalog"]
        problems += check_pdfa_identification(xmp)
        problems += check_pdfua_identification(xmp)
        problems += check_info_matches_xmp(pdf, xmp)
        problems += check_output_intents(pdf)
        problems += check_fonts_embedded(pdf)
        problems += check_no_encryption(pdf)
        problems += check_no_active_content(pdf)
        problems += check_tagged(pdf)
        problems += check_language(pdf)
        problems += check_title(pdf, xmp)
        if embeds_record is None:
            problems += check_no_embedded_file(pdf)
        else:
            problems += check_record_attachment(pdf, xmp, embeds_record)
    return problems


# XMP


def xmp_root(pdf: pikepdf.Pdf) -> ET.Element | None:
    """The parsed XMP packet of the catalog's /Metadata, or None."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        return ET.fromstring(stream.read_bytes())
    except ET.ParseError:
        return None


def xmp_value(xmp: ET.Element | None, namespace: str, name: str) -> str | None:
    """A property's text, written as an attribute or an element of any rdf:Description."""
    if xmp is None:
        return None
    tag = f"{{{namespace}}}{name}"
    for description in xmp.iter(f"{{{RDF}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag].strip()
        element = description.find(tag)
        if element is not None:
            return "".join(element.itertext()).strip()
    return None


def check_pdfa_identification(xmp: ET.Element | None) -> list[str]:
    """XMP pdfaid:part=3 and pdfaid:conformance=A (PDF/A-3a)."""
    problems = []
    part = xmp_value(xmp, PDFAID, "part")
    if part != "3":
        problems.append(f"XMP pdfaid:part is {part!r}, expected '3'")
    conformance = xmp_value(xmp, PDFAID, "conformance")
    if conformance != "A":
        problems.append(f"XMP pdfaid:conformance is {conformance!r}, expected 'A'")
    return problems


def check_pdfua_identification(xmp: ET.Element | None) -> list[str]:
    """XMP pdfuaid:part=1 (PDF/UA-1)."""
    part = xmp_value(xmp, PDFUAID, "part")
    return [] if part == "1" else [f"XMP pdfuaid:part is {part!r}, expected '1'"]


def check_info_matches_xmp(pdf: pikepdf.Pdf, xmp: ET.Element | None) -> list[str]:
    """The document information dictionary agrees with the XMP (PDF/A-3, 6.6.2.3)."""
    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary):
        return []
    pairs = {
        "/Title": (DC, "title"),
        "/Subject": (DC, "description"),
        "/Keywords": (PDF_NS, "Keywords"),
    }
    problems = []
    for key, (namespace, name) in pairs.items():
        if key in info and str(info[key]) != xmp_value(xmp, namespace, name):
            problems.append(f"/Info {key} {str(info[key])!r} differs from the XMP {name}")
    return problems


# Catalog-level requirements


def check_output_intents(pdf: pikepdf.Pdf) -> list[str]:
    """An /OutputIntents entry with /S /GTS_PDFA1 and an ICC destination profile."""
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array) or len(intents) == 0:
        return ["no /OutputIntents in the catalog"]
    pdfa = [i for i in intents if isinstance(i, pikepdf.Dictionary) and i.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        return ["no /OutputIntents entry with /S /GTS_PDFA1"]
    profile = pdfa[0].get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        return ["the GTS_PDFA1 output intent has no /DestOutputProfile ICC stream"]
    if profile.read_bytes()[36:40] != b"acsp":
        return ["the GTS_PDFA1 /DestOutputProfile is not an ICC profile (no 'acsp' signature)"]
    return []


def check_no_encryption(pdf: pikepdf.Pdf) -> list[str]:
    """No /Encrypt in the trailer (PDF/A forbids encryption)."""
    if "/Encrypt" in pdf.trailer or pdf.is_encrypted:
        return ["the trailer has an /Encrypt dictionary (encrypted PDF)"]
    return []


def check_tagged(pdf: pikepdf.Pdf) -> list[str]:
    """/MarkInfo /Marked true and a /StructTreeRoot (tagged PDF)."""
    problems = []
    mark_info = pdf.Root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or mark_info.get("/Marked") is not True:
        problems.append("the catalog's /MarkInfo lacks /Marked true")
    if not isinstance(pdf.Root.get("/StructTreeRoot"), pikepdf.Dictionary):
        problems.append("no /StructTreeRoot in the catalog (untagged PDF)")
    return problems


def check_language(pdf: pikepdf.Pdf) -> list[str]:
    """The catalog's /Lang is French."""
    lang = pdf.Root.get("/Lang")
    text = str(lang) if isinstance(lang, pikepdf.String) else None
    if text is None or not text.lower().startswith("fr"):
        return [f"the catalog's /Lang is {text!r}, expected French ('fr…')"]
    return []


def check_title(pdf: pikepdf.Pdf, xmp: ET.Element | None) -> list[str]:
    """/ViewerPreferences /DisplayDocTitle true and a non-empty XMP dc:title (PDF/UA-1)."""
    problems = []
    preferences = pdf.Root.get("/ViewerPreferences")
    if (
        not isinstance(preferences, pikepdf.Dictionary)
        or preferences.get("/DisplayDocTitle") is not True
    ):
        problems.append("the catalog's /ViewerPreferences lacks /DisplayDocTitle true")
    if not xmp_value(xmp, DC, "title"):
        problems.append("no XMP dc:title")
    return problems


# Fonts


def resource_holders(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Pages, then every Form XObject, Type 3 font, tiling pattern and annotation
    appearance stream reachable from them: whatever may carry /Resources."""
    stack: list[pikepdf.Object] = []
    for page in pdf.pages:
        stack.append(page.obj)
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if isinstance(annotation, pikepdf.Dictionary):
                stack.extend(appearance_streams(annotation))
    seen: set[tuple[int, int]] = set()
    while stack:
        holder = stack.pop()
        if holder.is_indirect and holder.objgen in seen:
            continue
        seen.add(holder.objgen)
        yield holder
        stack.extend(nested_holders(inherited(holder, "/Resources")))


def appearance_streams(annotation: pikepdf.Dictionary) -> Iterator[pikepdf.Stream]:
    """The /N, /R and /D appearance streams of an annotation, with their states."""
    appearances = annotation.get("/AP")
    if not isinstance(appearances, pikepdf.Dictionary):
        return
    for key in ("/N", "/R", "/D"):
        entry = appearances.get(key)
        if isinstance(entry, pikepdf.Stream):
            yield entry
        elif isinstance(entry, pikepdf.Dictionary):
            yield from (s for s in entry.values() if isinstance(s, pikepdf.Stream))


def inherited(holder: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """`key` of a holder, or of its page-tree ancestors (pages inherit /Resources)."""
    node: pikepdf.Object | None = holder
    for _ in range(64):  # a cycle in /Parent must not hang the checker
        if not isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent") if node.get("/Type") in ("/Page", "/Pages") else None
    return None


def nested_holders(resources: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    """The Type 3 fonts, Form XObjects and tiling patterns of a /Resources dictionary."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for category, wanted in (("/Font", "/Type3"), ("/XObject", "/Form"), ("/Pattern", None)):
        entries = resources.get(category)
        if not isinstance(entries, pikepdf.Dictionary):
            continue
        for entry in entries.values():
            holds = isinstance(entry, pikepdf.Dictionary | pikepdf.Stream) and "/Resources" in entry
            if holds and (wanted is None or entry.get("/Subtype") == wanted):
                yield entry


def fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary reachable from pages, forms, patterns and appearances,
    a composite font's descendant fonts included."""
    seen: set[tuple[int, int]] = set()
    for holder in resource_holders(pdf):
        resources = inherited(holder, "/Resources")
        font_map = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(font_map, pikepdf.Dictionary):
            continue
        for font in font_map.values():
            descendants = (
                font.get("/DescendantFonts", pikepdf.Array())
                if isinstance(font, pikepdf.Dictionary)
                else []
            )
            for each in [font, *descendants]:
                if isinstance(each, pikepdf.Dictionary) and not (
                    each.is_indirect and each.objgen in seen
                ):
                    seen.add(each.objgen)
                    yield each


def check_fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """Every font's descriptor has a /FontFile, /FontFile2 or /FontFile3 (Type 3 fonts,
    drawn by content streams, and Type 0 fonts, whose descendants are checked, aside)."""
    problems = []
    for font in fonts(pdf):
        subtype = font.get("/Subtype")
        if subtype in ("/Type3", "/Type0"):
            continue
        name = str(font.get("/BaseFont", "?"))
        descriptor = font.get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary):
            problems.append(f"font {name} ({subtype}) has no /FontDescriptor: not embedded")
        elif not any(isinstance(descriptor.get(key), pikepdf.Stream) for key in FONT_FILES):
            problems.append(
                f"font {name} ({subtype}) is not embedded: no FontFile, FontFile2 or FontFile3"
            )
    return problems


# Active content


def walk_direct(obj: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """`obj` and the dictionaries nested in it directly (indirect ones are visited on their own)."""
    stack = [obj]
    while stack:
        current = stack.pop()
        if isinstance(current, pikepdf.Dictionary | pikepdf.Stream):
            yield current
            children = list(current.values())
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        stack.extend(c for c in children if isinstance(c, pikepdf.Object) and not c.is_indirect)


def active_content(dictionary: pikepdf.Dictionary) -> list[str]:
    """What in one dictionary is JavaScript, an additional action or a launch action."""
    found = []
    if "/JavaScript" in dictionary:
        found.append("a /JavaScript entry (JavaScript name tree)")
    if "/JS" in dictionary or dictionary.get("/S") == "/JavaScript":
        found.append("a JavaScript action")
    if dictionary.get("/S") == "/Launch":
        found.append("a /Launch action")
    if "/AA" in dictionary:
        found.append("an /AA additional-actions dictionary")
    return found


def check_no_active_content(pdf: pikepdf.Pdf) -> list[str]:
    """No JavaScript (name tree or action), no /AA and no /Launch anywhere in the file."""
    problems = []
    for obj in [pdf.trailer, *pdf.objects]:
        where = f"object {obj.objgen[0]} {obj.objgen[1]}" if obj.is_indirect else "the trailer"
        for dictionary in walk_direct(obj):
            problems += [f"{what} in {where}" for what in active_content(dictionary)]
    return problems


# Embedded files


def file_name(spec: pikepdf.Object) -> str:
    """A file specification's name: /UF, else /F."""
    if not isinstance(spec, pikepdf.Dictionary):
        return ""
    return str(spec.get("/UF", spec.get("/F", "")))


def embedded_file_names(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The EmbeddedFiles name tree of the catalog, name → file specification."""
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    if not isinstance(tree, pikepdf.Dictionary):
        return {}
    return dict(pikepdf.NameTree(tree).items())


def record_spec(pdf: pikepdf.Pdf) -> tuple[pikepdf.Dictionary | None, list[str]]:
    """The catalog /AF file specification of the record, and the problems locating it.

    A specification whose name merely ends in the attachment's name is still returned
    (with a problem), so that its content is checked too.
    """
    associated = pdf.Root.get("/AF")
    specs = (
        [s for s in associated if isinstance(s, pikepdf.Dictionary)]
        if isinstance(associated, pikepdf.Array)
        else []
    )
    names = [file_name(s) for s in specs]
    if ATTACHMENT in names:
        return specs[names.index(ATTACHMENT)], []
    problems = [f"the catalog's /AF has no file named {ATTACHMENT!r} (names: {names})"]
    near = [s for s, n in zip(specs, names, strict=True) if n.rsplit("/", 1)[-1] == ATTACHMENT]
    return (near[0] if near else None), problems


def check_spec(spec: pikepdf.Dictionary, tree: dict[str, pikepdf.Object]) -> list[str]:
    """Names, name-tree listing, /AFRelationship /Data and MIME type of the record's file spec."""
    problems = []
    for key in ("/F", "/UF"):
        if str(spec.get(key, "")) != ATTACHMENT:
            problems.append(
                f"the record's file specification {key} is {str(spec.get(key, ''))!r}, expected {ATTACHMENT!r}"
            )
    if ATTACHMENT not in tree:
        problems.append(
            f"the EmbeddedFiles name tree has no entry {ATTACHMENT!r} (names: {sorted(tree)})"
        )
    elif tree[ATTACHMENT].objgen != spec.objgen:
        problems.append(
            f"the EmbeddedFiles entry {ATTACHMENT!r} is not the catalog's /AF file specification"
        )
    if spec.get("/AFRelationship") != "/Data":
        problems.append(
            f"the record's /AFRelationship is {spec.get('/AFRelationship')}, expected /Data"
        )
    stream = embedded_stream(spec)
    if stream is not None and stream.get("/Subtype") != "/application/json":
        problems.append(
            f"the record's MIME type (/Subtype) is {stream.get('/Subtype')}, expected application/json"
        )
    return problems


def embedded_stream(spec: pikepdf.Dictionary) -> pikepdf.Stream | None:
    """The /EF /F (else /UF) embedded file stream of a file specification."""
    streams = spec.get("/EF")
    if not isinstance(streams, pikepdf.Dictionary):
        return None
    stream = streams.get("/F", streams.get("/UF"))
    return stream if isinstance(stream, pikepdf.Stream) else None


def check_record_bytes(
    spec: pikepdf.Dictionary, xmp: ET.Element | None, record: bytes
) -> list[str]:
    """The embedded bytes are the record, and their SHA-256 is the one in the XMP keywords."""
    stream = embedded_stream(spec)
    if stream is None:
        return ["the record's file specification has no /EF embedded file stream"]
    data = stream.read_bytes()
    problems = []
    if data != record:
        problems.append(
            f"the embedded {ATTACHMENT} differs from the record ({len(data)} bytes, expected {len(record)})"
        )
    keywords = xmp_value(xmp, PDF_NS, "Keywords") or ""
    declared = KEYWORD.search(keywords)
    actual = hashlib.sha256(data).hexdigest()
    if declared is None:
        problems.append(f"the XMP pdf:Keywords {keywords!r} carry no registre-sha256:<hex>")
    elif declared[1] != actual:
        problems.append(
            f"the XMP keywords' SHA-256 {declared[1]} is not that of the embedded file ({actual})"
        )
    return problems


def check_record_attachment(pdf: pikepdf.Pdf, xmp: ET.Element | None, record: bytes) -> list[str]:
    """The record is in the catalog's /AF and the EmbeddedFiles name tree, /Data JSON,
    its bytes the canonical record, its SHA-256 the one in the XMP keywords."""
    spec, problems = record_spec(pdf)
    if spec is None:
        tree = embedded_file_names(pdf)
        if ATTACHMENT not in tree:
            problems.append(
                f"the EmbeddedFiles name tree has no entry {ATTACHMENT!r} (names: {sorted(tree)})"
            )
        return problems
    return (
        problems
        + check_spec(spec, embedded_file_names(pdf))
        + check_record_bytes(spec, xmp, record)
    )


def check_no_embedded_file(pdf: pikepdf.Pdf) -> list[str]:
    """No associated or embedded file at all (the register's sheets carry no record)."""
    problems = []
    if len(pdf.Root.get("/AF", pikepdf.Array())) > 0:
        problems.append("the catalog has an /AF associated file, none expected")
    if embedded_file_names(pdf):
        problems.append(
            f"the EmbeddedFiles name tree lists {sorted(embedded_file_names(pdf))}, none expected"
        )
    streams = [
        o
        for o in pdf.objects
        if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/EmbeddedFile"
    ]
    if streams:
        problems.append(f"{len(streams)} /EmbeddedFile stream(s) in the file, none expected")
    return problems
