"""Benchmark of `registre.documents.render` (run with `.venv/bin/python benchmarks/render.py`).

Renders the extracts (one PDF per deliberation) of a generated meeting, in one run,
four ways, and prints documents per second and ratios:

1. registre: `render(record, DocumentKind.EXTRACT, item=number)` for each item, in
   one process on one core, the compiler warm (objective: 100 extracts/s);
2. raw Typst, the floor: one `typst.Compiler` compiling the very jobs registre
   hands to Typst (`typst_job`, computed before timing: layout, fonts, data files
   written to the folder its `data` input names), same PDF standards (objective:
   registre's time within 1.3× of it); `typst_job` alone is timed beside, to show
   what is not Typst;
3. WeasyPrint: the same content as HTML + CSS, `HTML(string=…).write_pdf()` as
   PDF/A-3 with the same record attached (objective: registre 20× faster);
4. LibreOffice headless: the same content as .odt files (written before timing)
   converted to PDF/A, (a) as one batch by one `soffice` call and (b) one `soffice`
   process per document, timed on a sample and scaled (objectives: registre 4× and
   50× faster).

The meeting (`random.Random(0)`): the Dijon roster (86 members, real names with
accents), 100 deliberations, the opening attendance with its 9 proxies, two
arrivals, two departures, two departures with a proxy, five withdrawals of
interested members, each item's attendance derived from those events, a tally per
item (some unanimous) and a statement and operative part of a few paragraphs.

WeasyPrint is optional (`.venv/bin/pip install -e '.[bench]'`), LibreOffice too
(`apt-get install libreoffice-writer-nogui`): a missing tool gives a row « non
installé » and a verdict « NON MESURÉ ». Always exits 0, below an objective too
(the verdicts are printed); `--quick` takes one round, 12 deliberations and
three documents for soffice one process each.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from registre.documents import ATTACHMENT, TypstJob, render, typst_job
from registre.documents.template import font_paths, load_template
from registre.record import (
    AttendanceChange,
    ChangeKind,
    DeliberationRecord,
    DocumentKind,
    MeetingRecord,
    Outcome,
    Vote,
    VoteMode,
    loads,
    with_derived_attendance,
)
from timing import Row, Timing, once, pin_one_core, print_rows, rate_text

try:
    import weasyprint
except (ImportError, OSError):  # optional: pip install -e '.[bench]'; OSError: no libpango
    weasyprint = None

DIJON = "dijon-2023-11-23.json"  # in the package: registre.demo
ITEMS = 100
RATE_TARGET = 100.0  # extracts per second per core
RAW_TARGET = 1.3  # registre's time / raw Typst's time, at most
WEASY_TARGET = 20.0  # registre's rate / WeasyPrint's, at least
BATCH_TARGET = 4.0  # registre's rate / LibreOffice's in one batch, at least
EACH_TARGET = 50.0  # registre's rate / LibreOffice's one process per document, at least
SLOW_REPEAT = 2  # passes of WeasyPrint and LibreOffice (each pass takes tens of seconds)
EACH_SAMPLE = 10  # documents converted by one soffice process each
QUICK_ITEMS = 12
FONT = "Liberation Serif"  # registre's default face, and Debian's for the other tools
SOFFICE_TIMEOUT = 900
LO_INSTALL = "apt-get install libreoffice-writer-nogui"

# --- the meeting ------------------------------------------------------------------------

SUBJECTS = (
    "Budget annexe des transports : décision modificative",
    "Convention de partenariat avec l'université",
    "Acquisition foncière d'une parcelle au lieu-dit les Grandes Vignes",
    "Garantie d'emprunt accordée à l'office public de l'habitat",
    "Subvention de fonctionnement à l'association de quartier",
    "Tarifs des équipements sportifs et culturels",
    "Désignation des représentants au syndicat mixte",
    "Rapport annuel sur le prix et la qualité du service de l'eau",
)
CLAUSES = (
    "par délibération du conseil, la collectivité a engagé une démarche de long terme",
    "le présent projet s'inscrit dans les orientations du plan pluriannuel d'investissement",
    "les crédits nécessaires sont inscrits au budget de l'exercice en cours",
    "la commission compétente a émis un avis favorable lors de sa dernière réunion",
    "il convient d'autoriser le président à signer tout acte afférent à cette opération",
    "le montant prévisionnel de l'opération s'élève à un million deux cent mille euros",
    "la participation des communes membres est répartie au prorata de leur population",
    "le service instructeur a vérifié la conformité du dossier aux règles en vigueur",
)


def build_meeting(seed: int = 0) -> MeetingRecord:
    """The 86-member, 100-deliberation meeting, the same for a given seed."""
    rng = random.Random(seed)
    dijon = loads(resources.files("registre.demo").joinpath(DIJON).read_text(encoding="utf-8"))
    numbers = [f"2023-{n + 1:03d}" for n in range(ITEMS)]
    officers = {dijon.meeting.president, *(dijon.meeting.secretaries or ())}
    holders = {p.holder for p in dijon.attendance.proxies}
    # members with no office and no proxy: they may come, go or withdraw freely
    plain = [m for m in dijon.attendance.present or () if m not in officers | holders]
    rng.shuffle(plain)
    changes, interested = _changes(rng, dijon, numbers, plain)
    items = tuple(_item(rng, i, n, plain, interested.get(n)) for i, n in enumerate(numbers))
    opening = replace(dijon.attendance, changes=changes)
    # each item's own attendance written out, as in a record read from minutes
    record = with_derived_attendance(replace(dijon, attendance=opening, deliberations=items))
    return replace(record, deliberations=tuple(_voted(rng, d) for d in record.deliberations))


def _changes(
    rng: random.Random, dijon: MeetingRecord, numbers: list[str], plain: list[str]
) -> tuple[tuple[AttendanceChange, ...], dict[str, str]]:
    """Arrivals of the absent, departures, departures with a proxy, withdrawals."""

    def change(
        member: str, kind: ChangeKind, first: Sequence[str], holder: str | None = None
    ) -> AttendanceChange:
        item = rng.choice(first)
        return AttendanceChange(member=member, change=kind, from_item=item, holder=holder)

    out = [change(m, ChangeKind.ARRIVAL, numbers[3:30]) for m in dijon.attendance.absent or ()]
    out += [change(m, ChangeKind.DEPARTURE, numbers[60:]) for m in plain[:2]]
    out += [
        change(m, ChangeKind.PROXY_ON_LEAVING, numbers[40:], holder=h)
        for m, h in zip(plain[2:4], plain[4:6], strict=True)
    ]
    interested = {rng.choice(numbers): plain[6 + i] for i in range(5)}
    out += [
        AttendanceChange(member=m, change=ChangeKind.WITHDRAWAL, from_item=n)
        for n, m in interested.items()
    ]
    order = {n: i for i, n in enumerate(numbers)}
    return tuple(sorted(out, key=lambda c: order[c.from_item])), interested


def _item(
    rng: random.Random, index: int, number: str, plain: list[str], interested: str | None
) -> DeliberationRecord:
    return DeliberationRecord(
        number=number,
        subject=f"{rng.choice(SUBJECTS)} (point {index + 1})",
        rapporteur=rng.choice(plain[10:]),
        statement="\n".join(_paragraph(rng) for _ in range(rng.randint(3, 4))),
        operative_part="\n".join(
            f"Article {k + 1} : {_paragraph(rng)}" for k in range(rng.randint(2, 3))
        ),
        interested=(interested,) if interested else (),
    )


def _paragraph(rng: random.Random) -> str:
    text = " ; ".join(rng.sample(CLAUSES, rng.randint(3, 5)))
    return text[0].upper() + text[1:] + "."


def _voted(rng: random.Random, item: DeliberationRecord) -> DeliberationRecord:
    """The item with a show-of-hands tally of its voters, adopted (40 % unanimously)."""
    att = item.attendance
    assert att is not None
    proxies = sum(1 for p in att.proxies if p.holder)
    voters = len(att.present or ()) + proxies
    against, abstention, not_voting = (
        (0, 0, 0)
        if rng.random() < 0.4
        else (rng.randint(0, 20), rng.randint(0, 8), rng.randint(0, 2))
    )
    vote = Vote(
        mode=VoteMode.SHOW_OF_HANDS,
        for_=voters - against - abstention - not_voting,
        against=against,
        abstention=abstention,
        not_voting=not_voting,
        proxies_counted=proxies,
        unanimous=against + abstention + not_voting == 0,
    )
    return replace(item, vote=vote, outcome=Outcome.ADOPTED)


# --- timing ---------------------------------------------------------------------------


def interleaved(fns: Sequence[Callable[[], object]], repeat: int) -> list[Timing]:
    """Each function's best and median of `repeat` runs, the runs taken in turns
    (order reversed every other round): a shared VM changes speed for minutes at a
    time, and the ratio of two measures is only fair if both saw the same regimes."""
    runs: list[list[tuple[float, float]]] = [[] for _ in fns]
    for round_ in range(repeat):
        order = range(len(fns))
        for i in reversed(order) if round_ % 2 else order:
            runs[i].append(once(fns[i]))
    return [
        Timing(min(w for w, _ in r), min(c for _, c in r), statistics.median(w for w, _ in r))
        for r in runs
    ]


# --- registre and raw Typst -----------------------------------------------------------------


def render_all(record: MeetingRecord, numbers: Sequence[str]) -> int:
    """registre's extracts of these items: total bytes."""
    return sum(len(render(record, DocumentKind.EXTRACT, item=n)) for n in numbers)


