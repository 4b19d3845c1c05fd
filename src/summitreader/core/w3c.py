"""Annotations as a W3C Web Annotation collection (JSON-LD), written and read back.

The export is one ``AnnotationCollection`` with its annotations embedded in its first (only)
page, in reading order::

    {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
     "id": "urn:uuid:…", "label": "…", "total": 1,
     "first": {"type": "AnnotationPage", "id": "urn:uuid:…", "startIndex": 0, "items": [
        {"id": "urn:uuid:<annotation id>", "type": "Annotation", "motivation": "commenting",
         "created": "…", "modified": "…",
         "body": [{"type": "TextualBody", "purpose": "commenting", "value": "<note>",
                   "format": "text/markdown"},
                  {"type": "TextualBody", "purpose": "tagging", "value": "<tag>"}],
         "target": {"source": "urn:summit-reader:article:<article id>",
                    "selector": [{"type": "TextQuoteSelector", "exact": …, "prefix": …,
                                  "suffix": …},
                                 {"type": "TextPositionSelector", "start": …, "end": …}],
                    "styleClass": "summit-reader-yellow",
                    "state": {"type": "TimeState", "sourceDate": "…",
                              "cached": "urn:summit-reader:text:<text hash>"}},
         "stylesheet": {"type": "CssStylesheet", "value": ".summit-reader-yellow {…}"}}]}}

Everything an :class:`~summitreader.core.annotations.Annotation` holds is in standard terms,
so reading an export back gives the same annotations. The orphan flag is not written: it
says how the annotation relates to *this* library, so it is worked out again on import.

Reading is strict: a file that is not this shape (or a page, a single annotation or a list
of annotations in it) is refused with one line saying where and why, before anything is
saved. Pure core: no Textual, no Rich.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from summitreader.core.annotations import (
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    AnnotationError,
    Selector,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_PREFIX = "urn:summit-reader:article:"
TEXT_PREFIX = "urn:summit-reader:text:"
STYLE_PREFIX = "summit-reader-"
NOTE_FORMAT = "text/markdown"

#: Background colours for the style classes, close to the reader's own.
CSS_COLORS = {
    "yellow": "#fde68a",
    "green": "#bbf7d0",
    "blue": "#bfdbfe",
    "pink": "#fbcfe8",
    "purple": "#ddd6fe",
}
#: The longest id, source or time string accepted on import.
MAX_ID = 512

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NO_SPACE = re.compile(r"\S+")
_COLLECTION_NS = uuid.UUID("5f0e4c3a-8d1b-4b7e-9a2c-6d3f1e0b9c47")


class W3CError(ValueError):
    """A file that is not a readable W3C annotation export; the message is one line."""


# -- writing -----------------------------------------------------------------------------------


def annotation_iri(annotation_id: str) -> str:
    """``urn:uuid:…`` for our uuid ids; any other id (from another tool) as it is."""
    try:
        canonical = str(uuid.UUID(annotation_id)) == annotation_id
    except ValueError:
        canonical = False
    return f"urn:uuid:{annotation_id}" if canonical else annotation_id


def to_w3c(annotation: Annotation) -> dict[str, Any]:
    """One annotation in the Web Annotation model."""
    sel = annotation.selector
    bodies: list[dict[str, str]] = []
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": annotation.note,
                "format": NOTE_FORMAT,
            }
        )
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in annotation.tags]
    style = STYLE_PREFIX + annotation.color
    target: dict[str, Any] = {
        "source": ARTICLE_PREFIX + annotation.article_id,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": sel.exact,
                "prefix": sel.prefix,
                "suffix": sel.suffix,
            },
            {"type": "TextPositionSelector", "start": sel.start, "end": sel.end},
        ],
        "styleClass": style,
    }
    if annotation.article_hash:
        target["state"] = {
            "type": "TimeState",
            "sourceDate": annotation.updated,
            "cached": TEXT_PREFIX + annotation.article_hash,
        }
    data: dict[str, Any] = {
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": "commenting" if annotation.note else "highlighting",
        "created": annotation.created,
        "modified": annotation.updated,
    }
    if bodies:
        data["body"] = bodies
    data["target"] = target
    data["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{style} {{ background-color: {CSS_COLORS[annotation.color]}; }}",
    }
    return data


def collection(annotations: Sequence[Annotation], label: str) -> dict[str, Any]:
    """An ``AnnotationCollection`` holding ``annotations`` in one embedded page.

    Its id is derived from the content, not drawn at random, so the same notes export to the
    same bytes.
    """
    items = [to_w3c(a) for a in annotations]
    digest = json.dumps([label, items], sort_keys=True, ensure_ascii=True)
    ident = f"urn:uuid:{uuid.uuid5(_COLLECTION_NS, digest)}"
    return {
        "@context": CONTEXT,
        "id": ident,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": f"{ident}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def dumps(data: object) -> str:
    """JSON text, indented; controls, bidi overrides and lone surrogates as ``\\u`` escapes.

    The escapes keep every string exact when read back while no byte of the output can drive
    a terminal, and the text always encodes as UTF-8.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# -- reading -----------------------------------------------------------------------------------


