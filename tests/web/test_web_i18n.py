"""The pages in Japanese, Korean and English (issue 15): chosen from Accept-Language, switched and remembered with
a visible switcher, dates and amounts formatted for the language, catalogues complete and current, and no page
showing a message left in English where a translation is due."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_web_check import GOOD
from webutil import csrf_of

from clearance.api import Settings, create_app
from clearance.store import Store
from clearance.web import i18n
from support import load_script

#: The check form's good shipment, its value and the end user's country written as people write them.
CHECK = {**GOOD, "value": "8,000,000", "currency": "JPY", "end_user_country": "韓国"}


@pytest.fixture(scope="module")
def script() -> Any:
    return load_script("i18n")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    """A client signed in as an analyst (its browser asking for nothing in particular), and the API key."""
    store = Store(f"sqlite:///{tmp_path / 'i18n.db'}", bundled_lists=("jp-meti-eul",))
    _, token = store.keys.create("tanaka", "analyst", "test")
    with TestClient(create_app(Settings(key_cache_seconds=0, session_secret="s"), store=store)) as web:
        login = web.get("/ui/login")
        web.post("/ui/login", data={"csrf": csrf_of(login.text), "api_key": token, "next": "/ui/"})
        yield web, token
    store.close()


def _visible(page: str, ours: bool = False) -> str:
    """The text a person reads on a page: no tags, scripts, styles or attribute values; with ``ours``, only the
    pages' own words: not what the engine and the packs say in English (marked ``lang="en"``), the user's own data
    (marked ``translate="no"``), titles of the sources cited, nor codes."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    if ours:
        theirs = r'<(\w+)\b[^>]*\b(?:lang="en"|translate="no")[^>]*>.*?</\1>|<code>.*?</code>|<cite>.*?</cite>'
        body = re.sub(theirs, " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_catalogues_are_current_and_complete(script: Any) -> None:
    for language in script.TRANSLATED:
        stored = {m.id if isinstance(m.id, str) else tuple(m.id) for m in script.read(language) if m.id}
        wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in script.extracted() if m.id}
        assert stored == wanted, f"run .venv/bin/python scripts/i18n.py ({language})"
        assert script.untranslated(script.read(language)) == [], f"{language}: translate the messages listed"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"),
        ("ko-KR,ko;q=0.9", "ko"),
        ("en-US,en;q=0.9,ja;q=0.5", "en"),
        ("fr-FR,fr;q=0.9,ko;q=0.8", "ko"),
        ("de", "en"),
        ("", "en"),
        ("ja;q=0, ko;q=0.1", "ko"),
    ],
)
def test_the_language_follows_accept_language(header: str, language: str) -> None:
    assert i18n.negotiate(header) == language


@pytest.mark.parametrize(("language", "sign_in"), [("ja", "サインイン"), ("ko", "로그인"), ("en", "Sign in")])
def test_the_sign_in_page_speaks_the_browsers_language(tmp_path: Path, language: str, sign_in: str) -> None:
    store = Store(f"sqlite:///{tmp_path / 'lang.db'}")
    with TestClient(create_app(Settings(key_cache_seconds=0, session_secret="s"), store=store)) as web:
        page = web.get("/ui/login", headers={"Accept-Language": f"{language},en;q=0.5"})
    store.close()
    assert f'<html lang="{language}">' in page.text and f"<h1>{sign_in}</h1>" in page.text


def test_the_switcher_is_on_every_page_and_the_choice_is_remembered(client: tuple[TestClient, str]) -> None:
    web, _ = client
    home = web.get("/ui/", headers={"Accept-Language": "en"})
    for code, name in i18n.LANGUAGES.items():
        assert f'name="lang" value="{code}" lang="{code}"' in home.text and name in home.text
    chosen = web.post("/ui/language", data={"csrf": csrf_of(home.text), "lang": "ko", "next": "/ui/check"})
    assert chosen.url.path == "/ui/check" and '<html lang="ko">' in chosen.text
    again = web.get("/ui/", headers={"Accept-Language": "ja"})  # the choice wins over the browser's
    assert '<html lang="ko">' in again.text and "<h1>개요</h1>" in again.text
    elsewhere = web.post("/ui/language", data={"csrf": csrf_of(again.text), "lang": "xx", "next": "https://evil"})
    assert elsewhere.url.path == "/ui/" and '<html lang="ko">' in elsewhere.text, "unknown language and host ignored"


