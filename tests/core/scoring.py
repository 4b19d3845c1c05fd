"""Token-level F1 between a cleaned body and the body a person marked.

The measure the product is judged by: bag-of-tokens precision and recall over the body text.
Words are runs of letters/digits, case-folded; CJK characters count one token each, since
those scripts do not separate words with spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


def tokens(texts: Iterable[str]) -> Counter[str]:
    """The bag of tokens of several texts."""
    bag: Counter[str] = Counter()
    for text in texts:
        bag.update(t.casefold() for t in _TOKEN.findall(text))
    return bag


def f1(predicted: Iterable[str], expected: Iterable[str]) -> float:
    """Token-level F1 of ``predicted`` paragraphs against ``expected`` ones."""
    got, want = tokens(predicted), tokens(expected)
    overlap = sum((got & want).values())
    if not got and not want:
        return 1.0
    if overlap == 0:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)
