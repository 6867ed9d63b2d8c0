"""Import of an assembly's elected members from a CSV file exported by a spreadsheet.

Standard library only, so it is tested without Django. `parse_members_csv` reads the
uploaded bytes (UTF-8 with or without BOM, else Windows-1252; `;`, `,` or tab) and
returns the valid rows and the rejected lines, each with a French reason for the clerk.
Only a file that cannot be read at all raises `CsvImportError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from registre.errors import RegistreError

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 100  # the length of the members' name and role fields in the database
MAX_EMAIL_LENGTH = 254

_DELIMITERS = (";", ",", "\t")
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")  # xlsx/ods, xls, PDF
_SEP_LINE = re.compile(r"sep=([;,\t|])[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)  # Excel's hint
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"  # a spreadsheet's date-time cell
_DMY = re.compile(rf"([0-9]{{1,2}})([/.-])([0-9]{{1,2}})\2([0-9]{{4}}){_TIME}")
_YMD = re.compile(rf"([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}}){_TIME}")
_NOT_ALNUM = re.compile(r"[\W_]+")  # drops spaces, punctuation and the accents NFKD detaches
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_ADVICE = "ouvrez-le dans votre tableur et enregistrez-le au format CSV (« CSV UTF-8 » ou « CSV (point-virgule) »)"


MAX_CELL = 131_072  # characters: the csv module's default limit, a cell no member needs


class CsvImportError(RegistreError):
    """Raised when the file as a whole cannot be imported; the message is French."""


class Civility(StrEnum):
    """How documents address a member."""

    MADAME = "Mme"
    MONSIEUR = "M."


class Column(StrEnum):
    """A field the file's columns can fill; the value is its French name."""

    CIVILITY = "civilité"
    FIRST_NAME = "prénom"
    LAST_NAME = "nom"
    EMAIL = "courriel"
    BIRTH_DATE = "date de naissance"
    MANDATE_START = "début du mandat"
    MANDATE_END = "fin du mandat"
    ROLE = "qualité"
    SUBSTITUTE_OF = "suppléant de"


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One valid line: a member and the mandate the file describes."""

    line: int
    civility: Civility | None
    first_name: str
    last_name: str
    email: str
    birth_date: date | None
    mandate_start: date | None
    mandate_end: date | None
    role: str
    substitute_of: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line left out of the import, with what is wrong and what to do, in French."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The valid rows and the rejected lines of a file, with how it was read."""

    rows: tuple[MemberRow, ...]
    rejected: tuple[Rejected, ...]
    encoding: str
    delimiter: str


