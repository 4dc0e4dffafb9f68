"""Find the actors a text names: groups by alias, states by demonym, capital or acting country name.

The matcher works on a light token stream (no spaCy: it must be fast and deterministic) and reads
left to right, taking at each token the longest reading that applies, so mentions never overlap.
Country and capital names are actors only where they act ("Moscow said", "Russia's defence
ministry", "by Turkey"); in a place-like position ("in Syria", "to Moscow") they are left to the
place module.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from unidecode import unidecode

from frontwatch.extract.actor_kb import ActorKB, get_actor_kb
from frontwatch.schema import Actor

# Abbreviations with dots ("U.S."), the possessive clitic, words (inner apostrophes kept:
# "Jama'at", "N'Djamena"), and single punctuation marks. Hyphens are dropped so that "al-Nusra"
# and "al Nusra", "Turkish-backed" and "Turkish backed" read the same.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|['’]s\b|\w+(?:['’](?!s\b)\w+)*|[^\w\s]")
_HYPHENS = frozenset("-‐‑")
_CONNECTORS = frozenset({"of", "for", "the", "and", "al", "el", "de", "du", "des", "la", "wal", "'s", "in"})
_RUN_STOPWORDS = frozenset(
    {
        "The",
        "A",
        "An",
        "On",
        "In",
        "At",
        "But",
        "And",
        "When",
        "After",
        "Before",
        "Meanwhile",
        "While",
        "As",
        "If",
    }
)
_SUPPORT_NOUNS = frozenset({"support", "backing", "aid", "assistance", "help"})
_AUXILIARIES = frozenset({"has", "have", "had", "will", "would"})
# Words that follow "has"/"will" without making a verb phrase ("Syria has a long border").
_NOT_VERBS = frozenset(
    {"a", "an", "the", "no", "not", "many", "much", "some", "its", "their", "his", "her", "one", "two", "three",
     "more", "most", "few", "several", "long", "large", "big", "vast", "little", "over", "about", "around", "nearly",
     "been", "be", "also", "oil", "gas", "borders", "land", "territory", "people", "population"}
)
# Day and month names come from the time reader's word list: "on Monday" after a country is a
# date, not its forces; "in September" after a name ends the name.
_TIME_WORDS = tomllib.loads(resources.files("frontwatch.data").joinpath("time_words.toml").read_text("utf-8"))
_WEEKDAYS = frozenset(_TIME_WORDS["weekdays"])
_CALENDAR_WORDS = _WEEKDAYS | frozenset(_TIME_WORDS["months"]) | frozenset(_TIME_WORDS["month_abbreviations"])
_ENTITY_PRIORITY = {
    "name": 0,
    "alias": 0,
    "unit": 1,
    "country": 2,
    "capital": 3,
    "metonym": 3,
    "demonym": 4,
    "demonym_plural": 4,
    "people": 5,
}


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: Actor | None  # None for generic references that need coreference
    form: str  # name | alias | demonym_force | capital | country | unit | generic | backed
    generic: str | None = None  # "nonstate" | "state" | "coalition" for generic references
    backer: Actor | None = None  # "U.S.-backed SDF": the United States
    link: str | None = None  # the compound's word: "backed", "allied", "linked" (see actor_words.toml)


@dataclass(frozen=True)
class _Token:
    text: str
    key: str  # lowercased, transliterated: what tables are keyed on
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


@dataclass(frozen=True)
class _Entry:
    """A table row: the surface's original tokens (for case checks) and what it stands for."""

    tokens: tuple[str, ...]
    # name | alias | unit | country | capital | metonym | demonym | people | generic | force | nonstate
    kind: str
    actor_id: str | None = None
    generic: str | None = None
    exact: bool = False  # case-sensitive (abbreviations)
    needs_capital: bool = False  # proper names: some word must be capitalised in the text


