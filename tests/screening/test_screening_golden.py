"""Golden cross-script matches and hard negatives against the bundled lists."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from clearance.screening import Query, ScreenConfig, ScreeningIndex, end_user_hits, import_list, screen
from clearance.screening.bundled import bundled_ids, load_bundled
from clearance.screening.model import ListVersion, Party
from support import shared_path


@pytest.mark.parametrize(
    "name", ["Beihang University", "BUAA", "北京航空航天大学", "beijing univ. of aeronautics & astronautics"]
)
def test_buaa_in_every_script_hits_the_end_user_list(name: str) -> None:
    hits = end_user_hits(name, "CN", {"jp-meti-eul"}, 0.8)
    assert [(h.list_id, h.entry_id) for h in hits] == [("jp-meti-eul", "501")]
    hit = hits[0]
    assert hit.score >= 0.8 and hit.list_version.startswith("sha256:") and hit.list_date == "2025-09-29"
    assert "'" in hit.explanation and "+" in hit.explanation


@pytest.mark.parametrize(
    ("katakana", "english_entry"),
    [
        ("ウラジーミル・プーチン", "PUTIN, Vladimir"),
        ("セルゲイ・ラヴロフ", "LAVROV, Sergei"),
        ("セルゲイ・ショイグ", "SHOIGU, Sergei"),
        ("ワレリー・ゲラシモフ", "GERASIMOV, Valery"),
        ("ミハイル・ミシュスチン", "MISHUSTIN, Mikhail"),
        ("ニコライ・パトルシェフ", "PATRUSHEV, Nikolai"),
        ("ラムザン・カディロフ", "KADYROV, Ramzan"),
    ],
)
def test_mof_katakana_names_match_the_english_sdn_entries(
    bundled_index: ScreeningIndex, katakana: str, english_entry: str
) -> None:
    results = screen(bundled_index, Query((katakana,), "Person"), ScreenConfig(lists=frozenset({"us-csl"})))
    assert results, katakana
    best = results[0]
    assert best.match and best.party.caption.startswith(english_entry)
    assert best.party.list_id == "us-csl"


@pytest.mark.parametrize(
    ("katakana", "english_entry"),
    [
        ("チャン・ソンナム", "JANG, Sung Nam"),
        ("チョ・チョルソン", "JO, Chol Song"),
        ("クァク・チョンチョル", "KWAK, Chong-chol"),
    ],
)
def test_a_korean_given_name_in_one_katakana_word_finds_its_entry(
    bundled_index: ScreeningIndex, katakana: str, english_entry: str
) -> None:
    """Katakana writes a Korean given name as one word (ソンナム, the list's SUNG NAM): the index is searched by the
    whole name's skeleton, a class repeated across two words written once, and weighed as a whole name."""
    results = screen(bundled_index, Query((katakana,), "Person"), ScreenConfig(lists=frozenset({"us-csl"})))
    assert results[0].match and results[0].party.caption.startswith(english_entry)


@pytest.mark.parametrize(
    ("query", "expected_caption"),
    [
        ("Vladimir Putin", "ウラジーミル・プーチン"),  # English query finds the MOF entry through its English name
        ("Sergey Lavrov", "セルゲイ・ラヴロフ"),
    ],
)
def test_english_names_find_the_mof_entries(bundled_index: ScreeningIndex, query: str, expected_caption: str) -> None:
    config = ScreenConfig(lists=frozenset({"jp-mof-asset-freeze"}))
    results = screen(bundled_index, Query((query,), "Person"), config)
    assert results[0].match and results[0].party.caption == expected_caption


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("オレクサンドル・ホダコウスキー", "26-31"),  # アレクサンドル(オレクサンドル)・ホダコフスキー(ホダコウスキー)
        ("Oleksandr KHODAKOVSKII", "26-31"),  # Oleksandr KHODAKOVSKYY/KHODAKOVSKII
        ("Vyacheclav PONOMAROV", "26-24"),  # Vyacheslav/Vyacheclav PONOMAREV/PONOMAROV
        ("フィルザ・ハンバラエヴァ", "29-630"),  # フィルザ・ケリモヴァ（ハンバラエヴァ）: a maiden name
    ],
)
def test_each_spelling_of_a_mof_persons_name_is_a_name_of_the_entry(
    bundled_index: ScreeningIndex, query: str, entry: str
) -> None:
    """The MOF list writes a person's other spellings in brackets or after a slash; each spelling is a name of the
    entry, so it matches as written (1.0), not as a shorter name inside one that holds every spelling (0.875)."""
    config = ScreenConfig(lists=frozenset({"jp-mof-asset-freeze"}))
    best = screen(bundled_index, Query((query,), "Person"), config)[0]
    assert best.party.source_id == entry and best.score == 1.0, best.explanation


