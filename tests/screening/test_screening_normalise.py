"""Normalisation, transliteration and phonetic keys: examples, and properties that hold for any text."""

from __future__ import annotations

import re

import pytest
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import InputError
from clearance.screening.normalise import (
    _strip_spaceless_legal_form,
    fold_ascii,
    name_forms,
    normalise_text,
    query_forms,
    split_joined_names,
)
from clearance.screening.phonetic import (
    abjad_kana_key,
    abjad_key,
    hangul_reading_key,
    onsets_agree,
    phonetic_key,
    reading_key,
    skeleton,
)
from clearance.screening.transliterate import (
    HAN_DIGITS,
    MAX_TRANSLATIONS,
    han_number,
    korean_readings,
    latin_variants,
    loanword_reading,
    romanize_hangul,
    script_of,
    sense_choices,
    spelled_letters,
    translated_readings,
)

NAMES = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
        include_characters="株式会社주식회사ООО・＝ー",
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_normalise_text_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip() and "  " not in once


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_fold_ascii_is_idempotent_and_ascii(text: str) -> None:
    once = fold_ascii(text)
    assert fold_ascii(once) == once
    assert once.isascii()
    assert once == normalise_text(anyascii(normalise_text(text)))  # text already ASCII is not read again


@pytest.mark.parametrize("text", ["ＡＢＣ Trading", "Straße_Ost", "O’Neil & Sons", "ﬁne Ⅻ", "Zoë\u00adLee", "SMITH, J"])
def test_fold_ascii_folds_as_the_ascii_reading_of_the_normalised_text(text: str) -> None:
    assert fold_ascii(text) == normalise_text(anyascii(normalise_text(text)))


@settings(max_examples=150, deadline=None)
@given(NAMES)
def test_name_forms_never_crash_and_their_tokens_are_stable(text: str) -> None:
    for form in name_forms(text):
        assert form.tokens and all(t and t.isascii() and " " not in t for t in form.tokens)
        assert len(form.phonetic) == len(form.skeleton) == len(form.tokens)
        if form.script == "latin":  # a reading of another script is re-read by the Latin rules
            again = name_forms(form.text)
            assert again and again[0].tokens == form.tokens  # a normalised form normalises to itself


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=20))
def test_keys_never_crash(token: str) -> None:
    phonetic_key(token)
    skeleton(token)
    reading_key(token)
    abjad_key(token)


@pytest.mark.parametrize(
    ("name", "tokens", "legal_form"),
    [
        ("Samsung Electronics Co., Ltd.", ("samsung", "electronic"), "LLC"),
        ("ООО Ромашка", ("romashka",), "LLC"),
        ("株式会社東芝", ("toushiba",), "JSC"),
        ("公共株式会社チメル・バンク", ("chimeru", "bank"), "JSC"),  # MOF's PAO: data/cjk_org_words.yml
        ("有限責任会社TRV自動車", ("trv", "jidousha"), "LLC"),  # OOO
        ("JSC TACTICAL MISSILES CORPORATION", ("tactical", "missiles", "co"), "JSC"),
        ("Mr. Recep Tayyip Erdoğan", ("recep", "tayyip", "erdogan"), None),
        ("Московский государственный университет", ("moskovskiy", "gov", "university"), None),
    ],
)
def test_legal_forms_honorifics_and_symbols(name: str, tokens: tuple[str, ...], legal_form: str | None) -> None:
    forms = name_forms(name)
    assert tokens in [f.tokens for f in forms]
    assert forms[0].legal_form == legal_form


def test_person_names_keep_words_that_look_like_legal_forms() -> None:
    assert name_forms("Thomas Sa", person=True)[0].tokens == ("thomas", "sa")
    assert name_forms("Thomas Sa")[0].tokens == ("thomas",)


