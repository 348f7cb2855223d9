"""Keep the web pages' message catalogues in step with the templates and code, with Babel.

usage: .venv/bin/python scripts/i18n.py          extract every message of src/clearance/web (templates and Python)
                                                  and update locale/{ja,ko}/LC_MESSAGES/messages.po: new messages
                                                  are added untranslated, gone ones dropped, translations kept
       .venv/bin/python scripts/i18n.py --check  exit 1 naming each message without a translation

tests/web/test_web_i18n.py fails while a catalogue is stale or a message is untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent.parent / "src" / "clearance" / "web"
LOCALES = WEB / "locale"
TRANSLATED = ("ja", "ko")
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extracted() -> Catalog:
    """Every message the web pages show, with where it is used."""
    catalogue = Catalog(project="clearance", charset="utf-8")
    for file, line, message, comments, context in extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        catalogue.add(message, None, [(file, line)], auto_comments=comments, context=context)
    return catalogue


def path_of(language: str) -> Path:
    """The catalogue file of ``language``."""
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def read(language: str) -> Catalog:
    """The catalogue of ``language`` as stored (empty if there is none yet)."""
    path = path_of(language)
    if not path.exists():
        return Catalog(locale=language, project="clearance", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def updated(language: str) -> Catalog:
    """The catalogue of ``language`` with the messages extracted now, translations kept (never guessed)."""
    stored = read(language)
    catalogue = Catalog(locale=language, project="clearance", charset="utf-8", fuzzy=False)
    for message in extracted():
        if not message.id:
            continue
        old = stored.get(message.id, message.context)
        catalogue.add(
            message.id,
            old.string if old is not None else None,
            message.locations,
            auto_comments=message.auto_comments,
            context=message.context,
        )
    return catalogue


def untranslated(catalogue: Catalog) -> list[str]:
    """The messages of a catalogue without a translation (a plural needs every form)."""
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(strings) or message.fuzzy:
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def write(language: str, catalogue: Catalog) -> None:
    """Store the catalogue of ``language``."""
    path = path_of(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=120, omit_header=True, sort_output=False, include_lineno=False)


def main(args: list[str]) -> int:
    missing = 0
    for language in TRANSLATED:
        catalogue = updated(language)
        if "--check" not in args:
            write(language, catalogue)
        for message in untranslated(catalogue):
            missing += 1
            print(f"{language}: untranslated: {message!r}")
    return 1 if missing and "--check" in args else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