CHINESE_CHARACTERS = [
    ("习近平", "Xi Jinping"),  # simplified characters: Mandarin pinyin only
    ("金铁三", "JIN Tiesan"),
    ("毛泽东", "Mao Zedong"),
    ("张伟", "Zhang Wei"),
    ("田中角栄", "Tanaka Kakuei"),  # Japanese kanji (JIS X 0208): the Japanese reading
    ("高市早苗", "Takaichi Sanae"),
]


def _find_each_other(pairs: list[tuple[str, str]], pair: tuple[str, str], schema: str = "Person") -> None:
    """Cross-script symmetry: each side of ``pair`` finds the other as the best match, against an index of the
    other side of every pair."""
    sides = {
        side: ScreeningIndex.build(
            [
                ListVersion(
                    f"side-{side}",
                    "one side",
                    None,
                    "test",
                    tuple(Party.build(f"side-{side}", str(i), schema, [names[side]]) for i, names in enumerate(pairs)),
                )
            ]
        )
        for side in (0, 1)
    }
    number = str(pairs.index(pair))
    for query, index in ((pair[0], sides[1]), (pair[1], sides[0])):
        best = screen(index, Query((query,), schema))[0]
        assert best.match and best.party.source_id == number, (query, best.explanation)


@pytest.mark.parametrize(("han", "latin"), CHINESE_CHARACTERS)
def test_chinese_characters_and_their_readings_find_each_other(han: str, latin: str) -> None:
    """Cross-script symmetry for Chinese characters: the name in characters finds its pinyin or Japanese reading
    in Latin letters, and the other way round."""
    _find_each_other(CHINESE_CHARACTERS, (han, latin))


ARABIC_SCRIPT = [  # names of one entry of the MOF list, in Arabic script and in Latin letters
    ("حمزة أسامة محمد بن لادن", "HAMZA USAMA MUHAMMAD BIN LADEN"),
    ("عبد القادر لاغوب", "ABDELKADER LAAGOUB"),
    ("سالم مصطفى محمد ال منصور", "Salim Mustafa Muhammad Mansur Al-Ifri"),
]


@pytest.mark.parametrize(("arabic", "latin"), ARABIC_SCRIPT)
def test_arabic_script_and_latin_letters_find_each_other(arabic: str, latin: str) -> None:
    """Arabic writes no short vowels (محمد is *mhmd*): its consonants are compared with Muhammad's."""
    _find_each_other(ARABIC_SCRIPT, (arabic, latin))


TRANSLATED = [  # names of one entry of the METI End User List (and their Hangul), in characters and in English
    ("朝鮮九月山貿易会社", "Korea Kuwolsan Trading Co."),  # Hanja read in Korean, organisation words translated
    ("北京理工大学", "Beijing Institute of Technology"),  # 北京 by its pinyin, 理工大学 translated
    ("조선련하기계합영회사", "Korea Ryonha Machinery Joint Venture Corporation"),  # words in Hangul
    ("朝鮮国師峰合営会社", "Korea Kuksabong Joint Venture Corp."),
    ("朝鮮経済協力委員会", "Korea Economic Co-operation Committee"),  # co-operation as British English writes it
]