@pytest.mark.parametrize(
    ("word", "reading"),
    [("김정은", "gimjeongeun"), ("독립문", "dongnimmun"), ("종로", "jongno"), ("신라", "silla"), ("한국", "hanguk"),
     ("국민", "gungmin"), ("박지성", "bakjiseong")],
)  # fmt: skip
def test_revised_romanization_with_sound_changes(word: str, reading: str) -> None:
    assert romanize_hangul(word) == reading


def test_readings_of_other_scripts() -> None:
    assert "kim jeongeun" in latin_variants("김정은")
    assert latin_variants("ウラジーミル・プーチン")[0] == "Vladimir Puuchin"
    assert "xi jinping" in latin_variants("习近平")
    assert latin_variants("Владимир Путин") == ("Vladimir Putin",)
    assert latin_variants("عبد الفتاح السيسي")[0].startswith("abd al fth")  # ع at the start of a word: a vowel
    assert [script_of(t) for t in ("abc", "カナ", "漢字", "한글", "عربي", "עברית", "Ελλάδα")] == [
        "latin", "kana", "han", "hangul", "arabic", "hebrew", "other",
    ]  # fmt: skip


def test_katakana_and_latin_share_skeletons() -> None:
    pairs = [("ravurofu", "lavrov"), ("serugei", "sergey"), ("puuchin", "putin"), ("afundo", "akhund")]
    for katakana_reading, latin in pairs:
        assert skeleton(katakana_reading) == skeleton(latin)
    assert phonetic_key("mohammed") == phonetic_key("muhammad") == phonetic_key("mohamed")


@pytest.mark.parametrize(
    ("katakana_reading", "korean"),
    [("pyonyan", "pyongyang"), ("ponfa", "ponghwa"), ("ganyon", "kwangyon"), ("fan", "hwang")],
)
def test_katakana_and_korean_romanisations_share_skeletons(katakana_reading: str, korean: str) -> None:
    """A Korean syllable's final ng is ン before y too (ピョンヤン); hw is ファ after it too (ポンファ)."""
    assert skeleton(katakana_reading) == skeleton(korean)


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("محمد", "Muhammad"), ("حسين", "Hussein"), ("لاغوب", "Laagoub"), ("حمزة", "Hamza"), ("يوسف", "Youssef"),
     ("بلقاسم", "Belgacem"), ("القادر", "al-Kader"), ("شامل", "Shamil"), ("الشريف", "al-Cherif"),
     ("درويش", "Darwich"), ("شركة", "Sharika"), ("أسامة", "Usama")],
)  # fmt: skip
def test_arabic_readings_and_vowelled_spellings_share_consonant_keys(arabic: str, latin: str) -> None:
    def keys(name: str) -> str:
        return " ".join(abjad_key(t) for t in name_forms(name, person=True)[0].tokens)

    assert keys(arabic) == keys(latin)


def test_arabic_sh_is_not_s() -> None:
    """ش and س are two letters: شامل (Shamil) does not share its consonants with Samir; katakana, which writes si
    as シ (shi), is compared with sh and s as one (abjad_kana_key)."""
    assert abjad_key("shml") != abjad_key("samir")
    assert abjad_kana_key("yashin") == abjad_kana_key("ysyn")


ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ARABIC_LETTERS, min_size=2, max_size=6))
def test_an_arabic_word_opening_with_a_vowel_is_not_one_opening_with_h(rest: str) -> None:
    """احسان and حسین share their consonant key (hsn); the reading keeps the alif (or ع) as an initial a, so the
    words' onsets tell them apart, whatever follows."""
    for vowel in "اأإع":
        opened = latin_variants(vowel + rest)[0]
        assert opened.startswith("a")
        for h in "حه":
            assert not onsets_agree(opened, latin_variants(h + rest)[0])
    assert onsets_agree(latin_variants("ح" + rest)[0], "h" + anyascii(rest))


HANGUL_OPEN_SYLLABLES = st.builds(lambda initial, medial: chr(0xAC00 + initial * 588 + medial * 28),
                                  st.integers(0, 18), st.integers(0, 20))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(HANGUL_OPEN_SYLLABLES, st.sampled_from("우오"))
