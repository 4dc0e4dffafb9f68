"""Figures: force estimates ("1,500-2,500 fighters left in al-Qaim"), fatalities, share of territory.

Read with patterns over the sentence text (numbers are not something the parser helps with),
then attributed: whose fighters (the actor named in the phrase, or the one the generic noun
means), where (the place after "in"/"at"), according to whom (the subject of "estimated",
"said", "according to"), when (a time in the sentence, else the publication date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontwatch.extract.context import ArticleContext, PlaceRef
from frontwatch.nlp.sentences import Sentence
from frontwatch.schema import Actor, DateRange, Evidence, Quantity

_NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_WORD_AMOUNTS = {
    "a few hundred": (200, 500),
    "several hundred": (300, 900),
    "a few thousand": (2000, 5000),
    "several thousand": (3000, 9000),
    "a few dozen": (24, 60),
    "dozens of": (24, 100),
}
_AMOUNT = re.compile(
    rf"(?<![\d,.])(?:(?:between|from)\s+(?P<lo>{_NUM})\s+(?:and|to)\s+(?P<hi>{_NUM})"
    rf"|(?P<a>{_NUM})\s*(?:-|–|to)\s*(?P<b>{_NUM})"
    rf"|(?:(?P<q>as many as|up to|about|around|nearly|some|more than|over|at least|roughly|approximately"
    rf"|an estimated)\s+)?"
    rf"(?P<n>{_NUM})(?![\d,]|\s*(?:km|kilometres|kilometers|miles|square|percent|per cent|%|degrees|years|months|days))"
    rf"|(?P<w>{'|'.join(_WORD_AMOUNTS)}))",
    re.IGNORECASE,
)
_FIGHTERS = re.compile(
    r"^\s*(?:(?:[A-Z][\w.'’-]*|[a-z]{1,3}-[A-Z][\w'’-]*|more|remaining|foreign|armed|of|the|its|their)\s+){0,3}"
    r"(?P<noun>fighters|militants|jihadists|soldiers|troops|defenders|insurgents|rebels|servicemen|gunmen|men)\b",
)
_FATAL = re.compile(
    r"^\s*(?:\w+\s+){0,4}?(?:people|civilians|\w+)?\s*(?:were|had been|have been|was)?\s*"
    r"(?:killed|dead|died|slain)\b",
    re.IGNORECASE,
)
_KILLED = re.compile(r"\b(?:killed|dead|died|slain|casualties|wounded)\b", re.IGNORECASE)
_PERCENT = re.compile(
    rf"(?P<n>{_NUM})\s*(?:percent|per cent|%)\s+of\s+(?:the\s+)?(?:\w+\s+)?territory", re.IGNORECASE
)
_ESTIMATE_CUE = re.compile(
    r"\b(?:estimat\w*|as many as|between|left in|remain(?:ing|ed)?|defending|holed up|dug in|surrender\w*|"
    r"laid down|number(?:ed)?|said|says|according to|there are|there were)\b",
    re.IGNORECASE,
)
_SOURCE_VERB = re.compile(
    r"\b(?:have |has |had )?(?:estimated|said|say|says|told|reported|believe[sd]?)\b", re.IGNORECASE
)
_GENERIC_STATE_NOUNS = {"soldiers", "troops", "servicemen", "defenders"}


@dataclass
class FoundFigure:
    type: str
    quantity: Quantity
    actor: Actor | None
    place: PlaceRef | None
    date: DateRange
    source: Actor | None
    evidence: Evidence
    start: int
    end: int


def extract_figures(sentence: Sentence, ctx: ArticleContext) -> list[FoundFigure]:
    out: list[FoundFigure] = []
    text = sentence.text
    last_noun: str | None = None
    for match in _AMOUNT.finditer(text):
        low, high = _bounds(match)
        if low is None or _is_year_or_date(text, match):
            continue
        rest = text[match.end() :]
        fighters = _FIGHTERS.match(rest)
        elliptic = last_noun is not None and re.match(r"^\s+(?:in|at)\b", rest)
        if (fighters or elliptic) and _KILLED.search(text):
            out.append(
                _figure("other", Quantity("fatalities", low, high), None, sentence, ctx, match.start(), match.end())
            )
        elif fighters or elliptic:
            noun = fighters.group("noun") if fighters else last_noun
            last_noun = noun
            if not _ESTIMATE_CUE.search(text):
                continue
            phrase_end = match.end() + (fighters.end() if fighters else 0)
            out.append(
                _figure(
                    "force_estimate",
                    Quantity("fighters", low, high),
                    noun,
                    sentence,
                    ctx,
                    match.start(),
                    phrase_end,
                )
            )
        elif _FATAL.match(rest):
            out.append(
                _figure(
                    "other",
                    Quantity("fatalities", low, high),
                    None,
                    sentence,
                    ctx,
                    match.start(),
                    match.end(),
                )
            )
    for match in _PERCENT.finditer(text):
        value = float(match.group("n").replace(",", ""))
        out.append(
            _figure(
                "other",
                Quantity("percent_territory", value, value),
                None,
                sentence,
                ctx,
                match.start(),
                match.end(),
            )
        )
    return out


def _bounds(match: re.Match[str]) -> tuple[float | None, float | None]:
    def num(s: str) -> float:
        return float(s.replace(",", ""))

    if match.group("lo"):
        return num(match.group("lo")), num(match.group("hi"))
    if match.group("a"):
        return num(match.group("a")), num(match.group("b"))
    if match.group("w"):
        lo, hi = _WORD_AMOUNTS[match.group("w").lower()]
        return float(lo), float(hi)
    if match.group("n"):
        value = num(match.group("n"))
        return value, value
    return None, None


def _is_year_or_date(text: str, match: re.Match[str]) -> bool:
    value = match.group(0).strip()
    if re.fullmatch(r"(19|20)\d\d", value):
        return True
    before = text[max(0, match.start() - 12) : match.start()]
    return bool(re.search(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s*$", before))


def _figure(
    kind: str,
    quantity: Quantity,
    noun: str | None,
    sentence: Sentence,
    ctx: ArticleContext,
    start: int,
    end: int,
) -> FoundFigure:
    doc_start, doc_end = sentence.start + start, sentence.start + end
    actor = _whose(noun, doc_start, doc_end, sentence, ctx)
    place = _where(doc_end, sentence, ctx, kind)
    source = _according_to(doc_start, sentence, ctx)
    date = _when(sentence, ctx)
    evidence = Evidence(ctx.document, sentence.text, sentence.start, sentence.end)
    return FoundFigure(kind, quantity, actor, place, date, source, evidence, doc_start, doc_end)


def _whose(noun: str | None, start: int, end: int, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    inside = ctx.actors_in(start, end + 1)
    if inside:
        return inside[0].actor
    if noun is None:
        return None
    if noun in _GENERIC_STATE_NOUNS:
        return ctx.last_actor_before(start, want_state=True)
    # "fighters", "militants": the non-state side last named.
    for ref in reversed(ctx.actors):
        if ref.end <= start and ref.actor.kind not in ("state_forces", "external_forces"):
            return ref.actor
    return None


def _where(after: int, sentence: Sentence, ctx: ArticleContext, kind: str) -> PlaceRef | None:
    for ref in ctx.places_in(after, sentence.end):
        if ref.relation is None and not ref.container and ref.place.kind != "country" and ref.located:
            gap = ctx.article.text[after : ref.start]
            if len(gap) < 60 and re.search(r"\b(?:in|at|inside|around|defending)\b", gap):
                return ref
    # "defending the city centre": a place named in the sentence before the figure.
    refs = [
        r
        for r in ctx.places_in(sentence.start, sentence.end)
        if r.relation is None and not r.container and r.place.kind != "country" and r.located
    ]
    if refs:
        return refs[0]
    return ctx.main_town() if kind == "force_estimate" else None


def _according_to(before: int, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    text = ctx.article.text
    match = re.search(r"\baccording to\b", sentence.text, re.IGNORECASE)
    if match:
        refs = ctx.actors_in(sentence.start + match.end(), sentence.end)
        if refs:
            return refs[0].actor
    for verb in _SOURCE_VERB.finditer(text, sentence.start, before):
        refs = [r for r in ctx.actors_in(sentence.start, verb.start()) if r.backer is None]
        if refs:
            return refs[-1].actor if verb.start() - refs[-1].end < 40 else refs[0].actor
    return None


def _when(sentence: Sentence, ctx: ArticleContext) -> DateRange:
    for mention in ctx.times_in(sentence.start, sentence.end):
        if mention.range.known and mention.relation == "at":
            return mention.range
    if ctx.article.published is None:
        return DateRange.unknown()
    return DateRange.day(ctx.article.published, basis="publication")
