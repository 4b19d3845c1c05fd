"""The cleaner's vocabulary: phrases and shapes of news-site chrome, in several languages.

Each rule describes a *kind* of chrome as sites in general print it ("Share", "Most read",
"Story continues below advertisement"), never one outlet's exact sentence or one file. All
patterns run on single short lines (see :data:`MAX_RULE_LEN`) and are free of nested
quantifiers, so they stay linear on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final, cast

from summitreader.core.words import count_shape_words, latin_1_bytes

#: Lines longer than this are never chrome by phrase rules: chrome is short.
MAX_RULE_LEN: Final = 400

#: Whether this module runs compiled by mypyc (a wheel's build compiles it where it can, see
#: ``hatch_build.py``): a compiled module's file is the extension, not the source. Two of the
#: scans below then take a form that is quicker compiled and slower interpreted; both forms
#: give the same answers (tests/core/test_compiled_forms.py checks them against each other).
COMPILED: Final = __file__.endswith((".so", ".pyd"))

_KEY_DROP: Final = re.compile(r"[^\w\s&'’]|_")
# The same for the ASCII bytes of UTF-8 text, as a table: ``bytes.translate`` does that in
# one pass, several times quicker than ``str.translate`` or the regex. Whitespace becomes a
# plain space too: ``bytes.split`` does not split on the separators U+001C..U+001F, as
# ``str.split`` and ``\s`` do. Bytes from 128 up (the rest of a UTF-8 sequence) stay.
_KEY_DROP_BYTES: Final = bytes(
    32 if c < 128 and (_KEY_DROP.match(chr(c)) or chr(c).isspace()) else c for c in range(256)
)
# What the table leaves to do in non-ASCII text: the non-ASCII characters ``_KEY_DROP``
# drops. Matching ASCII against this class is a quick range test, so text with a few
# accented letters or curly quotes costs little more than ASCII.
_KEY_DROP_NON_ASCII: Final = re.compile(r"[^\x00-\x7f\w\s’]")


def key(text: str) -> str:
    """A line reduced for phrase lookup: case-folded, punctuation to spaces, spaces folded."""
    return _key_of_folded(text.casefold())


def _key_of_folded(low: str) -> str:
    """:func:`key` of a line already case-folded (the phrase rules fold each line once)."""
    if low.isascii():
        return " ".join(low.encode().translate(_KEY_DROP_BYTES).decode().split())
    text = low.encode("utf-8", "surrogatepass").translate(_KEY_DROP_BYTES)
    dropped = _KEY_DROP_NON_ASCII.sub(" ", text.decode("utf-8", "surrogatepass"))
    return " ".join(dropped.replace("’", "'").split())


# :data:`_KEY_DROP_BYTES` for Latin-1 text, every byte its own character: what the key
# drops, and whitespace, become a plain space (see :func:`key_and_words`).
_KEY_DROP_LATIN_1: Final = bytes(
    32 if _KEY_DROP.match(chr(c)) or chr(c).isspace() else c for c in range(256)
)


def key_and_words(low: str) -> tuple[str, int | None]:
    """:func:`key` of a case-folded line, with the word count of the line it was folded from.

    The count is :func:`~summitreader.core.words.count_words` of any line ``text`` with
    ``text.casefold() == low`` (the unit's words), or None when it is left to the caller:
    for a line that is not Latin-1 once its curly quotes and dashes are set aside.

    Cleaning asks both of every line, and both are byte tables over the same Latin-1 bytes
    (:func:`~summitreader.core.words.count_latin_words` replaces the same stand-ins before
    it encodes): one encoding serves both, and text with curly quotes or accented letters
    gets its key from the table too rather than from :data:`_KEY_DROP_NON_ASCII`.

    Exact for the key: the Latin-1 table drops what ``_KEY_DROP`` drops; the stand-ins are
    what the key drops too, but the curly apostrophe, which the key writes as "'" as well.
    Exact for the count: case folding goes character by character and maps a character
    that folds into Latin-1 to characters of its kind for the count (a word character to
    word characters, a joiner to itself, anything else to neither), so the folded line has
    the words of the line (tests/core/test_units_fused.py checks every character).
    """
    data = latin_1_bytes(low)
    if data is None:
        return _key_of_folded(low), None
    words = count_shape_words(data)
    return " ".join(data.translate(_KEY_DROP_LATIN_1).decode("latin-1").split()), words


def any_of(words: tuple[str, ...]) -> Callable[[str], bool]:
    """A test of whether a string holds one of ``words``: one ``or``-chain of ``in`` tests.

    The phrase rules make about a hundred such tests on every line of a capture.
    ``any(w in s for w in words)`` pays a function call per word; the chain runs the same
    tests as bytecode, two to three times faster. The words are this module's own
    vocabulary, written into the expression with ``repr``; nothing from a capture is.
    Compiled (see :data:`COMPILED`), a loop is quicker: :class:`AnyOf`.
    """
    if COMPILED:
        return AnyOf(words)
    return or_chain(words)


def or_chain(words: tuple[str, ...]) -> Callable[[str], bool]:
    """:func:`any_of` as the interpreter runs it fastest: one expression, ``"a" in s or ...``."""
    test = " or ".join(f"{word!r} in s" for word in words) or "False"
    return cast(Callable[[str], bool], eval(f"lambda s: {test}"))


class AnyOf:
    """:func:`any_of` as mypyc compiles it well: a loop, each test a direct call.

    Compiled, an ``eval``-made chain would be the one piece of interpreted code left on
    every line; interpreted, this loop is the slower of the two.
    """

    __slots__ = ("words",)

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words: Final = words

    def __call__(self, s: str) -> bool:
        return any(word in s for word in self.words)  # compiled: a loop, no generator


# Letters that a case-insensitive regex takes for "i" but ``str.casefold`` does not map to
# "i" (Turkish dotted capital and dotless small i). See :func:`may_contain`.
_UNFOLDED_I: Final = ("\u0130", "\u0131")
_HOLDS_UNFOLDED_I: Final = any_of(_UNFOLDED_I)


def may_contain(text: str, low: str, holds_needle: Callable[[str], bool]) -> bool:
    """Whether ``text`` may hold a case-insensitive match of a phrase with a needle in it.

    ``low`` is ``text.casefold()`` and ``holds_needle`` an :func:`any_of` test for needles,
    lower-case strings one of which every match of the phrase holds. A quick and exact
    pre-test for the regexes below that the engine has to try at every position of a line
    (slow: dozens of case-insensitive alternatives per character): substring tests are ten
    times cheaper. Exact because ``casefold`` maps every character such a regex takes for a
    needle's character to that very character -- except the two Turkish i's, so a line
    holding one is passed on to the regex (tests/core/test_rules_pretests.py checks both).
    """
    return holds_needle(low) or (not text.isascii() and _HOLDS_UNFOLDED_I(text))


def _words(words: str) -> tuple[str, ...]:
    """The words of a gate, written ``"a|b|c"``: lower-case substrings its regex needs."""
    return tuple(words.split("|"))


def _leads(words: str) -> tuple[str, ...]:
    r"""What a line-start rule's matches open with, written ``"a|b|c"``: see :func:`_lead_scan`.

    Lower-case strings, one of which the case-folded line starts with, once its leading
    non-word characters are set aside, whenever the rule matches; ``\d`` stands for a decimal
    digit. A string may be shorter than the phrases it stands for ("sign" for "sign in to
    comment") -- that only lets the rule run on a few more lines -- but never longer.
    Keep them in step when adding a phrase (tests/core/test_rules_pretests.py checks).
    """
    return _words(words)


def _gate(words: str) -> Callable[[str], bool]:
    """A rule's gate: whether a line (case-folded) holds one of the words its regex needs.

    Most lines of an article hold none, and the gates keep cleaning fast on long captures.
    Plain substrings (an :func:`any_of` test): cheaper than one regex of alternatives. The
    gates every line meets are asked all at once instead (see :func:`_needle_scan`).
    """
    return any_of(_words(words))


def _trie(words: list[str]) -> str:
    """A regex of ``words`` (literal strings) with shared beginnings written once.

    The engine tries the alternatives of a group one by one, skipping each quickly when its
    first character differs; in this shape it makes one such test per word that can start
    at a position, not one per word, so a hundred words cost a few of them.
    A word that is the start of a longer one is written as an optional rest (greedy), so at
    each position the longest word found there is matched.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(rest) for ch, rest in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


def _needle_scan(groups: tuple[tuple[str, ...], ...], pivots: str = "") -> Callable[[str], int]:
    """:func:`_regex_needle_scan`, or compiled (see :data:`COMPILED`) a :class:`NeedleAutomaton`.

    Both give the same answers. Interpreted, the regex is the quicker by far; compiled, the
    automaton does in a loop of list lookups what the regex engine does with a dozen tests
    at each character it tries.
    """
    if COMPILED:
        return NeedleAutomaton(groups)
    return _regex_needle_scan(groups, pivots)


class NeedleAutomaton:
    """Which of ``groups`` (of needles) a case-folded line holds, by an Aho-Corasick automaton.

    The automaton reads the line's UTF-8 bytes one by one and is, after each, in the state
    of the longest end of what it read that begins some needle; each state carries the bits
    of every needle that ends there. Exact: UTF-8 is self-synchronising (no character's
    bytes occur inside another's, nor across two), so a needle's bytes occur in the line's
    exactly where the needle occurs in the line. Lone surrogates, which sanitised text may
    hold, are encoded as three bytes like any other character of their range.

    The table of moves (256 a state) is built on first use, not at import.
    """

    __slots__ = ("groups", "table", "found")

    def __init__(self, groups: tuple[tuple[str, ...], ...]) -> None:
        self.groups: Final = groups
        self.table: list[int] = []  # state * 256 + byte -> the next state
        self.found: list[int] = []  # state -> the bits of the needles that end there

    def _build(self) -> None:
        bits: dict[bytes, int] = {}
        for bit, needles in enumerate(self.groups):
            for needle in needles:
                data = needle.encode("utf-8", "surrogatepass")
                bits[data] = bits.get(data, 0) | 1 << bit
        children: list[dict[int, int]] = [{}]  # the trie of the needles' bytes
        found = [0]
        for data, needle_bits in bits.items():
            state = 0
            for byte in data:
                child = children[state].get(byte)
                if child is None:
                    child = len(children)
                    children[state][byte] = child
                    children.append({})
                    found.append(0)
                state = child
            found[state] |= needle_bits
        # Breadth first, so that a state's fallback (the longest proper end of its bytes
        # that begins a needle, a shallower state) has its row of moves before the states
        # below it copy it: a state moves as its fallback does, but on its own children.
        fallback = [0] * len(children)
        table = [0] * (256 * len(children))
        queue = list(children[0].values())
        for byte, child in children[0].items():
            table[byte] = child
        at = 0
        while at < len(queue):
            state = queue[at]
            at += 1
            found[state] |= found[fallback[state]]
            row, fallback_row = state * 256, fallback[state] * 256
            table[row : row + 256] = table[fallback_row : fallback_row + 256]
            for byte, child in children[state].items():
                fallback[child] = table[fallback_row + byte]
                table[row + byte] = child
                queue.append(child)
        # The table last: a scan in another thread takes a filled table as the sign that
        # the automaton is built, and reads ``found`` with it.
        self.found = found
        self.table = table

    def __call__(self, low: str) -> int:
        if not self.table:
            self._build()
        table = self.table
        found = self.found
        state = 0
        held = 0
        for byte in low.encode("utf-8", "surrogatepass"):
            state = table[state * 256 + byte]
            ends = found[state]
            if ends:
                held |= ends
        return held


def _regex_needle_scan(
    groups: tuple[tuple[str, ...], ...], pivots: str = ""
) -> Callable[[str], int]:
    """A test of which of ``groups`` (of lower-case needles) a case-folded line holds one of.

    Returns a function of the line giving a bit mask: bit ``i`` is set when the line holds a
    needle of ``groups[i]``, exactly as ``any(n in low for n in groups[i])`` would say. Every
    line meets a dozen gates and pre-tests, a hundred substring tests in all (about 6
    microseconds a line); most lines hold none of the words, and one regex of all of them
    (see :func:`_trie`) says so in a fraction of that.

    The regex looks for each needle by its *form*: its end from the first of ``pivots`` with
    two more characters after it ("newsletter" by "wsletter"), the needle itself if it has
    none. The engine tries a match at each character that a form opens with: when the
    pivots are letters that words seldom open with, at a third of a line's characters
    instead of two. Where a form is found, the needles it ends are checked in full.

    Exact: a line holds a needle where it holds the needle's form with the rest of the
    needle before it. The regex is searched again from each position after one where a form
    was found, so every position where a form starts is seen, and the forms that start at
    one position are each the start of the longest, the one matched; the needles of all of
    them are checked there.
    """
    bits: dict[str, int] = {}
    for bit, needles in enumerate(groups):
        for needle in needles:
            bits[needle] = bits.get(needle, 0) | 1 << bit
    ending: dict[str, list[tuple[str, int]]] = {}  # each form's needles, with what is before it
    for needle in bits:
        form = _form(needle, pivots)
        ending.setdefault(form, []).append((needle, len(needle) - len(form)))
    # For each form, the bits set wherever it is found (of needles that are their form) and
    # the needles to check in full: those of each form that starts it.
    sure: dict[str, int] = {}
    unsure: dict[str, tuple[tuple[str, int, int], ...]] = {}
    for found in ending:
        ended = [n for end in range(len(found)) for n in ending.get(found[: end + 1], ())]
        sure[found] = _or_all(bits[needle] for needle, back in ended if not back)
        unsure[found] = tuple((needle, back, bits[needle]) for needle, back in ended if back)
    search = re.compile(_trie(sorted(sure))).search

    def scan(low: str) -> int:
        held = 0
        match = search(low)
        while match is not None:
            at, found = match.start(), match.group()
            held |= sure[found]
            for needle, back, needle_bits in unsure[found]:
                if at >= back and low.startswith(needle, at - back):
                    held |= needle_bits
            match = search(low, at + 1)
        return held

    return scan


def _form(needle: str, pivots: str) -> str:
    """What :func:`_regex_needle_scan` looks for to find ``needle``."""
    for at in range(len(needle) - 2):
        if needle[at] in pivots:
            return needle[at:]
    return needle


_NON_WORD_RUN: Final = re.compile(r"\W*").match
_DIGIT_LEAD: Final = r"\d"


def _lead_scan(groups: tuple[tuple[str, ...], ...]) -> Callable[[str, str], int]:
    r"""A test of which of the line-start rules whose leads are ``groups`` a line may match.

    Returns a function of a line and its casefold giving a bit mask: bit ``i`` is clear only
    when the rule of ``groups[i]`` (see :func:`_leads`) cannot match the line. A dozen
    case-insensitive rules anchored at the start of a line meet every line, and the engine
    enters each of their dozens of alternatives at position 0 (it skips a case-insensitive
    literal no faster than it tries it); one case-sensitive regex of all their leads (see
    :func:`_trie`), matched once on the case-folded line, tells the few that may match.

    Exact: a rule's match sets aside at most its leading non-word characters (``\W{0,3}``,
    ``\(?``) before the letters of a lead, so those letters stand right after the line's
    run of non-word characters -- all of it, since a letter ends it. ``casefold`` maps every
    character that a case-insensitive regex takes for a lead's character to that character
    (except the Turkish i's: the caller runs every rule on a line with one) and folds each
    character on its own, so the casefold of the rest of the line is the end of ``low`` past
    the casefold of that run. The regex matches the longest lead the rest starts with, and
    the bits of all leads that start it are set with it. The regex is compiled on first use,
    not at import.
    """
    bits: dict[str, int] = {}
    digit_bits = 0
    for bit, leads in enumerate(groups):
        for lead in leads:
            if lead == _DIGIT_LEAD:
                digit_bits |= 1 << bit
            else:
                bits[lead] = bits.get(lead, 0) | 1 << bit
    found_bits: dict[str, int] = {}
    match: Callable[[str], re.Match[str] | None] | None = None

    def scan(text: str, low: str) -> int:
        nonlocal match
        if match is None:
            for lead in bits:
                found_bits[lead] = _or_all(bits.get(lead[:end], 0) for end in range(len(lead) + 1))
            match = re.compile(_trie(sorted(bits))).match
        if text[:1].isalnum():  # most lines open with a letter: no run to set aside
            start, rest = text, low
        else:
            run = cast(re.Match[str], _NON_WORD_RUN(text)).end()  # \W* always matches
            start, rest = text[run:], low[len(text[:run].casefold()) :]
        found = match(rest)
        led = found_bits[found.group()] if found is not None else 0
        return led | digit_bits if start[:1].isdecimal() else led

    return scan


def _or_all(masks: Iterable[int]) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


@dataclass(frozen=True)
class _Split:
    """A case-insensitive rule, split by where its phrases stand, with an exact pre-test.

    Searching one regex of all the rule's phrases tried every alternative at every character
    of every line. Now ``start`` holds the phrases that open a line (one attempt, at position
    0) and ``anywhere`` the rest, searched only when the line holds one of ``needles``
    (lower-case strings, one of which every match of ``anywhere`` contains -- keep them in
    step when adding a phrase; tests/core/test_rules_pretests.py checks). Together they match
    exactly the lines the single regex matched.
    """

    start: re.Pattern[str] | None
    anywhere: re.Pattern[str]
    needles: tuple[str, ...]
    holds_needle: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holds_needle", any_of(self.needles))

    def search(self, text: str, low: str | None = None) -> bool:
        """Whether a phrase of the rule is in ``text`` (``low``: its casefold, if at hand)."""
        if self.start is not None and self.start.match(text):
            return True
        if low is None:
            low = text.casefold()
        return may_contain(text, low, self.holds_needle) and self.anywhere.search(text) is not None

    def search_if(self, text: str, may_hold: bool, may_lead: bool = True) -> bool:
        """:meth:`search`, told whether the line may hold a needle (by :func:`_needle_scan`).

        ``may_lead``: whether the line may open as ``start`` matches (by :func:`_lead_scan`).
        """
        if may_lead and self.start is not None and self.start.match(text):
            return True
        return may_hold and self.anywhere.search(text) is not None


def _phrases(*groups: str) -> frozenset[str]:
    return frozenset(key(p) for group in groups for p in group.split("|") if key(p))


SHARE_WORDS: Final = _phrases(
    "share|shares|shared|sharing|facebook|twitter|x|whatsapp|email|e-mail|mail|print|copy|link|"
    "copied|url|linkedin|reddit|telegram|pinterest|messenger|tweet|this|article|story|page|on|via|"
    "send|to|sms|flipboard|bluesky|threads|save|gift|the|partager|teilen|compartir|condividi|"
    "imprimir|imprimer|drucken|공유|シェア|facebook messenger|copy link|x formerly twitter|"
    "a friend|friends|formerly|count|counter|shares|0|links|on x|"
    "فيسبوك|إكس|واتساب|تيليجرام|نسخ الرابط|شارك|الخبر|شارك الخبر|compartilhe|compartilhar|"
    "partilhar|condividi|teilen|merken|compartir en|en|copiar|enlace|copier|le|lien|"
    "поделиться|вконтакте|одноклассники|телеграм|ссылку|скопировать"
)
_SHARE_ANCHORS: Final = _phrases(
    "share|send|tweet|facebook|twitter|whatsapp|email|print|copy|linkedin|telegram|partager|"
    "teilen|compartir|공유|シェア|reddit|pinterest|شارك|compartilhe|compartilhar|count|copiar|"
    "copier|поделиться|вконтакте"
)

RELATED_HEADINGS: Final = _phrases(
    "keep reading|more to read|read more|top picks|editors' pick|editor's pick|editors pick|"
    "watch next|recommended videos|"
    "more videos|companies|more fact-checks|more releases|leggi anche|correlati|"
    "相关新闻|相关阅读|热点推荐|推荐阅读|延伸阅读|热门文章|"
    "related topics|related|related stories|related articles|related news|related content|"
    "related coverage|related links|related reading|more stories|more news|more on this story|"
    "more on this topic|more to explore|あわせて読みたい|こちらもおすすめ|함께 볼만한 뉴스|"
    "suggested topics|"
    "suggested reading|key events|read more stories|more top stories|also read|you may also like|"
    "you might also like|you may like|"
    "recommended|recommended for you|recommended stories|read next|what to read next|up next|"
    "trending|trending now|trending news|trending stories|trending topics|popular|popular now|"
    "popular this week|popular stories|most read|most popular|most viewed|most shared|"
    "most read stories|top stories|top news|latest|latest news|latest stories|latest videos|"
    "editor's picks|editors picks|editors' picks|don't miss|dont miss|in case you missed it|"
    "explore more|more videos|watch more|also on|also in the news|other news|"
    "mehr zum thema|das könnte sie auch interessieren|meistgelesen|meistgelesene artikel|"
    "weitere artikel|lire aussi|à lire aussi|a lire aussi|sur le même sujet|les plus lus|"
    "les plus lus|dans la même rubrique|noticias relacionadas|te puede interesar|lo más leído|"
    "más leídas|mas leidas|más noticias|relacionados|관련기사|관련 기사|많이 본 뉴스|"
    "인기 기사|関連記事|人気記事|leia também|mais lidas|notizie correlate|più letti"
)
_RELATED_PREFIXES: Final = (
    "more from ",
    "more on ",
    "latest from ",
    "more in ",
    "more stories from ",
    "more releases from ",
    "more by ",
)

# The first words of the related headings and of their openings: the key of any line
# is_related_heading takes opens with one of them.
_RELATED_FIRST_WORDS: Final = frozenset(
    phrase.partition(" ")[0] for phrase in (*RELATED_HEADINGS, *_RELATED_PREFIXES)
)

INLINE_RELATED: Final = re.compile(
    r"(?i)^\W{0,3}(also read|read also|read more|more|see also|related|recommended|read|"
    r"اقرأ أيضاً|اقرأ أيضا|اقرأ المزيد|leia também|leia mais|veja também|читайте также|"
    r"must read|don't miss|dont miss|also see|also watch|read next|further reading|"
    r"lire aussi|à lire aussi|a lire aussi|lire également|lea también|lee también|"
    r"leer más|mehr zum thema|auch interessant|lesen sie auch|weiterlesen|mehr dazu|"
    r"leia também|leggi anche|관련기사|관련 기사|関連記事|あわせて読みたい)\s*[:：>»|\-–—]"
)
_INLINE_RELATED_LEADS: Final = _leads(
    "also |read|more|see also|related|recommended|اقرأ |leia |veja também|читайте также|"
    "must read|don't miss|dont miss|further reading|lire |à lire|a lire|lea también|"
    "lee también|leer más|mehr |auch interessant|lesen sie auch|weiterlesen|leggi anche|"
    "관련|関連記事|あわせて読みたい"
)

ADVERTISEMENT: Final = _phrases(
    "advertisement|advertisements|advertising|ad|ads|sponsored|sponsored content|paid content|"
    "promoted|promoted content|partner content|story continues below advertisement|"
    "article continues below advertisement|continue reading below|"
    "scroll to continue with content|scroll to continue|continue reading below the ad|"
    "publicidad|anuncio|publicité|publicite|anzeige|werbung|pubblicità|광고|広告|ad feedback|"
    "report this ad|advertise with us|إعلان|إعلانات|continua após a publicidade|"
    "publicidade|reklama|реклама|sponsored stories|sponsored links|from our partners|"
    "promoted stories|paid partner content|contenuti sponsorizzati|pubblicità|"
    "partner content|sponsored articles"
)
# The shapes of an advertisement's label that open a line, and one that may stand anywhere:
# as one regex, searched on every line holding an ad gate's word, it tried them all at
# every character (see _Split).
_AD_SHAPE: Final = _Split(
    start=re.compile(
        r"(?i)^((story|article|text|content) continues (below|after)\b|"
        r"(advertisement|publicidad|anzeige|publicité)\s*[-–—:]|sponsored by\b.{0,60}$)"
    ),
    anywhere=re.compile(r"(?i)\bquotes (are )?delayed\b"),
    needles=("quotes",),
)

NEWSLETTER: Final = _Split(
    start=re.compile(
        r"(?i)(^(sign up|subscribe)( now| today| for free| here)?\b|^enter your e-?mail|"
        r"^(inscrivez-vous|abonnez-vous|suscríbete|suscribete|jetzt abonnieren|abonnieren)\b|"
        r"^get (news )?alerts\b|^(get|sign up for) (our|the) (free )?"
        r"(daily|weekly|morning|evening)?\s?[\w&' ]{0,40}(digest|bulletin|briefing|newsletter)\b|"
        r"^jetzt (anmelden|abonnieren|registrieren)\b|"
        r"^thank you for (subscribing|signing up)\b|^iscriviti\b|^abbonati\b|"
        r"^(already a subscriber|sei già abbonato)\b)"
    ),
    anywhere=re.compile(
        r"(?i)(\bnewsletters?\b.{0,120}\b(sign up|subscribe|inbox|e-?mail|delivered|free|"
        r"get|daily|weekly|register)\b|\b(sign up|subscribe)\b.{0,120}\bnewsletters?\b|"
        r"\b(in|to|straight to) your inbox\b|"
        r"\bnewsletter (abonnieren|s'inscrire)\b|\b(read|see|view) our privacy (notice|policy)\b|"
        r"\bunsubscribe at any time\b|\bby providing (an|your) e-?mail\b|\bi agree to the terms\b|"
        r"\byour privacy is important\b|"
        r"\b(datenschutz\w*|privacy policy|política de privacidad|"
        r"politique de confidentialité)\b.{0,80}$|"
        r"\b(stories|news|updates) (by|via) e-?mail\b|"
        r"\bvous avez lu \d+ articles?\b|\babonnez-vous\b|\brequires a subscription\b|"
        r"\bavailable to subscribers( only)?\b|\bподписывайтесь\b|\bsubscribe (for|from) [€$£]?\d|"
        r"\bmore newsletters\b|"
        r"\bhai letto \d+ articoli\b|"
        r"\byou have \d+ free articles?\b|\bfree articles? (left|remaining)\b)"
    ),
    needles=(
        "newsletter",
        "your inbox",
        "our privacy",
        "unsubscribe at any time",
        "by providing",
        "i agree to the terms",
        "your privacy is important",
        "datenschutz",
        "privacy policy",
        "política de privacidad",
        "politique de confidentialité",
        "mail",
        "vous avez lu",
        "abonnez-vous",
        "requires a subscription",
        "available to subscribers",
        "подписывайтесь",
        "subscribe for",
        "subscribe from",
        "hai letto",
        "free article",
    ),
)

COOKIE: Final = re.compile(
    r"(?i)(\bcookies?\b.{0,160}\b(use|uses|accept|consent|settings|preferences|policy|"
    r"personali[sz]e|partners|experience|agree|verwenden|nutzen|einwilligung|zustimmen|"
    r"utilizza|utilizziamo|usiamo|consenso|tecnici|profilazione|"
    r"utilisons|utilise|accepter|consentement|usamos|utilizamos|aceptar|consentimiento)\b|"
    r"\b(verwenden|nutzen|utilisons|utilizamos|usamos) (wir )?(des )?cookies\b|\b(we|"
    r"our partners) (use|store) cookies\b|"
    r"\bcookie (policy|settings|preferences|notice|consent)\b)"
)
CONSENT: Final = _Split(
    start=None,
    anywhere=re.compile(
        r"(?i)\b(we|wir|nous|nosotros) (and|und|et|y) (our|unsere|nos|nuestros) (\d+ )?"
        r"(partners?|partenaires|socios)\b|"
        r"\b(store|speichern) (and/or|und/oder) (access|greifen)\b|"
        r"\b(withdraw|widerrufen|retirer) (your|ihre|votre) (consent|einwilligung|consentement)\b|"
        r"\bpersonal data\b.{0,80}\b(partners|consent|advertising)\b"
    ),
    needles=(
        *(f"{a} {b}" for a in ("and", "und", "et", "y") for b in ("our", "unsere", "nos")),
        *(f"{a} nuestros" for a in ("and", "und", "et", "y")),
        *("and/or", "und/oder", "consent", "einwilligung", "personal data"),
    ),
)
_CONSENT_GATE: Final = _words(
    "partner|socios|speichern|store and|withdraw|widerruf|retirer|personal data"
)
COOKIE_BUTTONS: Final = _phrases(
    "i accept|accept and continue|akzeptieren und weiter|accepter et continuer|prosseguir|"
    "continuar|we value your privacy|your privacy choices|wir brauchen ihre zustimmung|"
    "nous respectons votre vie privée|privacy settings|"
    "accept|accept all|accept cookies|accept all cookies|reject|reject all|decline|"
    "manage preferences|manage cookies|manage settings|cookie settings|i agree|agree|got it|ok|"
    "allow all|allow cookies|necessary only|customise|customize|more options|"
    "tout accepter|tout refuser|alle akzeptieren|akzeptieren|ablehnen|aceptar|aceptar todo|"
    "rechazar|configurar|동의|同意する|accetta|accetta tutti|rifiuta|personalizza|"
    "einstellungen|paramètres|parametres|configuración|"
    "preferencias|nur notwendige cookies|only necessary cookies|essential cookies only"
)

COPYRIGHT: Final = re.compile(
    r"(?i)(^\W{0,3}(©|ⓒ|\(c\)\s|copyright\b)|\ball rights reserved\b|\bdroits réservés\b|"
    r"\bderechos reservados\b|\brechte vorbehalten\b|\bdiritti riservati\b|무단\s*전재|"
    r"재배포\s*금지|無断転載|무단 복제)"
)

COMMENTS: Final = _phrases(
    "welcome to the discussion|comment policy|commenting guidelines|"
    "comments|comment|join the conversation|be the first to comment|leave a comment|"
    "add a comment|post a comment|view comments|show comments|load comments|hide comments|"
    "comments are closed|commenting has been disabled|read comments|see comments|"
    "comment on this story|kommentare|commentaires|comentarios|commenti|댓글|コメント|"
    "discussion|have your say|conversation"
)
_COMMENT_SHAPE: Final = re.compile(
    r"(?i)^(\d[\d,.]*k?\s+comments?|(log|sign) ?in to (comment|join)|comments? \(\d+\)|"
    r"you must be logged in to (comment|post)|this discussion is now closed|"
    r"comments are (closed|moderated)\b.{0,120}|(kommentare|commentaires|comentarios|commenti|"
    r"comments?|댓글)\s*\(\d+\)|your email address will not be published\b.{0,80}|"
    r"required fields are marked\b.{0,20}|save my name, email\b.{0,100}|name \*|email \*|"
    r"the comments below\b.{0,120}|recommend \d+|\d+ (replies|réponses|antworten)|"
    r"be the first (one )?to comment\b.{0,40}|to encourage (thoughtful|respectful)\b.{0,300}|"
    r"(show|view|read|see) (all )?\d+ comments?)$"
)
_COMMENT_SHAPE_LEADS: Final = _leads(
    r"\d|log|sign|comment|you must|this discussion|kommentare|comentarios|댓글|your email|"
    "required fields|save my name|name *|email *|the comments|recommend |be the first|"
    "to encourage|show |view |read |see "
)
# The same, for phrases that may stand anywhere in a short line; searched behind a gate.
_COMMENT_ANYWHERE: Final = _Split(
    start=None,
    anywhere=re.compile(
        r"(?i)\b(kommentieren|to comment|pour commenter|para comentar|per commentare)\b|"
        r"\b(comment|commenting) (policy|guidelines)\b|\bto (join|continue) the (discussion|"
        r"conversation)\W{0,2}$"
    ),
    needles=(
        *("kommentieren", "to comment", "pour commenter", "para comentar", "per commentare"),
        *("policy", "guidelines", "the discussion", "the conversation"),
    ),
)
_COMMENT_GATE: Final = _words("comment|kommentier|commenter|comentar|discussion|conversation")

FEEDBACK: Final = _phrases(
    "give feedback|feedback|send feedback|share feedback|report an error|report a correction|"
    "suggest a correction|submit a correction|report a typo|was this article helpful|"
    "was this helpful|rate this article|did you find this article useful|report|"
    "leave a reply|leave a reply cancel reply|cancel reply|post comment|submit comment|"
    "recommend|report comment|"
    "found an error|spotted an error|report a typo or error|report a typo|"
    "report an inaccuracy|was this fact-check useful|submit a news tip|corrections policy|"
    "corrections and clarifications|纠错|【纠错】"
)

NAVIGATION: Final = _phrases(
    "skip to content|skip to main content|skip to navigation|skip to footer|menu|open menu|"
    "close menu|main menu|close|search|search for|sign in|log in|login|log out|logout|"
    "sign out|register|sign up|my account|account|profile|home|homepage|back to top|"
    "go to top|top|next article|previous article|next story|previous story|next|previous|"
    "more|edition|english|español|français|deutsch|navigation|toggle navigation|sections|"
    "all sections|show more|load more|see more|view all|see all|view more|follow|follow us|"
    "listen|listen to this article|listen to article|listen to this story|play|pause|save|"
    "saved|bookmark|font size|text size|a a|aa|zoom|continue reading|read full article|"
    "read the full story|open in app|download app|get the app|watch live|live tv|"
    "contact us|about us|privacy policy|privacy|terms of use|terms of service|terms|"
    "terms and conditions|accessibility|sitemap|site map|careers|advertise|help|faq|"
    "news|world|business|sport|sports|politics|opinion|lifestyle|entertainment|tech|"
    "technology|science|health|culture|travel|video|videos|photos|podcasts|weather|"
    "accueil|rechercher|connexion|se connecter|s'abonner|rubriques|aller au contenu|"
    "aller au contenu principal|startseite|suche|anmelden|menü|abo|zum inhalt springen|"
    "inicio|portada|buscar|iniciar sesión|suscríbete|ir al contenido|홈|검색|로그인|회원가입|"
    "전체메뉴|공유하기|글씨크기|ホーム|検索|ログイン|メニュー|会員登録|subscriber only|premium|"
    "exclusive|breaking|live|weather|our standards|show key events only|key events|"
    "حجم الخط|a+|a-|أ+|أ-|contact information|services|powered by|top story|author email|"
    "ir a los comentarios|más información|mehr informationen|related tags|je m'abonne|"
    "écouter cet article|representative image|representational image|report an issue|"
    "article réservé aux abonnés|réservé aux abonnés|subscribers only|subscriber only|"
    "for subscribers|nur für abonnenten|exclusivo para suscriptores|now playing|up next|"
    "view original article|view original|read original article|read full story|"
    "enlarge|expand|hide caption|toggle caption|playing|social sharing|click to expand|"
    "watch live|press release|for immediate release|print this release|download pdf|"
    "e-paper|epaper|live tv|local news|vai al contenuto principale|ascolta l'articolo|"
    "condividi|commenta|salva|accedi|设为首页|打印|字号|分享到"
)
_NAV_SHAPE: Final = re.compile(
    r"(?i)^(listen to (this )?(article|story)\b.{0,30}|\d+\s*(min|mins|minute|minutes)\s*"
    r"listen|(image|photo|item|slide)\s\d+\sof\s\d+|\d+\sof\s\d+|release no\.?\s.{0,20}|"
    r"(open|close|toggle) (the )?(menu|navigation|search)|font size.{0,20}|"
    r"click (here|to)\b.{0,80}|"
    r"(please )?(turn on|enable) javascript\b.{0,80}|our standards\b.{0,80}|"
    r"read our (corrections|editorial|ethics|standards|privacy|comment|community)\b.{0,80}|"
    r"search [\w ]{0,20}\.\.\.|\w+\s\d+\s(of|von|de|di|sur|из)\s\d+|"
    r"(artikel anhören|écouter l'article|escuchar (la )?noticia|ouvir (a )?notícia|"
    r"ascolta l'articolo|استمع إلى الخبر|слушать)\b.{0,30}|"
    r"(play|watch) video\W.{0,60}|duration:.{0,40}|\d+m \d+s|\d{1,2}:\d{2} / \d{1,2}:\d{2}|"
    r"(https?://)?[\w-]+(\.[\w-]+)+/\S*|footer|powered by\b.{0,60}|"
    r"advertise with\b.{0,40}|\d+ mins? to read)$"
)
# Two of its shapes open with any word ("Slide 3 of 12", "example.com/news"): see
# _may_be_nav_shape, which stands in for their leads.
_NAV_SHAPE_LEADS: Final = _leads(
    r"\d|listen to |image|photo|item|slide|release no|open |close |toggle |font size|click |"
    "please |turn on |enable javascript|our standards|read our |search |artikel anhören|"
    "écouter l'article|escuchar |ouvir |ascolta l'articolo|استمع إلى الخبر|слушать|"
    "play video|watch video|duration:|http|footer|powered by|advertise with"
)
_NAV_ANYWHERE: Final = re.compile(
    r"(?i)\b(text-to-speech|audio version of this article)\b|\(\d+ (photos|images|pictures)\)$|"
    r"^.{0,40}\bhomepage$|\b(by sharing this (article|story)|werbefrei|ad-free)\b"
)
_NAV_GATE: Final = _words(
    "speech|audio version|photos)|images)|pictures)|homepage|sharing this|werbefrei|ad-free"
)

BREADCRUMB: Final = re.compile(
    r"(?i)^(you are (at|here)|vous êtes ici|sie sind hier|usted está en)\b"
)
_BREADCRUMB_LEADS: Final = _leads("you are |vous êtes ici|sie sind hier|usted está en")
# "Home > World > Asia", "News / World / Europe", "Home » Politics"
_CRUMB_SEPARATORS: Final = re.compile(r"\s[>›»/＞]\s|\s?[>›»＞]\s?")
_CRUMB_ARROWS: Final = re.compile(r"\s?[>›»＞]\s?")

PROMO: Final = _Split(
    start=re.compile(
        r"(?i)(^(get|catch|read) (all )?(the )?latest\b.{0,80}\b(news|updates|stories)\b|"
        r"^\(?(catch|get|read) all the\b.{0,120}\b(news|updates)\b|^\(?what's moving\b|"
        r"^(follow|join|like) (us|our)\b.{0,80}\b(twitter|facebook|instagram|telegram|whatsapp|"
        r"google news|youtube|linkedin|channel|x)\b|^download (the|our)\b.{0,60}\bapp\b|"
        r"^click here\b|^for (more|the latest) (news|updates|stories)\b|"
        r"^(get|try|upgrade to|go) [\w ]{1,30} (pro|plus|premium|unlimited|\+)$|"
        r"^create (your|a) (free )?(profile|account)\b|^subscribe (now|today)\b|"
        r"^(stay|keep) (up to date|updated|informed)\b.{0,80}\b(follow|subscribe|sign up|app)\b|"
        r"^support (our|independent) journalism\b|^(become|subscribe as) a (member|subscriber)\b|"
        r"^don'?t miss out\b|"
        r"^(gift|save) this (article|story)\b|"
        r"^(follow|siga|suivez|folgen sie|segui|sigue)\b.{0,60}\b(whatsapp|telegram|instagram|"
        r"google news|x|twitter|facebook|канал|channel|canal)\b|^follow [\w .'’-]{1,40} on (x|"
        r"twitter|facebook|"
        r"instagram|linkedin|"
        r"threads|bluesky|google news)\b|^join our \w+ (channel|group|community)\b|"
        r"^(already a subscriber|subscribe to continue|to continue reading)\b)"
    ),
    anywhere=re.compile(
        r"(?i)(\b(breaking|latest) news\b.{0,100}\b(on|at|from)\s+[\w-]+(\.[\w-]+)+\b|"
        r"\bappears in the .{0,30}\b(issue|edition)\b|"
        r"\bdelivered (to you )?every (weekday|day|morning|evening|week)\b|"
        r"\bmay include material from\b)"
    ),
    needles=("breaking news", "latest news", "appears in the", "delivered", "may include"),
)
_PROMO_LEADS: Final = _leads(
    "get |catch |read all |read latest|read the latest|what's moving|follow|join |like |"
    "download |click here|for more |for the latest |try |upgrade to |go |create |"
    "subscribe |stay |keep |support |become a |don't miss out|dont miss out|gift this |"
    "save this |siga|suivez|folgen sie|segui|sigue|already a subscriber|to continue reading"
)

SYNDICATION: Final = re.compile(
    r"(?i)^\W{0,3}(with files from\b|"
    r"(photographs|photography|photos|pictures|illustrations?|video) by\b.{0,60}$|"
    r"this (story|article|report|content) (has not been|was not|was|is) "
    r"(edited|published|originally|first|auto-generated|produced|syndicated|reproduced)|"
    r"with inputs from\b|(this (article|story) )?(first |originally )?appeared (first )?"
    r"(on|in)\b|originally published\b|republished (with permission|from)\b|"
    r"(this (article|story) is )?published under a creative commons|distributed by\b|"
    r"syndicated (from|by)\b|auto-generated from\b|"
    r"(this|the) (story|article) (is|was) (generated|written|produced) (from|by)\b|"
    r"avec (afp|reuters|ap)\b|mit material von\b|con información de\b)"
)
_SYNDICATION_LEADS: Final = _leads(
    "with files from|with inputs from|photographs by|photography by|photos by|pictures by|"
    "illustration|video by|this story |this article |this report |this content |first |"
    "originally |appeared |published under|republished |distributed by|syndicated |"
    "auto-generated from|the story |the article |avec |mit material von|con información de"
)
CREDIT: Final = _Split(
    start=re.compile(
        r"(?i)^\W{0,3}((additional )?(reporting|writing|editing|research|compiled|"
        r"fact-?checking|graphics|produced) (by|from)\b|(reporting|writing|editing) by\b|"
        r"contributing:|contributors?:|\(?(by )?(the )?associated press\)?$|agencies$|"
        r"\(?disclaimer\s*:|"
        r"\(?(reuters|afp|ap|ani|pti|ians|dpa|efe|ansa|yonhap|kyodo|xinhua)\)?$)"
    ),
    # Also at the start of the line, but it tries 80 places there: behind its needle.
    anywhere=re.compile(r"(?i)^\W{0,3}.{0,80}\bcontributed to this (report|story|article)\W{0,2}$"),
    needles=("contributed to this",),
)
_CREDIT_LEADS: Final = _leads(
    "additional |reporting |writing |editing |research |compiled |fact-checking |"
    "factchecking |graphics |produced |contributing:|contributor|associated press|"
    "by associated press|by the associated press|the associated press|agencies|disclaimer|"
    "reuters|afp|ap|ani|pti|ians|dpa|efe|ansa|yonhap|kyodo|xinhua"
)

TAGS: Final = re.compile(
    r"(?i)^(themen folgen|follow topics|read more on|plus sur|mehr zu|"
    r"tags|topics|filed under|keywords|themen|schlagwörter|sujets|mots-clés|etiquetas|"
    r"temas|argomenti|키워드|태그|タグ|トピック)\s*([:：]|$)"
)
_TAGS_LEADS: Final = _leads(
    "themen|follow topics|read more on|plus sur|mehr zu|tags|topics|filed under|keywords|"
    "schlagwörter|sujets|mots-clés|etiquetas|temas|argomenti|키워드|태그|タグ|トピック"
)

MEDIA_LABEL: Final = re.compile(
    r"(?i)^\W{0,3}(▶\s?assista|assista|mira|regardez|video|videos|watch|watch live|watch now|"
    r"photos?|gallery|listen|audio|"
    r"podcast|in pictures|"
    r"pictures|live tv|vídeo|vidéo|regardez|foto|fotos|영상|動画)\s*[:：|]"
)
_MEDIA_LABEL_LEADS: Final = _leads(
    "assista|mira|regardez|video|watch|photo|gallery|listen|audio|podcast|in pictures|"
    "pictures|live tv|vídeo|vidéo|foto|영상|動画"
)

CAPTION_LABEL: Final = re.compile(
    r"(?i)^\W{0,3}(image source|image credit|image|photo credit|photo|photograph|"
    r"photographer|picture|pic|pics|foto|bildquelle|bild|crédit photo|crédit|credit|"
    r"caption|file photo|illustration|graphic|screenshot|사진|写真)\s*[:：|]|"
    r"^\W{0,3}(image source|image caption|photo source|photo caption|media caption|"
    r"video caption),|"
    r"^\W{0,3}(file photo|file image|file picture)\b|^file\s?[-–—]\s|^фото\s?:|^(item|image|"
    r"photo|slide)\s\d+\sof\s\d+\s|"
    r"^\[\d+/\d+\]"
)
_CAPTION_LABEL_LEADS: Final = _leads(
    r"\d|image|photo|picture|pic|foto|bild|crédit|credit|caption|file|illustration|"
    "graphic|screenshot|사진|写真|media caption|video caption|фото|item|slide"
)
CAPTION_CREDIT: Final = re.compile(
    r"(?i)(\((photo|image|picture|foto|file photo|file|credit|photograph|illustration)"
    r"\b[^()]{0,80}\)|\b(photo|image|picture|photograph|foto|bild|photographie)\s*(credit)?"
    r"\s*[:：]\s*[^.:]{1,60}|"
    r"\|\s*photo credit\b.{0,60}|\bcredit\s*[:：]\s*[^.:]{2,80}|"
    r"\b(photo|image|video) courtesy of\b.{0,60}|\|\s*[A-Z][A-Z .'’/-]{3,40}|"
    r"[（(][^（）()]{0,30}摄[）)]|"
    r"[(（]\s?(تصوير|صورة)[^()]{0,60}[)）]|\s[—–-]\s?(photo|foto|image|picture) by\b.{0,60}|"
    r"(?<=[.!?…])\s+\(?[A-Z][\w.&'’ -]{1,40}(\s?/\s?[A-Z][\w.&'’ -]{1,40}){1,3}\)?|"
    r"(?<=[.!?…])\s+(file photo|file image|archive photo|archive image|photo)|"
    r"(?<=[.!?…])\s*\([^()/]{2,60}\s/\s[^()/]{2,60}\)|[＝=][^＝=]{0,60}(撮影|提供)|"
    r"(?<=[.。])\s*/\s*\S{1,20}(\s+(DB|제공|사진))?|\b(getty images|shutterstock|ap photo|"
    r"afp via getty images|"
    r"via getty images|via reuters|reuters/[\w .-]{1,40}|epa-efe|epa/[\w .-]{1,40}|"
    r"afp/[\w .-]{1,40}|ap/[\w .-]{1,40})\)?\s*\]?|\[[^\[\]\d][^\[\]]{0,29}\]|"
    r"(?<=[.!?])\s?\([A-Z][^()]{1,40}:\s?[^()]{2,60}\))\s*$"
)
# One of these is in every match of CAPTION_CREDIT (see may_contain); keep them in step.
_CAPTION_NEEDLES: Final = (
    "photo",
    "image",
    "picture",
    "foto",
    "bild",
    "credit",
    "(file",
    "(illustration",
    "courtesy of",
    "getty images",
    "shutterstock",
    "via reuters",
    "epa-efe",
    "|",
    "/",
    "]",
    ":",
    "摄",
    "撮影",
    "提供",
    "تصوير",
    "صورة",
)
# Where a match of CAPTION_CREDIT may start, for _holds_caption_credit: at an opening
# bracket, a bar or an equals sign, or right after the end of a sentence (its look-behinds).
# Matches of the other alternatives -- those opening with a word, or with a space and a dash
# before "photo by" -- hold one of the words, and start at one of the word starts. Keep them
# in step with the regex (tests/core/test_rules_pretests.py checks).
_CAPTION_CREDIT_STARTS: Final = r"[(（|\[＝=]|(?<=[.!?…。])"
_CAPTION_CREDIT_WORD_STARTS: Final = r"\b[pifbcvgsare]|\s[—–-]"
_CAPTION_CREDIT_WORDS: Final = (
    *("photo", "image", "picture", "foto", "bild", "credit", "courtesy of", "getty images"),
    *("shutterstock", "via reuters", "reuters/", "epa-efe", "epa/", "afp/", "ap/"),
)
_HOLDS_CAPTION_CREDIT_WORD: Final = any_of(_CAPTION_CREDIT_WORDS)
_caption_credit_matches: list[Callable[[str], re.Match[str] | None]] = []


def _holds_caption_credit(text: str, low: str) -> bool:
    """``CAPTION_CREDIT.search(text) is not None``, four times as fast on the lines it meets.

    ``low`` is ``text.casefold()``. The search tries every alternative at every position of
    the line, most of them ignoring case, so the engine cannot skip to a first character.
    This runs one regex once: ``.*`` takes the line and gives back one character at a time,
    so positions are tried from the end, where credits stand, and a cheap look-ahead turns
    away those where no alternative can start -- where none that the line's words allow
    can: most lines it meets hold none of ``_CAPTION_CREDIT_WORDS``.

    Exact: it matches wherever the search finds a match. The look-ahead holds at the start
    of every match (look-behinds and ``\b`` see the whole line either way), and one that
    only the word starts let through holds a word (see :func:`may_contain`). The regexes
    are compiled on first use, not at import.
    """
    if not _caption_credit_matches:
        body = CAPTION_CREDIT.pattern.removeprefix("(?i)")
        for starts in (
            _CAPTION_CREDIT_STARTS,
            f"{_CAPTION_CREDIT_STARTS}|{_CAPTION_CREDIT_WORD_STARTS}",
        ):
            regex = re.compile(rf"(?s:.*)(?={starts}){body}", re.IGNORECASE)
            _caption_credit_matches.append(regex.match)
    without_words, with_words = _caption_credit_matches
    match = with_words if may_contain(text, low, _HOLDS_CAPTION_CREDIT_WORD) else without_words
    return match(text) is not None


# "(KCNA)", "(AFP)", "(AP Photo)" ending a line: a caption near the top, a sign-off in the body.
SHORT_CREDIT: Final = re.compile(r"[(\[]\s*[A-Z][\w&./' -]{0,30}[)\]]\s*$")

CONTACT: Final = _Split(
    start=re.compile(
        r"(?i)^\W{0,3}(tel|telephone|telephone number|phone|fax|mobile|whatsapp|e-?mail|"
        r"email us|p\.?\s?o\.?\s?box|postal address|address|hq office|head office|"
        r"registered office|newsroom|customer service|support|media contact|press contact|"
        r"media inquiries)\b\s*(number)?\s*[:：]"
    ),
    anywhere=re.compile(
        r"(?i)(\[email\s*protected\]|"
        r"\bp\.?\s?o\.?\s?box\s*\d|\b(hq|head|registered) office\b|"
        r"\b(whatsapp|call|text|email|e-mail|contact|message) us\b\s*(on|at)?\s*[:：]?\s*[+\d(])"
    ),
    needles=(
        "protected]",
        "box",
        "hq office",
        "head office",
        "registered office",
        "whatsapp us",
        "call us",
        "text us",
        "email us",
        "e-mail us",
        "contact us",
        "message us",
    ),
)
# "p" for "P.O. Box" (whatever stands between its letters is not a literal) and "phone".
_CONTACT_LEADS: Final = _leads(
    "tel|p|fax|mobile|whatsapp|e-mail|email|address|hq office|head office|registered office|"
    "newsroom|customer service|support|media "
)
PUBLISHER: Final = re.compile(
    r"(?i)\b(is|are) (a|an|the|one of the)\b.{0,120}\b(media|news|publishing|publisher|"
    r"newspaper|broadcast\w*|organi[sz]ation|company|group|house|outlet|agency|network|"
    r"platform|portal|website|magazine|daily|provider|division|publication|brand|newsroom|"
    r"broadcaster|site)\b"
)

ABOUT_HEADING: Final = re.compile(
    r"^(About|À propos de|Über|Acerca de|Sobre) [A-Z\u00c0-\u024f].{0,60}$"
)
# A blurb about the outlet itself, as pages print it under the article.
NEWS_ORG: Final = re.compile(
    r"(?i)\b(is|are) (a|an|the|one of the)\b.{0,120}\b(news|media|publish\w*|newspaper|"
    r"broadcast\w*|newsroom|outlet|journalism|fact-check\w*|signatory|publication|magazine|"
    r"press)\b"
)
AUTHOR_HEADING: Final = _phrases("about the author|about the authors|author|authors|über den autor")
AUTHOR_BIO: Final = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s+((?:is|has been|was|covers|writes|reports)\b"
    r".{0,240}\b(reporter|correspondent|editor|writer|journalist|columnist|contributor|"
    r"producer|bureau chief|analyst|author|fellow|professor|fact-checker)\b|"
    r"(covers|writes about|reports on)"
    r"\s)"
)

_JOB_WORDS: Final = (
    "staff|senior|chief|deputy|special|foreign|political|diplomatic|"
    "correspondent|reporter|writer|editor|journalist|columnist|contributor|producer|"
    "bureau|desk|analyst|news team|redaktion|rédaction|redacción|기자|記者|特派員"
)
# Asked of byline candidates and of every item of a menu row: its words are its needles.
JOB_TITLES: Final = _Split(
    start=None,
    anywhere=re.compile(rf"(?i)\b({_JOB_WORDS})\b"),
    needles=tuple(_JOB_WORDS.split("|")),
)

BYLINE_PREFIX: Final = re.compile(
    r"(?i)^(?:(?:written|words|story|text|edited|reported|posted|published) by|by|von|par|por|"
    r"di|author|authors|byline|autor|auteur|autora|texto|text|reporter|reporters|edited|"
    r"كتب|بقلم|автор|текст)\s*[:：]?\s+|^By(?=[A-Z])"
)
# What a match of BYLINE_PREFIX opens with, case-folded (see _leads), for is_menu_row: it
# matches the prefix only on an item whose casefold starts with one. Keep them in step
# (tests/core/test_rules_tail.py checks).
_BYLINE_LEADS: Final = _leads(
    "written|words|story|text|edited|reported|posted|published|by|von|par|por|di|author|"
    "autor|auteur|reporter|كتب|بقلم|автор|текст"
)
META_WORDS: Final = re.compile(
    r"(?i)(来源|记者|記者|作者|출처|نُشر|نشر في|تحديث|опубликовано|обновлено|"
    r"(published|updated|posted|created|modified|last updated|first published|"
    r"publié|mis à jour|veröffentlicht|aktualisiert|stand|publicado|actualizado|"
    r"edited by|written by|by)(?![^\W\d_])|입력|수정|기자|更新|公開|配信)"
)
RELATIVE_TIME: Final = re.compile(
    r"(?i)^(estimated( reading time:?)? \d+ minutes?|tempo di lettura\W.{0,20})$|"
    r"^(время чтения|lecture)\s?:.{0,20}$|^(today|yesterday) at \d{1,2}[:.]\d{2}$|"
    r"^(updated |published |posted )?(about |over |around )?(\d+|an?|one)\s+(second|minute|"
    r"min|hour|hr|day|week|month)s?\s+ago$|^(just now|today|yesterday)$|"
    r"^\d+\s*(min|mins|minute|minutes)\s*read$|"
    r"^(temps de lecture|lesezeit|tiempo de lectura|reading time|read time)\W.{0,20}$|"
    r"^(medically |clinically )?(reviewed|fact[- ]checked|verified)( by)?\s.{2,60}$"
)
# "a" for "a minute ago", "an hour ago", "about 3 hours ago", "around 2 days ago".
_RELATIVE_TIME_LEADS: Final = _leads(
    r"\d|estimated |tempo di lettura|время чтения|lecture|today|yesterday|updated |"
    "published |posted |a|over |one|just now|temps de lecture|lesezeit|tiempo de lectura|"
    "reading time|read time|medically |clinically |reviewed|fact|verified"
)


# The separators of a menu row: ``\s{2,}|\u3000+|\s*\|\s*|\s+[·•]\s+``, runs of two or more
# whitespace characters or of ideographic spaces, a bar with the whitespace around it, a
# middle dot or bullet between whitespace. Written with the first character of them all taken
# out in front as a class, so that the engine skips to the characters a separator can open
# with instead of trying four alternatives at each character (twice as fast); then each
# alternative is tried, in the same order, only behind a first character that it opens with
# (its look-behind), and matches the same rest. Same matches (tests/core/test_rules_tail.py
# checks against the plain form).
_MENU_SPLIT: Final = re.compile(
    r"[\s|](?:(?<=\s)\s+|(?<=\u3000)\u3000*|(?<=\s)\s*\|\s*|(?<=\|)\s*|(?<=\s)\s*[·•]\s+)"
)
_HOLDS_MENU_MARK: Final = any_of(("|", "\u3000", "·", "•", "  "))
_SPACE_PAIR: Final = re.compile(r"\s\s")


def _may_split_menu(text: str) -> bool:
    """Whether ``text`` may hold a separator of :data:`_MENU_SPLIT`; cheap, and never wrong.

    Every separator holds a bar, an ideographic space, a middle dot or bullet, or two
    whitespace characters in a row; whitespace other than the plain space is unprintable, so
    only a line with an unprintable character needs the regex for the last case.
    """
    if _HOLDS_MENU_MARK(text):
        return True
    return not text.isprintable() and _SPACE_PAIR.search(text) is not None


# A menu item is no sentence: it holds none of these (``[,;、，；]``) and ends with none of
# _SENTENCE_ENDS (``[.?。？]\s*$``; ``\s`` is what ``str.rstrip`` strips, a test checks).
_HOLDS_CLAUSE_MARK: Final = any_of((",", ";", "、", "，", "；"))
_SENTENCE_ENDS: Final = (".", "?", "。", "？")
_HOLDS_SENTENCE_END: Final = any_of(_SENTENCE_ENDS)


_TICKER: Final = re.compile(r"[▲▼△▽]\s?[-+]?\d")
# Whether a line holds a match of ``\d{1,4}[-/.:]\d{1,2}|\d{4}`` (a date or a time): as
# there is one where it holds a digit, a separator and a digit, or four digits, in a row.
# Opening with a class, the engine skips to the digits (three times as fast).
_HOLDS_DIGITS_DATE: Final = re.compile(r"\d(?:[-/.:]\d|\d\d\d)").search


def is_menu_row(text: str) -> bool:
    """A row of short links ("News  Sport  Culture", "Subscribe   Log in", "정치  경제  사회").

    Site menus come out of the page as one line of items set apart by runs of spaces or bars;
    each item is a few words with no sentence punctuation, date, time, job title or byline
    prefix.

    The cheap tests of every item come first: a line of prose with a double space fails on
    its first long item. Commas, dates and job titles are then looked for in the whole line:
    none of their matches holds a character a separator is made of, nor needs the separator
    next to it (``\b`` sees a separator as it sees the end of an item), so the line holds one
    exactly when one of its items does. The byline prefix, last, is matched only on an item
    that opens with one of its leads: ``casefold`` maps what the case-blind regex takes for a
    lead's character to that character, except the Turkish i's (see :func:`may_contain`), so
    on a line with one every item is matched.
    """
    if len(text) > 300:
        return False
    text = text.strip()
    if not _may_split_menu(text):
        return False  # nothing to split on: one item is no row
    parts = [p for p in _MENU_SPLIT.split(text) if p]
    if len(parts) < 2:
        return False
    for part in parts:
        if len(part) > 30 or len(part.split()) > 4:
            return False
    if _HOLDS_CLAUSE_MARK(text) or _HOLDS_DIGITS_DATE(text) or JOB_TITLES.search(text):
        return False  # dates, times and "Staff Writer" belong to byline lines
    ends = _HOLDS_SENTENCE_END(text)
    odd_i = not text.isascii() and _HOLDS_UNFOLDED_I(text)
    for part in parts:
        if ends and part.rstrip().endswith(_SENTENCE_ENDS):
            return False
        if (odd_i or part.casefold().startswith(_BYLINE_LEADS)) and BYLINE_PREFIX.match(part + " "):
            return False
    return True


_LABELLED: Final = re.compile(r"(?i)^(source|quelle|fuente|fonte|credit|photo|image)\s*[:：]")


def is_section_path(text: str) -> bool:
    """ "Sociedad / Medio ambiente", "News > World": section names joined by separators."""
    if not _CRUMB_GATE(text):
        return False  # every separator holds one of its characters: one part is no path
    parts = _CRUMB_SEPARATORS.split(text)
    return len(parts) >= 2 and all(0 < len(p.split()) <= 4 and len(p) <= 30 for p in parts)


# "Highlights: Ashbury 2-1 Castlebridge (3:12)": a video link with its running time.
_DURATION: Final = re.compile(r"\(\d{1,2}:\d{2}(?::\d{2})?\)\s*$")


def is_share_row(k: str) -> bool:
    """A line made of sharing words only ("Send to", "Share  Facebook  Twitter  Email")."""
    words = k.split()
    if not words or len(words) > 14 or not SHARE_WORDS.issuperset(words):
        return False
    return not _SHARE_ANCHORS.isdisjoint(words) or " ".join(words) in _SHARE_ANCHORS


def is_related_heading(k: str) -> bool:
    """A heading that introduces a list of other stories ("Most read", "Related Topics")."""
    if k in RELATED_HEADINGS:
        return True
    return k.startswith(_RELATED_PREFIXES) and len(k.split()) <= 6


def is_breadcrumb(text: str) -> bool:
    """ "You are at:" or a trail of short section names joined by ``>``, ``/``, ``»``."""
    if BREADCRUMB.match(text):
        return True
    parts = _CRUMB_SEPARATORS.split(text)
    if len(parts) >= 4 and all(0 < len(p.split()) <= 4 for p in parts[:-1]):
        trail = True  # "News › Markets › IPOs › <the headline>": the trail ends on the page
    else:
        short = all(0 < len(p.split()) <= 4 and len(p) <= 30 for p in parts)
        # Two parts are enough with an arrow ("사회 > 복지"); a slash needs three ("A / B / C").
        trail = short and (len(parts) >= 3 or len(_CRUMB_ARROWS.split(text)) == 2)
    # A dateline, byline or label is no trail, whatever its shape: asked last, as the
    # regexes cost more than the shape and most lines asked have no trail's shape.
    return trail and not (
        META_WORDS.search(text) or BYLINE_PREFIX.match(text) or _LABELLED.match(text)
    )


# The gates of the rules below (see _gate).
_AD_GATE: Final = _words("continue|advertis|publicidad|anzeige|publicit|sponsored|quotes")
_NEWSLETTER_GATE: Final = _words(
    "newsletter|sign up|subscri|inbox|mail|inscri|abonn|suscr|privacy|providing|agree|"
    "alert|iscriv|abbon|articoli|free article|already"
)
_COPYRIGHT_GATE: Final = _words(
    "©|ⓒ|(c)|copyright|rights|réservés|reservados|vorbehalten|riservati|무단|재배포|無断"
)
_PROMO_GATE: Final = _gate(
    "news|latest|follow|join|like|download|click|for more|for the latest|stay|keep|support|"
    "become|subscri|already|continue|miss|appears|delivered|gift|save|read|get|try|upgrade|"
    "create|go "
)
_CAPTION_GATE: Final = _gate(
    "/|]|＝|=|)|）|credit|photo|image|picture|foto|bild|courtesy|getty|shutterstock|摄|撮影|提供"
)
_CONTACT_GATE: Final = _gate(
    "tel|phone|fax|mobile|whatsapp|mail|box|address|office|newsroom|service|support|"
    "contact|press|media|protected|call|text|message"
)
_CRUMB_GATE: Final = any_of((">", "›", "»", "/", "＞"))  # looked for in the line as written


_SYNDICATION_ANYWHERE: Final = re.compile(
    r"(?i)\b(views|opinions) expressed (are|in|here)\b|^[\w .'’-]{2,40} republishes\b"
)
_SYNDICATION_GATE: Final = _words("expressed|republishes")

# The gates and needles every line meets, asked in one scan: the bits of its answer.
(
    _AD,
    _COMMENT,
    _NAV,
    _CONSENT,
    _NEWSLETTER,
    _COPYRIGHT,
    _PROMO,
    _SYNDICATION,
    _CREDIT,
    _CONTACT,
    _CAPTION,
) = (1 << bit for bit in range(11))
_SCAN_GROUPS: Final = (
    _AD_GATE,
    _COMMENT_GATE,
    _NAV_GATE,
    _CONSENT_GATE,
    _NEWSLETTER_GATE,
    _COPYRIGHT_GATE,
    PROMO.needles,
    _SYNDICATION_GATE,
    CREDIT.needles,
    CONTACT.needles,
    _CAPTION_NEEDLES,
)
# Letters that words seldom open with (and the separators among the needles): the scan looks
# for each needle from the first of them in it (see _needle_scan).
_SCAN_PIVOTS: Final = "bcfglmpqruvwxz:-|(/]"
_SCAN = _needle_scan(_SCAN_GROUPS, _SCAN_PIVOTS)

# The line-start rules every line meets, asked in one match: the bits of its answer.
(
    _INLINE_RELATED_LED,
    _COMMENT_SHAPE_LED,
    _BREADCRUMB_LED,
    _NAV_SHAPE_LED,
    _PROMO_LED,
    _SYNDICATION_LED,
    _CREDIT_LED,
    _TAGS_LED,
    _MEDIA_LABEL_LED,
    _CONTACT_LED,
    _CAPTION_LABEL_LED,
    _RELATIVE_TIME_LED,
) = (1 << bit for bit in range(12))
_ANY_LED: Final = (1 << 12) - 1
_LEAD_GROUPS: Final = (
    _INLINE_RELATED_LEADS,
    _COMMENT_SHAPE_LEADS,
    _BREADCRUMB_LEADS,
    _NAV_SHAPE_LEADS,
    _PROMO_LEADS,
    _SYNDICATION_LEADS,
    _CREDIT_LEADS,
    _TAGS_LEADS,
    _MEDIA_LABEL_LEADS,
    _CONTACT_LEADS,
    _CAPTION_LABEL_LEADS,
    _RELATIVE_TIME_LEADS,
)
_LEAD = _lead_scan(_LEAD_GROUPS)


def _may_be_nav_shape(text: str) -> bool:
    r"""Whether ``text`` may match a shape of :data:`_NAV_SHAPE` that opens with any word.

    ``\w+\s\d+\s(of|...)\s\d+$`` ends in a digit (``$`` also matches before a final
    newline); ``(https?://)?[\w-]+(\.[\w-]+)+/\S*$`` holds a slash.
    """
    return "/" in text or text.removesuffix("\n")[-1:].isdecimal()


def phrase_reason(text: str, low: str | None = None, k: str | None = None) -> str | None:
    """The kind of chrome a line is by its words alone, or None.

    Context-free: it looks at this one line. The cleaner adds what context decides
    (captions near the top, repeated titles, lists after a "Most read" heading).

    Every line of a capture comes through here, and most are text that no rule matches, so
    the order within each test is by cost: word counts and set lookups first, then the
    cheap gates and pre-tests, and a rule's full regex last, only when those let it through.

    Args:
        text: the line, trimmed.
        low: ``text.casefold()``, when the caller has it already.
        k: ``key(text)``, when the caller has it already (with ``low``).
    """
    if len(text) > MAX_RULE_LEN:
        return None
    if low is None:
        low = text.casefold()
    if k is None:
        k = _key_of_folded(low)
    if not k:
        return "decoration"
    n_words = k.count(" ") + 1  # the key is single-spaced
    held = _SCAN(low)  # which gates the line passes: most lines, none
    # A needle of a _Split rule or a caption may hide behind a Turkish i (see may_contain).
    odd_i = not text.isascii() and _HOLDS_UNFOLDED_I(text)
    led = _ANY_LED if odd_i else _LEAD(text, low)  # the line-start rules it may match
    if k in ADVERTISEMENT or (held & _AD and _AD_SHAPE.search(text, low)):
        return "advertisement"
    # A share row is made of sharing words, its last one too: most lines end with another.
    if n_words <= 14 and k.rpartition(" ")[2] in SHARE_WORDS and is_share_row(k):
        return "share-row"
    if is_related_heading(k):
        return "related-links"
    if n_words <= 40 and led & _INLINE_RELATED_LED and INLINE_RELATED.match(text):
        return "related-links"
    # The key of the text before a colon is the start of the line's key, word for word: its
    # first word, when it has one, is the line's (see _RELATED_FIRST_WORDS).
    if (
        n_words <= 40
        and ":" in text
        and k.partition(" ")[0] in _RELATED_FIRST_WORDS
        and is_related_heading(key(text.partition(":")[0]))
    ):
        return "related-links"  # "Trending Topics: IPL 2025 | Gold Rate Today | …"
    if (
        k in COMMENTS
        or (led & _COMMENT_SHAPE_LED and _COMMENT_SHAPE.match(text))
        or (n_words <= 60 and held & _COMMENT and _COMMENT_ANYWHERE.search(text, low))
    ):
        return "comments"
    if k in FEEDBACK:
        return "feedback-prompt"
    if k in AUTHOR_HEADING:
        return "author-bio"
    if n_words <= 12 and (
        (led & _BREADCRUMB_LED and BREADCRUMB.match(text))
        or (n_words >= 2 and _CRUMB_GATE(text) and is_breadcrumb(text))
    ):
        return "breadcrumb"
    if (
        k in NAVIGATION
        or (
            n_words <= 16
            and (led & _NAV_SHAPE_LED or _may_be_nav_shape(text))
            and _NAV_SHAPE.match(text)
        )
        or (n_words <= 60 and held & _NAV and _NAV_ANYWHERE.search(text))
    ):
        return "navigation"
    ticker = ("▲" in text or "▼" in text) and len(_TICKER.findall(text)) >= 2
    # is_menu_row turns away a line with a comma or ending as a sentence does, and one with
    # nothing to split on (its first test, _may_split_menu): most lines, asked cheaply here.
    if ticker or (
        not ("," in text or text.rstrip().endswith(_SENTENCE_ENDS))
        and (_HOLDS_MENU_MARK(text) or not text.isprintable())
        and is_menu_row(text)
    ):
        return "navigation"  # menus, and market tickers ("DJIA 41,204 ▼0.62%")
    if k in COOKIE_BUTTONS or (
        n_words <= 80
        and (
            ("cookie" in k and COOKIE.search(text))
            or (held & _CONSENT and CONSENT.search(text, low))
        )
    ):
        return "cookie-notice"
    # Each rule from here to the tags needs a gate's bit or a lead's (a Turkish i sets every
    # lead's), as do those after the media labels: most lines have none, and skip them all.
    if held or led:
        if n_words <= 45 and held & _NEWSLETTER and NEWSLETTER.search(text, low):
            return "newsletter"
        if n_words <= 40 and held & _COPYRIGHT and COPYRIGHT.search(text):
            return "copyright"
        if (
            n_words <= 50
            and PROMO.search_if(text, bool(held & _PROMO) or odd_i, bool(led & _PROMO_LED))
            and _PROMO_GATE(low)
        ):
            return "promo"
        if n_words <= 60 and (
            (led & _SYNDICATION_LED and SYNDICATION.match(text))
            or (held & _SYNDICATION and _SYNDICATION_ANYWHERE.search(text))
        ):
            return "syndication-note"
        if n_words <= 60 and CREDIT.search_if(
            text, bool(held & _CREDIT) or odd_i, bool(led & _CREDIT_LED)
        ):
            return "credit"
        if n_words <= 60 and led & _TAGS_LED and TAGS.match(text):
            return "tags"
    if n_words <= 30 and (
        (led & _MEDIA_LABEL_LED and MEDIA_LABEL.match(text))
        or (text.rstrip().endswith(")") and _DURATION.search(text))
    ):
        return "media-label"
    if not (held or led):
        return None  # as the rules from the newsletter to the tags (see above)
    if (
        n_words <= 30
        and CONTACT.search_if(text, bool(held & _CONTACT) or odd_i, bool(led & _CONTACT_LED))
        and _CONTACT_GATE(low)
    ):
        return "publisher-blurb"
    if n_words <= 60 and (
        (led & _CAPTION_LABEL_LED and CAPTION_LABEL.match(text))
        or ((held & _CAPTION or odd_i) and _CAPTION_GATE(low) and _holds_caption_credit(text, low))
    ):
        return "caption"
    if led & _RELATIVE_TIME_LED and RELATIVE_TIME.match(text.strip()):
        return "metadata"
    return None


def is_contact(text: str) -> bool:
    """A contact line ("Tel: …", "Email us at …", "P.O. Box 42"): publisher blurbs sit by one."""
    return CONTACT.search(text)
