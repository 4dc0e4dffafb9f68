"""Everything one article mentions — actors, places, times — resolved once and shared by the extractors.

Coreference lives here too: "the group", "the militants", "government troops" become the actor
meant, and "the city" becomes the city last named, so every extractor sees resolved mentions.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources

from frontwatch.extract.actor_kb import ActorKB, get_actor_kb
from frontwatch.extract.actor_mentions import ActorMention, find_actor_mentions
from frontwatch.extract.times import TimeMention, find_times
from frontwatch.ingest.furniture import find_furniture
from frontwatch.nlp.sentences import Sentence, split_sentences
from frontwatch.resolve.gazetteer import get_gazetteer
from frontwatch.resolve.places import (
    PlaceContext,
    PlaceMention,
    distance_km,
    find_place_mentions,
    relational_point,
    resolve_all,
    text_context,
    to_place,
    unknown_place,
)
from frontwatch.schema import Actor, Article, Place


@dataclass(frozen=True)
class ActorRef:
    """An actor mention with its actor resolved (through coreference when ``via`` is set)."""

    start: int
    end: int
    text: str
    actor: Actor
    backer: Actor | None = None
    via: str | None = None  # "coref" for generic mentions, "pronoun", or None for a direct mention
    link: str | None = None  # with ``backer``: the compound's word ("backed", "allied", "linked")

    @property
    def generic(self) -> bool:
        return self.via is not None


@dataclass(frozen=True)
class PlaceRef:
    start: int
    end: int
    text: str
    place: Place
    relation: str | None = None  # "near", "west of", "between", ... : a reference point, not the place itself
    container: bool = False  # "in Aleppo province": the region that holds the place of the event
    via: str | None = None  # "coref" for "the city", "the town"
    point: Place | None = None  # for a relational phrase: where it points ("between A and B" → the midpoint)

    @property
    def located(self) -> bool:
        """False for a place the gazetteer does not know: kept by name, with no coordinates."""
        return self.place.lat is not None


# "the city", "the southern port city", "the town centre": a place named earlier. Not "the last
# town", "the largest city", "the next town" (they describe a place named after them), nor "the town of X",
# "the town that ..." ("out of the town that summer" is still the town named earlier).
_DEFINITE_PLACE = re.compile(
    r"\b(?:the|this)\s+(?:(?!the\b|last\b|first\b|next\b|only\b|other\b|same\b|second\b|third\b"
    r"|[a-z]+est\b)[a-z-]+\s+){0,2}(city|town|village|port|stronghold|bastion)\b"
    r"(?!\s+(?:of|which|where)\b|\s+that\b(?!\s+(?:summer|winter|spring|autumn|fall|year|month|week|day|"
    r"morning|afternoon|evening|night|time)\b))"
)
_PRONOUNS = re.compile(r"\b(?:they|them|it|its|their)\b", re.IGNORECASE)
_REBELS = re.compile(r"\b(?:rebels?|opposition)\b", re.IGNORECASE)
_NONSTATE_KINDS = {"rebel_group", "political_militia", "identity_militia", "unknown"}


@dataclass
class ArticleContext:
    article: Article
    sentences: list[Sentence]
    actors: list[ActorRef]
    places: list[PlaceRef]
    times: list[TimeMention]
    host_country: str | None = None  # ISO alpha-3 of the country most of the places are in
    kb: ActorKB = field(default_factory=get_actor_kb)

    @property
    def document(self) -> str:
        return self.article.id

    def actors_in(self, start: int, end: int) -> list[ActorRef]:
        return [a for a in self.actors if start <= a.start and a.end <= end]

    def places_in(self, start: int, end: int) -> list[PlaceRef]:
        return [p for p in self.places if start <= p.start and p.end <= end]

    def times_in(self, start: int, end: int) -> list[TimeMention]:
        return [t for t in self.times if start <= t.start and t.end <= end]

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect_left(self._starts, offset + 1) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def last_actor_before(
        self, offset: int, want_state: bool | None = None, within: int | None = None
    ) -> Actor | None:
        """The actor named last before ``offset`` (no further back than ``within`` characters)."""
        for ref in reversed(self.actors):
            if within is not None and offset - ref.end > within:
                return None
            if ref.end <= offset and (want_state is None or _is_state(ref.actor) == want_state):
                return ref.actor
        return None

    def main_opponent(
        self, actor: Actor, allies: set[str] | frozenset[str] = frozenset(), near: int | None = None
    ) -> Actor | None:
        """The armed actor named most often besides ``actor`` and its allies: among those named
        within two sentences of ``near`` when there are any, else in the whole article when named twice."""
        candidates = [
            ref
            for ref in self.actors
            if ref.actor.id != actor.id
            and ref.actor.id not in allies
            and ref.actor.kind in _ARMED_KINDS
            and not _names_an_owner(self.article.text, ref)
        ]
        if near is not None:
            here = self._position(near)
            close = [ref for ref in candidates if abs(self._position(ref.start) - here) <= 2]
            if close:
                candidates = close
            elif max(Counter(ref.actor.id for ref in candidates).values(), default=0) < 2:
                return None
        counts = Counter(ref.actor.id for ref in candidates)
        if not counts:
            return None
        best = max(counts.items(), key=lambda kv: (kv[1], -self._first_offset(kv[0])))[0]
        return next(ref.actor for ref in self.actors if ref.actor.id == best)

    def capital_of(self, actor: Actor) -> Place | None:
        """Where a state speaks from: its capital ("the Kremlin said" is a statement made in Moscow)."""
        if not _is_state(actor) or actor.country is None:
            return None
        names = [s.text for s in self.kb.surfaces if s.actor_id == actor.id and s.kind == "capital"]
        for name in names[:1]:
            entries = [e for e in get_gazetteer().lookup(name) if e.country == actor.country and e.kind == "city"]
            if entries:
                return to_place(max(entries, key=lambda e: e.population))
        return None

    def _position(self, offset: int) -> int:
        """Index in ``sentences`` of the sentence at (or last before) ``offset``."""
        return bisect_left(self._starts, offset + 1) - 1

    def main_town(self) -> PlaceRef | None:
        """The town or city the article names most (its first mention): what the story is about."""
        towns = [p for p in self.places if p.place.kind in ("city", "site") and p.relation is None]
        if not towns:
            return None
        counts = Counter(p.place.id for p in towns)
        return max(reversed(towns), key=lambda p: counts[p.place.id])

    def _first_offset(self, actor_id: str) -> int:
        return next(ref.start for ref in self.actors if ref.actor.id == actor_id)


_ARMED_KINDS = {"state_forces", "rebel_group", "political_militia", "identity_militia", "external_forces"}


def _names_an_owner(text: str, ref: ActorRef) -> bool:
    """"France's Total", "Russia's Wagner group": a country named as the owner of something else."""
    return bool(re.match(r"['’]s\s+[A-Z]", text[ref.end : ref.end + 4]))


def _is_state(actor: Actor) -> bool:
    return actor.kind == "state_forces" and actor.id.startswith("state:")


def build_context(article: Article, kb: ActorKB | None = None) -> ArticleContext:
    kb = kb or get_actor_kb()
    text = article.text
    skipped = [(f.start, f.end) for f in find_furniture(text, article.published)]

    def readable(start: int, end: int) -> bool:
        return not any(s <= start and end <= e for s, e in skipped)

    sentences = [s for s in split_sentences(text, skip_prefix=dateline_end(text)) if readable(s.start, s.end)]
    mentions = [m for m in find_actor_mentions(text, kb) if readable(m.start, m.end)]
    place_mentions = [
        m
        for m in find_place_mentions(
            text, exclude=[(m.start, m.end) for m in mentions if m.actor or m.generic], unknown=True
        )
        if readable(m.start, m.end)
    ]
    # Actors tell where the story is: al-Shabaab's "Mahas" is the Somali one, not the Jordanian;
    # so does a price in a currency of one country ("£30").
    place_context = text_context(text)
    for mention in mentions:
        if re.match(r"['’]s\s+[A-Z]", text[mention.end : mention.end + 4]):
            continue  # "France's Total" names a company's home, not a side in the story (see _names_an_owner)
        if mention.actor is not None and mention.actor.country:
            place_context.countries[mention.actor.country] = place_context.countries.get(mention.actor.country, 0) + 0.5
    places = _resolve_places(text, place_mentions, dateline_end(text), place_context)
    host = _host_country(places)
    actors = _resolve_actors(text, mentions, host, kb)
    times = [t for t in find_times(text, article.published) if readable(t.start, t.end)]
    places = _add_definite_places(text, places, sentences)
    return ArticleContext(article, sentences, actors, places, times, host, kb)


def _resolve_places(
    text: str, mentions: list[PlaceMention], dateline_end: int, context: PlaceContext
) -> list[PlaceRef]:
    refs = []
    actor_countries = set(context.countries)
    places = _drop_implausible(mentions, resolve_all(mentions, context, unknown=True), actor_countries)
    places = [_check_stated_country(text, m, p) for m, p in zip(mentions, places, strict=True)]
    resolved = dict(zip(((m.start, m.end) for m in mentions), places, strict=True))
    for mention in mentions:
        place = resolved[(mention.start, mention.end)]
        if place is None:
            continue
        before = text[max(0, mention.start - 6) : mention.start].lower()
        container = (
            place.kind in ("admin1", "admin2", "country")
            and before.rstrip().endswith(("in", "of"))
            and not re.search(r"\b(?:whole|all|entire|rest)\s+of\s*$", text[max(0, mention.start - 20) : mention.start])
        )
        relation = mention.relation
        if mention.end <= dateline_end:
            relation = "dateline"  # where the story was filed, not where anything happened
        point = None
        if mention.relation is not None:
            partner = resolved.get(mention.partner) if mention.partner else None
            point = relational_point(mention, place, partner)
        refs.append(
            PlaceRef(mention.start, mention.end, mention.text, place, relation, container, None, point)
        )
    return refs


# A small town far from every other place of the article and from the home of each of its actors
# is more likely a namesake of a town the gazetteer lacks: keep it by name rather than misplace it.
_FAR_KM = 1500.0
_SMALL_TOWN = 100_000


def _drop_implausible(
    mentions: list[PlaceMention], places: list[Place | None], actor_countries: set[str]
) -> list[Place | None]:
    located = [p for p in places if p is not None and p.lat is not None and p.lon is not None]
    out: list[Place | None] = []
    for mention, place in zip(mentions, places, strict=True):
        if place is not None and place.kind == "city" and place.lat is not None and place.lon is not None:
            population = max((c.population for c in mention.candidates if c.geonameid == place.geonameid), default=0)
            near_other = any(
                other.id != place.id
                and other.lat is not None
                and other.lon is not None
                and distance_km((place.lat, place.lon), (other.lat, other.lon)) <= _FAR_KM
                for other in located
            )
            near_actor = any(
                (home := get_gazetteer().capital_point(iso3)) is not None
                and distance_km((place.lat, place.lon), home) <= _FAR_KM
                for iso3 in actor_countries
            )
            if actor_countries and not near_actor and population < _SMALL_TOWN and not near_other:
                place = unknown_place(mention.name)
        out.append(place)
    return out


# "Palma, a town in northern Mozambique": the text says which country the place is in.
_STATED_COUNTRY = re.compile(
    r"^,?\s+(?:a|an|the)\s+[^,.;]{0,40}?\bin\s+(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west|central)"
    r"(?:ern)?(?:-?(?:east|west)(?:ern)?)?\s+)?(?P<country>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?)"
)


def _check_stated_country(text: str, mention: PlaceMention, place: Place | None) -> Place | None:
    """A namesake in another country than the one the sentence states is not the place meant: keep it
    by name and country, without coordinates. A country itself is the one news means by its name."""
    if place is not None and place.kind == "country":
        meant = get_actor_kb().country_named(mention.name)
        entry = get_gazetteer().country(meant) if meant and meant != place.country else None
        return to_place(entry) if entry is not None else place
    if place is None or place.kind not in ("city", "site"):
        return place
    match = _STATED_COUNTRY.match(text[mention.end : mention.end + 90])
    if match is None:
        return place
    # News names countries as the actor knowledge base does ("Congo" is the DRC); GeoNames as well.
    stated = get_actor_kb().country_named(match.group("country"))
    if stated is None:
        entry = get_gazetteer().country(match.group("country"))
        stated = entry.country if entry is not None else None
    if stated is None or stated == place.country:
        return place
    return replace(unknown_place(mention.name), country=stated)


# "BEIRUT — ", "KYIV, Ukraine (Reuters) - ": the place a story was filed from.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]{1,30}(?:,\s*[A-Z][\w .]{1,30})?(?:\s*\([^)]{1,30}\))?\s*[—–-]{1,2}\s+"
)


def dateline_end(text: str) -> int:
    match = _DATELINE.match(text)
    return match.end() if match else 0


def _host_country(places: list[PlaceRef]) -> str | None:
    counts = Counter(p.place.country for p in places if p.place.country and p.place.kind != "country")
    return counts.most_common(1)[0][0] if counts else None


def _resolve_actors(text: str, mentions: list[ActorMention], host: str | None, kb: ActorKB) -> list[ActorRef]:
    """Give every generic mention the actor meant, from the mentions before it and the article's host state."""
    refs: list[ActorRef] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.actor is not None:
            refs.append(ActorRef(m.start, m.end, m.text, m.actor, m.backer, link=m.link))
            continue
        leader = _led_by(text, m, mentions)
        antecedents = [r for r in refs if not _names_an_owner(text, r)]
        actor = leader or _antecedent(text, m, antecedents, host, kb, mentions)
        if actor is not None:
            refs.append(ActorRef(m.start, m.end, m.text, actor, m.backer, via="coref", link=m.link))
    return refs


