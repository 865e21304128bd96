"""The content plugin's policy: the class's ContentEngine turned into findings."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timedelta

from plugins.charter import texts
from plugins.charter.config import ClassConfig, LoadedConfig
from plugins.charter.findings import finding_for
from plugins.charter.model import Finding, IncomingMessage, Severity
from plugins.content.detectors.base import Hit
from plugins.content.engine import SUSPECTED_KIND, ContentEngine
from plugins.content.lexicons import Lexicon, load_lexicon

FLOOD_BURST = timedelta(minutes=10)  # one strike per flooding burst; later repeats are only recalled


class ContentPolicy:
    plugin = "content"

    def __init__(self) -> None:
        self._lexicon: Lexicon | None = None
        self._engines: dict[str, ContentEngine] = {}
        self._flood_struck: OrderedDict[str, datetime] = OrderedDict()

    def prepare(self, config: LoadedConfig) -> None:
        if self._lexicon is None:
            self._lexicon = load_lexicon(None)
        engines = {}
        for cls in config.classes.values():
            settings = {rule_id: s for rule_id, s in cls.rules.items() if rule_id.startswith("content.")}
            engines[cls.id] = ContentEngine(settings, roster_names=cls.roster.students, lexicon=self._lexicon)
        self._engines = engines

    def check(self, message: IncomingMessage, cls: ClassConfig) -> list[Finding]:
        engine = self._engines.get(cls.id)
        if engine is None:
            return []
        findings = []
        for hit in engine.check(message):
            finding = self._finding(hit, message, cls)
            if finding is not None:
                findings.append(finding)
        return findings

    def _finding(self, hit: Hit, message: IncomingMessage, cls: ClassConfig) -> Finding | None:
        if cls.rule_mode(hit.rule_id) == "off":
            return None
        finding = finding_for(cls, hit.rule_id, message, evidence=hit.evidence, reason=hit.reason,
                              severity=hit.severity, member_text=self._member_text(hit, cls))
        if hit.kind == SUSPECTED_KIND:
            # the model's second opinion: what the class set for it, never the rule's own actions
            settings = cls.settings(hit.rule_id)
            return replace(finding, actions=tuple(settings.suspected_action), suspected=True,
                           member_text=texts.suspected_member_text())
        if hit.kind == "flood.chain":
            settings = cls.settings("content.flood")
            return _with_actions(finding, settings.chain_action, texts.chain_group_reminder(hit.rule_id))
        if hit.kind == "flood.single" and self._in_struck_burst(message):
            return _with_actions(finding, tuple(a for a in finding.actions if a == "recall"), "")
        return finding

    def _in_struck_burst(self, message: IncomingMessage) -> bool:
        key = f"{message.group.key}:{message.sender.account.key}"
        last = self._flood_struck.get(key)
        if last is not None and message.time - last < FLOOD_BURST:
            return True
        self._flood_struck[key] = message.time
        self._flood_struck.move_to_end(key)
        while len(self._flood_struck) > 50_000:
            self._flood_struck.popitem(last=False)
        return False

    @staticmethod
    def _member_text(hit: Hit, cls: ClassConfig) -> str:
        if hit.rule_id == "content.leave_requests":
            return texts.leave_reply(cls.leave_procedure)
        if hit.rule_id == "content.ack_replies":
            return texts.ack_reminder()
        if hit.rule_id == "content.chitchat":
            return texts.chitchat_reminder()
        return hit.reason


def _with_actions(finding: Finding, actions: tuple[str, ...], member_text: str) -> Finding:
    return replace(finding, actions=tuple(actions), member_text=member_text or finding.member_text,
                   severity=finding.severity if actions else Severity.INFO)