def test_a_final_hangul_u_or_o_is_a_syllable(first: str, last: str) -> None:
    """A Hangul word ending in 우 or 오 keeps that vowel in the key that compares Hangul with Latin (진우 jinu is not
    Jong); the key for katakana, which adds a u after a final consonant, drops it."""
    reading = romanize_hangul(first + last)
    assert hangul_reading_key(reading)[-1] in "uo"


@pytest.mark.parametrize(
    ("numeral", "value"), [("二", 2), ("十", 10), ("十三", 13), ("二十三", 23), ("一百零五", 105), ("八一一", 811)]
)
def test_chinese_numbers(numeral: str, value: int) -> None:
    assert han_number(numeral) == value


@given(st.integers(0, 99999))
def test_chinese_numbers_read_digit_by_digit_or_by_units(n: int) -> None:
    """A number in Chinese characters without 十, 百, 千 is read digit by digit (the 811th institute); with them,
    as tens, hundreds and thousands. Every number below 10,000 written either way reads back as itself."""
    digits = {v: k for k, v in HAN_DIGITS.items() if k in "〇一二三四五六七八九"}
    assert han_number("".join(digits[int(d)] for d in str(n))) == n
    if n < 10000:
        places = [(n // 1000 % 10, "千"), (n // 100 % 10, "百"), (n // 10 % 10, "十"), (n % 10, "")]
        written = "".join(digits[d] + unit for d, unit in places if d)
        assert han_number(written or "〇") == n


def test_korean_readings_of_chinese_characters() -> None:
    assert korean_readings("朝鮮九月山", person=False) == ["joseonguwolsan", "chosonguwolsan"]  # RR, then MR
    assert "kim chol sam" in korean_readings("金鉄三", person=True)  # McCune–Reischauer, as North Korea's names
    assert korean_readings("(朝鮮三興)", person=False) == ["joseonsamheung", "chosonsamhung"]  # brackets left out
    assert "kim jeong eun" in korean_readings("金正恩", person=True)  # 金 as a surname is 김, not 금 (gold)
    assert [f.tokens for f in name_forms("平壌") if f.script == "hanja"] == [("pyeongyang",), ("pyongyang",)]  # 壌


def test_readings_of_mixed_names_keep_their_latin_words() -> None:
    assert korean_readings("KBM 株式会社NPK", person=False) == ["KBM jusikhoesa NPK", "KBM chusikhoesa NPK"]
    assert korean_readings("(朝鮮)DEF", person=False)[1] == "choson DEF"  # McCune–Reischauer on Korean words only
    assert latin_variants("東芝TEC") == ("dongzhi TEC", "Toushiba TEC")  # not "dongzhitec"
    assert latin_variants("삼성전자Samsung") == ("samseongjeonja Samsung",)
    assert all(r.split()[-1] == "A" for r in latin_variants("大A"))  # cutlet alone would read "DaiA"


MIXED = st.lists(
    st.tuples(
        st.text(alphabet="朝鮮九月山株式会社東芝北京电子三星大学金ロスアトム삼성전자주식회사", min_size=1, max_size=6),
        st.sampled_from(["", " ", "「", "・", "）"]),
        st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,5}", fullmatch=True),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(MIXED, st.booleans())
def test_no_reading_drops_a_latin_word_of_a_mixed_name(parts: list[tuple[str, str, str]], person: bool) -> None:
    """Chinese characters, kana or Hangul written with Latin letters: every reading (pinyin, Japanese, Korean,
    translated) keeps each Latin word as a word (else two names sharing only their characters read alike)."""
    text = "".join(map("".join, parts))
    latin = {word.casefold() for _, _, word in parts}
    readings = list(latin_variants(text))
    if script_of(text) == "han":  # as name_forms reads them
        readings += korean_readings(text, person)
    if script_of(text) in ("han", "hangul"):
        readings += [r for r, _ in translated_readings(text)]
    for reading in readings:
        assert latin <= set(re.findall(r"\w+", reading.casefold())), (text, reading)


def test_katakana_written_against_other_characters_is_read_as_a_word() -> None:
    assert latin_variants("公共チメル・バンク")[0] == "Koukyou Chimeru Bank"  # not "chi mel": チメル is one word
    assert latin_variants("NPOエレクトロマシナ") == ("NPO Erekutoromashina", "NPO erektoromashina")
    assert latin_variants("キズリャル電気機械工場")[0].startswith("Kizuryaru ")


def test_organisation_words_translated_and_the_rest_read() -> None:
    assert translated_readings("朝鮮赤十字病院")[0] == ("korea red cross hospital", "han")
    assert translated_readings("(烽火総会社)")[0] == ("( fenghuo general corporation )", "han")
    assert translated_readings("北京理工大学")[:2] == [
        ("beijing institute of technology", "han"),
        ("beijing university of science and technology", "han"),
    ]
    assert ("korea guwolsan trading company", "hanja") in translated_readings("朝鮮九月山貿易会社")
    assert ("korea kuwolsan trading company", "hanja") in translated_readings("朝鮮九月山貿易会社")  # MR
    assert translated_readings("上海新力機器廠") == [  # 機器廠 found as 机器厂; the rest in words of two
        ("shanghai xinli machine factory", "han"),
        ("shanghai xinli machinery plant", "han"),
        ("sanghaesillyeok machine factory", "hanja"),
        ("sanghaesillyeok machinery plant", "hanja"),
        ("sanghaesillyok machine factory", "hanja"),
        ("sanghaesillyok machinery plant", "hanja"),
    ]
    assert translated_readings("苏州中盛") == [("suzhou zhongsheng", "han")]  # no term: pinyin in words only
    assert translated_readings("조선무역회사") == [  # 회사: rigour's symbol co, then the table's company
        ("korea trading co", "hangul"),
        ("korea trading company", "hangul"),
    ]
    assert ("beijing aeronautics astronautics university", "han") in translated_readings("北京航空航天大学")
    assert translated_readings("田中角栄") == [("tianzhong jiaorong", "han")]  # no organisation word: pinyin words
    assert not [f for f in name_forms("北京大学", person=True) if "university" in f.tokens]  # not in people's names


def test_every_translation_of_every_term_is_read() -> None:
    """The second translations of 航天 (aerospace) and 集団 (corporation) are read together, as English names write
    them; the first four combinations only varied the last terms (研究院, 研究所)."""
    name = "中国航天科学技術工業集団有限公司第二研究院第二十三研究所"
    readings = [r for r, s in translated_readings(name) if s == "han"]
    assert any({"aerospace", "corporation"} <= set(r.split()) for r in readings), readings
    assert len(readings) <= MAX_TRANSLATIONS


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("朝鮮経済協力委員会", "korea economic co-operation committee"),  # the British co-operation (CC-CEDICT)
        ("普通江眼鏡生産共同組合", "putongjiang glasses production cooperative"),  # 共同組合 (JMdict)
        ("株式会社海洋熱工学研究設計研究所", "sea thermal engineering research design research institute"),
        ("「人民連合」（自称）", "peoples union self-proclaimed"),  # the MOF list's self-proclaimed unions
        ("朝鮮対外技術貿易会社", "korea foreign technology trading company"),
        ("中国工程物理研究院", "china engineering physics research institute"),
    ],
)
def test_organisation_words_of_english_names(name: str, english: str) -> None:
    """Words that organisations' English names use for their Chinese or Japanese ones (data/cjk_org_words.yml)."""
    text, _ = _strip_spaceless_legal_form(name)
    assert english in [" ".join(re.findall(r"[\w-]+", r)) for r, _ in translated_readings(text)]


TERMS = st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=3, unique=True).map(tuple), max_size=8)


