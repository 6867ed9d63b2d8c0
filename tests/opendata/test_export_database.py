"""`registre export --collectivity SIREN --year AAAA`: only the acts the portal shows
(published, not withdrawn, already redacted), of that collectivity and that year."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from factories import dijon_record, with_item
from registre import cli
from registre.opendata import validate_csv
from registre.record import dumps
from registre.web.core.models import Assembly, Collectivity
from registre.web.publication.models import PublishedAct

pytestmark = pytest.mark.django_db

SIREN = "242100410"
SIRET = "24210041000000"  # the demo's placeholder (demo-values.md)
NOON = dt.datetime(2023, 11, 30, 12, tzinfo=dt.UTC)


def make_act(assembly: Assembly, number: str, day: dt.date, **fields: Any) -> PublishedAct:
    """A published act of the Dijon record, renumbered and dated, fields overridden."""
    record = dijon_record()
    record = replace(record, meeting=replace(record.meeting, date=day))
    record = with_item(record, number=number)
    item = record.deliberations[0]
    values: dict[str, Any] = {
        "collectivity": assembly.collectivity, "assembly": assembly, "meeting_date": day,
        "number": number, "subject": item.subject, "matter_code": item.matter_code or "",
        "matter_label": item.matter_label or "", "outcome": "adopted", "votes_for": 84,
        "against": 0, "abstention": 0, "not_voting": 0, "members_in_office": 86,
        "present": 75, "represented": 9, "record_json": dumps(record),
        "published_on": day + dt.timedelta(days=2), "published_at": NOON,
    }  # fmt: skip
    return PublishedAct.objects.create(**{**values, **fields})


@pytest.fixture
def dijon() -> Assembly:
    """Dijon métropole's council with five acts, two of which the export may show."""
    coll = Collectivity.objects.create(name="Dijon métropole", kind="metropole", siren=SIREN,
                                       siret=SIRET)  # fmt: skip
    council = Assembly.objects.create(
        collectivity=coll, kind="conseil", name="Conseil métropolitain"
    )
    day = dt.date(2023, 11, 23)
    make_act(council, "20231123_01", day, subject="Signature de la SIECO avec [occulté]",
             transmitted_on=dt.date(2023, 11, 27), prefecture_id="PREF021")  # fmt: skip
    make_act(council, "20231123_02", day, matter_code="7.5", matter_label="Subventions",
             matter_inferred=True, subject="Attribution de subventions")  # fmt: skip
    make_act(council, "20231123_03", day, withdrawn_at=NOON, subject="Acte retiré")
    make_act(council, "20221124_01", dt.date(2022, 11, 24), subject="Acte de 2022")
    other = Collectivity.objects.create(name="Autre", kind="commune", siren="213401722")
    elsewhere = Assembly.objects.create(collectivity=other, kind="conseil", name="Conseil")
    make_act(elsewhere, "20231123_09", day, subject="Acte d'une autre collectivité")
    return council


def export(kind: str, tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / f"export.{'csv' if kind == 'scdl' else 'json'}"
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        status = cli.main(["export", kind, "--collectivity", SIREN, *extra, "-o", str(out)])
    return status, buffer.getvalue(), out


def test_scdl_from_the_database(dijon: Assembly, tmp_path: Path, settings: Any) -> None:
    status, report, out = export("scdl", tmp_path, "--year", "2023")
    assert status == 0, report
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["DELIB_ID"] for row in rows] == ["20231123_01", "20231123_02"]
    first, second = rows
    assert first["COLL_SIRET"] == SIRET and first["COLL_NOM"] == "Dijon métropole"
    assert first["DELIB_OBJET"] == "Signature de la SIECO avec [occulté]"
    assert (first["PREF_ID"], first["PREF_DATE"]) == ("PREF021", "2023-11-27")
    assert first["DELIB_URL"] == f"{settings.PUBLIC_URL}/public/{SIREN}/actes/20231123_01/"
    assert (first["VOTE_EFFECTIF"], first["VOTE_REEL"], first["VOTE_POUR"]) == ("86", "84", "84")
    assert (second["DELIB_MATIERE_CODE"], second["DELIB_MATIERE_NOM"]) == (
        "7.5",
        "finances locales/subventions",
    )
    assert validate_csv(out.read_bytes()) == []
    assert "retiré" not in out.read_text(encoding="utf-8")


def test_popolo_from_the_database_marks_the_inferred_matter(
    dijon: Assembly, tmp_path: Path
) -> None:
    status, _, out = export("popolo", tmp_path, "--year", "2023")
    assert status == 0
    events = json.loads(out.read_text(encoding="utf-8"))["vote_events"]
    assert [e["identifier"] for e in events] == ["20231123_01", "20231123_02"]
    assert [e["matter_inferred"] for e in events] == [False, True]
    assert events[1]["matter"]["inferred"] is True
    assert events[0]["motion"]["text"] == "Signature de la SIECO avec [occulté]"
    assert len(events[0]["attendance"]["represented"]) == 9


def test_without_year_every_visible_act(dijon: Assembly, tmp_path: Path) -> None:
    status, _, out = export("scdl", tmp_path)
    assert status == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 3


def test_a_collectivity_without_siret_or_unknown(
    dijon: Assembly, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Collectivity.objects.filter(siren=SIREN).update(siret="")
    status, _, _ = export("scdl", tmp_path, "--year", "2023")
    err = capsys.readouterr().err
    assert status == 2
    assert "le SIRET de Dijon métropole n'est pas renseigné" in err
    status, _, out = export("scdl", tmp_path, "--year", "2023", "--siret", SIRET)
    assert status == 0 and out.exists()
    status = cli.main(["export", "scdl", "--collectivity", "200000000", "-o", str(out)])
    assert status == 2
    assert "aucune collectivité de SIREN 200000000 dans la base" in capsys.readouterr().err