@pytest.mark.parametrize(("characters", "english"), TRANSLATED)
def test_organisation_names_translated_word_by_word_find_each_other(characters: str, english: str) -> None:
    """An organisation's name in Chinese characters or Hangul matches its English name when its organisation
    words are translated (data/cjk_org_words.yml) and the rest read (pinyin, or Korean for Hanja)."""
    _find_each_other(TRANSLATED, (characters, english), "Organization")


CHINESE_COMPANIES = [  # names of one entry of the US CSL or the METI End User List
    ("上海新力機器廠有限公司", "Shanghai Xinli Machine Factory Co., Ltd"),  # traditional 機器廠 looked up as 机器厂
    ("苏州中盛磁业有限公司", "SUZHOU ZHONGSHENG MAGNETIC COMPANY LIMITED"),  # a place and a trade name, two each
    ("河南嘉源铝业有限公司", "HENAN JIAYUAN ALUMINUM INDUSTRY COMPANY, LIMITED"),
    ("朝鮮東洋貿易会社", "Korea Tongyang Trading Corp."),  # Hanja read as McCune–Reischauer writes Korean
]


@pytest.mark.parametrize(("characters", "english"), CHINESE_COMPANIES)
def test_chinese_company_names_read_word_by_word_find_their_english_names(characters: str, english: str) -> None:
    """Pinyin in words of two characters (苏州中盛 → suzhou zhongsheng), trade words translated in any of the
    three ways of writing them, Korean readings also as McCune–Reischauer spells North Korea's names."""
    _find_each_other(CHINESE_COMPANIES, (characters, english), "Organization")


PERSONS_IN_TWO_SPELLINGS = [
    ("金鉄三", "KIM CHOL SAM"),  # a Korean name in characters, read as McCune–Reischauer writes it
    ("モハンマド・オマル・ジャドラーン", "ムハンマド・オマル・ザドラーン"),  # one name in two katakana spellings (MOF)
    ("アミール・カーン・ムッタキ", "アミール・カーン・モタキ"),
    ("キム・スギル", "キム・スキル"),
    ("عثمان أحمد عثمان الغامدي", "オスマン・アフメド・オスマン・アル・ガムディ"),  # Arabic th as ス, ح as フ (MOF)
    ("عادل بن الأزهر بن يوسف حمدي", "アーディル・ベン・アル・アズハル・ベン・ユーセフ・ハムディ"),
]


@pytest.mark.parametrize(("first", "second"), PERSONS_IN_TWO_SPELLINGS)
def test_one_person_in_two_spellings_finds_the_other(first: str, second: str) -> None:
    _find_each_other(PERSONS_IN_TWO_SPELLINGS, (first, second))


@pytest.mark.parametrize(
    ("query", "other", "schema"),
    [
        ("苏州中盛磁业有限公司", "Suzhou Zhongshan Magnetic Co., Ltd.", "Organization"),  # another trade name
        ("上海新力機器廠有限公司", "Shanghai Xinhua Machine Factory Co., Ltd", "Organization"),
        ("金鉄三", "KIM CHOL SU", "Person"),
        ("キム・スギル", "キム・スンホ", "Person"),  # another given name in katakana
        ("モハンマド・オマル・ジャドラーン", "ムハンマド・オマル・ジャラール", "Person"),
        ("عثمان أحمد عثمان الغامدي", "オスマン・アフメド・ハサン・アル・ガムディ", "Person"),  # another father
    ],
)
def test_near_misses_across_readings_do_not_match(query: str, other: str, schema: str) -> None:
    index = ScreeningIndex.build([ListVersion("t", "t", None, "t", (Party.build("t", "1", schema, [other]),))])
    assert not any(r.match for r in screen(index, Query((query,), schema)))


