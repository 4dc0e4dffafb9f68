"""Small helpers over a spaCy parse of one sentence: arguments of a verb, spans, clause walks.

Offsets: a parsed ``Doc`` holds one sentence; ``base`` is that sentence's offset in the article,
so ``base + token.idx`` is a character offset into the stored text.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj", "attr", "oprd"}
# Clauses that share their head's subject: "retook X and declared Y", "managed to break", "after entering".
SHARED_SUBJECT_DEPS = {"conj", "xcomp", "advcl", "pcomp"}


def span(token: Token, base: int) -> tuple[int, int]:
    """Character span of the token's whole subtree."""
    left, right = token.left_edge, token.right_edge
    return base + left.idx, base + right.idx + len(right.text)


def token_span(token: Token, base: int) -> tuple[int, int]:
    return base + token.idx, base + token.idx + len(token.text)


def child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ == "acl"
    )


def subject(verb: Token) -> Token | None:
    """The subject of a verb, inherited through coordination, control and participle clauses."""
    seen = 0
    raised = False  # "forces are expected to take X": the passive subject of the raising verb acts
    while verb is not None and seen < 6:
        deps = ("nsubj", "csubj", "nsubjpass") if raised else ("nsubj", "csubj")
        subjects = [c for c in verb.children if c.dep_ in deps]
        if subjects:
            # The parser sometimes makes a modifier a second subject ("Sudan's paramilitary | RSF said"):
            # the one nearest the verb is the head of the subject phrase.
            before = [c for c in subjects if c.i < verb.i]
            found = before[-1] if before else subjects[0]
            if found.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and verb.head.i != verb.i:
                return verb.head  # "the Taliban, who captured Kunduz": the noun the clause describes
            return found
        if verb.dep_ in SHARED_SUBJECT_DEPS and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            raised = verb.dep_ == "xcomp"
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "declared victory after driving X out": the one who declared
            seen += 1
            continue
        return None
    return None


def passive_subject(verb: Token) -> Token | None:
    found = child(verb, {"nsubjpass", "csubjpass"})
    if found is not None:
        if found.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head  # "Tal Rifaat, which will be handed over": the noun the clause describes
        return found
    if verb.dep_ in ("acl", "relcl") and is_passive(verb):
        return verb.head  # "the last town still held by X": the noun the participle describes
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return passive_subject(verb.head) if is_passive(verb.head) else None
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:
        return child(verb.head, {"nsubj", "nsubjpass"})  # "Manbij is to be handed over", "is expected to be"
    return None


def obj(verb: Token) -> Token | None:
    found = child(verb, OBJECT_DEPS)
    if found is not None:
        if found.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head  # "Laukkai, which it seized": the noun the clause describes
        return found
    if verb.dep_ == "relcl" and not is_passive(verb):
        return verb.head  # "a town that the group still holds"
    return None


def preps(token: Token, words: set[str]) -> Iterator[Token]:
    """Objects of the token's prepositions named in ``words`` ("from X", "out of X", "to X")."""
    for c in token.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in words:
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    yield g
                elif g.dep_ == "prep":  # "out of X": out → of → X
                    yield from (x for x in g.children if x.dep_ == "pobj")
        elif c.dep_ == "prt" and c.lower_ in words:  # "driving out X", "pulled out of X"
            for sibling in c.head.children:
                if sibling.dep_ == "prep" and sibling.lower_ in {"of", "from"}:
                    yield from (x for x in sibling.children if x.dep_ == "pobj")


def ancestors_to_clause(token: Token, limit: int = 8) -> Iterator[Token]:
    """The token and its heads, up to the root of the sentence."""
    current = token
    for _ in range(limit):
        yield current
        if current.head.i == current.i:
            return
        current = current.head


def has_neg(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ == "neg" for c in verb.head.children if verb.dep_ in ("xcomp",)
    )


def lemma(token: Token) -> str:
    """The lowercase lemma, with irregular verb forms mended (see triggers.toml [irregular])."""
    from frontwatch.extract.lexicon import get_lexicon

    return get_lexicon().lemma(token)