def jobs_all(record: MeetingRecord, numbers: Sequence[str]) -> list[TypstJob]:
    """What registre hands to Typst for these extracts (the default template)."""
    template = load_template(None)
    return [typst_job(record, DocumentKind.EXTRACT, n, template) for n in numbers]


class RawTypst:
    """Typst alone, fed as registre feeds it: a compiler whose `data` input names a
    folder, and each job's data files written there before it compiles."""

    def __init__(self, job: TypstJob, folder: Path) -> None:
        self.folder = folder
        self.compiler = typst.Compiler(
            job.main,
            root="/",
            font_paths=font_paths(job.fonts),
            ignore_system_fonts=True,
            sys_inputs={"data": f"{folder}/"},
        )

    def compile(self, job: TypstJob) -> bytes:
        """The PDF of one job."""
        for name, content in job.files.items():
            (self.folder / name).write_bytes(content)
        return self.compiler.compile(pdf_standards=list(job.standards))

    def compile_all(self, jobs: Sequence[TypstJob]) -> int:
        """The PDFs of these jobs: total bytes."""
        return sum(len(self.compile(job)) for job in jobs)


def measure_typst(
    record: MeetingRecord, numbers: list[str], repeat: int
) -> tuple[list[Row], list[TypstJob]]:
    """registre, raw Typst and typst_job alone, in turns."""
    jobs = jobs_all(record, numbers)
    with tempfile.TemporaryDirectory(prefix="registre-bench-typst-") as folder:
        raw = RawTypst(jobs[0], Path(folder))
        size = render_all(record, numbers)  # warm-up of both compilers, and what they make
        raw.compile_all(jobs)
        fns = [lambda: render_all(record, numbers), lambda: raw.compile_all(jobs)]
        timings = interleaved([*fns, lambda: jobs_all(record, numbers)], repeat)
    n = len(numbers)
    attached = sum(len(j.files["record.json"]) for j in jobs) // n // 1000
    own = f"PDF/A-3a + UA-1, enregistrement joint ({attached} ko), {size // n // 1000} ko/PDF"
    return [
        timings[0].row("registre render (1 cœur)", n, target=RATE_TARGET, note=own),
        timings[1].row("Typst brut, mêmes tâches (1 cœur)", n,
                       note="fichiers de typst_job calculés avant, mêmes normes"),
        timings[2].row("  dont typst_job seul", n, note="vue, enregistrement, JSON, SHA-256"),
    ], jobs  # fmt: skip


