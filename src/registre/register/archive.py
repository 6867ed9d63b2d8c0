"""The register of a year as a self-verifying package, for an archivist without registre.

registre-2023/
├── registre.jsonl        the year's entries (export format, see `export`)
├── debut.txt             the digest the year's first entry chains onto
├── documents/            the signed PDFs published that year
├── verifier.py           a standalone checker (Python standard library only)
├── LISEZMOI.txt          the steps, with sha256sum and openssl
└── MANIFEST.sha256       SHA-256 of every file above (sha256sum -c MANIFEST.sha256)
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path

from registre.register.chain import GENESIS, Entry
from registre.register.export import export_lines

VERIFIER = '''#!/usr/bin/env python3
"""Vérifie registre.jsonl sans registre : chaque empreinte, et le chaînage depuis debut.txt."""
import hashlib, sys
from pathlib import Path
here = Path(__file__).resolve().parent
last = (here / "debut.txt").read_text().split()[0].encode()
for number, line in enumerate((here / "registre.jsonl").read_bytes().splitlines(), start=1):
    previous, digest = line[13:77], line[89:153]
    cut = line.index(b',"payload":')
    hashed = hashlib.sha256(previous + b"\\n" + line[164:cut] + b"\\n" + line[cut + 11:-1]).hexdigest()
    if previous != last:
        sys.exit(f"ligne {number} : le chaînage est rompu (écriture supprimée, insérée ou déplacée)")
    if hashed.encode() != digest:
        sys.exit(f"ligne {number} : le contenu a été modifié")
    last = digest
print(f"registre.jsonl intègre : {number} écritures, dernière empreinte {last.decode()}")
'''
README = """Registre des délibérations {assembly} — année {year}
=====================================================

Ce dossier se vérifie sans le logiciel registre.

1. Intégrité des fichiers :
     sha256sum -c MANIFEST.sha256
2. Chaînage et contenu des écritures (Python 3, bibliothèque standard seule) :
     python3 verifier.py
   Chaque ligne de registre.jsonl est une écriture ; son empreinte est le SHA-256
   de : l'empreinte précédente (64 caractères), un saut de ligne, l'en-tête JSON
   (après "header":), un saut de ligne, le contenu JSON (après "payload":). Pour
   une ligne, avec openssl :
     printf '%s\\n%s\\n%s' PRECEDENTE ENTETE CONTENU | openssl dgst -sha256
   La première écriture de l'année s'enchaîne à l'empreinte de debut.txt, qui est
   la dernière de l'année précédente (ou 0…0 pour la première année).
3. Signatures des documents (documents/) : tout validateur PAdES (par exemple
   pyhanko sign validate, ou le validateur de l'ANSSI / de l'Union européenne
   « DSS »), avec le certificat racine de l'autorité de certification.
4. Les empreintes publiées dans les listes des délibérations (mots-clés
   registre-anchor:…) doivent se retrouver dans registre.jsonl.
"""


def write_archive(
    entries: Iterable[Entry], assembly: str, year: int, documents: Iterable[Path], folder: Path
) -> Path:
    """Write the year's package into `folder` (created); return the manifest's path."""
    chain = [e for e in entries if e.assembly == assembly]
    year_entries = [e for e in chain if e.year == year]
    start = year_entries[0].previous if year_entries else (chain[-1].digest if chain else GENESIS)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "documents").mkdir(exist_ok=True)
    (folder / "registre.jsonl").write_bytes(
        b"".join(line + b"\n" for line in export_lines(year_entries))
    )
    (folder / "debut.txt").write_text(f"{start}\n", encoding="ascii")
    (folder / "verifier.py").write_text(VERIFIER, encoding="utf-8")
    (folder / "LISEZMOI.txt").write_text(
        README.format(assembly=assembly, year=year), encoding="utf-8"
    )
    for document in documents:
        shutil.copyfile(document, folder / "documents" / document.name)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "MANIFEST.sha256")
    manifest = folder / "MANIFEST.sha256"
    manifest.write_text(
        "".join(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
            for p in files
        ),
        encoding="utf-8",
    )
    return manifest
