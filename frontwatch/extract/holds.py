"""Holds: the text says who holds a place without reporting a change.

"the last town still held by Islamic State is Abu Kamal", "Jarablus, a border town that the
group still holds", "Kurdish-led forces hold Manbij", "Fallujah remains under the group's
control", "Deir ez-Zor had been controlled by IS since 2014". Partial control ("40 percent of
Deir ez-Zor province") is not a hold of the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from frontwatch.extract import syntax
from frontwatch.extract.context import ArticleContext, PlaceRef
from frontwatch.nlp.sentences import Sentence
from frontwatch.schema import Actor, DateRange, Evidence

_HOLD_VERBS = {"hold", "control"}
_PARTIAL = re.compile(
    r"\b(?:percent|per cent|%|part|parts|most|much|half|some|areas|pockets|stretch(?:es)?)\s+of\s*$",
    re.IGNORECASE,
)
# "under Taliban control", "under the group's control", "under the control of the Taliban".
_UNDER_CONTROL = re.compile(
    r"\bunder\s+(?:the\s+)?(?:(?P<who>[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?)(?:'s|’s)?\s+control\b"
    r"|control\s+of\s+(?P<of>(?:the\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}))",
    re.IGNORECASE,
)


@dataclass
class FoundHold:
    place: PlaceRef
    controller: Actor
    at: DateRange
    evidence: Evidence
    confidence: float


def extract_holds(sentence: Sentence, doc: Doc, ctx: ArticleContext) -> list[FoundHold]:
    out: list[FoundHold] = []
    for token in doc:
        if syntax.lemma(token) in _HOLD_VERBS and token.pos_ in ("VERB", "AUX"):
            out += _verb_hold(token, sentence, ctx)
    for match in _IN_CONTROL.finditer(sentence.text):
        out += _in_control(match, doc, sentence, ctx)
    for match in _UNDER_CONTROL.finditer(sentence.text):
        if re.search(r"\b(?:full|complete|total)\b", match.group(0), re.IGNORECASE):
            continue  # "under the full control of" reports a change (see events)
        token = next((t for t in doc if t.idx >= match.start()), None)
        refs = ctx.actors_in(sentence.start + match.start(), sentence.start + match.end())
        holder = refs[0].actor if refs else _governmental(match.group("who") or match.group("of"), ctx)
        if token is None or holder is None:
            continue
        places = _held_places(token, sentence, ctx) or _copula_subject_places(token, sentence, ctx)
        out += [_hold(p, holder, token, sentence, ctx, 0.7) for p in places]
    return out


# "Government forces are in control of Wad Madani", "the group remains in firm control of X".
_IN_CONTROL = re.compile(r"\b(?:is|are|was|were|remains?|remained|stays?|stayed)\s+(?:now\s+|still\s+)?in\s+"
                         r"(?:\w+\s+)?control\s+of\b", re.IGNORECASE)


def _in_control(match: re.Match[str], doc: Doc, sentence: Sentence, ctx: ArticleContext) -> list[FoundHold]:
    """ "M23 is in control of Goma": the verb's subject holds what follows "of"."""
    if re.search(r"\b(?:full|complete|total)\b", match.group(0), re.IGNORECASE):
        return []  # "in full control of" after a battle reports the change (see events)
    verb = next((t for t in doc if t.idx >= match.start()), None)
    of = next((t for t in doc if t.idx >= match.end() - 2 and t.lower_ == "of"), None)
    if verb is None or of is None:
        return []
    holder = _actor_in(syntax.subject(verb), sentence, ctx)
    target = next((c for c in of.children if c.dep_ == "pobj"), None)
    if holder is None or target is None:
        return []
    return [_hold(p, holder, verb, sentence, ctx, 0.7) for p in _held_places(target, sentence, ctx)]


# "X came/fell under Y control" reports a change (see events); "X is/remains under Y control" a hold.
_STATE_VERBS = {"be", "remain", "stay"}


def _copula_subject_places(token: Token, sentence: Sentence, ctx: ArticleContext) -> list[PlaceRef]:
    """ "Kunduz is now under Taliban control": the subject of the verb "under" hangs on."""
    verb = token.head
    if token.dep_ != "prep" or syntax.lemma(verb) not in _STATE_VERBS:
        return []
    subject = syntax.subject(verb)
    return _held_places(subject, sentence, ctx) if subject is not None else []


def _governmental(who: str, ctx: ArticleContext) -> Actor | None:
    """"under government control", "under army control": the host country's state forces."""
    plain = re.fullmatch(r"(?:the\s+)?(?:government|army|military|regime|state)", who, re.IGNORECASE)
    return ctx.kb.state(ctx.host_country) if plain and ctx.host_country else None


def _verb_hold(verb: Token, sentence: Sentence, ctx: ArticleContext) -> list[FoundHold]:
    if syntax.has_neg(verb) or any(
        c.lower_ in ("will", "would", "could", "may", "might") for c in verb.children
    ):
        return []
    if syntax.is_passive(verb):
        agent = next(iter(syntax.preps(verb, {"by"})), None)
        holder = _actor_in(agent, sentence, ctx)
        target = syntax.passive_subject(verb)
    else:
        holder = _actor_in(syntax.subject(verb), sentence, ctx)
        target = syntax.obj(verb)
    if holder is None or target is None:
        return []
    places = _held_places(target, sentence, ctx) or _apposed_place(verb, sentence, ctx)
    return [_hold(p, holder, verb, sentence, ctx, 0.75) for p in places]