# --- the same content for the other tools ----------------------------------------------------

# (kind, value): a text ("h1", "h2", "p", "centre"; "\n" breaks a line), a list of
# names ("names", in two columns) or of rows of cells ("tally" ruled, "grid" not)
Block = tuple[str, Any]
TALLY_HEADER = ["POUR", "CONTRE", "ABSTENTION", "NE SE PRONONCE PAS"]


def blocks(view: dict[str, Any]) -> list[Block]:
    """The extract as a list of blocks, in the order and wording of extract.typ."""
    m, att = view["meeting"], view["attendance"]
    officers = (
        f"Président : {m['president']}\nSecrétaire de séance : "
        f"{', '.join(m['secretaries'])}\nConvocation envoyée le {m['convocation']}"
    )
    counts = (
        f"Nombre de membres en exercice : {m['in_office']}\nNombre de présents "
        f"participant au vote : {att['present_count']}\nNombre de procurations : "
        f"{att['proxies_count']}"
    )
    out: list[Block] = [
        ("h1", "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"),
        ("centre", f"du {m['assembly']} de {m['collectivity']}\nSéance du {m['date']}"),
        ("p", officers),
        ("p", counts),
        ("p", "Membres présents :"),
        ("names", att["present"]),
    ]
    if att["absent"]:
        out += [("p", "Membres absents :"), ("names", att["absent"])]
    if att["proxies"]:
        out.append(("p", "Pouvoirs :\n" + "\n".join(att["proxies"])))
    if view["changes"]:
        out.append(("p", "\n".join(view["changes"])))
    return out + _item_blocks(view["item"], m)