def test_a_hanja_name_in_katakana_is_read_in_korean(bundled_index: ScreeningIndex) -> None:
    """偵察総局 is the Reconnaissance General Bureau; チョンチャル・チョングック is its Korean reading in katakana."""
    config = ScreenConfig(lists=frozenset({"jp-meti-eul"}))
    best = screen(bundled_index, Query(("チョンチャル・チョングック",), "Organization"), config)[0]
    assert best.match and best.party.caption == "Reconnaissance General Bureau"
    hanja = screen(ScreeningIndex.build([_one("チョンチャル・チョングック")]), Query(("偵察総局",), "Organization"))
    assert hanja and hanja[0].match


def _one(name: str) -> ListVersion:
    return ListVersion("one", "one", None, "test", (Party.build("one", "1", "Organization", [name]),))


def test_hangul_and_cyrillic_readings(bundled_index: ScreeningIndex) -> None:
    config = ScreenConfig(lists=frozenset({"us-csl"}))
    kim = screen(bundled_index, Query(("김정은",), "Person"), config)
    assert kim and kim[0].match and "KIM" in kim[0].party.caption.upper()
    putin = screen(bundled_index, Query(("Владимир Путин",), "Person"), config)
    assert putin[0].match and putin[0].party.caption.startswith("PUTIN")


@pytest.mark.parametrize(
    "name",
    [
        "Toyota Motor Corporation",
        "Sony Group Corporation",
        "Beijing Institute of Technology",  # a different university from BUAA
        "Harbin Engineering Supplies Trading Co.",
        "Mitsubishi UFJ Bank",
    ],
)
def test_hard_negatives_do_not_hit_the_end_user_list(name: str) -> None:
    hits = end_user_hits(name, None, {"jp-meti-eul"}, 0.8)
    assert all(h.entry_id != "501" for h in hits)
    if name != "Beijing Institute of Technology":
        assert hits == [], [(h.entry_name, h.score) for h in hits]


def test_similar_universities_are_told_apart(eul_index: ScreeningIndex) -> None:
    results = screen(eul_index, Query.of("Harbin Engineering University", "CN"))
    assert results[0].party.source_id == "540" and results[0].match
    assert all(r.party.source_id != "541" or not r.match for r in results)  # Harbin Institute of Technology


def test_numbers_in_names_keep_entities_apart() -> None:
    from clearance.screening.model import ListVersion, Party

    plants = ListVersion(
        "t",
        "t",
        None,
        "t",
        (
            Party.build("t", "1", "Organization", ["140 Repair Plant JSC"]),
            Party.build("t", "2", "Organization", ["558 Aircraft Repair Plant JSC"]),
        ),
    )
    results = screen(ScreeningIndex.build([plants]), Query.of("JSC 140 Repair Plant"))
    assert [r.party.source_id for r in results if r.match] == ["1"]


@pytest.mark.parametrize(
    ("first", "second"),
    [("Barack Obama", "Michelle Obama"), ("Frederik Richter", "Frank Richter"), ("Ihab Makhlouf", "Rami Makhlouf")],
)
def test_person_hard_negatives(first: str, second: str) -> None:
    from clearance.screening.model import ListVersion, Party

    index = ScreeningIndex.build([ListVersion("t", "t", None, "t", (Party.build("t", "1", "Person", [second]),))])
    results = screen(index, Query((first,), "Person"))
    assert not any(r.match for r in results)


def test_an_expired_denial_order_no_longer_matches_and_says_when_it_expired() -> None:
    dpl = import_list(shared_path("data", "us-bis-denied-persons-2023", "dpl.txt"))
    index = ScreeningIndex.build([dpl])
    query = Query(("Aaron Abraham Villa",), "Person")
    before = screen(index, query, ScreenConfig(on=dt.date(2026, 1, 14)))[0]
    assert before.party.caption == "AARON ABRAHAM VILLA" and before.match and not before.expired_on
    after = screen(index, query, ScreenConfig(on=dt.date(2026, 1, 15)))[0]
    assert after.score == before.score and not after.match
    assert after.expired_on == "2026-01-14" and after.to_dict()["expired_on"] == "2026-01-14"
    assert "the listing expired on 2026-01-14" in after.explanation
    # An order still in force on the day screened matches (DAQING ZHOU's runs to 2026-11-09).
    zhou = screen(index, Query(("Daqing Zhou",), "Person"), ScreenConfig(on=dt.date(2026, 11, 9)))[0]
    assert zhou.match and not zhou.expired_on


