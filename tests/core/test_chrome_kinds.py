"""Each kind of chrome, on our own captures in several page styles.

A small article is laid out three ways (blank-line paragraphs, one paragraph per line, and
a page with a menu and footer around it); each kind of chrome is put where sites put it.
The body must come out whole and the chrome line must be removed with its reason.
"""

from __future__ import annotations

import pytest

from summitreader.core.clean import clean

TITLE = "Coastal nations agree to pool fisheries data"
BYLINE = "By Marta Lindqvist"
DATE = "March 4, 2025"
BODY = [
    "Delegates from twelve coastal nations agreed on Tuesday to share fisheries data in real "
    "time, ending years of disputes over quotas in the northern waters.",
    "The agreement, signed in the port city of Halvik, sets up a joint monitoring centre that "
    "will publish catch figures every week.",
    "What changes for fishers",
    "Boats longer than twelve metres will carry satellite trackers from next spring, and "
    "their logbooks will be filed electronically.",
    "“This is the first time we can all see the same numbers,” said Ingrid Solberg, who "
    "chaired the talks.",
    "Critics say the deal leaves out smaller vessels, which land nearly a third of the catch.",
    "It did not satisfy everyone.",
]
MENU = ["Skip to content", "Menu", "News  World  Business  Sport  Culture", "Sign in"]
FOOTER = ["Privacy Policy", "Terms of Use", "Contact Us"]

# (chrome line, expected reason, where it goes: top / middle / bottom)
CASES: list[tuple[str, str, str]] = [
    ("Send to", "share-row", "top"),
    ("Share  Facebook  Twitter  WhatsApp  Email", "share-row", "top"),
    ("Home > World > Europe", "breadcrumb", "top"),
    ("You are here: News", "breadcrumb", "top"),
    ("Skip to main content", "navigation", "top"),
    ("Listen to this article", "navigation", "top"),
    ("5 min read", "metadata", "top"),
    (
        "We use cookies to personalise content and ads. By continuing you accept our cookie "
        "policy.",
        "cookie-notice",
        "top",
    ),
    ("Accept all cookies", "cookie-notice", "top"),
    ("Advertisement", "advertisement", "middle"),
    ("ADVERTISEMENT", "advertisement", "middle"),
    ("Story continues below advertisement", "advertisement", "middle"),
    ("Publicidad", "advertisement", "middle"),
    ("Anzeige", "advertisement", "middle"),
    ("Also Read: Fishing fleets brace for a lean season", "related-links", "middle"),
    ("READ MORE: Who decides the quotas?", "related-links", "middle"),
    ("Lire aussi : Les pêcheurs bretons inquiets", "related-links", "middle"),
    ("VIDEO: Trawlers return to Halvik harbour", "media-label", "middle"),
    ("Image Source : AP Trawlers moored in Halvik harbour", "caption", "middle"),
    ("Trawlers moored in Halvik harbour on Monday. (Photo: Getty Images)", "caption", "middle"),
    ("Trawlers moored in Halvik harbour on Monday. Photo: Reuters/Anna Berg", "caption", "middle"),
    (
        "Sign up for our morning newsletter and get the day's news in your inbox.",
        "newsletter",
        "middle",
    ),
    ("Related Topics", "related-links", "bottom"),
    ("Trending Now", "related-links", "bottom"),
    ("Popular this week", "related-links", "bottom"),
    ("Most read", "related-links", "bottom"),
    ("관련기사", "related-links", "bottom"),
    ("Give Feedback", "feedback-prompt", "bottom"),
    ("Report an error", "feedback-prompt", "bottom"),
    ("Comments", "comments", "bottom"),
    ("Be the first to comment", "comments", "bottom"),
    ("© 2025 Harbour Media Ltd. All rights reserved.", "copyright", "bottom"),
    ("Tags: Fisheries, Oceans, Diplomacy", "tags", "bottom"),
    (
        "Read all the Breaking News Live on example-news.com and Get Latest English News & "
        "Updates from World",
        "promo",
        "bottom",
    ),
    ("Follow us on Twitter and Facebook for the latest updates", "promo", "bottom"),
    (
        "(This story has not been edited by Example staff and is auto-generated from a "
        "syndicated feed.)",
        "syndication-note",
        "bottom",
    ),
    ("(With inputs from agencies)", "syndication-note", "bottom"),
    ("(Reporting by Anna Berg; Editing by Tom Hale)", "credit", "bottom"),
]

STYLES = ("blank-lines", "one-per-line", "menu-and-footer")


def _page(style: str, top: list[str], middle: list[str], bottom: list[str]) -> str:
    body = BODY[:3] + middle + BODY[3:]
    blocks = top + [TITLE, BYLINE, DATE] + body + bottom
    if style == "menu-and-footer":
        blocks = MENU + top + [TITLE, BYLINE, DATE] + body + bottom + FOOTER
    sep = "\n" if style == "one-per-line" else "\n\n"
    return sep.join(blocks) + "\n"


