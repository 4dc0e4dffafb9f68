"""Relations between actors: ``supports`` (one side backs another) and ``allied`` (they fight side by side).

From the actor matcher's "X-backed Y", from verbs ("the U.S. has backed the SDF", "backed by
Russian air power", "helped SDF capture Raqqa", "with Russian air support"), and from
coordination with a joint-action phrase ("the Syrian Army, the Russian and Iranian military and
Hezbollah working in conjunction").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from frontwatch.extract import syntax
from frontwatch.extract.context import ArticleContext
from frontwatch.nlp.sentences import Sentence
from frontwatch.schema import Actor, Evidence

_SUPPORT_VERBS = {"back", "support", "arm", "help", "aid", "assist", "train", "fund", "equip", "sponsor"}
# ``fights``: declared hostility between two armed actors, dated or not ("the coalition's campaign
# against ISIL", "Israel, which fought a war with Hezbollah", "the SDF battled IS"). Dated attacks on
# places are events; this records who is at war with whom.
_HOSTILE_VERBS = {
    "fight", "battle", "attack", "combat", "defeat", "confront", "ambush", "bomb", "shell", "strike", "target",
    "counter", "degrade", "destroy", "raid", "besiege", "expel", "oust", "drive", "rout", "repel", "repulse",
}
_HOSTILE_NOUN_AGAINST = re.compile(
    r"\b(?:strikes?|airstrikes?|air strikes?|attacks?|operations?|offensives?|campaigns?|war|wars|fight|fighting"
    r"|battles?|struggle|coalition|raids?|assaults?|counter-?attacks?|counteroffensive|bombing|shelling"
    r"|munitions|missiles?|rockets?|military action|action|clashes|clashed|fought|fights|fighting)"
    r"\s+(?:(?:\w+\s+){0,2}?)(?:against|with|on)\s+",
    re.IGNORECASE,
)
# What may stand between "against" and the side named: "against the so-called Islamic State".
_TARGET_GAP = re.compile(r"(?:(?:the|a|an)\s+)?(?:so-called\s+)?", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:clashes|fighting|battles?|war|hostilities|skirmishes|combat)\s+between\s+", re.IGNORECASE)
# Kinds of actor that fight: a reporter ("Syrian Observatory") or an unnamed body of kind "other" does not.
_FIGHTING_KINDS = {
    "state_forces", "rebel_group", "political_militia", "identity_militia", "external_forces", "unknown",
}
_JOINT = re.compile(
    r"\b(?:working|fighting|operating|acting)\s+(?:in\s+conjunction|together|jointly|in\s+concert|side\s+by\s+side"
    r"|in\s+coordination)\b(?!\s+with)",
    re.IGNORECASE,
)
_ALONGSIDE = re.compile(
    r"\b(?:alongside|together with|in (?:coordination|conjunction|concert) with|fighting beside|backed up by"
    r"|allied (?:itself )?with|in (?:an )?alliance with|(?:an? )?all(?:y|ies) of|partnered with|in partnership with"
    r"|joined forces with|teamed up with)\s+",
    re.IGNORECASE,
)
# How far before "alongside" the partner may be named (characters), and what makes it the enemy instead.
_NEAR = 50
_ENEMY_BEFORE = re.compile(
    r"\b(?:fight(?:s|ing)?|battl(?:e|es|ing)|attack(?:s|ing)?|against|combat(?:s|ing)?|target(?:s|ing)?"
    r"|defeat(?:s|ing)?|confront(?:s|ing)?)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Syrian government forces and their Hezbollah allies": the ally is named inside the phrase.
_THEIR_ALLIES = re.compile(r"\s*,?\s*(?:and|with|plus)\s+(?:its|their|his)\s+(?P<ally>(?:[\w'’-]+\s+){1,3}?)allies\b")
# An actor mention that ends in a noun of support ("UK support", "Iran's backing") and what follows it.
_SUPPORT_NOUN_END = re.compile(r"\b(?:support|backing|air support|air power|airpower)$", re.IGNORECASE)
_FOR = re.compile(r"\s+(?:for|to)\s+(?:the\s+)?", re.IGNORECASE)
# "X conducted strikes in support of Y": X (the first actor of the sentence before it) supports Y.
_IN_SUPPORT = re.compile(r"\bin (?:direct )?support of\s+", re.IGNORECASE)
# Sentences worth parsing for relations even when they report no event ("Iran has backed the Houthis").
RELATION_CUE = re.compile(
    r"\b(?:back|support|arm|help|aid|assist|train|fund|equip|sponsor)(?:s|ed|ped|ing|ping)?\b"
    r"|\b(?:allied|alliance|allies|ally|alongside|in conjunction|together with|partnered|in partnership"
    r"|joined forces|teamed up|working together|fighting together)\b"
    r"|\b(?:against|between|fight|fought|fighting|battled?|war with|defeat|counter)\b"
    r"|-(?:backed|supported|allied|aligned|sponsored|funded|armed|trained|brokered)\b",
    re.IGNORECASE,
)
# What may stand between the members of a list of actors: "the Syrian Army, the Russian and Iranian military and".
_LIST_GAP = re.compile(
    r"[\s,]*(?:\(\w+\)[\s,]*)?(?:and\s+|as well as\s+)?(?:its allies\s*,?\s*)?(?:the\s+)?", re.IGNORECASE
)
_WITH_SUPPORT = re.compile(
    r"\bwith\s+(?:the\s+)?(?:\S+\s+){0,2}?(?:air\s+)?(?:support|backing|cover)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundRelation:
    type: str
    actor1: Actor
    actor2: Actor
    evidence: Evidence


def backed_relations(ctx: ArticleContext) -> list[FoundRelation]:
    """"U.S.-backed SDF" (supports), "Iran-allied militias" (allied); "IS-linked" states no relation."""
    out = []
    for ref in ctx.actors:
        if ref.backer is not None and ref.backer.id != ref.actor.id:
            relation = ctx.kb.words.backer_relations.get(ref.link or "backed")
            sentence = ctx.sentence_at(ref.start)
            if sentence is not None and relation is not None:
                out.append(FoundRelation(relation, ref.backer, ref.actor, _evidence(sentence, ctx)))
    return out


def extract_relations(sentence: Sentence, doc: Doc, ctx: ArticleContext) -> list[FoundRelation]:
    out: list[FoundRelation] = []
    evidence = _evidence(sentence, ctx)
    for verb in doc:
        if syntax.lemma(verb) not in _SUPPORT_VERBS or verb.pos_ != "VERB" or syntax.has_neg(verb):
            continue
        if syntax.is_passive(verb):
            agent = next(iter(syntax.preps(verb, {"by"})), None)
            backer = _actor(agent, sentence, ctx)
            backed = _actor(syntax.passive_subject(verb), sentence, ctx) or _actor(
                syntax.subject(verb), sentence, ctx
            )
        else:
            backer = _actor(syntax.subject(verb), sentence, ctx)
            backed = _actor(syntax.obj(verb), sentence, ctx)
        if backer and backed and backer.id != backed.id:
            out.append(FoundRelation("supports", backer, backed, evidence))
    out += _hostile(sentence, doc, ctx, evidence)
    for match in _WITH_SUPPORT.finditer(sentence.text):
        backers = ctx.actors_in(sentence.start + match.start(), sentence.start + match.end())
        before = ctx.actors_in(sentence.start, sentence.start + match.start())
        if backers and before and backers[0].actor.id != before[0].actor.id:
            out.append(FoundRelation("supports", backers[0].actor, before[0].actor, evidence))
    for match in _JOINT.finditer(sentence.text):
        out += _allied(sentence, ctx, sentence.start + match.start(), evidence)
    for match in _IN_SUPPORT.finditer(sentence.text):
        backed = ctx.actors_in(sentence.start + match.end(), sentence.end)
        before = ctx.actors_in(sentence.start, sentence.start + match.start())
        adjacent = bool(backed) and backed[0].start - (sentence.start + match.end()) < 5
        if adjacent and before and before[0].actor.id != backed[0].actor.id:
            out.append(FoundRelation("supports", before[0].actor, backed[0].actor, evidence))
    for ref in ctx.actors_in(sentence.start, sentence.end):  # "UK support for Iraq", "Russia's backing for Assad"
        if not _SUPPORT_NOUN_END.search(ref.text) or ref.via is not None:
            continue
        gap = _FOR.match(ctx.article.text, ref.end)
        backed = [r for r in ctx.actors_in(ref.end, sentence.end) if gap and r.start == gap.end()]
        if backed and backed[0].actor.id != ref.actor.id:
            out.append(FoundRelation("supports", ref.actor, backed[0].actor, evidence))
    for ref in ctx.actors_in(sentence.start, sentence.end):
        found = _THEIR_ALLIES.match(ctx.article.text, ref.end)
        if found is None:
            continue
        allies = ctx.actors_in(found.start("ally"), found.end())
        if allies and allies[0].actor.id != ref.actor.id:
            out.append(FoundRelation("allied", ref.actor, allies[0].actor, evidence))
    for match in _ALONGSIDE.finditer(sentence.text):  # "M23 rebels, fighting alongside Rwandan troops"
        phrase = sentence.start + match.start()
        partners = ctx.actors_in(sentence.start + match.end(), sentence.end)
        before = ctx.actors_in(sentence.start, phrase)
        if not partners or not before or partners[0].actor.id == before[-1].actor.id:
            continue
        # The partner is named just before the phrase, and is not the enemy of a verb before it
        # ("a tribal leader fighting IS alongside Iraqi forces": IS is fought, not a partner).
        if phrase - before[-1].end > _NEAR or _ENEMY_BEFORE.search(ctx.article.text[: before[-1].start]):
            continue
        out.append(FoundRelation("allied", before[-1].actor, partners[0].actor, evidence))
    return out


def _allied(
    sentence: Sentence, ctx: ArticleContext, phrase_start: int, evidence: Evidence
) -> list[FoundRelation]:
    """The actors listed together just before the joint-action phrase are allies of the first of them."""
    text = ctx.article.text
    listed: list[Actor] = []
    boundary = phrase_start
    for ref in reversed(ctx.actors_in(sentence.start, phrase_start)):
        if not _LIST_GAP.fullmatch(text[ref.end : boundary]):
            break
        if ref.backer is None and all(ref.actor.id != a.id for a in listed):
            listed.insert(0, ref.actor)
        boundary = ref.start
    if len(listed) < 2:
        return []
    first = listed[0]
    return [FoundRelation("allied", first, other, evidence) for other in listed[1:]]


def _actor(token, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    if token is None:
        return None
    start, end = syntax.span(token, sentence.start)
    refs = ctx.actors_in(start, end)
    return refs[0].actor if refs else None


def _head_actor(token, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    """The actor the noun phrase itself names, not one in a clause hanging from it: "enemy fighters
    firing on Iraqi forces" names no actor; "Islamic State fighters" names Islamic State."""
    if token is None:
        return None
    start = sentence.start + token.left_edge.idx
    end = sentence.start + token.idx + len(token.text)
    refs = [r for r in ctx.actors if r.start < end and start < r.end]
    return refs[0].actor if refs else None