def test_harsh_urvi_modi_is_not_hum(bundled_index: ScreeningIndex) -> None:
    """A person's name does not expand to an organisation's acronym (HUM = HARAKAT UL-MUJAHIDEEN)."""
    for schema in ("LegalEntity", "Person"):
        results = screen(bundled_index, Query(("Harsh Urvi Modi",), schema))
        assert not [c for c in results if c.match], schema
        assert all(f.contribution == 0 for c in results for f in c.features if f.name == "acronym")
    # An organisation's name still expands: BUAA, with no schema given, is read as an organisation's name.
    buaa = screen(bundled_index, Query(("BUAA",), "LegalEntity"), ScreenConfig(lists=frozenset({"jp-meti-eul"})))
    assert buaa[0].match and buaa[0].party.source_id == "501" and buaa[0].read_as == "Organization"
    assert "the query was read as an organisation's name" in buaa[0].explanation


@pytest.mark.parametrize(
    ("short", "full"),
    [  # names of one entry of the MOF list
        ("有限会社LMZ", "Lipetskii Mekhanicheskii Zavod"),  # Zavod, which the symbols read as factory
        (
            "公共株式会社NII SVT",  # an acronym in two words
            "Aktsionernoe Obshchestvo Nauchno Issledovatelskii Institut Sredstv Vychislitelnoi Tekhniki",
        ),
    ],
)
def test_an_acronym_of_the_words_as_written_is_found_from_either_side(short: str, full: str) -> None:
    """An acronym stands for the words as written, not their organisation symbols, and may be written in words of a
    few letters (NII SVT); blocking finds it from either side."""
    for query, listed in ((short, full), (full, short)):
        results = screen(ScreeningIndex.build([_one(listed)]), Query((query,), "Organization"), ScreenConfig(cutoff=0))
        assert results and [f for f in results[0].features if f.name == "acronym" and f.value == 1], query
    person = screen(ScreeningIndex.build([_one(full)]), Query(("Nii Svt",), "Person"), ScreenConfig(cutoff=0))
    assert not [f for c in person for f in c.features if f.name == "acronym" and f.value]  # not a person's name


def test_an_acronym_of_a_translated_name() -> None:
    """哈爾浜工業大学 reads *Harbin Institute of Technology* word by word, whose acronym is HIT; an acronym that is
    not the initials of the translation (CASC for 中国航天科技集団公司, whose 科技 is science and technology) is not
    guessed."""
    hit = screen(
        ScreeningIndex.build([_one("哈爾浜工業大学")]), Query(("HIT",), "Organization"), ScreenConfig(cutoff=0)
    )
    assert hit and [f for f in hit[0].features if f.name == "acronym" and f.value == 1]
    casc = screen(ScreeningIndex.build([_one("中国航天科技集団公司")]), Query(("CASC",), "Organization"))
    assert not [c for c in casc if c.match]


def test_a_query_without_schema_is_read_both_ways_and_says_which(bundled_index: ScreeningIndex) -> None:
    best = screen(bundled_index, Query(("Vladimir Putin",)), ScreenConfig(lists=frozenset({"jp-mof-asset-freeze"})))[0]
    assert best.match and best.party.schema == "Person" and best.read_as == "Person"
    assert best.to_dict()["read_as"] == "Person"
    typed = screen(
        bundled_index, Query(("Vladimir Putin",), "Person"), ScreenConfig(lists=frozenset({"jp-mof-asset-freeze"}))
    )
    assert typed[0].read_as == "" and "no schema given" not in typed[0].explanation


