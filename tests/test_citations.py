"""Chicago notes-bibliography forms (CMOS 18), one test per case our sources raise.

Expected strings are written out by hand from the manual's rules; *italics* mark
Emph. The same records are checked against pandoc in test_oracle.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from briefgen.citations import (
    bibliography_entry,
    bibliography_sort_key,
    format_source_list,
    full_note,
    headline_case,
    short_note,
    short_title_text,
)
from briefgen.csljson import to_csl_json
from briefgen.document import Emph, Link, Text
from briefgen.models import Source

FIXTURES = Path(__file__).parent / "fixtures" / "chicago"


def md(inlines) -> str:
    out = []
    for n in inlines:
        if isinstance(n, Text):
            out.append(n.text)
        elif isinstance(n, Emph):
            out.append("*" + md(n.children) + "*")
        elif isinstance(n, Link):
            assert md(n.children) == n.url  # the address is shown and links to itself
            out.append(md(n.children))
    return "".join(out)


@pytest.fixture(scope="module")
def rec() -> dict[str, Source]:
    data = yaml.safe_load((FIXTURES / "records.yaml").read_text(encoding="utf-8"))
    return {d["id"]: Source.model_validate(d) for d in data}


def forms(source: Source, style: str = "mdy") -> tuple[str, str, str]:
    return (md(full_note(source, date_style=style)), md(short_note(source)),
            md(bibliography_entry(source, date_style=style)))


# --------------------------------------------------------------------------- the five sources


def test_news_korean_author_never_inverted(rec):
    full, short, bib = forms(rec["herald-ji"], "dmy")
    url = "https://www.koreaherald.com/view.php?ud=20230214000775"
    assert full == ("Ji Da-gyum, \u201cS. Korea, NATO Carve Out Path to Step Up Military "
                    f"Cooperation,\u201d *Korea Herald*, 14 February 2023, {url}.")
    assert short == "Ji, \u201cS. Korea, NATO Carve Out Path.\u201d"
    assert bib == ("Ji Da-gyum. \u201cS. Korea, NATO Carve Out Path to Step Up Military "
                   f"Cooperation.\u201d *Korea Herald*, 14 February 2023. {url}.")


def test_supplied_title_in_brackets_and_no_author(rec):
    full, short, bib = forms(rec["asean-supplied"])
    title = ("NATO Delegation Set to Strengthen Ties with South Korea amid Growing "
             "Concerns in Indo-Pacific")
    url = rec["asean-supplied"].url
    assert full == f"\u201c[{title}],\u201d *ASEAN Daily*, December 13, 2023, {url}."
    assert short == "*ASEAN Daily*, \u201c[NATO Delegation Set].\u201d"
    assert bib == f"*ASEAN Daily*. \u201c[{title}].\u201d December 13, 2023. {url}."


def test_commentary_month_only_republished(rec):
    full, short, bib = forms(rec["diplomat-republished"], "dmy")
    url = rec["diplomat-republished"].url
    title = "NATO\u2019s New Mission: Keep America In, Russia Down, and China Out"
    assert full == (f"\u201c{title},\u201d *Diplomat*, July 2024, republished at "
                    f"chinaobservers.eu, {url}.")
    assert short == "*Diplomat*, \u201cNATO\u2019s New Mission.\u201d"
    assert bib == (f"*Diplomat*. \u201c{title}.\u201d July 2024. Republished at "
                   f"chinaobservers.eu. {url}.")


def test_syndicated_copy(rec):
    full, short, bib = forms(rec["asiatimes-menafn"], "dmy")
    url = rec["asiatimes-menafn"].url
    title = "South Korea Gets Closer to NATO in the Indo-Pacific"
    assert full == (f"\u201c{title},\u201d *Asia Times*, syndicated by MENAFN, "
                    f"29 August 2024, {url}.")
    assert short == "*Asia Times*, \u201cSouth Korea Gets Closer.\u201d"
    assert bib == (f"*Asia Times*. \u201c{title}.\u201d Syndicated by MENAFN, "
                   f"29 August 2024. {url}.")


def test_think_tank_untitled_gets_a_description(rec):
    full, short, bib = forms(rec["kfvub-untitled"], "dmy")
    assert full == "Anthony Crescente, untitled analysis, KF-VUB Korea Chair, 13 July 2023."
    assert short == "Crescente, untitled analysis."
    assert bib == "Crescente, Anthony. Untitled analysis. KF-VUB Korea Chair, 13 July 2023."


# --------------------------------------------------------------------------- other cases


def test_no_date_gives_nd_and_access_date(rec):
    full, short, bib = forms(rec["news-no-date"], "dmy")
    url = rec["news-no-date"].url
    assert full == (f"\u201cInteroperability in Practice,\u201d *Example Daily*, n.d., "
                    f"accessed 23 November 2026, {url}.")
    assert bib == (f"*Example Daily*. \u201cInteroperability in Practice.\u201d n.d. "
                   f"Accessed 23 November 2026. {url}.")


def test_access_date_only_when_undated(rec):
    assert "accessed" not in forms(rec["news-one-author"])[0]
    assert "Accessed" not in forms(rec["news-one-author"])[2]


def test_authors_two_three_four_seven(rec):
    assert forms(rec["commentary-two"])[0].startswith("Alice Brown and Robert Green, ")
    assert forms(rec["commentary-two"])[1].startswith("Brown and Green, ")
    assert forms(rec["commentary-two"])[2].startswith("Brown, Alice, and Robert Green. ")
    assert forms(rec["commentary-three"])[0].startswith("Carol Adams et al., ")
    assert forms(rec["commentary-three"])[1].startswith("Adams et al., ")
    assert forms(rec["commentary-three"])[2].startswith(
        "Adams, Carol, David Baker, and Erin Clark. ")
    assert forms(rec["commentary-four"])[2].startswith(
        "Young, Frank, Grace Hall, Henry King, and Irene Lee. ")
    assert forms(rec["commentary-seven"])[0].startswith("Jack Moore et al., ")
    assert forms(rec["commentary-seven"])[2].startswith(
        "Moore, Jack, Kate Nash, Liam Owen, et al. \u201cA Report Card")


def test_mixed_korean_and_western_names(rec):
    full, short, bib = forms(rec["mixed-korean-first"])
    assert full.startswith("Ji Da-gyum and Jane Smith, \u201cShin Won-sik Meets NATO")
    assert short.startswith("Ji and Smith, ")
    assert bib.startswith("Ji Da-gyum and Jane Smith. ")
    full, short, bib = forms(rec["mixed-western-first"])
    assert short == "Brown and Kim, \u201cPartners across Two Oceans.\u201d"
    assert bib.startswith("Brown, Alice, and Kim Min-ji. ")


def test_month_precision_and_date_styles(rec):
    assert ", April 2024, " in forms(rec["news-month-only"], "dmy")[0]
    assert ", April 2024, " in forms(rec["news-month-only"], "mdy")[0]
    assert ", 5 March 2024, " in forms(rec["news-one-author"], "dmy")[0]
    assert ", March 5, 2024, " in forms(rec["news-one-author"], "mdy")[0]


def test_question_mark_title_takes_no_comma(rec):
    full, short, bib = forms(rec["news-question-title"])
    assert "\u201cIs NATO Going Global?\u201d *Example Daily*, July 8, 2024" in full
    assert short == "Smith, \u201cIs NATO Going Global?\u201d"
    assert "\u201cIs NATO Going Global?\u201d *Example Daily*" in bib


def test_think_tank_titled_and_anonymous(rec):
    full, short, bib = forms(rec["thinktank-titled"])
    assert full.startswith("Lee Soo-jin, \u201cCyber Defence Cooperation between NATO and the "
                           "Republic of Korea,\u201d Example Institute for Security Studies, ")
    full, short, bib = forms(rec["thinktank-no-author"])
    assert short == ("Example Institute for Security Studies, "
                     "\u201cWhat the Washington Summit Means.\u201d")
    assert bib.startswith("Example Institute for Security Studies. \u201cWhat the Washington")


def test_locator_in_full_and_short_notes(rec):
    s = rec["herald-ji"]
    assert md(full_note(s, "para. 4")).endswith(", February 14, 2023, para. 4, " + s.url + ".")
    assert md(short_note(s, "para. 5")) == "Ji, \u201cS. Korea, NATO Carve Out Path,\u201d para. 5."


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("raw, expected", [
    ("S. Korea, NATO carve out path to step up military cooperation",
     "S. Korea, NATO Carve Out Path to Step Up Military Cooperation"),
    ("South Korea Gets Closer To NATO In The Indo-Pacific",
     "South Korea Gets Closer to NATO in the Indo-Pacific"),
    ("NATO's New Mission: Keep America In, Russia Down, and China Out",
     "NATO's New Mission: Keep America In, Russia Down, and China Out"),
    ("the alliance at seventy-five", "The Alliance at Seventy-Five"),
    ("what it is for", "What It Is For"),
    ("a look at: the ITPP", "A Look At: The ITPP"),
])
def test_headline_case(raw, expected):
    assert headline_case(raw) == expected


@pytest.mark.parametrize("title, expected", [
    ("Cyber Defence Cooperation between NATO and the Republic of Korea",
     "Cyber Defence Cooperation between NATO"),
    ("The Alliance at Seventy-Five", "Alliance at Seventy-Five"),
    ("NATO's New Mission: Keep America In", "NATO's New Mission"),
    ("Three Lessons from the Vilnius Summit", "Three Lessons"),
    ("Intelligence Sharing after BICES", "Intelligence Sharing after BICES"),
])
def test_short_title(title, expected):
    assert short_title_text(title) == expected


def test_bibliography_order_ignores_initial_article(rec):
    ordered = [s.id for s in sorted(rec.values(), key=bibliography_sort_key)]
    assert ordered.index("commentary-three") < ordered.index("asean-supplied") \
        < ordered.index("asiatimes-menafn") < ordered.index("commentary-two")
    assert ordered.index("diplomat-republished") < ordered.index("news-no-author")
    assert ordered[-1] == "commentary-four"


def test_source_list_one_line_each(rec):
    text = format_source_list(rec.values())
    lines = text.splitlines()
    assert len(lines) == len(rec)
    line = next(ln for ln in lines if ln.startswith("herald-ji "))
    assert "news-article" in line and line.rstrip().endswith(
        "Korea Herald, 14 February 2023. https://www.koreaherald.com/view.php?ud=20230214000775.")


def test_csl_json_items(rec):
    items = {i["id"]: i for i in to_csl_json(rec.values())}
    json.dumps(items)  # serialisable
    ji = items["herald-ji"]
    assert ji["type"] == "article-newspaper"
    assert ji["author"] == [{"literal": "Ji Da-gyum"}]
    assert ji["container-title"] == "Korea Herald"
    assert ji["issued"] == {"date-parts": [[2023, 2, 14]]}
    assert ji["accessed"] == {"date-parts": [[2026, 11, 23]]}
    assert items["diplomat-republished"]["issued"] == {"date-parts": [[2024, 7]]}
    assert items["diplomat-republished"]["type"] == "article-magazine"
    assert items["diplomat-republished"]["archive"] == "chinaobservers.eu"
    assert "issued" not in items["news-no-date"]
    assert items["kfvub-untitled"]["genre"] == "untitled analysis"
    assert "title" not in items["kfvub-untitled"]
    assert items["asean-supplied"]["title"].startswith("[NATO Delegation")
    assert items["asiatimes-menafn"]["container-title"] == "Asia Times"
    assert items["asiatimes-menafn"]["archive"] == "MENAFN"
    assert items["commentary-two"]["author"][0] == {"family": "Brown", "given": "Alice"}
    for item in items.values():  # no "key: value" lines, which tools read as variables
        assert not re.match(r"^[\w-]+: ", item.get("note", ""), re.M)
