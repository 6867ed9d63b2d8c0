"""A collectivity's own look: a template folder with `modele.toml` (and its logo).

    [entete]
    lignes = ["République française", "Département de la Côte-d'Or"]
    [logo]
    fichier = "logo.png"
    texte_alternatif = "Logo de Dijon métropole"
    [style]
    couleur = "#1f3a93"
    police = "Liberation Serif"     # or a .ttf/.otf placed in the folder
    [pied]
    texte = "Dijon métropole — 40 avenue du Drapeau"

Every key is optional. A folder may also hold its own `extract.typ`,
`minutes.typ`, ... replacing the default layout of that document.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import typst

from registre.errors import InputError

SETTINGS = "modele.toml"
DEFAULT_COLOUR = "#1f3a5f"
# Shipped with registre (SIL OFL 1.1), metric-compatible with Times New Roman, the
# face of most French administrative documents; a file the signature stamp can use too.
DEFAULT_FONT = "Liberation Serif"
FONTS = Path(__file__).resolve().parent / "fonts"
_KNOWN = {
    "entete": {"lignes"},
    "logo": {"fichier", "texte_alternatif"},
    "style": {"couleur", "police"},
    "pied": {"texte"},
}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class Template:
    """The look of a collectivity's documents."""

    folder: Path | None = None
    header_lines: tuple[str, ...] = ()
    logo: Path | None = None
    logo_alt: str | None = None
    colour: str = DEFAULT_COLOUR
    font: str = DEFAULT_FONT
    footer: str = ""

    def layout(self, name: str, default: Path) -> Path:
        """The template's own `name` layout when it has one, else the default."""
        own = self.folder / name if self.folder else None
        return own if own is not None and own.is_file() else default


def load_template(folder: Path | None) -> Template:
    """Read a template folder; InputError (French, file and line) when it is wrong."""
    if folder is None:
        return Template()
    settings = folder / SETTINGS
    if not folder.is_dir():
        raise InputError("le dossier de modèle n'existe pas.", path=str(folder))
    data = _read(settings) if settings.is_file() else {}
    _check_keys(data, settings)
    logo = data.get("logo", {})
    template = Template(
        folder=folder,
        header_lines=tuple(_strings(data.get("entete", {}).get("lignes", []), settings, "lignes")),
        logo=folder / str(logo["fichier"]) if "fichier" in logo else None,
        logo_alt=str(logo.get("texte_alternatif", "")) or None,
        colour=str(data.get("style", {}).get("couleur", DEFAULT_COLOUR)),
        font=str(data.get("style", {}).get("police", DEFAULT_FONT)),
        footer=str(data.get("pied", {}).get("texte", "")),
    )
    _check_values(template, settings)
    return template


def _read(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(
            "le fichier n'est pas en UTF-8 : enregistrez-le en UTF-8.", path=str(path)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"le fichier de modèle est mal formé ({_french_position(str(error))}) : "
            "vérifiez les guillemets, les crochets et les signes =.",
            path=str(path),
        ) from None
    return data


def _french_position(message: str) -> str:
    found = re.search(r"line (\d+), column (\d+)", message)
    if found:
        return f"ligne {found[1]}, colonne {found[2]}"
    return "à la fin du fichier" if "end of document" in message else message


def _check_keys(data: dict[str, dict[str, object]], path: Path) -> None:
    for section, values in data.items():
        if section not in _KNOWN or not isinstance(values, dict):
            known = ", ".join(f"[{s}]" for s in _KNOWN)
            raise InputError(
                f"section [{section}] inconnue (sections possibles : {known}).", path=str(path)
            )
        for key in values:
            if key not in _KNOWN[section]:
                known = ", ".join(sorted(_KNOWN[section]))
                raise InputError(
                    f"clé « {key} » inconnue dans [{section}] (clés possibles : {known}).",
                    path=str(path),
                )


def _strings(value: object, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(
            f"« {key} » doit être une liste de textes entre guillemets.", path=str(path)
        )
    return value


def _check_values(template: Template, path: Path) -> None:
    if template.logo is not None:
        if not template.logo.is_file():
            raise InputError(
                f"le logo « {template.logo.name} » est introuvable dans le dossier du modèle.",
                path=str(path),
            )
        if not (template.logo_alt or "").strip():
            raise InputError(
                'le logo n\'a pas de texte alternatif : ajoutez texte_alternatif = "…" dans [logo] '
                "(obligatoire pour l'accessibilité, PDF/UA).",
                path=str(path),
            )
    if not _COLOUR.match(template.colour):
        raise InputError(
            f'couleur « {template.colour} » invalide : écrivez-la comme "#1f3a93".', path=str(path)
        )
    if template.font not in available_fonts(template.folder):
        raise InputError(
            f"police « {template.font} » introuvable : placez son fichier .ttf ou .otf dans le dossier "
            f"du modèle, ou choisissez {DEFAULT_FONT}.",
            path=str(path),
        )


def font_paths(folder: Path | None) -> list[str]:
    """Where Typst looks for fonts: registre's own, then the template folder's."""
    return [str(FONTS), *([str(folder)] if folder else [])]


def available_fonts(folder: Path | None) -> set[str]:
    """Font families a template may name: registre's, Typst's embedded ones, the folder's."""
    return set(typst.Fonts(include_system_fonts=False, font_paths=font_paths(folder)).families())