def _item_blocks(item: dict[str, Any], meeting: dict[str, Any]) -> list[Block]:
    heading = f"{item['heading']} — " if item["heading"] else ""
    number = f"Délibération n° : {item['number']}"
    rapporteur = f"\nRapporteur : {item['rapporteur']}" if item["rapporteur"] else ""
    out: list[Block] = [("h2", f"OBJET : {heading}{item['subject']}"), ("p", number + rapporteur)]
    out += [("p", p) for p in item["statement"]]
    out.append(("p", "Le Conseil, après en avoir délibéré, décide :"))
    out += [("p", p) for p in item["operative"]]
    secretaries, president = ", ".join(meeting["secretaries_full"]), meeting["president_full"]
    signatures = [f"Le secrétaire de séance,\n{secretaries}", f"Le Président,\n{president}"]
    return [*out, *_tally(item["vote"]), ("grid", [signatures])]


def _tally(vote: dict[str, Any] | None) -> list[Block]:
    """The tally (the generated meeting has no appointment rounds)."""
    if vote is None:
        return []
    if vote["unanimous"]:
        return [("p", "Adoptée à l'unanimité.")]
    counts = [vote["for"], vote["against"], vote["abstention"], vote["not_voting"]]
    cells = [f"{name} : {count}" for name, count in zip(TALLY_HEADER, counts, strict=True)]
    proxies = [] if vote["proxies"] is None else [("p", f"DONT {vote['proxies']} PROCURATION(S)")]
    return [("tally", [TALLY_HEADER, cells]), *proxies]


# --- WeasyPrint -------------------------------------------------------------------------------

CSS = f"""
@page {{ size: A4; margin: 2cm 2cm 2.2cm 2cm;
         @bottom-right {{ content: counter(page) "/" counter(pages); font: 8pt "{FONT}"; }} }}
body {{ font: 10pt "{FONT}"; text-align: justify; hyphens: auto; }}
h1, h2 {{ color: #1f3a5f; }} h1 {{ font-size: 14pt; text-align: center; }} h2 {{ font-size: 12pt; }}
.centre {{ text-align: center; }} .names {{ columns: 2; column-gap: 1em; }} .names p {{ margin: 0.2em 0; }}
table {{ border-collapse: collapse; width: 100%; }} .tally td {{ border: 0.5pt solid; }}
"""
HTML_TEXTS = {
    "h1": "<h1>{}</h1>",
    "h2": "<h2>{}</h2>",
    "p": "<p>{}</p>",
    "centre": '<p class="centre">{}</p>',
}


