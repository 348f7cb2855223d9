"""Text normalisation and full-text query building (no scoring here: SQLite FTS5 ranks).

Two indexes are queried: a Latin-script one (Porter stemming over the ``unicode61`` tokenizer) and a
trigram one for Japanese and Korean (substring matching; needs three characters). Japanese text is folded
(NFKC, hiragana to katakana, lower case) on both sides, so ふっ化水素 finds フッ化水素.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uff66-\uff9f]")
_WORD = re.compile(r"\w+", re.UNICODE)
_HIRAGANA = {cp: cp + 0x60 for cp in range(0x3041, 0x3097)}
#: Trigram matching needs at least this many characters per token.
TRIGRAM = 3


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width to half-width Latin, half-width kana to full-width),
    hiragana to katakana, lower case."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA).lower()


def has_cjk(text: str) -> bool:
    """Whether the text holds Japanese or Korean characters."""
    return _CJK.search(text) is not None


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """An FTS5 MATCH expression, the index it targets (``latin`` or ``cjk``) and the words too short to be
    searched on their own (trigram: under 3 characters; they still count inside the whole phrase)."""

    expression: str
    index: str
    dropped: tuple[str, ...] = ()


def build_query(text: str, phrase_only: bool = False) -> FtsQuery | None:
    """The FTS5 expression for a user's words: the whole phrase OR each word (``phrase_only``: the phrase).

    Every word counts (bm25 sums over the phrases that match), and a document holding the exact phrase
    scores for it once more. Returns ``None`` when nothing searchable is left.
    """
    folded = fold(text)
    if has_cjk(folded):
        tokens = folded.split()
        phrase = " ".join(tokens)
        usable = [t for t in tokens if len(t) >= TRIGRAM]
        dropped = tuple(t for t in tokens if len(t) < TRIGRAM)
        parts = [_quote(phrase)] if len(phrase) >= TRIGRAM and (len(tokens) > 1 or phrase_only) else []
        if not phrase_only:
            parts += [_quote(t) for t in usable]
        if not parts:
            return None
        return FtsQuery(" OR ".join(parts), "cjk", dropped)
    words = _WORD.findall(folded)
    if not words:
        return None
    parts = [_quote(" ".join(words))] if len(words) > 1 or phrase_only else []
    if not phrase_only:
        parts += [_quote(w) for w in dict.fromkeys(words)]
    return FtsQuery(" OR ".join(parts), "latin")