@given(TERMS)
def test_sense_choices_read_every_translation(choices: list[tuple[str, ...]]) -> None:
    """One translation per term in each choice, at most MAX_TRANSLATIONS choices, none twice, the first
    translations first, and every translation of every term in some choice when a term has at most that many."""
    chosen = sense_choices(choices)
    assert len(chosen) == len(set(chosen)) <= MAX_TRANSLATIONS
    assert all(len(c) == len(choices) and all(w in t for w, t in zip(c, choices, strict=True)) for c in chosen)
    assert not choices or chosen[0] == tuple(t[0] for t in choices)
    for k, term in enumerate(choices):
        assert {c[k] for c in chosen} == set(term)


@pytest.mark.parametrize("bad", ["", "   ", "***", "・・"])
def test_empty_or_unnameable_queries_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError, match="name"):
        query_forms(bad)


@pytest.mark.parametrize(
    ("reading", "loanword"),
    [("rosuatomu", "rosatom"), ("gasupuromu", "gasprom"), ("toransunefuchi", "toransneft"),
     ("isukanderu", "iskander"), ("muradofu", "muradof"), ("puuchin", "puchin"), ("rosutekku", "rostek"),
     ("sutoirikovitchi", "sutoirikovich"), ("abuduru", "abdur"), ("hidaayaturraa", "hidayatura"),
     ("aruchomu", "artem"), ("pyootoru", "petor"), ("dyoomin", "demin"), ("chonchoru", "chonchor")],
)  # fmt: skip
def test_katakana_loanword_readings(reading: str, loanword: str) -> None:
    assert loanword_reading(reading) == loanword