def _led_by(text: str, m: ActorMention, mentions: list[ActorMention]) -> Actor | None:
    """"insurgents led by Hayat Tahrir al-Sham": the group that leads them."""
    if not re.match(r"\s*,?\s*(?:led|headed|spearheaded|commanded)\s+by\s", text[m.end : m.end + 30]):
        return None
    after = [x for x in mentions if x.start >= m.end and x.actor is not None]
    return after[0].actor if after and after[0].start - m.end < 30 else None


def _same_sentence(text: str, start: int, end: int) -> bool:
    return not re.search(r"[.!?][\"'”’)]*\s", text[start:end]) and "\n" not in text[start:end]


def _antecedent(
    text: str, m: ActorMention, before: list[ActorRef], host: str | None, kb: ActorKB, everything: list[ActorMention]
) -> Actor | None:
    if m.generic == "state":
        # "government troops" are the host country's forces, even before the country is named;
        # plain "troops", "its troops", "the army" are those of the state named just before.
        recent = next((r for r in reversed(before) if _is_state(r.actor)), None)
        governmental = re.search(r"\b(?:government|regime|pro-government)\b", m.text, re.IGNORECASE)
        if recent is not None and not governmental and _same_sentence(text, recent.end, m.start):
            return recent.actor
        if host and (state := kb.state(host)):
            return state
        return recent.actor if recent else None
    if m.generic == "coalition":
        return _coalition(before, kb, everything)
    described = re.sub(r"^(?:the|a|an)\s+", "", m.text, flags=re.IGNORECASE)
    qualifier = described.split()[0] if described[:1].isupper() else None
    if qualifier and re.search(r"-(?:backed|led|supported|allied|aligned|based)$", qualifier):
        qualifier = None  # "U.S.-backed fighters" says who backs them, not who they are
    if qualifier and not _REBELS.search(qualifier):
        # "Shi'ite paramilitary groups", "Islamist militants": the named actor must carry the qualifier,
        # else the group is one the article has not named, kept as found.
        for ref in reversed(before):
            names = " ".join((ref.actor.name, *ref.actor.aliases)).casefold()
            if not ref.generic and _nonstate(ref.actor) and qualifier.casefold() in names:
                return ref.actor
        return kb.unknown(described, kind="unknown")
    described_by = described.split()[0].casefold() if not qualifier and len(described.split()) > 1 else None
    if described_by and not _REBELS.search(m.text):
        # "the paramilitary group": a group named before whose names carry the word (the "paramilitary
        # Rapid Support Forces"), else the usual antecedent below
        for ref in reversed(before):
            names = " ".join((ref.actor.name, *ref.actor.aliases)).casefold()
            if not ref.generic and _nonstate(ref.actor) and described_by in names.split():
                return ref.actor
    if _REBELS.search(m.text):
        return _rebels(before, host, kb)
    # "the jihadists", "the militants": a jihadist group named in the article, if there is one.
    settings = _coreference_words()
    fits = _nonstate
    if set(re.findall(r"[a-z]+", m.text.lower())) & settings["jihadist_nouns"]:
        roots = settings["jihadist_roots"]
        if any(x.actor is not None and roots & set(kb.lineage(x.actor.id)) for x in everything):

            def fits(actor: Actor) -> bool:
                return bool(roots & set(kb.lineage(actor.id)))

    # "Russian-backed separatists ... the separatists": a group the article described and did not
    # name, called again by the same noun, is that group.
    head = described.split()[-1].casefold() if described else ""
    for ref in reversed(before):
        if ref.actor.id.startswith("unk:") and ref.actor.name.casefold().split()[-1:] == [head]:
            return ref.actor
    # Non-state: the last fitting actor named; failing that, the one the article names most.
    for ref in reversed(before):
        if not ref.generic and fits(ref.actor):
            return ref.actor
    named = Counter(x.actor.id for x in everything if x.actor is not None and fits(x.actor))
    if named:
        best = named.most_common(1)[0][0]
        return next(x.actor for x in everything if x.actor is not None and x.actor.id == best)
    # Nobody named: a described group ("armed men") is kept as found; a bare "the group" is not.
    return kb.unknown(described, kind="unknown") if len(described.split()) >= 2 else None


