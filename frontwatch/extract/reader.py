"""Read one article: the pipeline from text to a ``Reading`` (events, control changes, holds, relations).

context (sentences, actors, places, times; coreference)
  → candidate sentences (a cheap trigger test; only these are parsed)
  → events, holds, relations, figures per sentence
  → merge what one article says twice → control changes → ids
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from frontwatch.extract.codes import code_event
from frontwatch.extract.context import ArticleContext, build_context
from frontwatch.extract.events import Found, extract_events
from frontwatch.extract.holds import FoundHold, extract_holds
from frontwatch.extract.lexicon import get_lexicon
from frontwatch.extract.quantities import FoundFigure, extract_figures
from frontwatch.extract.relations import RELATION_CUE, FoundRelation, backed_relations, extract_relations
from frontwatch.extract.times import publication_date_evidence, url_date
from frontwatch.nlp.pipeline import is_stop_word, parse
from frontwatch.nlp.sentences import Sentence
from frontwatch.schema import Actor, Article, ControlChange, DateRange, Event, Hold, Reading, Relation

_SAME_EVENT_DAYS = 2
_STATUS_RANK = {"confirmed": 0, "claimed": 1, "disputed": 2, "planned": 3, "negated": 4}
_PRECISION_RANK = {"day": 0, "week": 1, "range": 2, "month": 3, "year": 4, "unknown": 5}


def read_article(article: Article) -> Reading:
    article, inferred = _with_publication_date(article)
    ctx = build_context(article)
    lexicon = get_lexicon()
    candidates = [s for s in ctx.sentences if lexicon.candidate.search(s.text)]
    found: list[Found] = []
    holds: list[FoundHold] = []
    relations: list[FoundRelation] = backed_relations(ctx)
    figures: list[FoundFigure] = []
    for sentence, doc in zip(candidates, parse(_masked(s, ctx) for s in candidates), strict=True):
        found += extract_events(sentence, doc, ctx)
        holds += extract_holds(sentence, doc, ctx)
        relations += extract_relations(sentence, doc, ctx)
        figures += extract_figures(sentence, ctx)
    # Sentences that report no event may still say who backs or fights whom ("Iran has long backed
    # the Houthis", "Israel, which fought a war with Hezbollah"): parsed for relations only.
    parsed = {s.start for s in candidates}
    backing = [s for s in ctx.sentences if s.start not in parsed and RELATION_CUE.search(s.text)
               and len(ctx.actors_in(s.start, s.end)) >= 2]
    for sentence, doc in zip(backing, parse(_masked(s, ctx) for s in backing), strict=True):
        relations += extract_relations(sentence, doc, ctx)
    found = _merge([_recode_negated(f) for f in found])
    _mark_hedged_claims(found, ctx)
    _mark_disputes(found, ctx)
    reading = _assemble(ctx, found, holds, relations, figures)
    if inferred:
        reading.warnings.insert(0, inferred)
    return reading


def _with_publication_date(article: Article) -> tuple[Article, str | None]:
    """An article without a publication date gets one inferred from its page address or its own dates.

    The address comes first ("/2017/11/03/": sites put the day of publication there); otherwise the
    latest full date the text (title included) gives as past. Never the machine's clock: with neither,
    the article stays undated. Returns the article (dated, ``published_basis="inferred"``) and a
    warning that says what the date was read from, or the article unchanged and None.
    """
    if article.published is not None:
        return article, None
    day = url_date(article.url)
    if day is not None:
        source = f"its address {article.url!r}"
    else:
        found = publication_date_evidence(article.title + "\n" + article.text)
        if found is None:
            return article, None
        day, words = found
        source = f"the latest past date in its text ({words!r})"
    note = f"publication date {day.isoformat()} inferred from {source}: relative dates are read against it"
    return replace(article, published=day, published_basis="inferred"), note


def _masked(sentence: Sentence, ctx: ArticleContext) -> str:
    """The sentence with all-caps names that spell English words ("IS", "US") masked as "XX".

    The parser reads "SDF defeated IS after a battle" with "IS" as a verb; a same-length
    placeholder keeps every character offset and gives it a proper noun.
    """
    text = sentence.text
    for ref in ctx.actors_in(sentence.start, sentence.end):
        if ref.text.isupper() and len(ref.text) <= 4 and is_stop_word(ref.text.lower()):
            start = ref.start - sentence.start
            text = text[:start] + "X" * (ref.end - ref.start) + text[ref.end - sentence.start :]
    return text


# --- one article says the same thing twice ---------------------------------------------------------


def _recode_negated(event: Found) -> Found:
    """A change the text says did not happen is not a change: "Ukraine denied that the city had fallen"
    is Ukraine's statement; "the town did not fall" is kept as an event of type other, status negated."""
    if event.type != "territory_change" or event.status != "negated":
        return event
    if event.claimant is not None and (event.actor1 is None or event.claimant.id != event.actor1.id):
        return replace(event, type="statement", actor1=event.claimant, actor2=event.actor1, status="confirmed")
    return replace(event, type="other")


