"""Events from parsed sentences: a trigger word, its arguments, its time, its status.

One pass per candidate sentence. For every verb (or noun) in the trigger lexicon, the frame's
``role`` says how to read the parse: who acted (actor1, with associates), on whom (actor2),
where (the place of the event, not every place in the sentence), and when (the time expression
of the trigger's own clause, else of the clause that reports it, else the publication date,
flagged as such). Territory changes carry the new and the previous controller.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc, Token

from frontwatch.extract import syntax
from frontwatch.extract.context import ArticleContext, PlaceRef
from frontwatch.extract.lexicon import Frame, Lexicon, get_lexicon
from frontwatch.extract.status import status_of
from frontwatch.extract.times import TimeMention
from frontwatch.nlp.sentences import Sentence
from frontwatch.resolve.places import place_slug, unknown_place
from frontwatch.schema import Actor, DateRange, Evidence

# How far back an undated, recent-sounding event may lie before the publication date.
RECENT_DAYS = 7
# How far back (characters, about two sentences) a pronoun may look for the actor it stands for.
_PRONOUN_REACH = 400
_PRONOUNS = {"they", "them", "it", "he", "she", "its", "their"}
_FIRST_PERSON = {"we", "our", "us"}
_DURATION = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)[\s-]+(day|week|month|year)s?\b",
    re.IGNORECASE,
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 30, "year": 365}
# Verbs whose actor object is the side driven out: "driving Islamic State out of al-Bab".
_EXPEL = {"drive", "oust", "expel", "push", "rout", "defeat", "clear", "force"}


@dataclass
class Found:
    """An event as read from one sentence, before ids are assigned and duplicates merged."""

    type: str
    role: str
    actor1: Actor | None
    actor2: Actor | None
    place: PlaceRef | None
    date: DateRange
    status: str
    evidence: Evidence
    confidence: float
    trigger: str
    associates: list[Actor] = field(default_factory=list)
    source: Actor | None = None
    claimant: Actor | None = None  # who says it happened, for claimed and disputed changes
    reported: bool = False  # a reporting verb governs it ("..., the ministry said"): one side's account


def extract_events(sentence: Sentence, doc: Doc, ctx: ArticleContext) -> list[Found]:
    lexicon = get_lexicon()
    found: list[Found] = []
    for token in doc:
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or _mistagged_verb(token, lexicon):
            for frame in lexicon.frames_for_verb(syntax.lemma(token)):
                event = _read_verb(token, frame, sentence, ctx, lexicon)
                if event is not None:
                    found.append(event)
                    found += _coordinated_places(event, token, sentence, ctx)
                    break
        elif token.pos_ in ("NOUN", "PROPN") and syntax.lemma(token) in lexicon.nouns:
            event = _read_noun(token, lexicon.nouns[syntax.lemma(token)], sentence, ctx, lexicon)
            if event is not None:
                found.append(event)
    found += _phrase_events(sentence, doc, ctx, lexicon)
    return found


# --- verbs -----------------------------------------------------------------------------------------


def _mistagged_verb(token: Token, lexicon: Lexicon) -> bool:
    """ "The army retook Khartoum": the tagger may call an irregular past form a noun while the parser
    still gives it a subject or an object; it is the verb."""
    lemma = lexicon.irregular.get(token.lower_)
    return (
        lemma is not None
        and bool(lexicon.frames_for_verb(lemma))
        and any(c.dep_ in ("nsubj", "dobj") for c in token.children)
    )


def _coordinated_places(event: Found, verb: Token, sentence: Sentence, ctx: ArticleContext) -> list[Found]:
    """"took Sar-e Pul ... and Taloqan": the same event at each coordinated place."""
    if event.type != "territory_change" or event.place is None:
        return []
    target = syntax.passive_subject(verb) if syntax.is_passive(verb) else syntax.obj(verb)
    if target is None:
        return []
    out = []
    # "Sar-e Pul, capital of the province, and Taloqan": the parser may hang the second name on the appositive.
    others = list(target.conjuncts) + [t for t in target.subtree if t.dep_ == "conj" and t.pos_ == "PROPN"]
    for other in dict.fromkeys(others):
        place = _place_of(other, sentence, ctx) or _conjoined_name(other, sentence, ctx)
        if place is not None and place.place.id != event.place.place.id and place.place.kind != "country":
            out.append(replace(event, place=place, confidence=event.confidence - 0.05))
    return out


def _conjoined_name(token: Token, sentence: Sentence, ctx: ArticleContext) -> PlaceRef | None:
    """"seized the ports of Ras Lanuf and Es Sider": a proper name joined to a town the event took is a
    place too; kept by name, with no coordinates, when the gazetteer lacks it."""
    if token.pos_ != "PROPN":
        return None
    doc = token.doc
    first = last = token.i  # the run of proper nouns around it: "Ceel Dheere Yar"
    while first > 0 and token.i - first < 4 and doc[first - 1].pos_ == "PROPN":
        first -= 1
    while last + 1 < len(doc) and last - token.i < 4 and doc[last + 1].pos_ == "PROPN":
        last += 1
    start = sentence.start + doc[first].idx
    end = sentence.start + doc[last].idx + len(doc[last].text)
    if ctx.actors_in(start, end) or ctx.places_in(start, end) or ctx.times_in(start, end):
        return None
    name = ctx.article.text[start:end]
    return PlaceRef(start, end, name, unknown_place(name))


def _read_verb(verb: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon) -> Found | None:
    base = sentence.start
    if frame.role == "gain":
        return _read_gain(verb, frame, sentence, ctx, lexicon)
    if frame.role == "fall":
        place = _place_of(syntax.subject(verb) or syntax.passive_subject(verb), sentence, ctx)
        taker = next(iter(syntax.preps(verb, {"to"})), None)
        actor = _actor_of(taker, verb, sentence, ctx) if taker is not None else _speaker(verb, sentence, ctx)
        if place is None or actor is None:
            return None
        return _found(frame, verb, sentence, ctx, actor, None, place, confidence=0.8)
    if frame.role == "loss":
        return _read_loss(verb, frame, sentence, ctx)
    if frame.role == "give":
        return _read_give(verb, frame, sentence, ctx)
    if frame.role == "begin":
        return _read_begin(verb, frame, sentence, ctx, lexicon)
    if frame.role in ("contest", "say"):
        if syntax.is_passive(verb):  # "Sirte is surrounded by government forces"
            agent = next(iter(syntax.preps(verb, {"by"})), None)
            actor = _actor_of(agent, verb, sentence, ctx) if agent is not None else None
            target = syntax.passive_subject(verb)
        else:
            actor = _actor_of(syntax.subject(verb), verb, sentence, ctx)
            target = syntax.obj(verb)
        if actor is None:
            return None
        actor2 = _actor_of(target, verb, sentence, ctx, resolve_pronouns=False) if target is not None else None
        place = _place_of(target, sentence, ctx) if target is not None else None
        for pobj in syntax.preps(verb, {"on", "in", "at", "for", "around", "near", "into", "against", "over"}):
            place = place or _place_of(pobj, sentence, ctx)
            actor2 = actor2 or _actor_of(pobj, verb, sentence, ctx, resolve_pronouns=False)
        if place is None:
            place = _sentence_place(sentence, ctx, after=base + verb.idx)
        if place is None and frame.role == "say":
            capital = ctx.capital_of(actor)  # a government's statement is made where it sits
            place = PlaceRef(sentence.start, sentence.start, "", capital) if capital is not None else None
        if place is None:
            return None
        if actor2 is not None and actor2.id == actor.id:
            actor2 = None
        handed = _WITHDRAWAL_NEAR.search(sentence.text) or _UNDER_DEAL.search(sentence.text)
        if syntax.lemma(verb) == "enter" and handed:
            # "Ukrainian forces entered Kherson after Russia completed the withdrawal of its troops",
            # "Azerbaijani troops entered Agdam district under the ceasefire deal"
            frame = Frame("territory_change", "gain", None)
        return _found(frame, verb, sentence, ctx, actor, actor2, place, confidence=0.6)
    return None


def _read_gain(verb: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon) -> Found | None:
    lemma = syntax.lemma(verb)
    passive = syntax.is_passive(verb)
    target = syntax.passive_subject(verb) if passive else syntax.obj(verb)
    if target is None and not passive and lemma in lexicon.gain_into:
        target = next(iter(syntax.preps(verb, {"into"})), None)  # "stormed into the city of Homs"
    if target is None and not passive:
        target = _place_token_after(verb, sentence, ctx)  # the parser missed the object ("captured Bakhmut")
    place = None
    if target is not None:
        if syntax.lemma(target) == "control":  # "took full control of X"
            for pobj in syntax.preps(target, {"of", "over"}):
                place = place or _place_of(pobj, sentence, ctx)
        else:
            # A facility in a town first: "the palace in Khartoum" is the palace whichever word "in" hangs on.
            place = _site_in_town(target, verb, sentence, ctx, lexicon) or _place_of(target, sentence, ctx)
    previous: Actor | None = None
    if place is None and lemma in _EXPEL:
        # "drove Islamic State out of al-Bab", "defeated IS after a battle for the city"
        previous = _actor_of(target, verb, sentence, ctx, resolve_pronouns=False) if target is not None else None
        for pobj in syntax.preps(verb, {"out", "from", "of", "in", "for", "after"}):
            place = place or _place_of(pobj, sentence, ctx, deep=True)
    if place is None and frame.requires is None and target is not None and target.lower_ in _PRONOUNS:
        place = _sentence_place(sentence, ctx)
    if place is None or place.place.kind == "country" or place.container:
        return None
    if passive:
        agent = next(iter(syntax.preps(verb, {"by"})), None)
        actor = _actor_of(agent, verb, sentence, ctx) if agent is not None else _speaker(verb, sentence, ctx)
    else:
        actor = _actor_of(syntax.subject(verb), verb, sentence, ctx)
        if actor is None and verb.dep_ in ("acl", "relcl"):
            owner = syntax.child(verb.head, {"poss", "amod", "compound"})
            actor = _actor_of(owner, verb, sentence, ctx) if owner is not None else None
    if actor is None:
        return None
    for pobj in syntax.preps(verb, {"from"}):
        previous = previous or _actor_of(pobj, verb, sentence, ctx, resolve_pronouns=False)
    clauses = [*verb.children, *(g for c in verb.children if c.dep_ == "prep" for g in c.children)]
    for clause in clauses:  # "seized Raqqa ..., after driving out rival rebel factions"
        if clause.dep_ in ("advcl", "xcomp", "conj", "pcomp") and syntax.lemma(clause) in _EXPEL:
            expelled = syntax.obj(clause)
            if expelled is not None:
                previous = previous or _actor_of(expelled, clause, sentence, ctx, resolve_pronouns=False)
    if previous is not None and previous.id == actor.id:
        previous = None
    confidence = 0.85 if frame.requires is None else 0.75
    return _found(frame, verb, sentence, ctx, actor, previous, place, confidence)


def _site_in_town(
    target: Token, verb: Token, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon
) -> PlaceRef | None:
    """ "recaptured the presidential palace in Khartoum", "overran the army base in Nyala": the facility,
    named after its town ("presidential palace, Khartoum") and placed at the town's point (ACLED's
    precision 2: part of a town); control of the facility is not control of the town."""
    if syntax.lemma(target) not in lexicon.in_town_sites:
        return None
    town = next(
        (
            ref
            for pobj in (*syntax.preps(target, {"in", "at", "near", "outside"}), *syntax.preps(verb, {"in", "at"}))
            if (ref := _place_of(pobj, sentence, ctx)) is not None and ref.place.kind in ("city", "site")
        ),
        None,
    )
    if town is None:
        return None
    # Its whole name, without articles and owners: "the army's 16th Infantry Division headquarters"
    owners = {t.i for c in target.lefts if c.dep_ == "poss" for t in c.subtree}
    words = target.doc[target.left_edge.i : target.i + 1]
    facility = " ".join(t.text for t in words if t.i not in owners and t.dep_ not in ("det", "punct"))
    name = f"{facility}, {town.place.name}"
    place = replace(town.place, id=f"{town.place.id}:{place_slug(facility)}", name=name, kind="site", geo_precision=2)
    return replace(town, place=place)


def _place_token_after(verb: Token, sentence: Sentence, ctx: ArticleContext) -> Token | None:
    for token in verb.doc[verb.i + 1 : verb.i + 3]:
        start = sentence.start + token.idx
        if any(r.start <= start < r.end for r in ctx.places_in(sentence.start, sentence.end)):
            return token
    return None


def _read_loss(verb: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext) -> Found | None:
    lemma = syntax.lemma(verb)
    if lemma == "pull" and not any(c.lower_ in ("out", "back") for c in verb.children):
        return None
    actor = _actor_of(syntax.subject(verb) or syntax.passive_subject(verb), verb, sentence, ctx)
    if actor is None:
        return None
    place = None
    target = syntax.obj(verb)
    if target is not None and lemma in ("abandon", "evacuate", "leave", "quit", "relinquish", "lose", "cede"):
        place = _place_of(target, sentence, ctx)
    for pobj in syntax.preps(verb, {"from", "out", "of", "in"}):
        place = place or _place_of(pobj, sentence, ctx)
    if place is None:
        subject = syntax.subject(verb) or syntax.passive_subject(verb)
        if subject is not None:  # "troops in the Izium area were being pulled back"
            place = _place_of(subject, sentence, ctx, deep=True)
    if place is None and verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        place = _place_of(syntax.obj(verb.head), sentence, ctx)  # "seized Goma ..., but withdrew in December"
    if place is None or place.place.kind == "country":
        return None
    if lemma == "lose" and (taker := _loser_to(verb, target, sentence, ctx)) is not None and taker.id != actor.id:
        # "the military lost control of Lashio to the MNDAA": the one it was lost to took it
        return _found(Frame("territory_change", "gain", None), verb, sentence, ctx, taker, actor, place, 0.7)
    return _found(frame, verb, sentence, ctx, actor, None, place, confidence=0.7)


def _loser_to(verb: Token, target: Token | None, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    """The actor after "to" in "lost X to Y" (on the verb, or hung by the parser on its object)."""
    recipient = next(iter(syntax.preps(verb, {"to"})), None)
    for noun in (target, *(syntax.preps(target, {"of"}) if target is not None else ())):
        if recipient is None and noun is not None:
            recipient = next(iter(syntax.preps(noun, {"to"})), None)
    return _actor_of(recipient, verb, sentence, ctx, resolve_pronouns=False) if recipient is not None else None


def _read_give(verb: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext) -> Found | None:
    """ "the rebels will hand over Kidal to the army", "ceded the town to": the recipient takes the place."""
    if syntax.lemma(verb) in ("hand", "turn") and not any(
        c.dep_ == "prt" and c.lower_ == "over" for c in verb.children
    ):
        return None
    if syntax.is_passive(verb):
        target = syntax.passive_subject(verb)
    else:
        target = syntax.obj(verb) or _place_token_after(verb, sentence, ctx)
    place = _place_of(target, sentence, ctx)
    recipient = next(iter(syntax.preps(verb, {"to"})), None)
    if recipient is None and target is not None:
        recipient = next(iter(syntax.preps(target, {"to"})), None)
    taker = _actor_of(recipient, verb, sentence, ctx, resolve_pronouns=False) if recipient is not None else None
    giver = _actor_of(syntax.subject(verb) or syntax.passive_subject(verb), verb, sentence, ctx)
    if place is None or taker is None:
        return None
    return _found(frame, verb, sentence, ctx, taker, giver if giver and giver.id != taker.id else None, place, 0.7)


def _read_begin(verb: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon) -> Found | None:
    operation = None
    for candidate in (syntax.obj(verb), syntax.subject(verb), syntax.passive_subject(verb)):
        if candidate is not None and syntax.lemma(candidate) in lexicon.operations:
            operation = candidate
            break
    if operation is None:
        return None
    actor = None
    if operation.dep_ in syntax.OBJECT_DEPS:
        actor = _actor_of(syntax.subject(verb), verb, sentence, ctx)
    if actor is None:
        agent = next(iter(syntax.preps(verb, {"by"})), None)
        owner = syntax.child(operation, {"poss", "compound", "amod"})
        actor = _actor_of(agent or owner, verb, sentence, ctx) if (agent or owner) is not None else None
    if actor is None:
        actor = ctx.last_actor_before(sentence.start + verb.idx)
    place = None
    for pobj in syntax.preps(operation, {"on", "against", "for", "in", "into", "to", "of"}):
        place = place or _place_of(pobj, sentence, ctx, deep=True)
    for c in operation.children:  # "the campaign to retake the city"
        if c.dep_ in ("acl", "relcl"):
            place = place or _place_of(syntax.obj(c), sentence, ctx) if syntax.obj(c) is not None else place
    for pobj in syntax.preps(verb, {"on", "in", "against", "at"}):
        place = place or _place_of(pobj, sentence, ctx)
    if place is None:
        place = _sentence_place(sentence, ctx)
    if place is None:
        place = ctx.main_town()  # "The offensive was launched on May 23": the operation the article is about
    if actor is None or place is None:
        return None
    return _found(frame, verb, sentence, ctx, actor, None, place, confidence=0.6)


# --- nouns -----------------------------------------------------------------------------------------


def _read_noun(noun: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon) -> Found | None:
    """ "a four-month battle for the city", "the three year siege of the city", "air strikes on X"."""
    if frame.role == "gain":
        return _read_capture_noun(noun, frame, sentence, ctx, lexicon)
    if frame.role == "loss":
        return _read_withdrawal_noun(noun, frame, sentence, ctx, lexicon)
    place = None
    actor2 = None
    for pobj in syntax.preps(noun, {"for", "of", "on", "around", "in", "at", "near", "against"}):
        place = place or _place_of(pobj, sentence, ctx, deep=True)
        actor2 = actor2 or _actor_of(pobj, noun, sentence, ctx, resolve_pronouns=False)
    # "Clashes erupted between the army and RSF fighters in El Obeid": the sides, and the place
    # on the verb the noun is the subject of
    verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass") else None
    if place is None and verb is not None:
        place = next((p for t in syntax.preps(verb, {"in", "at", "near", "around"})
                      if (p := _place_of(t, sentence, ctx)) is not None), None)
    sides = _between(noun, sentence, ctx) or (_between(verb, sentence, ctx) if verb is not None else [])
    if place is None and sides:  # the parser may hang "in El Obeid" on a side
        place = _sentence_place(sentence, ctx, after=sentence.start + noun.idx)
    if place is None:
        return None
    owner = syntax.child(noun, {"poss", "compound", "nmod"})
    actor = _actor_of(owner, noun, sentence, ctx) if owner is not None else None
    if actor is None and len(sides) == 2:
        actor, actor2 = sides
    if actor is None:
        verb = next((t for t in syntax.ancestors_to_clause(noun) if t.pos_ in ("VERB", "AUX")), None)
        if verb is not None:
            actor = _actor_of(syntax.subject(verb), verb, sentence, ctx)
    if actor is None:
        return None
    if actor2 is not None and actor2.id == actor.id:
        actor2 = None
    found = _found(frame, noun, sentence, ctx, actor, actor2, place, confidence=0.55)
    duration = _DURATION.search(noun.sent.text[: noun.idx - noun.sent.start_char + len(noun.text)][-30:])
    if duration and found.date.end is not None:
        count = duration.group(1).lower()
        units = int(count) if count.isdigit() else _NUMBERS.get(count, 1)
        start = found.date.end - dt.timedelta(days=units * _DAYS_PER_UNIT[duration.group(2).lower()])
        found.date = DateRange(start, found.date.end, "range", found.date.basis)
    return found


def _between(token: Token, sentence: Sentence, ctx: ArticleContext) -> list[Actor]:
    """The two sides of "between A and B" on ``token``."""
    for pobj in syntax.preps(token, {"between"}):
        start, end = syntax.span(pobj, sentence.start)
        sides = list({ref.actor.id: ref.actor for ref in ctx.actors_in(start, end)}.values())
        if len(sides) == 2:
            return sides
    return []


def _read_capture_noun(
    noun: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon
) -> Found | None:
    """ "the army's recapture of Fallujah", "the capture of Tabqa dam by the SDF", "The SDF announced the
    capture of Tabqa dam": the place is what was captured ("of"), the taker the owner, the "by" agent or
    the subject of a verb that reports one's own capture; "from X" names who lost it."""
    place = next((p for t in syntax.preps(noun, {"of"}) if (p := _place_of(t, sentence, ctx)) is not None), None)
    if place is None or place.place.kind == "country":
        return None
    owner = syntax.child(noun, {"poss"})
    agent = next(iter(syntax.preps(noun, {"by"})), None)
    taker = _actor_of(owner, noun, sentence, ctx) if owner is not None else None
    taker = taker or (_actor_of(agent, noun, sentence, ctx) if agent is not None else None)
    verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
    if taker is None and verb is not None and syntax.lemma(verb) in lexicon.capture_taker_verbs:
        taker = _actor_of(syntax.subject(verb), verb, sentence, ctx)
    if taker is None:
        return None
    loser = next(iter(syntax.preps(noun, {"from"})), None)
    previous = _actor_of(loser, noun, sentence, ctx, resolve_pronouns=False) if loser is not None else None
    if previous is not None and previous.id == taker.id:
        previous = None
    return _found(frame, noun, sentence, ctx, taker, previous, place, confidence=0.6)