def _coalition(before: list[ActorRef], kb: ActorKB, everything: list[ActorMention]) -> Actor:
    """"the coalition": the coalition named last, else the one named anywhere in the article, else
    the coalition formed against a side the article names, else a coalition kept as found."""

    def is_coalition(actor: Actor) -> bool:
        return actor.kind == "external_forces" and any(
            "coalition" in name.casefold() for name in (actor.name, *actor.aliases)
        )

    for ref in reversed(before):
        if not ref.generic and is_coalition(ref.actor):
            return ref.actor
    named = [x.actor for x in everything if x.actor is not None]
    for actor in named:
        if is_coalition(actor):
            return actor
    for actor in named:
        for root in kb.lineage(actor.id):
            coalition = kb.get(kb.words.coalition_against.get(root, ""))
            if coalition is not None:
                return coalition
    return kb.unknown("coalition", kind="external_forces")


def _nonstate(actor: Actor) -> bool:
    return actor.kind in _NONSTATE_KINDS and not _is_state(actor)


@lru_cache(maxsize=1)
def _coreference_words() -> dict[str, frozenset[str]]:
    data = tomllib.loads(resources.files("frontwatch.data").joinpath("actor_words.toml").read_text("utf-8"))
    return {key: frozenset(values) for key, values in data["coreference"].items()}