def test_an_acronym_spelt_out_in_katakana_reads_as_its_letters() -> None:
    """A word wholly of letter names, or letter names beside each other; one letter alone is a name (アイ, Ai)."""
    assert spelled_letters("エーディーエフ") == "adf" and spelled_letters("エース") is None
    assert "adf" in latin_variants("エーディーエフ")
    assert "d c b Fainansu Rimiteddo" in latin_variants("ディー・シー・ビー・ファイナンス・リミテッド")
    assert not [r for r in latin_variants("アイ・タナカ") if r.split()[0] == "i"]
    assert ("dcb", "fainansu", "rimiteddo") in {
        f.tokens for f in name_forms("ディー・シー・ビー・ファイナンス・リミテッド")
    }


@given(st.text(alphabet="abcdefghijkmnoprstuwyz", max_size=30))
def test_a_loanword_reading_only_removes_letters(reading: str) -> None:
    """Or writes a Russian ё after a consonant as e (pyo → pe, cho → te): never longer, nothing else new."""
    out = loanword_reading(reading)
    assert len(out) <= len(reading) and set(out) <= set(reading) | {"e", "t"}
    assert out[:1] == reading[:1]  # the first syllable is kept


@pytest.mark.parametrize(
    ("joined", "apart"),
    [("AlekseyKrivoruchko", "Aleksey Krivoruchko"), ("JohnPaulJones", "John Paul Jones"),
     ("McDonald", "McDonald"), ("MacArthur", "MacArthur"), ("JanDaniel", "JanDaniel"), ("IVAN PETROV", "IVAN PETROV")],
)  # fmt: skip
def test_a_persons_joined_names_are_split(joined: str, apart: str) -> None:
    assert split_joined_names(joined) == apart


def test_joined_names_are_split_in_peoples_names_only() -> None:
    assert name_forms("NikolayPankov", person=True)[0].tokens == ("nikolay", "pankov")
    assert name_forms("PetroChina")[0].tokens == ("petrochina",)


def test_katakana_w_with_a_small_vowel_reads_w() -> None:
    """cutlet reads ウィ, ウェ, ウォ as i, e, o; the w is kept (Willy, Wiji, Won)."""
    readings = {t for form in name_forms("ウィリー・ウォン・ウェスト", person=True) for t in form.tokens}
    assert {"wirii", "won", "wesuto"} <= readings