def _h(text: str) -> str:
    """Escaped for HTML, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def html_block(kind: str, value: Any) -> str:
    """One block as HTML."""
    if kind in HTML_TEXTS:
        return HTML_TEXTS[kind].format(_h(value))
    if kind == "names":
        return '<div class="names">' + "".join(f"<p>{_h(n)}</p>" for n in value) + "</div>"
    rows = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in value)
    return f'<table class="{kind}">{rows}</table>'


def html_page(view: dict[str, Any]) -> str:
    """The extract as an HTML page, with the title and metadata Typst writes."""
    title = html.escape(f"Extrait du registre des délibérations — {view['item']['number']}")
    body = "".join(html_block(kind, value) for kind, value in blocks(view))
    author = html.escape(view["meeting"]["collectivity"])
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="{author}"><style>{CSS}</style></head><body>{body}</body></html>'
    )


def weasy_variant() -> str | None:
    """PDF/A-3a when this WeasyPrint has it (as registre), else PDF/A-3b, else none."""
    variants = getattr(getattr(weasyprint, "pdf", None), "VARIANTS", {})
    return next((v for v in ("pdf/a-3a", "pdf/a-3b") if v in variants), None)


def weasy_all(docs: Sequence[tuple[dict[str, Any], bytes]], variant: str | None) -> int:
    """WeasyPrint's PDF of every (view, record) pair, the record attached as registre
    attaches it: total bytes."""
    total = 0
    for view, record in docs:
        attachment = weasyprint.Attachment(string=record, name=ATTACHMENT, relationship="Data")
        pdf = weasyprint.HTML(string=html_page(view)).write_pdf(
            pdf_variant=variant, attachments=[attachment]
        )
        total += len(pdf)
    return total


def measure_weasy(jobs: Sequence[TypstJob], repeat: int) -> Row:
    """The same extracts through HTML + CSS and WeasyPrint."""
    label = "WeasyPrint HTML + CSS (1 cœur)"
    if weasyprint is None:
        return Row(label, None, note="non installé : pip install -e '.[bench]' (et libpango)")
    docs = [(json.loads(j.files["view.json"]), j.files["record.json"]) for j in jobs]
    variant = weasy_variant()
    size = weasy_all(docs[:1], variant)  # warm-up: fonts, CSS
    timing = interleaved([lambda: weasy_all(docs, variant)], repeat)[0]
    note = f"{variant or 'PDF simple'}, enregistrement joint, {size // 1000} ko/PDF, {FONT}"
    return timing.row(label, len(docs), note=note)


# --- LibreOffice ----------------------------------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'
)
XML = '<?xml version="1.0" encoding="UTF-8"?>'
STYLES = f"""{XML}
<office:document-styles {NS}>
<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="'{FONT}'"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.15cm"/>
<style:text-properties style:font-name="{FONT}" fo:font-size="10pt" fo:language="fr" fo:country="FR" fo:hyphenate="true"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">
<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold" fo:color="#1f3a5f"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2">
<style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:color="#1f3a5f"/></style:style>
<style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="8pt"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
 fo:page-height="29.7cm" fo:margin-left="2cm" fo:margin-right="2cm" fo:margin-top="2cm" fo:margin-bottom="1.2cm"/>
<style:footer-style><style:header-footer-properties fo:min-height="1cm"/></style:footer-style></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:footer><text:p text:style-name="Footer"><text:page-number/>/<text:page-count/></text:p></style:footer></style:master-page></office:master-styles>
</office:document-styles>"""
CONTENT_STYLES = """<office:automatic-styles>
<style:style style:name="C" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="L" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="start"/></style:style>
<style:style style:name="N" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="0.5cm"/></style:section-properties></style:style>
<style:style style:name="B" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
<style:style style:name="G" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm"/></style:style>
</office:automatic-styles>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text" manifest:version="1.3"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
# PDF/A-3 (tagged): the closest of LibreOffice's export options to registre's PDF/A-3a
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"3"},"UseTaggedPDF":{"type":"boolean","value":"true"}}'  # fmt: skip


ODT_TEXTS = {
    "h1": '<text:h text:style-name="Heading_20_1" text:outline-level="1">{}</text:h>',
    "h2": '<text:h text:style-name="Heading_20_2" text:outline-level="2">{}</text:h>',
    "p": "<text:p>{}</text:p>",
    "centre": '<text:p text:style-name="C">{}</text:p>',
}
MIMETYPE = "application/vnd.oasis.opendocument.text"