def loads(text: str) -> list[Annotation]:
    """The annotations in a W3C export (orphan flags unset: the caller decides them).

    Accepts an ``AnnotationCollection`` with its items embedded in ``first``, an
    ``AnnotationPage``, one ``Annotation``, or a JSON list of annotations.

    Raises:
        W3CError: not JSON, not that shape, a wrong type, a missing field, a repeated id.
    """
    if not text.strip():
        raise W3CError("the file is empty")
    try:
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except W3CError:
        raise
    except json.JSONDecodeError as exc:
        raise W3CError(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:
        raise W3CError("not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # a number too long to convert, NaN
        raise W3CError(f"not valid JSON ({_one_line(str(exc))})") from None
    items = _items(data)
    annotations: list[Annotation] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        annotation = _annotation(item, f"annotation {number}")
        if annotation.id in seen:
            raise W3CError(
                f"annotation {number} has the same id as annotation {seen[annotation.id]} "
                f"({_show(annotation.id)})"
            )
        seen[annotation.id] = number
        annotations.append(annotation)
    return annotations


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object, refused if a key is repeated.

    JSON leaves repeated keys to the reader: Python keeps the last value, other programs
    the first or either. A file that means different notes to different programs is not
    imported.
    """
    data = dict(pairs)
    if len(data) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise W3CError(f"the key {_show(key)} appears twice in one object")
            seen.add(key)
    return data


def _types(data: Mapping[str, Any]) -> set[str]:
    value = data.get("type", data.get("@type"))
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def _items(data: object) -> list[object]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise W3CError(f"not a W3C annotation export: the top level is {_kind(data)}")
    types = _types(data)
    if "Annotation" in types:
        return [data]
    if "AnnotationPage" in types:
        return _page_items(data, "the page")
    if "AnnotationCollection" in types:
        page = data.get("first")
        if page is None:
            total = data.get("total", 0)
            if total == 0:
                return []
            raise W3CError("the collection has no 'first' page with its annotations")
        if isinstance(page, str):
            raise W3CError(
                "the collection's pages are links, not embedded; only embedded pages can be read"
            )
        if not isinstance(page, dict):
            raise W3CError(f"the collection's 'first' is {_kind(page)}, not a page object")
        return _page_items(page, "the first page")
    shown = ", ".join(sorted(types)) or "none"
    raise W3CError(
        f"not a W3C annotation export (type: {_show(shown)}; expected AnnotationCollection)"
    )


def _page_items(page: Mapping[str, Any], where: str) -> list[object]:
    if page.get("next") is not None:
        raise W3CError(f"{where} links to a next page; only a single embedded page can be read")
    items = page.get("items", [])
    if not isinstance(items, list):
        raise W3CError(f"{where}'s 'items' is {_kind(items)}, not a list")
    return items


def _annotation(item: object, where: str) -> Annotation:
    data = _object(item, where)
    if "Annotation" not in _types(data):
        raise W3CError(f"{where} is not of type Annotation")
    ident = _identifier(data, "id", where)
    if ident.startswith("urn:uuid:") and annotation_iri(ident[9:]) == ident:
        ident = ident[9:]
    target = _target(data.get("target"), f"{where}: target")
    note, tags = _bodies(data, where)
    created = _time(data, "created", where, required=True)
    modified = _time(data, "modified", where, required=False) or created
    try:
        return Annotation(
            id=ident,
            article_id=target["article_id"],
            article_hash=target["article_hash"],
            selector=target["selector"],
            color=target["color"],
            note=note,
            tags=tuple(tags),
            created=created,
            updated=modified,
        )
    except AnnotationError as exc:  # pragma: no cover - every field is checked above
        raise W3CError(f"{where}: {_one_line(str(exc))}") from None


def _target(value: object, where: str) -> dict[str, Any]:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    target = _object(value, where)
    source = _identifier(target, "source", where)
    article_id = source[len(ARTICLE_PREFIX) :] if source.startswith(ARTICLE_PREFIX) else source
    if not article_id:
        raise W3CError(f"{where}.source names no article")
    selectors = target.get("selector")
    if selectors is None:
        raise W3CError(f"{where} has no selector")
    listed = selectors if isinstance(selectors, list) else [selectors]
    quote: Mapping[str, Any] | None = None
    position: Mapping[str, Any] | None = None
    for n, raw in enumerate(listed):
        item = _object(raw, f"{where}.selector[{n}]")
        kinds = _types(item)
        if "TextQuoteSelector" in kinds and quote is None:
            quote = item
        elif "TextPositionSelector" in kinds and position is None:
            position = item
    if quote is None:
        raise W3CError(f"{where} has no TextQuoteSelector")
    if position is None:
        raise W3CError(f"{where} has no TextPositionSelector")
    exact = _string(quote, "exact", f"{where}.TextQuoteSelector", required=True)
    if not exact:
        raise W3CError(f"{where}.TextQuoteSelector.exact is empty")
    start = _count(position, "start", f"{where}.TextPositionSelector")
    end = _count(position, "end", f"{where}.TextPositionSelector")
    if end < start:
        raise W3CError(
            f"{where}.TextPositionSelector ends ({_show(end)}) before it starts ({_show(start)})"
        )
    selector = Selector(
        exact=exact,
        prefix=_string(quote, "prefix", f"{where}.TextQuoteSelector"),
        suffix=_string(quote, "suffix", f"{where}.TextQuoteSelector"),
        start=start,
        end=end,
    )
    style = _string(target, "styleClass", where)
    name = style[len(STYLE_PREFIX) :] if style.startswith(STYLE_PREFIX) else style
    return {
        "article_id": article_id,
        "article_hash": _text_hash(target.get("state"), f"{where}.state"),
        "selector": selector,
        "color": name if name in COLORS else DEFAULT_COLOR,
    }


def _text_hash(state: object, where: str) -> str:
    """The text hash kept in a ``TimeState``'s ``cached`` IRI, or ``""`` when there is none."""
    if state is None:
        return ""
    states = state if isinstance(state, list) else [state]
    for n, raw in enumerate(states):
        item = _object(raw, f"{where}[{n}]" if isinstance(state, list) else where)
        cached = item.get("cached")
        links = cached if isinstance(cached, list) else [cached]
        for link in links:
            if link is not None and not isinstance(link, str):
                raise W3CError(f"{where}.cached is {_kind(link)}, not a string")
            if isinstance(link, str) and link.startswith(TEXT_PREFIX):
                digest = link[len(TEXT_PREFIX) :]
                if not re.fullmatch(r"[0-9a-f]{1,128}", digest):
                    raise W3CError(f"{where}.cached has a malformed text hash {_show(digest)}")
                return digest
    return ""


def _bodies(data: Mapping[str, Any], where: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    tags: list[str] = []
    if "bodyValue" in data:
        notes.append(_string(data, "bodyValue", where))
    raw = data.get("body")
    if raw is None:
        return "\n\n".join(notes), tags
    listed = raw if isinstance(raw, list) else [raw]
    for n, item in enumerate(listed):
        spot = f"{where}: body[{n}]" if isinstance(raw, list) else f"{where}: body"
        body = _object(item, spot)
        if "value" not in body:
            continue  # a body by reference (a link): nothing to keep as text
        value = _string(body, "value", spot, required=True)
        purpose = body.get("purpose", "commenting")
        purposes = purpose if isinstance(purpose, list) else [purpose]
        if not all(isinstance(p, str) for p in purposes):
            raise W3CError(f"{spot}.purpose is not a string")
        if "tagging" in purposes:
            tags.append(value)
        elif "commenting" in purposes or "describing" in purposes or not purposes:
            notes.append(value)
    return "\n\n".join(notes), tags


# -- checking helpers --------------------------------------------------------------------------


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise W3CError(f"{where} is {_kind(value)}, not an object")
    return value


def _string(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    if key not in data:
        if required:
            raise W3CError(f"{where} has no '{key}'")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise W3CError(f"{where}.{key} is {_kind(value)}, not a string")
    return value


def _identifier(data: Mapping[str, Any], key: str, where: str) -> str:
    value = _string(data, key, where, required=True)
    if not _NO_SPACE.fullmatch(value) or len(value) > MAX_ID or _UNSAFE.search(value):
        raise W3CError(f"{where}.{key} is not a usable identifier: {_show(value)}")
    return value


def _count(data: Mapping[str, Any], key: str, where: str) -> int:
    if key not in data:
        raise W3CError(f"{where} has no '{key}'")
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise W3CError(f"{where}.{key} must be a whole number ≥ 0, not {_show(value)}")
    return value


def _time(data: Mapping[str, Any], key: str, where: str, *, required: bool) -> str:
    """An ISO 8601 time, written back the way the store writes times (UTC, milliseconds).

    Times the store wrote come back unchanged; other tools' times are normalised so that
    the newest-wins comparison on import can compare them as text.
    """
    value = _string(data, key, where, required=required)
    if not value and not required:
        return ""
    stamp = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = _dt.datetime.fromisoformat(stamp) if len(value) <= MAX_ID else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise W3CError(f"{where}.{key} is not an ISO 8601 time: {_show(value)}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    utc = parsed.astimezone(_dt.timezone.utc)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _show(value: object, width: int = 40) -> str:
    text = repr(value)  # escapes newlines and controls: safe on one line
    return text if len(text) <= width else text[: width - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(_UNSAFE.sub("", text).split())


__all__ = [
    "ARTICLE_PREFIX",
    "CONTEXT",
    "W3CError",
    "annotation_iri",
    "collection",
    "dumps",
    "loads",
    "to_w3c",
]
