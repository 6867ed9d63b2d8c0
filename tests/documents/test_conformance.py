"""Every document kind, rendered from the Dijon record, is PDF/A-3a + PDF/UA-1 and
carries (or not) the record; and the checker does fail on broken copies."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from conformance import check_conformance

from factories import dijon_record, make_template
from registre.documents import ATTACHMENT, render
from registre.record import DocumentKind, canonical_bytes

EMBEDDING = {DocumentKind.EXTRACT, DocumentKind.DELIBERATION_LIST, DocumentKind.MINUTES}
Edit = Callable[[pikepdf.Pdf], None]


@cache
def record_bytes() -> bytes:
    """The canonical JSON of the Dijon record."""
    return canonical_bytes(dijon_record())


@cache
def rendered(kind: DocumentKind) -> bytes:
    """One document of the Dijon meeting, rendered once per test session."""
    record = dijon_record()
    item = record.deliberations[0].number if kind is DocumentKind.EXTRACT else None
    return render(record, kind, item)


def expected_record(kind: DocumentKind) -> bytes | None:
    """What a kind must embed: the record, or nothing."""
    return record_bytes() if kind in EMBEDDING else None


@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda k: k.value)
def test_document_is_conformant(kind: DocumentKind) -> None:
    problems = check_conformance(rendered(kind), embeds_record=expected_record(kind))
    assert not problems, "\n".join(problems)


def test_year_tables_are_conformant(tmp_path: Path) -> None:
    from registre.documents import render_year_tables  # noqa: PLC0415

    pdf = render_year_tables([dijon_record()], 2023)
    problems = check_conformance(pdf, embeds_record=None)
    assert not problems, "\n".join(problems)


def test_extract_with_a_template_logo_is_conformant(tmp_path: Path) -> None:
    settings = (
        '[logo]\nfichier = "logo.png"\ntexte_alternatif = "Logo"\n[entete]\nlignes = ["RF"]\n'
    )
    folder = make_template(tmp_path / "modele", settings, logo=True)
    pdf = render(dijon_record(), DocumentKind.EXTRACT, template=folder)
    problems = check_conformance(pdf, embeds_record=record_bytes())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", sorted(EMBEDDING, key=lambda k: k.value), ids=lambda k: k.value)
def test_embedded_record_is_found_by_pikepdf(kind: DocumentKind) -> None:
    """Independent of the checker: some attachment holds the record, its hash in the keywords."""
    with pikepdf.open(io.BytesIO(rendered(kind))) as pdf:
        contents = [a.get_file().read_bytes() for a in pdf.attachments.values()]
        keywords = str(pdf.docinfo.get("/Keywords", ""))
    assert record_bytes() in contents
    assert f"registre-sha256:{hashlib.sha256(record_bytes()).hexdigest()}" in keywords


# The checker can fail: each edit of a rendered extract must add its own problem.


def edited(pdf_bytes: bytes, edit: Edit, encryption: pikepdf.Encryption | None = None) -> bytes:
    """A copy of a PDF after `edit`, saved (and encrypted if asked) by pikepdf."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out, encryption=encryption)
    return out.getvalue()


def new_problems(pdf_bytes: bytes) -> list[str]:
    """Problems of an edited extract that the unedited extract does not have (so that
    these tests stay meaningful whatever the extract's own state)."""
    original = rendered(DocumentKind.EXTRACT)
    before = set(check_conformance(original, embeds_record=record_bytes()))
    after = check_conformance(pdf_bytes, embeds_record=record_bytes())
    return [p for p in after if p not in before]


def no_edit(pdf: pikepdf.Pdf) -> None:
    """Leave the PDF as it is."""


def test_unedited_copy_adds_no_problem() -> None:
    assert new_problems(edited(rendered(DocumentKind.EXTRACT), no_edit)) == []