def _same(a: Found, b: Found) -> bool:
    return (
        a.type == b.type
        and a.status == b.status
        and a.place is not None
        and b.place is not None
        and a.place.place.id == b.place.place.id
        and (a.actor1 is None or b.actor1 is None or a.actor1.id == b.actor1.id)
        and _dates_compatible(a.date, b.date)
    )


def _dates_compatible(a: DateRange, b: DateRange) -> bool:
    if not a.known or not b.known:
        return True  # an undated mention of an event the article dates elsewhere (or not at all)
    if "publication" in (a.basis, b.basis):
        return True  # an undated mention of an event reported with its date elsewhere in the article
    # One article rarely reports two captures of one place by one side within days: a quote's "today"
    # and the report's "on Tuesday" are the same event.
    slack = dt.timedelta(days=_SAME_EVENT_DAYS)
    return a.start - slack <= b.end and b.start - slack <= a.end  # type: ignore[operator]


def _better(a: Found, b: Found) -> Found:
    """Of two reports of one event, the one with the more precise date; the other fills the gaps."""

    def key(f: Found) -> tuple:
        return (f.date.basis != "text", _PRECISION_RANK[f.date.precision], -f.confidence, f.evidence.start)

    best, other = (a, b) if key(a) <= key(b) else (b, a)
    best.actor2 = best.actor2 or other.actor2
    best.actor1 = best.actor1 or other.actor1
    best.confidence = min(0.99, max(best.confidence, other.confidence) + 0.05)
    seen = {x.id for x in best.associates}
    best.associates += [x for x in other.associates if x.id not in seen]
    return best


def _merge(found: list[Found]) -> list[Found]:
    merged: list[Found] = []
    for event in sorted(found, key=lambda f: (f.evidence.start, f.trigger)):
        for i, kept in enumerate(merged):
            if _same(kept, event):
                merged[i] = _better(kept, event)
                break
        else:
            merged.append(event)
    return merged


def _mark_hedged_claims(found: list[Found], ctx: ArticleContext) -> None:
    """"... the claim could not be independently verified": the changes one side reported before it are claims."""
    hedges = get_lexicon().patterns("claimed", "article_hedges")
    for sentence in ctx.sentences:
        if not any(p.search(sentence.text) for p in hedges):
            continue
        for event in found:
            reported = event.claimant is not None and event.evidence.start <= sentence.start
            if event.type == "territory_change" and event.status == "confirmed" and reported:
                event.status = "claimed"


def _mark_disputes(found: list[Found], ctx: ArticleContext) -> None:
    """A change that one side reports and another side denies in the article is disputed."""
    lexicon = get_lexicon()
    pattern = re.compile(
        r"\b(?:" + "|".join(_inflections(w) for w in lexicon.words("disputed", "deny_verbs")) + r")\b", re.IGNORECASE
    )
    phrases = lexicon.patterns("disputed", "phrases")
    denials = [s for s in ctx.sentences if pattern.search(s.text) or any(p.search(s.text) for p in phrases)]
    for event in found:
        if event.type != "territory_change" or event.place is None:
            continue
        if not (event.status == "claimed" or (event.status == "confirmed" and (event.claimant or event.reported))):
            continue
        for sentence in denials:
            names_place = any(p.place.id == event.place.place.id for p in ctx.places_in(sentence.start, sentence.end))
            deniers = [a.actor for a in ctx.actors_in(sentence.start, sentence.end)]
            claimant = event.claimant or event.actor1
            if names_place and any(claimant is None or a.id != claimant.id for a in deniers):
                event.status = "disputed"
                break