def _o(text: str) -> str:
    """Escaped for XML, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<text:line-break/>")


def _table(name: str, rows: Sequence[Sequence[str]], style: str) -> str:
    cell = f'<table:table-cell table:style-name="{style}" office:value-type="string">'
    body = "".join(
        "<table:table-row>"
        + "".join(
            f"{cell}<text:p text:style-name='L'>{_o(c)}</text:p></table:table-cell>" for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    columns = f'<table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
    return f'<table:table table:name="{name}">{columns}{body}</table:table>'


def odt_block(index: int, kind: str, value: Any) -> str:
    """One block as ODF text (`index` names sections and tables uniquely)."""
    if kind == "p" and "\n" in value:  # Writer would justify the lines ended by a break
        return f'<text:p text:style-name="L">{_o(value)}</text:p>'
    if kind in ODT_TEXTS:
        return ODT_TEXTS[kind].format(_o(value))
    if kind == "names":
        names = "".join(f"<text:p>{_o(n)}</text:p>" for n in value)
        return f'<text:section text:style-name="N" text:name="S{index}">{names}</text:section>'
    return _table(f"T{index}", value, "B" if kind == "tally" else "G")


def odt_bytes(view: dict[str, Any]) -> bytes:
    """A minimal .odt of the extract (the mimetype first and stored, as ODF requires)."""
    body = "".join(odt_block(i, kind, value) for i, (kind, value) in enumerate(blocks(view)))
    title = _o(f"Extrait du registre des délibérations — {view['item']['number']}")
    parts = {
        "META-INF/manifest.xml": MANIFEST,
        "content.xml": f"{XML}<office:document-content {NS}>{CONTENT_STYLES}<office:body>"
        f"<office:text>{body}</office:text></office:body></office:document-content>",
        "styles.xml": STYLES,
        "meta.xml": f"{XML}<office:document-meta {NS}><office:meta><dc:title>{title}</dc:title>"
        "<dc:language>fr-FR</dc:language></office:meta></office:document-meta>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as odt:
        odt.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)  # ZipInfo: stored, not deflated
        for name, text in parts.items():
            odt.writestr(name, text)
    return buffer.getvalue()


def soffice(profile: Path, out: Path, files: Sequence[Path]) -> None:
    """One headless LibreOffice converting `files` to PDF/A in `out`; raises if one is missing."""
    start = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command = [*start, "--convert-to", PDF_FILTER, "--outdir", str(out), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
    missing = [f.name for f in files if not (out / f.with_suffix(".pdf").name).is_file()]
    if missing:
        raise RuntimeError(f"{len(missing)} PDF non produit(s), dont {missing[0]}")


def _fresh(out: Path) -> Path:
    """An empty output folder: a PDF left by the previous pass must not count."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    return out


def measure_libreoffice(jobs: Sequence[TypstJob], repeat: int, sample: int) -> list[Row]:
    """The same extracts as .odt converted by soffice: one batch, and one process each."""
    labels = ("LibreOffice, un lot soffice (1 cœur)", "LibreOffice, un soffice par PDF (1 cœur)")
    if shutil.which("soffice") is None:
        return [Row(label, None, note=f"non installé : {LO_INSTALL}") for label in labels]
    with tempfile.TemporaryDirectory(prefix="registre-bench-lo-") as tmp:
        files = [Path(tmp) / f"extrait-{i:03d}.odt" for i in range(len(jobs))]
        for path, job in zip(files, jobs, strict=True):
            path.write_bytes(odt_bytes(json.loads(job.files["view.json"])))
        try:
            return _soffice_rows(labels, Path(tmp), files, repeat=repeat, sample=sample)
        except (subprocess.SubprocessError, OSError, RuntimeError) as error:
            return [Row(label, None, note=f"échec : {str(error)[:80]}") for label in labels]


def _soffice_rows(
    labels: tuple[str, str], folder: Path, files: list[Path], *, repeat: int, sample: int
) -> list[Row]:
    """The batch's row and the one-process-per-document row, in a fresh profile."""
    profile, out = folder / "profil", folder / "pdf"
    # the first start of a fresh profile writes it (seconds): not what is measured
    soffice(profile, _fresh(out), files[:1])
    size = (out / files[0].with_suffix(".pdf").name).stat().st_size // 1000
    timing = interleaved([lambda: soffice(profile, _fresh(out), files)], repeat)[0]
    note = f"PDF/A-3 balisé, sans enregistrement joint, {size} ko/PDF, démarrage compris"
    batch = timing.row(labels[0], len(files), note=note)
    return [batch, _each_row(labels[1], profile, _fresh(out), files[:sample])]


def _each_row(label: str, profile: Path, out: Path, files: Sequence[Path]) -> Row:
    """One soffice process per document, over a sample: the rate is the sample's."""
    walls, cpu = [], 0.0
    for path in files:
        wall, used = once(lambda p=path: soffice(profile, out, [p]))
        walls.append(wall)
        cpu += used
    note = f"échantillon de {len(files)} documents, débit extrapolé à toute la séance"
    n, median = len(files), 1 / statistics.median(walls)
    return Row(label, n / sum(walls), note=note, cpu_rate=n / cpu, median_rate=median)