def _key(text: str) -> str:
    """Case-, accent-, spacing- and punctuation-insensitive form of a label or name."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text).casefold())


_ALIASES: dict[Column, str] = {  # the column names recognised, separated by "|"
    Column.CIVILITY: "civilité|civ|titre|civility|title",
    Column.FIRST_NAME: "prénom|first name|given name",
    Column.LAST_NAME: "nom|nom de famille|nom d'usage|last name|surname|family name",
    Column.EMAIL: "courriel|e-mail|mail|adresse électronique|adresse mail|adresse courriel",
    Column.BIRTH_DATE: "date de naissance|naissance|né le|née le|date of birth|birth date",
    Column.MANDATE_START: "début du mandat|début de mandat|début|date d'élection|date d'installation|mandate start",
    Column.MANDATE_END: "fin du mandat|fin de mandat|fin|mandate end",
    Column.ROLE: "qualité|fonction|rôle",
    Column.SUBSTITUTE_OF: "suppléant de|suppléante de|titulaire|substitute of",
}
_HEADER_KEYS = {_key(a): column for column, aliases in _ALIASES.items() for a in aliases.split("|")}
_COMBINED_NAME_KEYS = {"nomprenom", "nometprenom", "prenomnom", "prenometnom"}
_CIVILITIES = {
    **dict.fromkeys(("m", "monsieur", "mr"), Civility.MONSIEUR),
    **dict.fromkeys(("mme", "madame", "mlle", "mademoiselle", "mrs", "ms"), Civility.MADAME),
}
_DATE_LABELS = {
    Column.BIRTH_DATE: "la date de naissance",
    Column.MANDATE_START: "la date de début du mandat",
    Column.MANDATE_END: "la date de fin du mandat",
}


def _quote(value: str, limit: int = 60) -> str:
    """A value between French quotes, shortened so that a message stays readable."""
    return f"« {value if len(value) <= limit else value[:limit] + '…'} »"


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """The text of the file and its encoding; refuses big, binary and undecodable files."""
    if len(data) > MAX_BYTES:
        size = f"{len(data):,}".replace(",", " ")
        raise CsvImportError(
            f"{_quote(filename)} est trop volumineux ({size} octets ; la limite est de 10 Mo) : "
            "vérifiez que c'est bien la liste des élus"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvImportError(
            f"{_quote(filename)} est enregistré en UTF-16 (« Texte Unicode ») ; {_ADVICE}"
        )
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise CsvImportError(
            f"{_quote(filename)} est un classeur ou un fichier binaire, pas un fichier CSV ; {_ADVICE}"
        )
    encodings = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CsvImportError(
        f"{_quote(filename)} n'est pas un texte lisible (ni UTF-8, ni Windows-1252) ; {_ADVICE}"
    )


def _dialect(text: str) -> tuple[str, str, int]:
    """The delimiter, the text without Excel's `sep=` line and the lines that line took.

    The delimiter is the one that splits the header line into the most known columns,
    then into the most cells; a tie goes to `;`, Excel's in France.
    """
    if match := _SEP_LINE.match(text):
        return match.group(1), text[match.end() :], 1
    for line in io.StringIO(text, newline=""):
        if any(ch.isalnum() for ch in line):
            return max(_DELIMITERS, key=lambda d: _header_score(line, d)), text, 0
    return ";", text, 0


def _header_score(line: str, delimiter: str) -> tuple[int, int]:
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a cell longer than the csv module's limit: _records reports it
        return 0, 0
    return sum(_key(cell) in _HEADER_KEYS for cell in cells), len(cells)


def _records(
    text: str, delimiter: str, offset: int, filename: str
) -> Iterator[tuple[int, list[str]]]:
    """Each record with the physical line number where it begins."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1 + offset
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _unclosed(filename, line) from error
        # the csv module's own limit is global, and other libraries raise it
        # (frictionless sets it to the maximum): the length is checked here
        if any(len(cell) > MAX_CELL for cell in row):
            raise _unclosed(filename, line)
        yield line, row


def _unclosed(filename: str, line: int) -> CsvImportError:
    return CsvImportError(
        f'{_quote(filename)}, ligne {line} : une cellule ne se termine pas (guillemet « " » '
        "non refermé ?) ; corrigez les guillemets de cette ligne dans votre tableur"
    )


def _columns(header: Sequence[str], filename: str) -> dict[Column, int]:
    """The index of each recognised column; refuses a header without first and last name."""
    columns: dict[Column, int] = {}
    for index, cell in enumerate(header):
        column = _HEADER_KEYS.get(_key(cell))
        if column is not None and column not in columns:
            columns[column] = index
    missing = [c.value for c in (Column.FIRST_NAME, Column.LAST_NAME) if c not in columns]
    if not missing:
        return columns
    found = [_quote(cell.strip(), 40) for cell in header if cell.strip()][:12]
    hint = ""
    if any(_key(cell) in _COMBINED_NAME_KEYS for cell in header):
        hint = " Le prénom et le nom doivent être dans deux colonnes séparées."
    raise CsvImportError(
        f"{_quote(filename)} : la première ligne doit nommer les colonnes, et il y manque "
        f"{' et '.join(f'« {name} »' for name in missing)} ; colonnes trouvées : "
        f"{', '.join(found) or 'aucune'}. Colonnes reconnues : {', '.join(c.value for c in Column)} "
        f"(seuls « prénom » et « nom » sont obligatoires).{hint}"
    )


def _civility(value: str, problems: list[str]) -> Civility | None:
    if not value:
        return None
    civility = _CIVILITIES.get(_key(value))
    if civility is None:
        problems.append(
            f"la civilité {_quote(value)} n'est pas reconnue ; écrivez « M. » ou « Mme », ou laissez la cellule vide"
        )
    return civility