def first_descriptor(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The font descriptor of the first descendant font of page 1's first font."""
    font = next(iter(pdf.pages[0].obj.Resources.Font.values()))
    return font.DescendantFonts[0].FontDescriptor


def bare_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """A TrueType font whose descriptor has no font file."""
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name("/Arial"),
        Flags=32,
        FontBBox=[0, 0, 1000, 1000],
        ItalicAngle=0,
        Ascent=900,
        Descent=-200,
        CapHeight=700,
        StemV=80,
    )
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name("/Arial"),
        FontDescriptor=pdf.make_indirect(descriptor),
    )
    return pdf.make_indirect(font)


def form_with_bare_font(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """A Form XObject drawing text with `bare_font`."""
    form = pikepdf.Stream(pdf, b"BT /Bare 12 Tf (x) Tj ET")
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = [0, 0, 10, 10]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Bare=bare_font(pdf)))
    return pdf.make_indirect(form)


def add_form_font(pdf: pikepdf.Pdf) -> None:
    """A Form XObject on page 1 whose font is not embedded."""
    resources = pdf.pages[0].obj.Resources
    if "/XObject" not in resources:
        resources.XObject = pikepdf.Dictionary()
    resources.XObject.BareForm = form_with_bare_font(pdf)


def add_appearance_font(pdf: pikepdf.Pdf) -> None:
    """An annotation on page 1 whose appearance stream's font is not embedded."""
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FreeText,
        Rect=[0, 0, 10, 10],
        Contents=pikepdf.String("x"),
        AP=pikepdf.Dictionary(N=form_with_bare_font(pdf)),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))


def xmp_replace(*pairs: tuple[bytes, bytes]) -> Edit:
    """An edit of the XMP packet's text, (old, new) pairs."""

    def edit(pdf: pikepdf.Pdf) -> None:
        xmp = pdf.Root.Metadata.read_bytes()
        for old, new in pairs:
            assert old in xmp
            xmp = xmp.replace(old, new)
        pdf.Root.Metadata.write(xmp)

    return edit


def flip_record_byte(pdf: pikepdf.Pdf) -> None:
    """Change one byte of the embedded record (a '{' becomes a '[')."""
    stream = pdf.Root.AF[0].EF.F
    data = bytearray(stream.read_bytes())
    data[0] ^= ord("{") ^ ord("[")
    stream.write(bytes(data))


def javascript_action() -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def set_root(key: str, value: Callable[[pikepdf.Pdf], object]) -> Edit:
    """An edit setting a catalog entry."""
    return lambda pdf: pdf.Root.__setitem__(key, value(pdf))


def delete(
    key: str, parent: Callable[[pikepdf.Pdf], pikepdf.Dictionary] = lambda p: p.Root
) -> Edit:
    """An edit deleting an entry of a dictionary (the catalog by default)."""
    return lambda pdf: parent(pdf).__delitem__(key)


def strip_font_file(pdf: pikepdf.Pdf) -> None:
    """Remove the embedded font program of the first descendant font, whatever its kind."""
    descriptor = first_descriptor(pdf)
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            del descriptor[key]