def _inflections(verb: str) -> str:
    """A regular expression for the forms of a regular verb: deny → deny|denies|denied|denying."""
    if verb.endswith("y"):
        return verb[:-1] + "(?:y|ies|ied|ying)"
    if verb.endswith("e"):
        return verb[:-1] + "(?:e|es|ed|ing)"
    return verb + "(?:s|ed|ing)?|" + verb + verb[-1] + "(?:ed|ing)"  # repel → repelled


# --- from found things to the public records -------------------------------------------------------


def _assemble(
    ctx: ArticleContext,
    found: list[Found],
    holds: list[FoundHold],
    relations: list[FoundRelation],
    figures: list[FoundFigure],
) -> Reading:
    doc_id = ctx.document
    reading = Reading(article=ctx.article)
    if ctx.article.published is None:
        reading.warnings.append(
            'no publication date known: dates relative to it ("on Tuesday", "in July") are left unresolved'
        )
    items: list[tuple[int, Found | FoundFigure]] = [(f.evidence.start, f) for f in found]
    items += [(f.start, f) for f in figures]
    items.sort(key=lambda pair: pair[0])
    allies = _allies(relations)
    implied: set[str] = set()  # changes a withdrawal implies, rather than reports
    for n, (_, item) in enumerate(items, start=1):
        event_id = f"{doc_id}:e{n}"
        if isinstance(item, FoundFigure):
            reading.events.append(_figure_event(event_id, item))
            continue
        reading.events.append(
            Event(
                id=event_id,
                type=item.type,
                actor1=item.actor1,
                actor2=item.actor2,
                place=item.place.place if item.place else None,
                date=item.date,
                status=item.status,
                evidence=item.evidence,
                confidence=item.confidence,
                actor1_associates=item.associates,
                source=item.claimant,
                trigger=item.trigger,
            )
        )
        change = _change(item, event_id, ctx, allies, len(reading.control) + 1)
        if change is not None:
            reading.control.append(change)
            if item.type == "withdrawal":
                implied.add(change.id)
    reading.control = _merge_changes(_explicit_first(reading.control, implied))
    reading.holds = _holds(doc_id, holds)
    reading.relations = _relations(doc_id, relations)
    reading.actors = _unique([a for e in reading.events for a in (e.actor1, e.actor2, e.source) if a])
    reading.places = list({e.place.id: e.place for e in reading.events if e.place}.values())
    reading.events = [code_event(e) for e in reading.events]  # ACLED, PLOVER and CAMEO codes
    return reading


def _figure_event(event_id: str, figure: FoundFigure) -> Event:
    return Event(
        id=event_id,
        type=figure.type,
        actor1=figure.actor,
        actor2=None,
        place=figure.place.place if figure.place else None,
        date=figure.date,
        status="claimed" if figure.source is not None else "confirmed",
        evidence=figure.evidence,
        confidence=0.6,
        quantity=figure.quantity,
        source=figure.source,
        trigger=figure.evidence.sentence[figure.start - figure.evidence.start : figure.end - figure.evidence.start],
    )


def _change(
    item: Found, event_id: str, ctx: ArticleContext, allies: dict[str, set[str]], n: int
) -> ControlChange | None:
    """A territory change, or a withdrawal whose beneficiary the article makes plain, becomes a control change."""
    if item.place is None or item.actor1 is None or item.status == "negated":
        return None
    if item.type == "territory_change":
        controller, previous, inferred = item.actor1, item.actor2, False
        confidence = item.confidence
    elif item.type == "withdrawal":
        previous = item.actor1
        controller = ctx.main_opponent(previous, allies.get(previous.id, set()), near=item.evidence.start)
        if controller is None:
            return None
        inferred = False
        confidence = item.confidence - 0.15
    else:
        return None
    if previous is None:
        previous = ctx.main_opponent(
            controller, allies.get(controller.id, set()) | {a.id for a in item.associates}, near=item.evidence.start
        )
        inferred = previous is not None
    return ControlChange(
        id=f"{ctx.document}:c{n}",
        place=item.place.place,
        controller=controller,
        previous=previous,
        date=item.date,
        status=item.status,
        evidence=item.evidence,
        confidence=max(0.05, confidence - (0.1 if inferred else 0.0)),
        event_id=event_id,
        previous_inferred=inferred,
    )