def _evidence(sentence: Sentence, ctx: ArticleContext) -> Evidence:
    return Evidence(ctx.document, sentence.text, sentence.start, sentence.end)


def _hostile(sentence: Sentence, doc: Doc, ctx: ArticleContext, evidence: Evidence) -> list[FoundRelation]:
    """``fights`` relations: verbs ("the SDF battled IS"), "strikes/war/campaign against|with B" after
    A, and "clashes between A and B"."""
    out: list[FoundRelation] = []

    def add(a: Actor | None, b: Actor | None) -> None:
        if a is not None and b is not None and a.id != b.id and {a.kind, b.kind} <= _FIGHTING_KINDS:
            out.append(FoundRelation("fights", a, b, evidence))

    for verb in doc:
        if syntax.lemma(verb) not in _HOSTILE_VERBS or verb.pos_ != "VERB" or syntax.has_neg(verb):
            continue
        if syntax.is_passive(verb):
            agent = next(iter(syntax.preps(verb, {"by"})), None)
            add(_head_actor(agent, sentence, ctx), _head_actor(syntax.passive_subject(verb), sentence, ctx))
        else:
            add(_head_actor(syntax.subject(verb), sentence, ctx), _head_actor(syntax.obj(verb), sentence, ctx))
    text = ctx.article.text
    for match in _HOSTILE_NOUN_AGAINST.finditer(sentence.text):
        cue, after = sentence.start + match.start(), sentence.start + match.end()
        targets = [r for r in ctx.actors_in(after, sentence.end) if _TARGET_GAP.fullmatch(text[after : r.start])]
        if targets:
            add(_clause_subject(doc, match.start(), sentence, ctx, cue), targets[0].actor)
    for match in _BETWEEN.finditer(sentence.text):
        after = sentence.start + match.end()
        sides = ctx.actors_in(after, sentence.end)[:2]
        if len(sides) == 2 and sides[0].start - after < 5 and re.fullmatch(
            r"\s*(?:and|,)\s*(?:the\s+)?", text[sides[0].end : sides[1].start]
        ):
            add(sides[0].actor, sides[1].actor)
    return out


def _clause_subject(doc: Doc, offset: int, sentence: Sentence, ctx: ArticleContext, cue: int) -> Actor | None:
    """Who wages the strikes/war/campaign that starts at ``offset``: the actor it belongs to
    ("the coalition's strikes"), else the subject of the verb it hangs from ("the coalition
    conducted strikes"), else the actor named last before it."""
    text = ctx.article.text
    window = ctx.actors_in(max(sentence.start, cue - 40), cue)
    own = [r for r in window if re.match(r"['’]s\s", text[r.end : r.end + 3])]
    if own:
        return own[-1].actor
    token = next((t for t in doc if t.idx <= offset < t.idx + len(t.text) + 1), None)
    if token is not None:
        for head in syntax.ancestors_to_clause(token, limit=6):
            if head.pos_ in ("VERB", "AUX"):
                found = _actor(syntax.subject(head), sentence, ctx)
                if found is not None:
                    return found
    before = [r for r in ctx.actors_in(sentence.start, cue) if not _ENEMY_BEFORE.search(text[: r.start])]
    return before[-1].actor if before else None