def test_the_choice_follows_the_user_to_another_browser(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'user.db'}")
    key, token = store.keys.create("kim", "viewer", "test")
    app = create_app(Settings(key_cache_seconds=0, session_secret="s"), store=store)

    def signed_in(web: TestClient) -> str:
        login = web.get("/ui/login")
        return web.post("/ui/login", data={"csrf": csrf_of(login.text), "api_key": token, "next": "/ui/"}).text

    with TestClient(app) as office:
        home = signed_in(office)
        office.post("/ui/language", data={"csrf": csrf_of(home), "lang": "ko", "next": "/ui/"})
    with TestClient(app) as laptop:  # no cookie here, and a browser asking for Japanese
        laptop.headers["Accept-Language"] = "ja-JP,ja;q=0.9"
        assert '<html lang="ja">' in laptop.get("/ui/login").text, "before sign-in: the browser's language"
        assert '<html lang="ko">' in signed_in(laptop), "signed in: the language the user chose"
    store.close()
    assert next(k for k in store.keys.list() if k.key_id == key.key_id).language == "ko"


def _check(web: TestClient, language: str) -> str:
    form = web.get("/ui/check", headers={"Accept-Language": language})
    answer = web.post("/ui/check", data={"csrf": csrf_of(form.text), **CHECK}, headers={"Accept-Language": language})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_the_answer_in_japanese_dates_legal_labels_and_neutral_steps(client: tuple[TestClient, str]) -> None:
    page = _check(client[0], "ja")
    text = _visible(page)
    assert "許可が必要" in text and "2019年7月10日 時点の日本の法令" in text
    assert "韓国 (KR)" in text, "country names in the page's language"
    assert re.search(r'title="individual">\s*<span lang="ja">個別許可</span>', page), "the pack's label_local in ja"
    assert 'class="badge neutral"' in page and 'class="badge no"' not in page.split("判定の経過")[1].split("</ol>")[0]
    assert "該当貨物・技術（リスト規制）" in text and 'title="listed"' in page, "words, with the id on hover"


def test_warnings_are_grouped_by_kind(client: tuple[TestClient, str]) -> None:
    page = _check(client[0], "en")
    groups = re.findall(r'<details class="warnings" data-kind="(\w+)"><summary>(.*?)</summary>', page)
    kinds = [kind for kind, _ in groups]
    assert kinds and len(kinds) == len(set(kinds)), "each kind once"
    assert any(
        kind == "unverified" and re.search(r"Rests on data not verified.*: \d+ values?", summary)
        for kind, summary in groups
    )


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [("ja", "権限がありません", "このフォームは期限切れか"), ("ko", "권한이 없습니다", "이 양식은 만료되었거나")],
)
def test_error_pages_speak_the_language(
    client: tuple[TestClient, str], language: str, title: str, message: str
) -> None:
    refused = client[0].post("/ui/check", data={"csrf": "forged"}, headers={"Accept-Language": language})
    assert refused.status_code == 403
    assert f"<h1>{title}</h1>" in refused.text and message in refused.text


def test_colour_only_for_what_needs_attention(client: tuple[TestClient, str]) -> None:
    web, _ = client
    form = web.get("/ui/review")
    page = web.post(
        "/ui/review/screen", data={"csrf": csrf_of(form.text), "name": "Korea Kumsong Trading", "country": "KP"}
    )
    results = page.text.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>.*?</tr>", results, flags=re.S)
    assert rows, "the name resembles list entries"
    for row in rows:
        match = 'class="badge warn"' in row
        assert match or 'class="badge neutral"' in row, "a near miss is shown neutrally"
        assert 'class="badge yes"' not in row and 'class="badge no"' not in row, (
            "a match is no success, a miss no fault"
        )


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_no_page_shows_an_untranslated_message(client: tuple[TestClient, str], script: Any, language: str) -> None:
    web, _ = client
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in script.extracted() if m.id}
    plain = {re.sub(r"%\(\w+\)s|<[^>]+>", "", e).strip(" .:") for e in english}
    words = {p for p in plain if len(p) > 3 and re.search(r"[a-z]{3}", p)}
    paths = ("/ui/", "/ui/check", "/ui/licences", "/ui/review")
    pages = [web.get(path, headers={"Accept-Language": language}).text for path in paths]
    pages.append(_check(web, language))
    for page in pages:
        text = _visible(page, ours=True)
        left = sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
        assert left == [], f"English left on a {language} page: {left}"
