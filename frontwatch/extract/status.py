"""The status of an event from modality and attribution: confirmed, claimed, disputed, planned, negated.

- planned: a modal ("will hand over"), an intention ("vowed to retake"), a purpose ("an offensive
  to recapture al-Qaim"), a future target ("the next target would be Hawija");
- negated: a negation on the trigger ("did not fall") or a failure verb above it ("failed to take");
- claimed: reported with a claim verb ("claimed to have captured") or hedged ("could not be verified");
- disputed: set later, across the article, when the other side denies a claim (see ``mark_disputes``).
Plain attribution ("the SDF said it had taken Raqqa") stays confirmed, as wire copy reads it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from spacy.tokens import Token

from frontwatch.extract import syntax
from frontwatch.extract.lexicon import get_lexicon
from frontwatch.nlp.sentences import Sentence
from frontwatch.schema import Actor

if TYPE_CHECKING:
    from frontwatch.extract.context import ArticleContext


def status_of(trigger: Token, sentence: Sentence, ctx: ArticleContext) -> tuple[str, Actor | None]:
    lex = get_lexicon()
    modals = lex.words("planned", "modals")
    intents = lex.words("planned", "intent_verbs")
    purposes = lex.words("planned", "purpose_nouns")
    fails = lex.words("negated", "fail_verbs")
    claims = lex.words("claimed", "claim_verbs")
    denials = lex.words("disputed", "deny_verbs")

    chain = list(syntax.ancestors_to_clause(trigger))
    if any(syntax.lemma(head) in fails for head in chain[1:5]):
        return "negated", None  # "repelled an attempt to capture", "failed to take"
    # The trigger's own clause: negation and modals on it or on its auxiliaries.
    if syntax.has_neg(trigger):
        return "negated", None
    if any(c.dep_ == "aux" and c.lower_ in modals for c in trigger.children):
        return "planned", None
    if _bare_infinitive(trigger) and syntax.lemma(trigger.head) not in lex.words("planned", "factive_verbs"):
        return "planned", None  # "operations to free the city", "an offensive to recapture al-Qaim"
    for lower, upper in pairwise(chain):
        lemma = syntax.lemma(upper)
        if lower.dep_ == "xcomp" and lemma in fails:
            return "negated", None
        if lower.dep_ in ("xcomp", "ccomp") and lemma in intents:
            return "planned", None
        if lower.dep_ == "xcomp" and lemma == "be" and _has_to(lower):
            return "planned", None  # "Manbij is to be handed over"
        if lower.dep_ in ("acl", "relcl") and lemma in purposes and _has_to(lower):
            return "planned", None
        if lower.dep_ in ("advcl",) and _has_to(lower):
            return "planned", None  # "in order to retake"
        if lower.dep_ in ("ccomp", "xcomp") and any(
            c.dep_ == "aux" and c.lower_ in modals for c in lower.children
        ):
            return "planned", None
        if lemma in claims:
            return "claimed", _claimant(upper, sentence, ctx)
        if lemma in denials and (lower.dep_ in ("ccomp", "xcomp") or (lower.dep_ == "dobj" and lower.pos_ == "NOUN")):
            # "Ukraine denied that the city had fallen", "Kyiv denied the capture of the town"
            return "negated", _claimant(upper, sentence, ctx)
        if upper.pos_ in ("VERB", "AUX") and lower.dep_ not in (
            "ccomp",
            "xcomp",
            "conj",
            "advcl",
            "pcomp",
            "prep",
            "pobj",
            "dobj",
            "acl",
            "relcl",
            "nsubj",
            "nsubjpass",
            "attr",
            "dep",
            "compound",
        ):
            break
    text = sentence.text
    # Phrase markers ("the next target") govern what follows them, not what the sentence said before.
    markers = [m.start() for p in lex.patterns("planned", "phrases") if (m := p.search(text))]
    if markers and min(markers) <= trigger.idx + 40:
        return "planned", None
    if any(p.search(text) for p in lex.patterns("claimed", "hedges")):
        return "claimed", None
    return "confirmed", None


def _bare_infinitive(verb: Token) -> bool:
    """"to free", not "to have captured" (a perfect infinitive reports the past), nor "the first
    city to fall" (after an ordinal the infinitive reports what happened)."""
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    if "to" not in auxes or "have" in auxes or verb.tag_ != "VB":
        return False
    before = {t.lower_ for t in verb.doc[max(0, verb.i - 6) : verb.i]}
    return not before & _ORDINALS


_ORDINALS = {"first", "last", "only", "second", "third", "latest"}


def _has_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _claimant(verb: Token, sentence: Sentence, ctx: ArticleContext) -> Actor | None:
    subject = syntax.subject(verb)
    if subject is None:
        return None
    start, end = syntax.span(subject, sentence.start)
    refs = ctx.actors_in(start, end)
    return refs[0].actor if refs else None