# ", the last town still held by": the appositive itself; ", the regional capital, which X has held":
# a relative clause on the appositive.
_APPOSITIVE = re.compile(r"^,\s+(?:a|an|the|one|its)\b[^,;]*(?:,\s*(?:which|that)\b[^,;]*)?$")


def _apposed_place(verb: Token, sentence: Sentence, ctx: ArticleContext) -> list[PlaceRef]:
    """"Sirte, the last town still held by X": the place the appositive describes, when the parse lost it."""
    verb_start = sentence.start + verb.idx
    before = [
        r for r in ctx.places_in(sentence.start, verb_start)
        if not r.container and r.place.kind in ("city", "site") and r.located
    ]
    if before and _APPOSITIVE.match(ctx.article.text[before[-1].end : verb_start]):
        # "just north of Donetsk, the regional capital, which ...": the appositive describes the
        # named town itself, not the point the relation gives.
        return [replace(before[-1], relation=None, point=None)]
    return []


def _actor_in(token: Token | None, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    if token is None:
        return None
    start, end = syntax.span(token, sentence.start)
    refs = ctx.actors_in(start, end)
    if refs:
        return refs[0].actor
    if token.lower_ in ("they", "it"):  # "They have held the port town since August 2020"
        return ctx.last_actor_before(start, within=400)
    return None


def _held_places(token: Token, sentence: Sentence, ctx: ArticleContext) -> list[PlaceRef]:
    """The places a held noun phrase names, following appositions ("Hawija, a town ... held by IS")."""
    current = token
    for _ in range(5):
        places = _places_at(current, sentence, ctx)
        if places:
            return places
        if current.dep_ == "appos" or (current.dep_ == "pobj" and current.head.lower_ == "of"):
            current = current.head if current.dep_ == "appos" else current.head.head
        elif current.dep_ in ("nsubj", "nsubjpass") and syntax.lemma(current.head) == "be":
            attr = syntax.child(current.head, {"attr"})
            if attr is None:
                return []
            current = attr
        elif current.dep_ in ("attr",) and current.head.pos_ in ("AUX", "VERB"):
            subject = syntax.child(current.head, {"nsubj"})
            if subject is None:
                return []
            current = subject
        elif current.head.i != current.i and current.dep_ in ("relcl", "acl"):
            current = current.head
        else:
            return []
    return []


# Head nouns that introduce the places they hold: "the towns of Anah, Rawa and al-Qaim", "one of the cities".
_LIST_HEADS = {"town", "towns", "city", "cities", "stretch", "area", "village", "villages", "one", "part"}


def _places_at(token: Token, sentence: Sentence, ctx: ArticleContext) -> list[PlaceRef]:
    start, end = syntax.span(token, sentence.start)
    head_start, head_end = syntax.token_span(token, sentence.start)
    text = ctx.article.text
    refs: list[PlaceRef] = []
    for ref in ctx.places_in(start, end):
        if ref.relation is not None or ref.container or ref.place.kind not in ("city", "site") or not ref.located:
            continue
        if _PARTIAL.search(text[max(0, ref.start - 30) : ref.start]):
            continue
        at_head = ref.start <= head_start < ref.end
        listed = syntax.lemma(token) in _LIST_HEADS
        right_after = not refs and ref.start >= head_start and ref.start - head_end < 4
        included = ref.start >= head_end and re.search(r"\bincluding\b", text[head_end : ref.start])
        if at_head or listed or right_after or included:  # "the eastern bank, including the town of Oleshky"
            refs.append(ref)
    return refs


def _hold(
    place: PlaceRef,
    controller: Actor,
    token: Token,
    sentence: Sentence,
    ctx: ArticleContext,
    confidence: float,
) -> FoundHold:
    at = _hold_date(token, sentence, ctx)
    evidence = Evidence(ctx.document, sentence.text, sentence.start, sentence.end)
    return FoundHold(place, controller, at, evidence, confidence)


def _hold_date(token: Token, sentence: Sentence, ctx: ArticleContext) -> DateRange:
    """A "since"/"from" time dates the start of the hold; a present-tense hold is true on publication."""
    for mention in ctx.times_in(sentence.start, sentence.end):
        if mention.relation == "since" and mention.range.known:
            return mention.range
    verb = next((t for t in syntax.ancestors_to_clause(token) if t.pos_ in ("VERB", "AUX")), token)
    past = verb.tag_ in ("VBD",) or any(c.lower_ in ("had", "was", "were") for c in verb.children)
    published = ctx.article.published
    if published is None or (past and not _present_context(sentence)):
        return DateRange.unknown()
    return DateRange.day(published, basis="publication")


def _present_context(sentence: Sentence) -> bool:
    return bool(re.search(r"\b(?:still|remains?|is|are|now)\b", sentence.text))