def _same_change(a: ControlChange, b: ControlChange, same_controller: bool = True) -> bool:
    """Two reports in one article of one change: same place, status and (optionally) taker, compatible days."""
    return (
        a.place.id == b.place.id
        and a.status == b.status
        and (not same_controller or a.controller.id == b.controller.id)
        and _dates_compatible(a.date, b.date)
    )


def _explicit_first(changes: list[ControlChange], implied: set[str]) -> list[ControlChange]:
    """A reported taker beats the one a withdrawal implies; the side that withdrew is the previous holder.

    "Kurdish-led forces agreed to withdraw from Tal Rifaat, which will be handed over to the Syrian
    government": Syria takes it from the SDF, not from whoever else the article names most.
    """
    reported = [c for c in changes if c.id not in implied]
    kept = list(reported)
    for change in changes:
        if change.id not in implied:
            continue
        twin = next(
            (
                c
                for c in reported
                if _same_change(c, change, same_controller=False)
                and (change.previous is None or c.controller.id != change.previous.id)  # not the side that left
            ),
            None,
        )
        if twin is None:
            kept.append(change)
            continue
        if twin.previous is None or twin.previous_inferred:
            twin.previous, twin.previous_inferred = change.previous, False
        if twin.date.basis != "text" and change.date.basis == "text":
            twin.date = change.date  # "withdrew on Saturday ... Hours later, Kyiv regained control of it"
    return sorted(kept, key=changes.index)


def _merge_changes(changes: list[ControlChange]) -> list[ControlChange]:
    """One change reported twice in an article ("pulled out of Lyman" ... "Kyiv regained control of it")."""
    kept: list[ControlChange] = []
    for change in changes:
        twin = next((k for k in kept if _same_change(k, change)), None)
        if twin is None:
            kept.append(change)
            continue
        best, other = sorted((twin, change), key=lambda c: (c.date.basis != "text", _PRECISION_RANK[c.date.precision]))
        if best.previous is None or (best.previous_inferred and other.previous and not other.previous_inferred):
            best.previous, best.previous_inferred = other.previous, other.previous_inferred
        best.confidence = min(0.99, max(best.confidence, other.confidence) + 0.05)
        kept[kept.index(twin)] = best
    return kept


def _allies(relations: list[FoundRelation]) -> dict[str, set[str]]:
    allies: dict[str, set[str]] = {}
    for r in relations:
        if r.type not in ("supports", "allied"):
            continue  # "fights" links enemies
        allies.setdefault(r.actor1.id, set()).add(r.actor2.id)
        allies.setdefault(r.actor2.id, set()).add(r.actor1.id)
    return allies


def _holds(doc_id: str, holds: list[FoundHold]) -> list[Hold]:
    out: dict[tuple[str, str, str | None], Hold] = {}
    for h in sorted(holds, key=lambda h: h.evidence.start):
        if not h.at.known:
            continue
        key = (h.place.place.id, h.controller.id, h.at.start.isoformat() if h.at.start else None)
        if key not in out:
            out[key] = Hold(f"{doc_id}:h{len(out) + 1}", h.place.place, h.controller, h.at, h.evidence, h.confidence)
    return list(out.values())


def _relations(doc_id: str, relations: list[FoundRelation]) -> list[Relation]:
    out: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        key = (r.type, r.actor1.id, r.actor2.id)
        if r.type in ("allied", "fights"):  # symmetric: one relation per pair
            key = (r.type, *sorted((r.actor1.id, r.actor2.id)))  # type: ignore[assignment]
        if key not in out:
            out[key] = Relation(f"{doc_id}:r{len(out) + 1}", r.type, r.actor1, r.actor2, r.evidence)  # type: ignore[arg-type]
    return list(out.values())


def _unique(actors: list[Actor]) -> list[Actor]:
    return list({a.id: a for a in actors}.values())
