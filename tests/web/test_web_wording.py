"""The engine's sentences said again in the page's language (issue 15): every step outcome the engine writes for the
example shipments has a pattern and a translation, the pack's own label replaces its English one where the pack is
in the page's language, and a sentence no pattern knows is shown as written, marked English. The engine's JSON is
not touched."""

from __future__ import annotations

import json

import pytest

from clearance.engine import determine
from clearance.engine.shipment import Shipment
from clearance.law import load_regulations
from clearance.web import i18n, wording
from support import ROOT

REGULATIONS = load_regulations()
SHIPMENTS = [
    Shipment.model_validate(json.loads(line))
    for line in (ROOT / "examples" / "shipments.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    yield None
    i18n.activate("en")


def _steps() -> list[tuple[str, str, str]]:
    out = []
    for shipment in SHIPMENTS:
        answer = determine(shipment, REGULATIONS[shipment.regime])
        out += [(shipment.regime, s.rule, s.outcome) for s in answer.steps]
        out += [(shipment.regime, "", w) for w in answer.warnings if " not given: " in w]
    return out


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_every_sentence_of_the_examples_is_said_in_the_language(language: str) -> None:
    i18n.activate(language)
    steps = _steps()
    assert len(steps) > 50
    for regime, rule, outcome in steps:
        said = wording.say(outcome, REGULATIONS[regime], rule)
        assert said != wording.ENGLISH % outcome, f"no pattern for {outcome!r}"
        assert not said.startswith('<span lang="en">' + outcome), outcome


def test_the_packs_own_label_where_the_page_speaks_its_language() -> None:
    pack = REGULATIONS["jp"]
    found = pack.objects["licence_types"]["individual"]
    sentence = f"{found.model.label}: available"
    i18n.activate("ja")
    assert wording.say(sentence, pack, "licence_types.individual") == f"{found.model.label_local}：利用可"
    i18n.activate("ko")
    assert wording.say(sentence, pack, "licence_types.individual") == (
        f'<span lang="en">{found.model.label}</span>: 이용 가능'
    )


def test_a_sentence_no_pattern_knows_is_shown_as_written_and_escaped() -> None:
    i18n.activate("ja")
    assert wording.say("a <new> kind of sentence") == '<span lang="en">a &lt;new&gt; kind of sentence</span>'
    assert wording.say("KR (South Korea) is in Group B") == '韓国 (KR) は <span lang="en">Group B</span> に属する'