# --- report ---------------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "non mesuré" if value is None else f"{value:.2f}×"


@dataclass(frozen=True, slots=True)
class Objective:
    """A ratio to registre and its objective (`comparison` is ">=" or "<=")."""

    label: str
    name: str
    value: float | None
    comparison: str
    target: float
    note: str


def objectives(rows: dict[str, Row]) -> list[Objective]:
    """The ratios of registre's rate to the other tools', each with its objective."""
    own = rows["registre"].rate

    def faster(key: str) -> float | None:
        other = rows[key].rate
        return own / other if own and other else None

    raw = rows["raw"].rate
    return [
        Objective("Rapport temps registre / Typst brut", "Typst brut",
                  raw / own if raw and own else None, "<=", RAW_TARGET,
                  "registre au plus 1,3 fois le temps de Typst seul"),
        Objective("Rapport registre / WeasyPrint", "WeasyPrint", faster("weasy"), ">=",
                  WEASY_TARGET, "débits"),
        Objective("Rapport registre / LibreOffice en lot", "LibreOffice en lot", faster("batch"),
                  ">=", BATCH_TARGET, "débits"),
        Objective("Rapport registre / LibreOffice par document", "LibreOffice par document",
                  faster("each"), ">=", EACH_TARGET, "débits (échantillon extrapolé)"),
    ]  # fmt: skip


def print_table(rows: Sequence[Row], ratios: Sequence[Objective]) -> None:
    """The measures, their objectives and notes, one row each; then the ratios."""
    print_rows(rows)
    for o in ratios:
        target = f"{o.comparison} {o.target:g}×"
        print(f"{o.label:<44} {_ratio(o.value):>11} {'':>9} {'':>10} {'':<11} {target:>9}  {o.note}")  # fmt: skip


def verdict(name: str, value: float | None, comparison: str, target: float, unit: str) -> str:
    """`OK`, `SOUS L'OBJECTIF` or `NON MESURÉ` for one objective (>= or <= its target)."""
    wanted = f"{comparison} {target:g}{'' if unit == '×' else ' '}{unit}"
    if value is None:
        return f"Objectif {name} ({wanted}) : NON MESURÉ"
    met = value >= target if comparison == ">=" else value <= target
    shown = f"{value:.2f}×" if unit == "×" else f"{rate_text(value)} {unit}"
    state = "OK" if met else "SOUS L'OBJECTIF"
    return f"Objectif {name} ({wanted}) : {shown} — {state}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="un tour, 12 délibérations")
    args = parser.parse_args(argv)
    repeat, slow, sample = (1, 1, 3) if args.quick else (7, SLOW_REPEAT, EACH_SAMPLE)
    record = build_meeting()
    numbers = [d.number for d in record.deliberations]
    if args.quick:
        numbers = numbers[:: ITEMS // QUICK_ITEMS][:QUICK_ITEMS]
    core, load = pin_one_core(), os.getloadavg()[0]  # the VM is shared: say how busy
    typst_rows, jobs = measure_typst(record, numbers, repeat)
    weasy = measure_weasy(jobs, slow)
    batch, each = measure_libreoffice(jobs, slow, sample)
    rows = [*typst_rows, weasy, batch, each]
    ratios = objectives(
        {"registre": rows[0], "raw": rows[1], "weasy": weasy, "batch": batch, "each": each}
    )
    print(f"Rendu des extraits : séance générée de {len(record.meeting.members)} membres, "
          f"{len(numbers)} extraits (un PDF par délibération) ; 1 cœur = {core} ; "
          f"{os.cpu_count()} processeurs ; meilleur de {repeat} tours alternés "
          f"({slow} pour WeasyPrint et LibreOffice), médiane à côté ; charge moyenne "
          f"{load:.1f} au début, {os.getloadavg()[0]:.1f} à la fin (débits à l'horloge murale, objectifs jugés sur eux ; "
          "« débit CPU » : par seconde de processeur consommée, commandes comprises).")  # fmt: skip
    print_table(rows, ratios)
    print(verdict("extraits par cœur", rows[0].rate, ">=", RATE_TARGET, "extraits/s"))
    for o in ratios:
        print(verdict(f"rapport à {o.name}", o.value, o.comparison, o.target, "×"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
