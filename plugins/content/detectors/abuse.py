"""content.abuse: insults, profanity, personal attacks and defamation, from the
project's lexicons (config/lexicons/abuse/), matched on the normalised text so
spacing, look-alikes, traditional forms, pinyin and abbreviations do not hide them."""

from __future__ import annotations

from plugins.charter.catalogue import AbuseSettings
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit

RULE_ID = "content.abuse"
_REASONS = {
    "abuse/insult": "含有辱骂或人身攻击的用语",
    "abuse/profanity": "含有不文明用语",
    "abuse/defamation": "含有诋毁学校或师生的言论",
}


def detect(norm: NormalizedText, ctx: DetectContext, settings: AbuseSettings) -> list[Hit]:
    found = ctx.lexicon.matcher("abuse").first(norm)
    if found is None:
        return []
    return [
        make_hit(
            RULE_ID,
            norm,
            found.start,
            found.end,
            _REASONS.get(found.label, "含有不文明用语"),
            kind=found.label,
        )
    ]