def _read_withdrawal_noun(
    noun: Token, frame: Frame, sentence: Sentence, ctx: ArticleContext, lexicon: Lexicon
) -> Found | None:
    """ "Russian forces completed their withdrawal from Kherson": the subject of a verb that reports the
    withdrawal done left the place named after "from"."""
    verb = noun.head if noun.dep_ == "dobj" else None
    if verb is None or syntax.lemma(verb) not in lexicon.withdrawal_done_verbs:
        return None
    place = next((p for t in syntax.preps(noun, {"from"}) if (p := _place_of(t, sentence, ctx)) is not None), None)
    if place is None or place.place.kind == "country":
        return None
    actor = _actor_of(syntax.subject(verb), verb, sentence, ctx)
    if actor is None:
        return None
    return _found(frame, noun, sentence, ctx, actor, None, place, confidence=0.65)


# --- phrases that the parse splits badly -----------------------------------------------------------


def _phrase_events(sentence: Sentence, doc: Doc, ctx: ArticleContext, lexicon: Lexicon) -> list[Found]:
    """ "under the full control of Russian forces", "in our hands", "declared victory in X"."""
    out = []
    for name in ("under_control", "came_under", "declared_victory", "claimed_control", "next_target"):
        for match in lexicon.phrases[name].finditer(sentence.text):
            start = sentence.start + match.start()
            after = [a for a in ctx.actors_in(sentence.start + match.end(), sentence.end)]
            if name == "under_control" and not re.search(r"\b(?:full|complete|total)\b", match.group(0)):
                continue  # plain "under X's control" is a hold, read by the hold extractor
            token = _token_at(doc, match.start())
            if token is None:
                continue
            if name == "under_control":
                actor = after[0].actor if after else None
            elif name == "came_under":  # the actor inside ("under Islamic State control") or after ("of X")
                inside = ctx.actors_in(start, sentence.start + match.end())
                actor = inside[0].actor if inside else (after[0].actor if after else None)
            elif name == "next_target":  # "He said the next target would be Hawija": the speaker's side
                actor = _speaker(token, sentence, ctx) or ctx.last_actor_before(start, within=_PRONOUN_REACH)
            else:  # "the army declared victory in Bama": whoever declared it
                actor = _actor_of(syntax.subject(token), token, sentence, ctx) or _speaker(token, sentence, ctx)
            place = (
                _sentence_place(sentence, ctx, before=start)
                if name in ("under_control", "came_under")
                else next((p for p in ctx.places_in(sentence.start + match.end(), sentence.end) if _usable(p)), None)
            )
            if actor is None or place is None:
                continue
            frame = Frame("territory_change", "gain", None)
            found = _found(frame, token, sentence, ctx, actor, None, place, confidence=0.75)
            if name == "claimed_control":  # "ISIS claimed control of Tal Afar"
                found.status, found.claimant = "claimed", actor
            if name == "next_target":
                found.status = "planned"
            out.append(found)
    return out