class _Table:
    """Token-sequence lookup with longest-match-first."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, ...], list[_Entry]] = {}
        self._lengths: dict[str, set[int]] = {}

    def add(self, surface: str, entry_kind: str, **extra: object) -> None:
        toks = tokenize(surface)
        if not toks:
            return
        key = tuple(t.key for t in toks)
        letters = [c for c in surface if c.isalpha()]
        acronym = bool(letters) and not any(c.islower() for c in letters)
        exact = acronym or len(letters) <= 4
        entry = _Entry(
            tuple(t.text for t in toks),
            entry_kind,
            exact=exact and entry_kind not in ("generic", "force", "nonstate"),
            needs_capital=any(c.isupper() for c in letters),
            **extra,  # type: ignore[arg-type]
        )
        self._rows.setdefault(key, []).append(entry)
        self._lengths.setdefault(key[0], set()).add(len(key))
        # Some outlets write long acronyms in title case ("Nato", "Monusco").
        if acronym and len(letters) >= 5 and len(toks) == 1:
            self.add(surface.capitalize(), entry_kind, **extra)

    def longest(self, tokens: list[_Token], i: int) -> tuple[int, list[_Entry]] | None:
        """The longest surface starting at token ``i`` whose case rules hold: (end index, entries)."""
        for length in sorted(self._lengths.get(tokens[i].key, ()), reverse=True):
            span = tokens[i : i + length]
            if len(span) < length:
                continue
            entries = self._rows.get(tuple(t.key for t in span))
            if not entries:
                continue
            ok = [e for e in entries if _case_ok(e, span)]
            if ok:
                return i + length, ok
        return None


def _case_ok(entry: _Entry, span: list[_Token]) -> bool:
    if entry.exact:
        return tuple(_norm_quote(t.text) for t in span) == tuple(_norm_quote(t) for t in entry.tokens)
    if entry.needs_capital:
        return any(t.capitalised for t in span)
    return True


def _norm_quote(text: str) -> str:
    return text.replace("’", "'")


def tokenize(text: str) -> list[_Token]:
    return [
        _Token(m.group(), unidecode(_norm_quote(m.group())).lower(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.group() not in _HYPHENS
    ]


@dataclass(frozen=True)
class _Tables:
    entities: _Table
    generic: _Table
    force: _Table
    nonstate: _Table
    leaders: _Table


def _build_tables(kb: ActorKB) -> _Tables:
    entities, generic, force, nonstate, leaders = _Table(), _Table(), _Table(), _Table(), _Table()
    for surface in kb.surfaces:
        entities.add(surface.text, surface.kind, actor_id=surface.actor_id)
    for surface in kb.leaders:
        leaders.add(surface.text, "leader", actor_id=surface.actor_id)
    for demonym, iso3 in kb.demonyms.items():
        entities.add(demonym, "demonym", actor_id=f"state:{iso3}")
        # "the Iraqis have cleared the city", "the Russians pulled back": the state's side. Without
        # "the" ("Iraqis fled") the plural is people, so only the definite form is read.
        if demonym.endswith(("an", "i")) and " " not in demonym:
            entities.add(f"the {demonym}s", "demonym_plural", actor_id=f"state:{iso3}")
    for adjective in kb.words.people_adjectives:
        entities.add(adjective, "people")
    for phrase in kb.words.generic_nonstate:
        generic.add(phrase, "generic", generic="nonstate")
    for phrase in kb.words.generic_state:
        generic.add(phrase, "generic", generic="state")
    for phrase in kb.words.generic_coalition:
        generic.add(phrase, "generic", generic="coalition")
    for noun in kb.words.force_nouns:
        force.add(noun, "force")
    for noun in kb.words.nonstate_nouns:
        nonstate.add(noun, "nonstate")
    return _Tables(entities, generic, force, nonstate, leaders)


# Tables are built once per KB; the KB is kept with them so its id cannot be reused.
_TABLES: dict[int, tuple[ActorKB, _Tables]] = {}


def _tables(kb: ActorKB) -> _Tables:
    if id(kb) not in _TABLES:
        _TABLES[id(kb)] = (kb, _build_tables(kb))
    return _TABLES[id(kb)][1]


def find_actor_mentions(text: str, kb: ActorKB | None = None) -> list[ActorMention]:
    """Every actor mention in ``text``, in order, non-overlapping."""
    kb = kb or get_actor_kb()
    return _Matcher(text, kb, _tables(kb)).run()


class _Matcher:
    def __init__(self, text: str, kb: ActorKB, tables: _Tables) -> None:
        self.text = text
        self.kb = kb
        self.t = tables
        self.words = kb.words
        self.tokens = tokenize(text)
        # Where "loyal to" ends: the place a leader's name may follow (see _loyal).
        keys = [t.key for t in self.tokens]
        self._loyal_to = {k + 2 for k in range(len(keys) - 1) if keys[k] == "loyal" and keys[k + 1] == "to"}

    def run(self) -> list[ActorMention]:
        out: list[ActorMention] = []
        i = 0
        while i < len(self.tokens):
            found = self._loyal(i) or self._backed(i) or self._core(i) or self._unknown_organisation(i)
            if found is None:
                i += 1
                continue
            mentions, end = found
            out.extend(mentions)
            i = end
        return out

    # ── building blocks ──────────────────────────────────────────────────────────────────────
    def _mention(
        self,
        i: int,
        end: int,
        actor: Actor | None,
        form: str,
        generic: str | None = None,
        backer: Actor | None = None,
        link: str | None = None,
    ) -> ActorMention:
        start, stop = self.tokens[i].start, self.tokens[end - 1].end
        return ActorMention(start, stop, self.text[start:stop], actor, form, generic, backer, link)

    def _entity(self, i: int) -> tuple[int, _Entry] | None:
        hit = self.t.entities.longest(self.tokens, i)
        if hit is None:
            return None
        end, entries = hit
        return end, min(entries, key=lambda e: _ENTITY_PRIORITY.get(e.kind, 9))

    def _key(self, i: int) -> str:
        return self.tokens[i].key if 0 <= i < len(self.tokens) else ""

    def _force_end(self, j: int) -> int | None:
        """End of '[qualifiers] force-noun' starting at ``j`` ("government forces", "special forces")."""
        best = None
        for _ in range(5):
            if j >= len(self.tokens):
                break
            hit = self.t.force.longest(self.tokens, j)
            if hit is not None:
                best = hit[0]
            if self._key(j) not in self.words.force_qualifiers:
                break
            j += 1
        return best

    # ── readings ────────────────────────────────────────────────────────────────────────────
    def _loyal(self, i: int) -> tuple[list[ActorMention], int] | None:
        """A leader's forces: 'forces loyal to renegade commander Khalifa Haftar', 'Hemedti's fighters'."""
        leader = self.t.leaders.longest(self.tokens, i)
        if leader is not None:  # "Haftar's forces"
            stop = leader[0]
            if self._key(stop) == "'s" and (end := self._troops_end(stop + 1)) is not None:
                return [self._mention(i, end, self.kb.get(leader[1][0].actor_id or ""), "alias")], end
            return None
        if not self._loyal_to:
            return None
        end = self._troops_end(i)
        if end is None or end + 2 not in self._loyal_to:
            return None
        j = end + 2
        for _ in range(6):  # "loyal to the renegade Libyan commander, Gen. Khalifa Haftar"
            token = self.tokens[j] if j < len(self.tokens) else None
            if token is None or not (token.key in self.words.leader_titles or token.text in self.kb.demonyms):
                break
            j += 1
        leader = self.t.leaders.longest(self.tokens, j) if j < len(self.tokens) else None
        if leader is None:
            return None
        stop = leader[0]
        return [self._mention(i, stop, self.kb.get(leader[1][0].actor_id or ""), "alias")], stop

    def _troops_end(self, j: int) -> int | None:
        """End of a force or fighters noun starting at ``j`` ("forces", "special forces", "fighters")."""
        if j >= len(self.tokens):
            return None
        bare = self.t.nonstate.longest(self.tokens, j)
        return self._force_end(j) or (bare[0] if bare else None)

    def _backed(self, i: int) -> tuple[list[ActorMention], int] | None:
        """'U.S.-backed SDF', 'Turkish-backed Syrian rebels', 'Iranian-backed militias'."""
        hit = self._entity(i)
        if hit is None or hit[1].actor_id is None:
            return None
        end, entry = hit
        link = self._key(end)
        if link not in self.words.backer_words:
            return None
        hyphenated = end < len(self.tokens) and any(
            c in _HYPHENS for c in self.text[self.tokens[end - 1].end : self.tokens[end].start]
        )
        if not hyphenated and link not in self.words.loose_backer_words:
            return None  # "Jordan Armed Forces" is the state's forces, not forces Jordan armed
        backer = self.kb.get(entry.actor_id)  # type: ignore[arg-type]
        # The backed side: a known actor, a generic noun, or a body the base does not know
        # ("the Russia-backed Eighth Brigade").
        head = self._core(end + 1, allow_backed_head=True) or (
            self._unknown_organisation(end + 1) if end + 1 < len(self.tokens) else None
        )
        if head is None:
            return None
        mentions, head_end = head
        alias_here = self._entity(i)
        # A whole alias such as "U.S.-led coalition" or "Kurdish-led forces" is the actor itself.
        if alias_here and alias_here[1].kind in ("name", "alias") and alias_here[0] >= head_end:
            return None
        first = mentions[0]
        return [self._mention(i, head_end, first.actor, "backed", first.generic, backer, link)], head_end

    def _core(self, i: int, allow_backed_head: bool = False) -> tuple[list[ActorMention], int] | None:
        hit = self._entity(i)
        generic = self.t.generic.longest(self.tokens, i)
        if hit is not None and (generic is None or hit[0] >= generic[0]):
            found = self._read_entity(i, *hit)
            if found is not None:
                return found
        if generic is not None and not self._name_overlaps(i + 1, generic[0]):
            end, entries = generic
            if entries[0].generic == "state" and (owner := self._of_country(i, end)) is not None:
                return owner  # "the government of Iraq", "the armed forces of Ukraine"
            return [self._mention(i, end, None, "generic", entries[0].generic)], end
        if allow_backed_head:
            # After "X-backed", a bare noun is the backed side: "Iranian-backed militias".
            bare = self.t.nonstate.longest(self.tokens, i) or self.t.force.longest(self.tokens, i)
            if bare is not None:
                return [self._mention(i, bare[0], None, "generic", "nonstate")], bare[0]
        return None

    def _of_country(self, i: int, end: int) -> tuple[list[ActorMention], int] | None:
        """After a state's generic noun: "of <country>" names the state ("the government of Iraq")."""
        if self._key(end) != "of":
            return None
        j = end + 2 if self._key(end + 1) == "the" else end + 1
        hit = self._entity(j) if j < len(self.tokens) else None
        if hit is None or hit[1].kind != "country" or hit[1].actor_id is None:
            return None
        return [self._mention(i, hit[0], self.kb.get(hit[1].actor_id), "demonym_force")], hit[0]

    def _name_overlaps(self, start: int, end: int) -> bool:
        """Does a name begin inside tokens [start, end) and run past them ("the paramilitary Rapid
        Support Forces")? Then the generic words are the name's descriptor, not a mention."""
        for k in range(start, end):
            hit = self._entity(k)
            if hit is not None and hit[0] > end and hit[1].kind in ("name", "alias", "unit"):
                return True
        return False

    def _read_entity(self, i: int, end: int, entry: _Entry) -> tuple[list[ActorMention], int] | None:
        actor = self.kb.get(entry.actor_id) if entry.actor_id else None
        if entry.kind in ("name", "alias", "unit"):
            # "JEM rebels", "SDF fighters", "Taliban government": the noun belongs to the name.
            stop = self._force_end(end) or self._nonstate_end(end) or end
            return [self._mention(i, stop, actor, entry.kind)], stop
        if entry.kind == "demonym":
            return self._read_demonym(i, end, actor)
        if entry.kind == "demonym_plural":
            if self._force_end(end) or self._nonstate_end(end):
                return None  # "the Afghans fighters" is not English; leave such text alone
            return [self._mention(i + 1, end, actor, "demonym_force")], end
        if entry.kind == "people":
            stop = self._force_end(end) or self._nonstate_end(end)
            if stop is None:
                return None
            return [self._mention(i, stop, None, "generic", "nonstate")], stop
        # country, capital, metonym: '<name>'s [qualifiers] force' or '<name> forces' are the state's forces.
        form = "country" if entry.kind == "country" else "capital"
        after = end + 1 if self._key(end) == "'s" else end
        stop = self._force_end(after)
        if stop is not None and not self._locative_before(i):
            return [self._mention(i, stop, actor, "demonym_force" if form == "country" else form)], stop
        if entry.kind == "metonym" and not self._locative_before(i):
            return [self._mention(i, end, actor, "capital")], end
        if self._acting(i, end):
            return [self._mention(i, end, actor, form)], end
        return None

    def _read_demonym(self, i: int, end: int, actor: Actor | None) -> tuple[list[ActorMention], int] | None:
        stop = self._force_end(end)
        if stop is not None:
            return [self._mention(i, stop, actor, "demonym_force")], stop
        nonstate = self._nonstate_end(end)
        if nonstate is not None:
            return [self._mention(i, nonstate, None, "generic", "nonstate")], nonstate
        # "Russian and Syrian forces": the first demonym shares the second's noun.
        if self._key(end) in ("and", ",", "or"):
            nxt = self._entity(end + 1)
            if nxt is not None and nxt[1].kind == "demonym":
                rest = self._read_demonym(end + 1, nxt[0], self.kb.get(nxt[1].actor_id or ""))
                if rest is not None and rest[0][0].form == "demonym_force":
                    return [self._mention(i, end, actor, "demonym_force"), *rest[0]], rest[1]
        return None

    def _nonstate_end(self, j: int) -> int | None:
        if j >= len(self.tokens):
            return None
        hit = self.t.nonstate.longest(self.tokens, j)
        return hit[0] if hit else None

    # ── acting or place? ────────────────────────────────────────────────────────────────────
    def _locative_before(self, i: int) -> bool:
        j = self._previous_head(i)
        return j >= 0 and self._key(j) in self.words.locative_prepositions

    def _previous_head(self, i: int) -> int:
        """Index of the word governing the name at ``i``, looking through 'the' and coordinations
        ("in Iraq and Syria": Syria is governed by "in")."""
        j = i - 1
        while j >= 0:
            key = self._key(j)
            if key in ("the", "a", "an"):
                j -= 1
                continue
            if key in ("and", "or", ",") and j > 0 and self.tokens[j - 1].capitalised:
                k = j - 1
                while k >= 0 and (self.tokens[k].capitalised or self._key(k) in _CONNECTORS):
                    k -= 1
                j = k
                continue
            return j
        return -1

    def _acting(self, i: int, end: int) -> bool:
        if self.text[self.tokens[end - 1].end : self.tokens[end - 1].end + 1] in _HYPHENS:
            return False  # a compound modifier: "a Britain-based monitor"
        head = self._previous_head(i)
        head_key = self._key(head)
        if head_key == "by" or head_key in self.words.recipient_verbs or head_key in self.words.opponent_prepositions:
            return True
        if head_key in ("for", "to") and self._key(head - 1) in _SUPPORT_NOUNS:
            return True  # the side helped: "UK support for Iraq"
        if head_key in self.words.locative_prepositions:
            return False
        return self._verb_follows(end)

    def _verb_follows(self, j: int) -> bool:
        if self._key(j) == "'s":
            # "Russia's" acts, but "Iraq's second-largest city" is a place.
            return not any(self._key(k) in self.words.place_nouns for k in range(j + 1, j + 4))
        if self._key(j) == "," and self._key(j + 1) in ("which", "who"):
            return True
        auxiliary = False
        for _ in range(4):
            key = self._key(j)
            if key in self.words.acting_skips or key == ",":
                auxiliary = auxiliary or key in _AUXILIARIES
                j += 1
            elif key == "on" and self._key(j + 1) in _WEEKDAYS:
                j += 2
            else:
                break
        if j >= len(self.tokens):
            return False
        token = self.tokens[j]
        if token.key in self.words.acting_verbs:
            return True
        if token.text.islower() and token.key.endswith("ed") and len(token.key) > 4:
            return True
        # "The UK has flown 870 missions", "France will continue": a verb after an auxiliary; not
        # "Syria has a long border" (a determiner) nor "Iraq is now" (an adverb skipped above).
        if auxiliary and token.text.isalpha() and token.text.islower() and token.key not in _NOT_VERBS:
            return True
        # "Russia and Ukraine said": the second conjunct's verb makes both act.
        if token.key == "and" and not auxiliary:
            nxt = self._entity(j + 1)
            if nxt is not None and nxt[1].kind in ("country", "capital"):
                return self._verb_follows(nxt[0])
        return False

    # ── unknown organisations ───────────────────────────────────────────────────────────────
    def _unknown_organisation(self, i: int) -> tuple[list[ActorMention], int] | None:
        """A capitalised run with an organisation head noun: 'Joint Operations Command'."""
        tokens = self.tokens
        if not tokens[i].capitalised or tokens[i].text in _RUN_STOPWORDS or not tokens[i].text.isalpha():
            return None
        if self._key(i + 1) in ("of", "from") and (
            self.t.force.longest(tokens, i) or self.t.nonstate.longest(tokens, i)
        ):
            return None  # "Fighters of the Bakaka Liberation Front": the name starts after "of the"
        j, last_cap = i, i
        while j < len(tokens) and (tokens[j].capitalised or tokens[j].key in _CONNECTORS):
            if j > i and tokens[j - 1].key in ("and", "the") and self._known_name_at(j):
                break  # "the Global Coalition and the Government of Iraq": two bodies, not one
            if tokens[j].key == "and" and tokens[j - 1].text in self.words.organisation_heads:
                break  # "the 71st Battalion and the Royal Air Force"; not "Committee for Justice and Liberty"
            if tokens[j].key in ("in", "on") and self._key(j + 1) in _CALENDAR_WORDS:
                break  # "the Petroleum Facilities Guard in September": a time ends the name
            if tokens[j].capitalised:
                if tokens[j].text in _RUN_STOPWORDS and j > i:
                    break
                last_cap = j
            j += 1
        end = last_cap + 1
        run = tokens[i:end]
        heads = {t.text for t in _head_positions(run)} & self.words.organisation_heads
        if run[0].text in self.words.leading_heads:
            heads.add(run[0].text)
        if len(run) < 2 or not heads:
            return None
        kind = "other" if heads & self.words.other_heads else "unknown"
        name = self.text[run[0].start : run[-1].end]
        state = self._state_unit(run, heads)
        if state is not None:  # "Jordanian 71st Counter Terrorism Battalion", "Royal Jordanian Air Force"
            return [self._mention(i, end, state, "unit")], end
        if heads & self.words.military_heads and self._owned_by_the_army(i):
            # "the army's 16th Infantry Division": a unit of the state's army, whichever state that is
            return [self._mention(i, end, None, "generic", "state")], end
        return [self._mention(i, end, self.kb.unknown(name, kind), "name")], end

    def _owned_by_the_army(self, i: int) -> bool:
        """ "army's [16th] <unit>": the unit name follows a state force's possessive (an ordinal may sit between)."""
        j = i - 1
        if j >= 0 and self.tokens[j].text[:1].isdigit():
            j -= 1
        return self._key(j) == "'s" and self._key(j - 1) in ("army", "military", "regime", "junta", "government")

    def _known_name_at(self, j: int) -> bool:
        hit = self._entity(j)
        if hit is not None and hit[1].kind in ("name", "alias", "unit", "country"):
            return True
        generic = self.t.generic.longest(self.tokens, j - 1) if self._key(j - 1) == "the" else None
        return generic is not None

    def _state_unit(self, run: list[_Token], heads: set[str]) -> Actor | None:
        """A unit the base does not list, named by its state's demonym or name and a military head."""
        if not heads & self.words.military_heads:
            return None
        first = 1 if run[0].text in self.words.unit_prefixes and len(run) > 2 else 0
        start = self.tokens.index(run[first])
        hit = self._entity(start)
        if hit is None or hit[1].kind not in ("demonym", "country") or hit[1].actor_id is None:
            return None
        return self.kb.get(hit[1].actor_id)


def _head_positions(run: list[_Token]) -> list[_Token]:
    """Where an organisation's head noun stands: last ("Joint Operations Command") or before its
    first connector ("Army of Islam", "Observatory for Human Rights"). "Air Force F-16 Fighting
    Falcons" has neither (names built the Arabic way, head first, are the caller's: leading_heads)."""
    connector = next((k for k, t in enumerate(run) if k > 0 and t.key in _CONNECTORS), None)
    found = [run[-1]]
    if connector is not None:
        found.append(run[connector - 1])
    return found