EDITS: dict[str, tuple[Edit, list[str]]] = {
    "output intents removed": (delete("/OutputIntents"), ["no /OutputIntents"]),
    "output intent not PDF/A": (
        lambda pdf: pdf.Root.OutputIntents[0].__setitem__("/S", pikepdf.Name("/GTS_PDFX")),
        ["GTS_PDFA1"],
    ),
    "ICC profile removed": (
        delete("/DestOutputProfile", lambda pdf: pdf.Root.OutputIntents[0]),
        ["/DestOutputProfile"],
    ),
    "ICC profile garbled": (
        lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile.write(b"\0" * 128),
        ["not an ICC profile"],
    ),
    "descendant font file stripped": (strip_font_file, ["is not embedded"]),
    "form XObject font not embedded": (add_form_font, ["font /Arial (/TrueType) is not embedded"]),
    "appearance stream font not embedded": (
        add_appearance_font,
        ["font /Arial (/TrueType) is not embedded"],
    ),
    "JavaScript name tree": (
        lambda pdf: pdf.Root.Names.__setitem__(
            "/JavaScript", pikepdf.Dictionary(Names=["x", pdf.make_indirect(javascript_action())])
        ),
        ["/JavaScript entry", "JavaScript action"],
    ),
    "JavaScript open action": (
        set_root("/OpenAction", lambda _: javascript_action()),
        ["JavaScript action"],
    ),
    "launch action": (
        set_root("/OpenAction", lambda _: pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe")),
        ["/Launch action"],
    ),
    "page additional actions": (
        lambda pdf: pdf.pages[0].obj.__setitem__("/AA", pikepdf.Dictionary(O=javascript_action())),
        ["/AA additional-actions", "JavaScript action"],
    ),
    "not marked": (
        lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False),
        ["lacks /Marked true"],
    ),
    "structure tree removed": (delete("/StructTreeRoot"), ["no /StructTreeRoot"]),
    "English": (set_root("/Lang", lambda _: pikepdf.String("en-GB")), ["/Lang is 'en-GB'"]),
    "title not displayed": (
        lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
        ["/DisplayDocTitle"],
    ),
    "no dc:title": (
        xmp_replace((b"<dc:title>", b"<dc:subject>"), (b"</dc:title>", b"</dc:subject>")),
        ["no XMP dc:title"],
    ),
    "PDF/A-2": (xmp_replace((b"<pdfaid:part>3<", b"<pdfaid:part>2<")), ["pdfaid:part is '2'"]),
    "PDF/A-3b": (
        xmp_replace((b"<pdfaid:conformance>A<", b"<pdfaid:conformance>B<")),
        ["pdfaid:conformance is 'B'"],
    ),
    "no PDF/UA": (
        xmp_replace((b"<pdfuaid:part>1<", b"<pdfuaid:part>0<")),
        ["pdfuaid:part is '0'"],
    ),
    "one byte of the record changed": (
        flip_record_byte,
        [f"the embedded {ATTACHMENT} differs from the record", "keywords' SHA-256"],
    ),
    "record not associated": (delete("/AF"), ["/AF has no file named"]),
    "relationship not Data": (
        lambda pdf: pdf.Root.AF[0].__setitem__("/AFRelationship", pikepdf.Name.Source),
        ["/AFRelationship is /Source"],
    ),
    "not JSON": (
        lambda pdf: pdf.Root.AF[0].EF.F.__setitem__("/Subtype", pikepdf.Name("/text/plain")),
        ["expected application/json"],
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_checker_reports_edit(name: str) -> None:
    edit, expected = EDITS[name]
    problems = new_problems(edited(rendered(DocumentKind.EXTRACT), edit))
    for text in expected:
        assert any(text in problem for problem in problems), (text, problems)


def test_checker_reports_encryption() -> None:
    encryption = pikepdf.Encryption(owner="owner", user="", R=4)
    copy = edited(rendered(DocumentKind.EXTRACT), no_edit, encryption=encryption)
    assert "the trailer has an /Encrypt dictionary (encrypted PDF)" in new_problems(copy)


def test_checker_reports_unreadable_pdf() -> None:
    assert check_conformance(b"%PDF-1.7 garbage", embeds_record=None)[0].startswith(
        "not a readable PDF"
    )


def test_checker_reports_a_record_where_none_is_expected() -> None:
    problems = check_conformance(rendered(DocumentKind.EXTRACT), embeds_record=None)
    assert any("none expected" in problem for problem in problems), problems


def test_checker_reports_a_missing_record() -> None:
    problems = check_conformance(
        rendered(DocumentKind.REGISTER_SHEETS), embeds_record=record_bytes()
    )
    assert any("/AF has no file named" in problem for problem in problems), problems
    assert any("EmbeddedFiles name tree has no entry" in problem for problem in problems), problems