# --- arguments -------------------------------------------------------------------------------------


def _actor_of(
    token: Token | None, verb: Token, sentence: Sentence, ctx: ArticleContext, resolve_pronouns: bool = True
) -> Actor | None:
    """The actor an argument names: the first actor mention in its subtree, or the one a pronoun means."""
    if token is None:
        return None
    base = sentence.start
    start, end = syntax.span(token, base)
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.i != token.i:
        # A name the parser split into several subjects ("Haider | al | Abadi"): read them as one phrase.
        for sibling in token.head.children:
            if sibling.dep_ == token.dep_:
                s_start, s_end = syntax.span(sibling, base)
                start, end = min(start, s_start), max(end, s_end)
    head_start, head_end = syntax.token_span(token, base)
    refs = ctx.actors_in(start, end)
    # Prefer the mention that contains the argument's head word ("the commander of Iraq's operation" → Iraq
    # only when nothing closer names an actor).
    direct = [r for r in refs if r.start <= head_start and head_end <= r.end]
    if direct:
        return direct[0].actor
    if token.dep_ in ("nsubj", "nsubjpass", "agent", "pobj"):
        country = next(
            (p for p in ctx.places_in(head_start, head_end) if p.place.kind == "country" and p.place.country), None
        )
        if country is not None and country.place.country is not None:
            return ctx.kb.state(country.place.country)  # a country that acts is its state
    if refs:
        # "The head of Russia's Wagner group": the organisation, not the country that qualifies it.
        text = ctx.article.text
        owned = [r for r in refs if text[r.end : r.end + 2] not in ("'s", "’s")]
        return (owned or refs)[0].actor
    state = _possessive_state(start, end, ctx)
    if state is not None:  # "the commander of Iraq's operation"
        return state
    owner = syntax.child(token, {"poss"})
    if resolve_pronouns and owner is not None and owner.lower_ in ("its", "their", "his", "her", "our"):
        # "its forces had taken ...": the side that reports it, else the actor named last.
        return _speaker(verb, sentence, ctx) or ctx.last_actor_before(base + token.idx, within=_PRONOUN_REACH)
    iso3 = ctx.kb.demonyms.get(token.text)
    if iso3 is not None:  # "a Russian attempt to capture ..."
        return ctx.kb.state(iso3)
    if resolve_pronouns and token.lower_ in _FIRST_PERSON:
        return _speaker(verb, sentence, ctx)  # "we" is whoever is quoted, never the actor named last
    if resolve_pronouns and token.lower_ in _PRONOUNS:
        # The nearest actor named before it in the sentence ("handing Russia its biggest victory since it
        # captured Bakhmut"; "the SDF said they had taken"), else the quoted speaker, else the last one named.
        nearest = ctx.actors_in(sentence.start, base + token.idx)
        if nearest:
            return nearest[-1].actor
        return _speaker(verb, sentence, ctx) or ctx.last_actor_before(base + token.idx, within=_PRONOUN_REACH)
    return None