def _date(values: dict[Column, str], column: Column, problems: list[str]) -> date | None:
    value = values.get(column, "")
    if not value:
        return None
    label = _DATE_LABELS[column]
    if match := _DMY.fullmatch(value):
        day, month, year = match.group(1, 3, 4)
    elif match := _YMD.fullmatch(value):
        year, month, day = match.group(1, 2, 3)
    else:
        problems.append(f"{label} {_quote(value)} n'est pas une date ; écrivez JJ/MM/AAAA")
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        problems.append(f"{label} {_quote(value)} n'existe pas ; écrivez JJ/MM/AAAA")
        return None


def _text(
    values: dict[Column, str], column: Column, problems: list[str], limit: int = MAX_NAME_LENGTH
) -> str:
    value = values.get(column, "")
    if len(value) > limit:
        problems.append(
            f"la cellule « {column.value} » dépasse {limit} caractères ; raccourcissez-la"
        )
    return value


def _member(line: int, cells: Sequence[str], columns: dict[Column, int]) -> MemberRow | list[str]:
    """The member a line describes, or the problems found in it."""
    values = {column: " ".join(cells[i].split()) for column, i in columns.items() if i < len(cells)}
    problems: list[str] = []
    civility = _civility(values.get(Column.CIVILITY, ""), problems)
    first_name = _text(values, Column.FIRST_NAME, problems)
    last_name = _text(values, Column.LAST_NAME, problems)
    for name, label in ((first_name, "le prénom"), (last_name, "le nom")):
        if not name:
            problems.append(f"{label} est vide ; complétez-le ou supprimez la ligne")
    email = _text(values, Column.EMAIL, problems, MAX_EMAIL_LENGTH)
    if email and not _EMAIL.fullmatch(email):
        problems.append(
            f"l'adresse électronique {_quote(email)} n'est pas valide ; écrivez-la sous la forme nom@domaine.fr"
        )
    birth_date = _date(values, Column.BIRTH_DATE, problems)
    start = _date(values, Column.MANDATE_START, problems)
    end = _date(values, Column.MANDATE_END, problems)
    if start is not None and end is not None and end < start:
        problems.append(
            f"la fin du mandat ({_french(end)}) précède son début ({_french(start)}) ; corrigez l'une des deux dates"
        )
    role = _text(values, Column.ROLE, problems)
    substitute_of = _text(values, Column.SUBSTITUTE_OF, problems, 2 * MAX_NAME_LENGTH)
    if problems:
        return problems
    return MemberRow(
        line, civility, first_name, last_name, email, birth_date, start, end, role, substitute_of
    )


def _french(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _check_line(
    line: int,
    cells: Sequence[str],
    width: int,
    columns: dict[Column, int],
    seen: dict[tuple[str, str, date | None], int],
) -> MemberRow | Rejected:
    """A line's member, or why it is rejected: extra cells, invalid values, duplicate."""
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        used = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
        return Rejected(
            line,
            f"ligne {line} : trop de colonnes : vérifiez le séparateur ({used} cellules pour {width} colonnes dans l'en-tête ; une cellule contenant le séparateur doit être entre guillemets)",
        )
    member = _member(line, cells, columns)
    if isinstance(member, list):
        return Rejected(line, f"ligne {line} : {' ; '.join(member)}")
    identity = (_key(member.first_name), _key(member.last_name), member.birth_date)
    if (first := seen.setdefault(identity, line)) != line:
        return Rejected(
            line,
            f"ligne {line} : doublon de la ligne {first} (mêmes prénom, nom et date de naissance) ; supprimez l'une des deux lignes",
        )
    return member


def parse_members_csv(data: bytes, filename: str = "membres.csv") -> ImportReport:
    """Read a CSV file of elected members; raise `CsvImportError` only if the file is unusable."""
    text, encoding = _decode(data, filename)
    delimiter, text, offset = _dialect(text)
    records = _records(text, delimiter, offset, filename)
    header = next((cells for _, cells in records if "".join(cells).strip()), None)
    if header is None:
        raise CsvImportError(
            f"{_quote(filename)} est vide ; exportez la liste des élus depuis votre tableur au format CSV"
        )
    columns = _columns(header, filename)
    rows: list[MemberRow] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, str, date | None], int] = {}
    for line, cells in records:
        if not "".join(cells).strip():
            continue  # a blank line, or a spreadsheet row of empty cells
        result = _check_line(line, cells, len(header), columns, seen)
        if isinstance(result, MemberRow):
            rows.append(result)
        else:
            rejected.append(result)
    return ImportReport(tuple(rows), tuple(rejected), encoding, delimiter)
