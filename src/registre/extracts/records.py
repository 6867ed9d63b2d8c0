"""Deliberation records from the items found in a document, with their provenance
and the lifecycle events the document prints (transmission, publication)."""

from __future__ import annotations

import re

from registre.extracts import header
from registre.extracts.items import Item
from registre.extracts.names import fold, is_role, parse_name
from registre.extracts.reading import Reading, span
from registre.extracts.tallies import Tally
from registre.record import (
    DeliberationRecord,
    DocumentKind,
    EventKind,
    LifecycleEvent,
    MemberId,
    Outcome,
    Vote,
)


def deliberation_records(
    reading: Reading, items: list[Item], number: str | None
) -> list[DeliberationRecord]:
    """One DeliberationRecord per item, numbered as printed (or by position)."""
    out: list[DeliberationRecord] = []
    used: set[str] = set()
    for index, item in enumerate(items):
        printed = item.number or number
        key = printed or str(index + 1)
        if key in used:
            reading.doubt(
                f"/deliberations/{index}/number",
                f"Numéro « {key} » imprimé plusieurs fois ; numéroté {key}-{index + 1}.",
            )
            key = f"{key}-{index + 1}"
        used.add(key)
        if printed is None:
            reading.doubt(
                f"/deliberations/{index}/number",
                "Aucun numéro imprimé : numéro d'ordre dans le document.",
            )
        out.append(_record(reading, item, index, key))
    if len(items) == 1 and out:
        _lifecycle(reading, out[0].number)
    return out


def _record(reading: Reading, item: Item, index: int, number: str) -> DeliberationRecord:
    pointer = f"/deliberations/{index}"
    if item.lines:
        reading.provenance[pointer] = span(item.lines)
    heading, subject = _subject(item)
    if subject is None:
        reading.doubt(f"{pointer}/subject", "Objet de la délibération non trouvé.")
    act = _act_id(reading, pointer) if _single(reading) else None
    return DeliberationRecord(
        number=number, subject=subject or "(objet non lu)", heading=heading,
        act_id=act if isinstance(act, str) else None,
        rapporteur=_rapporteur(reading, item, pointer),
        vote=_vote(reading, item.tally, pointer), outcome=_outcome(item),
    )  # fmt: skip


def _act_id(reading: Reading, pointer: str) -> object | None:
    found = reading.printed_act_ids()
    printed = sorted({str(f.value) for f in found})
    if len(printed) > 1:
        reading.doubt(
            f"{pointer}/act_id",
            f"Plusieurs identifiants d'acte imprimés ({', '.join(printed)}) ; le dernier est retenu.",
        )
    return reading.note(f"{pointer}/act_id", found[-1] if found else None)


def _single(reading: Reading) -> bool:
    return "extrait du registre" in reading.text.folded


def _subject(item: Item) -> tuple[str | None, str | None]:
    """(heading, subject): "OBJET : HEADING" then the subject line, or the title lines."""
    texts = [ln.text for ln in item.lines]
    for i, text in enumerate(texts):
        if fold(text).startswith("objet"):
            title = text.split(":", 1)[1].strip() if ":" in text else ""
            following = next((t for t in texts[i + 1 :] if t), None)
            if title.isupper() and following:
                return title, following
            return None, title or following
    if item.subject:
        return None, item.subject
    return None, _title_before_rapporteur(texts)


def _title_before_rapporteur(texts: list[str]) -> str | None:
    """Montpellier-style extracts: the title lines that precede "X rapporte :"."""
    end = next(
        (i for i, t in enumerate(texts) if "rapporte" in t and re.search(r"\brapporte\b", t)), None
    )
    if end is None:
        return None
    title = [t for t in texts[:end] if t]
    return " ".join(title[-3:]) if title else None


def _rapporteur(reading: Reading, item: Item, pointer: str) -> MemberId | None:
    text = item.rapporteur
    if text is None:
        match = next(
            (
                m
                for ln in item.lines
                if "rapporte" in ln.text
                and (
                    m := re.match(
                        r"^(?P<n>(?:(?:Monsieur|Madame|M\.|Mme)\b.+?|[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*){1,4})),?\s+rapporte\b",
                        ln.text,
                    )
                )
            ),
            None,
        )
        text = match["n"] if match else None
    if text is None:
        return None
    text = re.sub(r"^(?:Monsieur|Madame)\s+l[ea]\s+(?:Maire|Pr[ée]sidente?)\s*,\s*", "", text)
    if is_role(text):  # "Monsieur le Maire rapporte" : the mayor presides
        return reading.president_id
    name = parse_name(text)
    found = reading.roster.find(name) if name else None
    if found is None:
        reading.doubt(
            f"{pointer}/rapporteur", f"Rapporteur « {text} » absent de la liste des membres."
        )
    return found


def _vote(reading: Reading, tally: Tally | None, pointer: str) -> Vote | None:
    if tally is None:
        return None
    if tally.not_voting_names:
        names = ", ".join(tally.not_voting_names)
        reading.doubt(f"{pointer}/vote/not_voting",
                      f"« {names} ne prend pas part au vote » : retrait pour intérêt personnel ou simple non-participation au vote ? Le document ne permet pas de trancher.")  # fmt: skip
    return Vote(
        for_=tally.for_, against=tally.against, abstention=tally.abstention,
        not_voting=tally.not_voting, proxies_counted=tally.proxies_counted, unanimous=tally.unanimous,
    )  # fmt: skip


def _outcome(item: Item) -> Outcome | None:
    tally = item.tally
    if item.postponed:
        return Outcome.POSTPONED
    if tally is None:
        return None
    if tally.adopted is not None:
        return Outcome.ADOPTED if tally.adopted else Outcome.REJECTED
    if tally.for_ is not None and tally.against is not None and tally.for_ != tally.against:
        return Outcome.ADOPTED if tally.for_ > tally.against else Outcome.REJECTED
    if tally.for_ is not None and tally.against is None and tally.for_ > 0:
        return Outcome.ADOPTED
    return Outcome.ADOPTED if tally.unanimous else None


def _lifecycle(reading: Reading, number: str) -> None:
    """Transmission and publication printed on an extract, as lifecycle events."""
    ids = reading.printed_act_ids()
    act_id = str(ids[-1].value) if ids else None
    printed = (
        (EventKind.TRANSMITTED, r"envoi\s+(?:en\s+)?pr[eé]fecture|transmis\w*\s+(?:en|a\s+la)\s+pr[eé]fecture|envoye\s+en\s+prefecture"),
        (EventKind.ACKNOWLEDGED, r"reception\s+en\s+prefecture|recu\s+en\s+prefecture"),
        (EventKind.PUBLISHED, r"publiee?\s+le|mis\s+en\s+ligne\s+le"),
    )  # fmt: skip
    for kind, label in printed:
        found = header.dated_after(reading.text, label)
        if found is None or not hasattr(found.value, "isoformat"):
            continue
        reading.events.append(LifecycleEvent(
            kind=kind, on=found.value, deliberation=number,  # type: ignore[arg-type]
            act_id=act_id if kind is not EventKind.PUBLISHED else None,
            document=DocumentKind.EXTRACT if kind is EventKind.PUBLISHED else None,
        ))  # fmt: skip