def _possessive_state(start: int, end: int, ctx: ArticleContext) -> Actor | None:
    text = ctx.article.text
    for ref in ctx.places_in(start, end):
        if ref.place.kind == "country" and ref.place.country and text[ref.end : ref.end + 2] in ("'s", "’s"):
            return ctx.kb.state(ref.place.country)
    return None


def _speaker(token: Token, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    """Who reports the clause the token is in: the subject of "said", "declared", ... above it."""
    reporting = get_lexicon().words("reporting", "verbs")
    for head in list(syntax.ancestors_to_clause(token))[1:]:
        if syntax.lemma(head) in reporting:
            actor = _actor_of(syntax.subject(head), head, sentence, ctx, resolve_pronouns=False)
            if actor is not None:
                return actor
    match = re.search(r"\baccording to\b", sentence.text, re.IGNORECASE)
    if match:
        refs = ctx.actors_in(sentence.start + match.end(), sentence.end)
        if refs:
            return refs[0].actor
    # "..., an SDF spokesman told reporters": the speaker stands after the quote.
    for verb in token.doc:
        if syntax.lemma(verb) in reporting and verb.i > token.i:
            actor = _actor_of(syntax.subject(verb), verb, sentence, ctx, resolve_pronouns=False)
            if actor is not None:
                return actor
    return None


def _reporting_verb(token: Token) -> Token | None:
    """The reporting verb that governs the trigger's clause ("the ministry said that ...") or hangs
    below it ("Russian forces have captured X, the defence ministry said")."""
    reporting = get_lexicon().words("reporting", "verbs")
    chain = list(syntax.ancestors_to_clause(token))
    for head in chain[1:]:
        if syntax.lemma(head) in reporting:
            return head
    for verb in chain[-1].children:
        if verb.i != token.i and verb.dep_ in ("parataxis", "ccomp", "advcl") and syntax.lemma(verb) in reporting:
            return verb
    return None


def _reporter(token: Token, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    """Who reports the trigger's clause, when it is reported."""
    verb = _reporting_verb(token)
    return _actor_of(syntax.subject(verb), verb, sentence, ctx, resolve_pronouns=False) if verb is not None else None


def _usable(ref: PlaceRef) -> bool:
    return ref.relation is None and not ref.container and ref.place.kind != "country" and ref.located


def _place_of(token: Token | None, sentence: Sentence, ctx: ArticleContext, deep: bool = False) -> PlaceRef | None:
    """The place an argument names: the mention at its head, else (``deep``) the first inside it.

    "it" is the town named last; "a border crossing between A and B" is the point the phrase gives.
    """
    if token is None:
        return None
    start, end = syntax.span(token, sentence.start)
    if token.lower_ == "it":
        return _last_town_before(start, ctx)
    head_start, head_end = syntax.token_span(token, sentence.start)
    # The place named at the head itself wins, even one the gazetteer lacks: "seizing Minova, a town
    # on Goma's supply route" took Minova. Otherwise the first place of the phrase, when it is near
    # the head (before any relative clause or "in <region>" modifier), or anywhere in it (``deep``).
    at_head = [
        r
        for r in ctx.places_in(start, end)
        if r.start <= head_start < r.end and r.relation is None and not r.container and r.place.kind != "country"
    ]
    if at_head:
        return at_head[0]
    described = _described_town(token, sentence, ctx)
    if described is not None:
        return described
    refs = [r for r in ctx.places_in(start, end) if _usable(r)]
    if not refs and (owner := _apposition_owner(token)) is not None:
        return _place_of(owner, sentence, ctx)  # "Laukkai, the capital of the Kokang region, which it seized"
    if not refs:
        unknown = [
            r
            for r in ctx.places_in(start, end)
            if not r.located and r.relation is None and 0 <= r.start - head_end < 5  # "the town of Kitshanga"
        ]
        if unknown:
            return unknown[0]
        return _site_point(token, start, end, ctx)
    return refs[0] if deep or refs[0].start <= head_start + len(token.text) + 40 else None


def _apposition_owner(token: Token) -> Token | None:
    """The noun an apposition describes, from the apposition's head or a noun inside it: in "Laukkai,
    the capital of the Kokang region on the Chinese border, which it seized" the parser hangs the
    relative clause on "border"; what was seized is Laukkai."""
    current = token
    for _ in range(6):
        if current.dep_ == "appos" and current.head.i != current.i:
            return current.head
        if current.dep_ not in ("pobj", "prep") or current.head.i == current.i:
            return None
        current = current.head
    return None


_WITHDRAWAL_NEAR = re.compile(
    r"\b(?:withdr[ae]w\w*|pull(?:ed|ing)?[- ]out|retreat\w*|abandon\w*|fled|redeploy\w*|regroup\w*)\b", re.IGNORECASE
)
_UNDER_DEAL = re.compile(
    r"\b(?:under|as\s+part\s+of|in\s+line\s+with)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:deal|agreement|accord|truce|ceasefire|cease-fire)\b",
    re.IGNORECASE,
)
_TOWN_WORDS = r"(?:town|city|village|port|base|settlement|district|hub|stronghold|garrison town)"
_DESCRIBED_AFTER = re.compile(rf"^,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}{_TOWN_WORDS}\b")
_DESCRIBED_BEFORE = re.compile(rf"\b{_TOWN_WORDS}\s+of\s+$")


def _described_town(token: Token, sentence: Sentence, ctx: ArticleContext) -> PlaceRef | None:
    """A name the gazetteer lacks that the text itself calls a town: "seizing Minova, a lakeside town",
    "the village of Kitshanga". Kept by name, with no coordinates."""
    if token.pos_ != "PROPN":
        return None
    words = [t for t in token.subtree if t.pos_ == "PROPN" and t.i <= token.i and t.i >= token.i - 3]
    start = sentence.start + words[0].idx
    end = sentence.start + token.idx + len(token.text)
    if ctx.actors_in(start, end):
        return None
    text = ctx.article.text
    if not (_DESCRIBED_AFTER.match(text[end : end + 60]) or _DESCRIBED_BEFORE.search(text[max(0, start - 20) : start])):
        return None
    name = text[start:end]
    return PlaceRef(start, end, name, unknown_place(name))


def _last_town_before(offset: int, ctx: ArticleContext) -> PlaceRef | None:
    towns = [r for r in ctx.places if r.end <= offset and _usable(r) and r.place.kind in ("city", "site")]
    return towns[-1] if towns else None


def _site_point(token: Token, start: int, end: int, ctx: ArticleContext) -> PlaceRef | None:
    """A facility located by a relational phrase: "a border crossing on the highway between A and B"."""
    if syntax.lemma(token) not in get_lexicon().site_nouns:
        return None
    for ref in ctx.places_in(start, end):
        if ref.point is not None and ref.relation not in (None, "dateline"):
            modifiers = [c.text for c in token.lefts if c.dep_ in ("compound", "amod") and c.pos_ != "DET"]
            name = " ".join([*modifiers, token.text, ref.point.name])
            place = replace(ref.point, name=name, kind="site")
            return PlaceRef(ref.start, ref.end, ref.text, place)
    return None


def _sentence_place(
    sentence: Sentence, ctx: ArticleContext, before: int | None = None, after: int | None = None
) -> PlaceRef | None:
    refs = [r for r in ctx.places_in(sentence.start, sentence.end) if _usable(r)]
    if before is not None:
        earlier = [r for r in refs if r.end <= before]
        return earlier[-1] if earlier else None
    if after is not None:
        later = [r for r in refs if r.start >= after]
        return later[0] if later else (refs[0] if refs else None)
    return refs[0] if refs else None


def _token_at(doc: Doc, char: int) -> Token | None:
    return next((t for t in doc if t.idx <= char < t.idx + len(t.text) + 1), None)


# --- time ------------------------------------------------------------------------------------------


def event_date(token: Token, sentence: Sentence, ctx: ArticleContext, depth: int = 0) -> DateRange:
    """The time of the clause the token is in, else of the clause that reports it, else the publication date."""
    base = sentence.start
    mentions = ctx.times_in(sentence.start, sentence.end)
    by_token: dict[int, TimeMention] = {}
    for mention in mentions:
        for t in token.doc:
            if mention.start <= base + t.idx < mention.end:
                by_token[t.i] = mention
    # Durations and undated references ("the 2014 offensive", "recently") date nothing; left in,
    # an undated one first in a clause would hide a later "after"/"before" anchor.
    usable = {
        i: m for i, m in by_token.items() if m.relation != "duration" and (m.range.known or m.relation != "at")
    }
    for head in syntax.ancestors_to_clause(token):
        clause_times = [m for i, m in usable.items() if _clause_head(token.doc[i]).i == head.i or i == head.i]
        dated = [m for m in clause_times if m.range.known]
        if dated:
            return _not_after_a_past_verb(dated[0], token, ctx)
        if clause_times and clause_times[0].relation in ("after", "before"):
            anchored = _before_main_clause(head, clause_times[0], sentence, ctx, depth)
            if anchored is not None:
                return anchored
            break  # "hours after entering X": anchored to an undated event
    reported = _reporting_date(token, usable)
    if reported is not None:
        return reported
    return _fallback(token, sentence, ctx)


_YEAR = re.compile(r"\b\d{4}\b")


def _not_after_a_past_verb(mention: TimeMention, token: Token, ctx: ArticleContext) -> DateRange:
    """ "recaptured Ramadi in December", published in November: what a past verb reports happened
    before publication, so a year-less date read as the coming one (the time reader looks ahead for
    deadlines and dividends) is the one of the year before."""
    rng, published = mention.range, ctx.article.published
    if published is None or rng.start is None or rng.start <= published or _YEAR.search(mention.text):
        return rng
    verb = next((t for t in syntax.ancestors_to_clause(token) if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or not _past_tense(verb):
        return rng
    start = rng.start - relativedelta(years=1)
    end = rng.end - relativedelta(years=1) if rng.end is not None else None
    if end is not None and end >= published:
        return rng  # a range that holds publication: leave it
    timex = rng.timex.replace(str(rng.start.year), str(start.year), 1) if rng.timex else None
    return DateRange(start, end, rng.precision, rng.basis, timex)


def _past_tense(verb: Token) -> bool:
    """A simple past or a perfect ("captured", "had captured", "has captured"), with no modal."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "would", "shall", "should", "could", "may", "might", "must", "to"}:
        return False
    # A participle with no auxiliary is a past too: the tagger often reads a main-clause "captured" as VBN.
    perfect_or_passive = bool(auxes & {"had", "has", "have", "was", "were"})
    if verb.tag_.startswith("NN") and verb.lower_ in get_lexicon().irregular:
        return True  # an irregular past the tagger read as a noun ("retook")
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and (not auxes or perfect_or_passive))


def _reporting_date(token: Token, usable: dict[int, TimeMention]) -> DateRange | None:
    """"Ukrainian troops have pulled out of Avdiivka, the commander said on Saturday": the report's day
    dates a recent event its clause leaves undated."""
    reporting = get_lexicon().words("reporting", "verbs")
    root = list(syntax.ancestors_to_clause(token))[-1]
    for verb in [root, *root.children]:
        if verb.i == token.i or syntax.lemma(verb) not in reporting:
            continue
        for i, mention in usable.items():
            if mention.range.known and mention.relation == "at" and _clause_head(token.doc[i]).i == verb.i:
                return mention.range
    return None


def _before_main_clause(
    clause: Token, mention: TimeMention, sentence: Sentence, ctx: ArticleContext, depth: int
) -> DateRange | None:
    """ "retook Ramadi on Monday, seven months after the city was overrun": the overrun clause is dated
    seven months before the main clause (a month-precision range), when the main clause has a date."""
    duration = _DURATION.search(mention.text)
    if duration is None or mention.relation != "after" or depth > 1 or clause.head.i == clause.i:
        return None
    if clause.dep_ not in ("advcl", "pcomp") and clause.head.pos_ not in ("VERB", "AUX"):
        return None
    main = clause.head if clause.head.pos_ in ("VERB", "AUX") else clause.head.head
    main_date = event_date(main, sentence, ctx, depth + 1)
    if main_date.basis != "text" or main_date.start is None:
        return None
    count = duration.group(1).lower()
    units = int(count) if count.isdigit() else _NUMBERS.get(count, 1)
    unit = duration.group(2).lower()
    anchor = main_date.start - relativedelta(**{unit + "s": units})
    if unit == "month":
        start = anchor.replace(day=1)
        return DateRange(start, start + relativedelta(months=1, days=-1), "month", "text", start.strftime("%Y-%m"))
    if unit == "year":
        return DateRange(
            anchor.replace(month=1, day=1), anchor.replace(month=12, day=31), "year", "text", str(anchor.year)
        )
    return DateRange(anchor - dt.timedelta(days=3), anchor + dt.timedelta(days=3), "range", "text", None)


def _clause_head(token: Token) -> Token:
    """The verb (or event noun) a time expression's token attaches to."""
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            return current
        current = current.head
        if current.pos_ in ("VERB", "AUX") or syntax.lemma(current) in get_lexicon().nouns:
            return current
    return current


def _shift(mention: TimeMention, token: Token, sentence: Sentence) -> DateRange:
    """ "since 2014" dates the start of a state; "seven months after X" is handled by the caller."""
    return mention.range


def _fallback(token: Token, sentence: Sentence, ctx: ArticleContext) -> DateRange:
    """No time in the text: a recent event in the lead, or a present-perfect one, gets the days before
    publication (basis "publication"); background without a date stays unknown."""
    published = ctx.article.published
    if published is None:
        return DateRange.unknown()
    verb = next((t for t in syntax.ancestors_to_clause(token) if t.pos_ in ("VERB", "AUX")), token)
    perfect = any(c.lower_ in ("has", "have") and c.dep_ == "aux" for c in verb.children)
    present = verb.tag_ in ("VBZ", "VBP")
    relative_recent = bool(re.search(r"\b(?:hours?|minutes?|a day|days)\s+(?:after|before|later)\b", sentence.text))
    lead = sentence.paragraph <= 1 or sentence.index <= 2
    if perfect or present or relative_recent or lead:
        start = published - dt.timedelta(days=RECENT_DAYS)
        return DateRange(start, published, "range", "publication", None)
    return DateRange.unknown()


def _found(
    frame: Frame,
    trigger: Token,
    sentence: Sentence,
    ctx: ArticleContext,
    actor1: Actor,
    actor2: Actor | None,
    place: PlaceRef,
    confidence: float,
) -> Found:
    base = sentence.start
    date = event_date(trigger, sentence, ctx)
    status, claimant = status_of(trigger, sentence, ctx)
    published = ctx.article.published
    if status == "planned" and date.basis == "publication" and published is not None:
        # What has yet to happen, with no date given: from publication to the end of that year (the
        # convention of the gold corpora for vows without a deadline), flagged as from publication.
        date = DateRange(published, dt.date(published.year, 12, 31), "range", "publication", None)
    reported = _reporting_verb(trigger) is not None
    if claimant is None and frame.type == "territory_change":
        claimant = _reporter(trigger, sentence, ctx)
    associates = _associates(trigger, actor1, sentence, ctx)
    start, end = syntax.token_span(trigger, base)
    evidence = Evidence(ctx.document, sentence.text, sentence.start, sentence.end)
    if date.basis == "publication":
        confidence -= 0.1
    if place.via == "coref":
        confidence -= 0.05
    return Found(
        type=frame.type,
        role=frame.role,
        actor1=actor1,
        actor2=actor2,
        place=place,
        date=date,
        status=status,
        evidence=evidence,
        confidence=max(0.05, confidence),
        trigger=ctx.article.text[start:end],
        associates=associates,
        claimant=claimant,
        reported=reported,
    )


def _associates(trigger: Token, actor1: Actor, sentence: Sentence, ctx: ArticleContext) -> list[Actor]:
    """Actors coordinated with actor1 in the subject: "the Syrian Army and its allies, Hezbollah"."""
    subject = syntax.subject(trigger) if trigger.pos_ in ("VERB", "AUX") else None
    if subject is None:
        return []
    start, end = syntax.span(subject, sentence.start)
    if trigger.dep_ == "relcl" and subject.i == trigger.head.i:
        # "Rwanda, which denies backing the group": the subject is the noun, not its relative clause
        end = min(end, sentence.start + trigger.left_edge.idx)
    seen = {actor1.id}
    out = []
    for ref in ctx.actors_in(start, end):
        if ref.actor.id not in seen and ref.backer is None:
            seen.add(ref.actor.id)
            out.append(ref.actor)
    return out