def test_yente_negatives_without_schema_never_match_on_an_acronym(bundled_index: ScreeningIndex) -> None:
    names = [
        row["full_name"]
        for file in ("negatives_global.csv", "negatives_us.csv")
        for row in csv.DictReader(
            shared_path("data", "name-matching-eval", "yente-negatives", file).open(encoding="utf-8")
        )
    ]
    matched = [(n, c) for n in names for c in screen(bundled_index, Query((n,))) if c.match]
    assert not [(n, c.summary) for n, c in matched if c.summary.startswith("acronym")]
    assert len({n for n, _ in matched}) / len(names) <= 0.011  # 1.8 % before schema-aware acronyms


def test_rosatom_in_katakana_reaches_what_rosatom_in_latin_letters_reaches(bundled_index: ScreeningIndex) -> None:
    """Katakana adds vowels to a foreign word (ロスアトム is ro-su-a-to-mu): read back as a loanword it is Rosatom."""
    config = ScreenConfig(lists=frozenset({"us-csl"}), cutoff=0.6, limit=50)
    latin = {c.party.id: c.score for c in screen(bundled_index, Query(("Rosatom",)), config)}
    katakana = {c.party.id: c.score for c in screen(bundled_index, Query(("ロスアトム",)), config)}
    rosatom = {"us-csl:SDN-51225", "us-csl:SDN-51128", "us-csl:SDN-47895"}  # MICROELECTRONICS, DIGITAL, INNOHUB
    assert rosatom <= set(latin) and rosatom <= set(katakana)
    for entry in rosatom:
        assert abs(katakana[entry] - latin[entry]) <= 0.05, entry
    full = screen(bundled_index, Query(("ロスアトム・マイクロエレクトロニクス",)), config)[0]
    assert full.match and full.party.id == "us-csl:SDN-51225"


@pytest.mark.parametrize(
    ("query", "other"),
    [
        ("KBM 株式会社NPK", "､株式会社「SmAZ」"),  # two companies of the METI lists sharing only 株式会社
        ("ABC株式会社XYZ", "DEF株式会社GHI"),
        ("東芝TEC株式会社", "東芝株式会社"),  # Toshiba TEC is not Toshiba
        ("三星电子Samsung", "三星电子Apple"),
    ],
)
def test_names_mixing_chinese_characters_and_latin_letters_keep_their_latin_words(query: str, other: str) -> None:
    """Every reading (pinyin, Japanese, Korean) keeps the Latin words of a mixed name: the Korean reading of the
    characters alone read both names *jusikhoesa* and matched them at 1.00."""
    for schema in ("Organization", None):
        index = ScreeningIndex.build([_one(other)])
        results = screen(index, Query((query,), schema))
        assert not any(r.match for r in results), [r.explanation for r in results]


@pytest.mark.parametrize(
    ("query", "other"),
    [
        ("株式会社NPK", "NPK Co., Ltd."),
        ("KBM 株式会社NPK", "JSC NPK KBM"),  # one entry of the METI End User List
        ("三星电子Samsung", "Samsung Electronics"),
        ("삼성전자Samsung", "Samsung Electronics"),
    ],
)
def test_a_mixed_script_name_finds_its_latin_name(query: str, other: str) -> None:
    best = screen(ScreeningIndex.build([_one(other)]), Query((query,), "Organization"))
    assert best and best[0].match, query


def test_kbm_npk_in_characters_finds_its_entry_and_not_smaz() -> None:
    """Both names are on the METI lists as written here (SmAZ on the Russia export ban); against every bundled list
    blocking reaches SmAZ, which the Korean reading of the characters alone scored 1.00."""
    index = ScreeningIndex.build(load_bundled(i) for i in bundled_ids())
    results = screen(index, Query(("KBM 株式会社NPK",)))
    assert results[0].match and results[0].matched_name == "JSC NPK KBM"
    assert not any("SmAZ" in r.matched_name for r in results)