def _check_body(raw: str) -> None:
    article = clean(raw)
    assert [p.text for p in article.paragraphs] == BODY
    assert [p.text for p in article.paragraphs if p.kind == "heading"] == [BODY[2]]
    assert article.title == TITLE
    assert article.byline == "Marta Lindqvist"
    assert article.date == "2025-03-04"


@pytest.mark.parametrize("style", STYLES)
def test_plain_article_keeps_everything(style: str) -> None:
    article = clean(_page(style, [], [], []))
    _check_body(_page(style, [], [], []))
    reasons = {r.reason for r in article.removed}
    assert reasons <= {"metadata", "navigation"}  # the byline/date lines, menus if any


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("line", "reason", "where"), CASES, ids=[c[0][:30] for c in CASES])
def test_chrome_is_removed_with_its_reason(style: str, line: str, reason: str, where: str) -> None:
    placed = {"top": [], "middle": [], "bottom": []}
    placed[where] = [line]
    raw = _page(style, placed["top"], placed["middle"], placed["bottom"])
    _check_body(raw)
    article = clean(raw)
    assert (line, reason) in {(r.text, r.reason) for r in article.removed}


@pytest.mark.parametrize("style", STYLES)
def test_story_list_after_a_heading_is_removed(style: str) -> None:
    links = [
        "Most read",
        "Fishing fleets brace for a lean season",
        "Who decides the quotas? An explainer",
        "Storm warnings issued for the northern coast",
    ]
    raw = _page(style, [], [], links)
    _check_body(raw)
    removed = {r.text: r.reason for r in clean(raw).removed}
    assert all(removed[link] == "related-links" for link in links)


@pytest.mark.parametrize("style", STYLES)
def test_repeated_headline_and_duplicate_paragraph(style: str) -> None:
    raw = _page(style, [], [TITLE, BODY[1]], [])
    _check_body(raw)
    reasons = [r.reason for r in clean(raw).removed]
    assert "repeated-title" in reasons and "duplicate-paragraph" in reasons


@pytest.mark.parametrize("style", STYLES)
def test_truncated_alt_text_before_its_caption(style: str) -> None:
    caption = "Image: Trawlers moored in Halvik harbour on Monday morning after the vote"
    alt = "Trawlers moored in Halvik harbour on Mon"
    raw = _page(style, [], [alt, caption], [])
    _check_body(raw)
    article = clean(raw)
    assert {r.text for r in article.removed if r.reason == "caption"} == {alt, caption}
    assert article.captions == (caption,)


@pytest.mark.parametrize("style", STYLES)
def test_publisher_blurb_with_address_before_the_headline(style: str) -> None:
    blurb = [
        "Harbour Media is a leading news organisation serving the northern coast since 1921.",
        "  • Harbour House, 4 Quay Street, Halvik",
        "  • Telephone: +47 555 0100",
        "  • Email: [email\u00a0protected]",
    ]
    raw = _page(style, blurb, [], [])
    _check_body(raw)
    article = clean(raw)
    removed = {r.text: r.reason for r in article.removed}
    assert all(removed[line.strip()] == "publisher-blurb" for line in blurb)
    assert article.source == "Harbour Media"


@pytest.mark.parametrize("style", STYLES)
def test_page_header_date_before_headline_loses_to_byline_date(style: str) -> None:
    raw = _page(style, ["Friday, March 14, 2025"], [], [])
    article = clean(raw)
    assert article.date == "2025-03-04"
    assert ("Friday, March 14, 2025", "page-date") in {(r.text, r.reason) for r in article.removed}


def test_standfirst_between_headline_and_byline() -> None:
    dek = "Twelve governments will publish catch figures every week under the new deal."
    raw = "\n\n".join([TITLE, dek, f"{BYLINE} | Updated: 04-03-2025 10:00", *BODY])
    article = clean(raw)
    assert article.dek == dek
    assert [p.text for p in article.paragraphs] == BODY


def test_agency_dateline_names_the_source() -> None:
    first = "HALVIK, March 4 (Reuters) - " + BODY[0]
    raw = "\n\n".join([TITLE, BYLINE, DATE, first, *BODY[1:]])
    assert clean(raw).source == "Reuters"


def test_prose_that_starts_like_chrome_is_kept() -> None:
    body = [
        "Share prices of the largest fishing firms fell 4% on Tuesday after the deal was signed.",
        "Follow-up talks are planned for the autumn in Reykjavik, officials said.",
        "Read together, the two reports paint a bleak picture of the northern stocks.",
        "Comments from the industry were mostly critical of the new reporting rules.",
    ]
    raw = "\n\n".join([TITLE, BYLINE, DATE, *body])
    assert [p.text for p in clean(raw).paragraphs] == body


def test_key_points_list_is_content() -> None:
    points = [
        "  • Boats over twelve metres must carry satellite trackers from next spring.",
        "  • Catch figures will be published every week by a joint centre.",
        "  • Smaller vessels are exempt from the new reporting rules for now.",
    ]
    raw = "\n\n".join([TITLE, BYLINE, DATE, BODY[0], "\n".join(points), *BODY[1:]])
    texts = [p.text for p in clean(raw).paragraphs]
    assert [t for t in texts if t.startswith("•")] == [p.strip() for p in points]