def _rebels(before: list[ActorRef], host: str | None, kb: ActorKB) -> Actor:
    """"the rebels", "rival rebel factions": a group the article calls rebels, else the host country's
    rebels, else rebels kept as found. Jihadist groups named before are not "rebels" unless called so."""
    for ref in reversed(before):
        if not ref.generic and any(_REBELS.search(name) for name in (ref.actor.name, *ref.actor.aliases)):
            return ref.actor
    for actor in kb.all():
        if host and actor.country == host and actor.kind == "rebel_group" and "rebels" in actor.aliases:
            return actor
    return kb.unknown("rebels", kind="rebel_group")


def _add_definite_places(text: str, places: list[PlaceRef], sentences: list[Sentence]) -> list[PlaceRef]:
    """"the city" / "the town" → a town named in this or the previous sentence (the one the article
    names most, when there are several), else the article's most-named town so far."""
    out = list(places)
    towns = sorted((p for p in places if p.place.kind in ("city", "site") and p.relation is None),
                   key=lambda p: p.start)
    starts = [s.start for s in sentences]
    for match in _DEFINITE_PLACE.finditer(text):
        if any(p.start <= match.start() < p.end for p in places):
            continue
        previous = [p for p in towns if p.end <= match.start()]
        if not previous:
            continue
        here = bisect_left(starts, match.start() + 1) - 1
        this_sentence = sentences[here].start if here >= 0 else 0
        last_sentence = sentences[max(0, here - 1)].start if here >= 0 else 0
        counts = Counter(p.place.id for p in previous)
        same = [p for p in previous if p.start >= this_sentence]
        recent = same[-1:] or [p for p in previous if p.start >= last_sentence] or previous
        antecedent = max(reversed(recent), key=lambda p: counts[p.place.id])
        out.append(PlaceRef(match.start(), match.end(), match.group(0), antecedent.place, None, False, "coref"))
    return sorted(out, key=lambda p: p.start)
