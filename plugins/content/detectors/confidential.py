"""content.confidential: the class's configured secret terms (company or school
secrets), matched on the normalised text. Terms come from the rule's settings and
are compiled once into the context (DetectContext.build)."""

from __future__ import annotations

from plugins.charter.catalogue import ConfidentialSettings
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.terms import Term, TermMatcher

RULE_ID = "content.confidential"
_CACHE: dict[tuple[str, ...], TermMatcher] = {}


def _matcher(ctx: DetectContext, settings: ConfidentialSettings) -> TermMatcher | None:
    if ctx.confidential is not None:
        return ctx.confidential
    terms = tuple(t for t in settings.terms if t and t.strip())
    if not terms:
        return None
    found = _CACHE.get(terms)
    if found is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        found = _CACHE[terms] = TermMatcher(Term(t, "confidential") for t in terms)
    return found


def can_report(ctx: DetectContext, settings: ConfidentialSettings) -> bool:
    """Whether the rule has a term to find: the charters ship it with none, for the
    class to fill in, and without one it reports nothing on any message."""
    return _matcher(ctx, settings) is not None


def detect(
    norm: NormalizedText, ctx: DetectContext, settings: ConfidentialSettings
) -> list[Hit]:
    matcher = _matcher(ctx, settings)
    if matcher is None:
        return []
    found = matcher.first(norm)
    if found is None:
        return []
    return [make_hit(RULE_ID, norm, found.start, found.end, "含有需保密的内容", kind="confidential")]
