"""Generated parts of the documentation: the rule parameter tables of docs/class-file.md.

The shapes come from plugins/charter/catalogue.py (field names, types and the
comment beside each field), the values from config/charters/defaults/*.toml, so
the page cannot drift from the code: tests/unit/test_docs.py compares the page
with `render_parameters()`. After changing either, run `python -m tools.docgen`.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
import typing
from pathlib import Path

from plugins.charter.catalogue import RULES, RuleSettings
from plugins.charter.config import load_defaults
from plugins.charter.texts import title

ROOT = Path(__file__).resolve().parents[1]
CLASS_FILE_DOC = ROOT / "docs" / "class-file.md"
BEGIN = "<!-- BEGIN GENERATED: rule parameters (python -m tools.docgen) -->"
END = "<!-- END GENERATED: rule parameters -->"
COMMON = {"enabled": "the rule is checked (`false`: off for this class)",
          "action": "what a match leads to (see the actions table)",
          "suspected_action": "what a message the content model suspects, and no pattern matched, leads to "
                              "(`[]`: the model is not asked; see docs/content-accuracy.md)"}
# meanings of the fields that carry no comment in the catalogue
NOTES = {
    ("membership.real_name", "grace_hours"): "hours a member has to fix the name before the ladder applies",
    ("membership.real_name", "allow_student_name_alone"): "a parent may show the student's name alone (charter 1)",
    ("content.links", "exempt_staff"): "teachers and staff may post links",
    ("content.confidential", "terms"): "the secret terms (matched after normalisation)",
    ("timing.response_sla", "minutes"): "minutes, counted in allowed hours, before the first reminder",
    ("timing.notice_receipts", "remind_after_minutes"): "minutes before those who did not reply are reminded",
    ("escalation.ladder", "steps"): "what the 1st, 2nd, 3rd... active strike leads to",
    ("escalation.ladder", "strike_expiry_days"): "days after which a strike no longer counts",
    ("escalation.ladder", "auto_remove"): "the last step removes (`true`) or asks the head teacher to `/confirm`",
    ("escalation.ladder", "confirm_expiry_hours"): "hours a removal request waits for `/confirm` before it lapses",
    ("escalation.chain", "handle_within_minutes"): "minutes each level has before the next one is told",
    ("escalation.chain", "levels"): "who is told, in order, after the head teacher",
    ("escalation.severe", "propose_removal"): "a severe finding also asks the head teacher to remove the member",
}
_FIELD = re.compile(r"^\s+(\w+):[^#\n]*?(?:#\s*(.+))?$")


def field_comments(settings: type[RuleSettings]) -> dict[str, str]:
    """Comments on the field lines of a settings class, and comment lines just above a field."""
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(settings).splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("# ").strip())
            continue
        match = _FIELD.match(line)
        if match and not stripped.startswith(("def ", "@", "return", "model_config")):
            text = match.group(2) or " ".join(pending)
            if text:
                comments[match.group(1)] = text
        pending = []
    return comments


def type_name(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(json.dumps(a) for a in typing.get_args(annotation))
    if origin is tuple:
        inner = typing.get_args(annotation)[0]
        return f"list of {type_name(inner)}"
    return {bool: "true/false", int: "integer", float: "number", str: "text"}.get(annotation, str(annotation))  # type: ignore[call-overload]


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render_parameters(config_dir: Path | None = None) -> str:
    defaults = load_defaults(config_dir or ROOT / "config")
    out: list[str] = []
    for rule_id, settings in RULES.items():
        comments = {**COMMON, **{f: n for (r, f), n in NOTES.items() if r == rule_id}, **field_comments(settings)}
        hints = typing.get_type_hints(settings)
        out += [f"### `{rule_id}` — {title(rule_id)}", "",
                "| parameter | type | default | meaning |", "| --- | --- | --- | --- |"]
        for name in settings.model_fields:
            default = toml_value(defaults[rule_id].get(name)).replace("|", "\\|")
            meaning = comments.get(name, "").replace("|", "\\|")
            out.append(f"| `{name}` | {type_name(hints[name])} | `{default}` | {meaning} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def generated_section(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n") + "\n"


def update(path: Path = CLASS_FILE_DOC) -> bool:
    """Rewrite the generated section of `path`; True when it changed."""
    text = path.read_text(encoding="utf-8")
    fresh = text[: text.index(BEGIN) + len(BEGIN)] + "\n" + render_parameters() + text[text.index(END):]
    if fresh == text:
        return False
    path.write_text(fresh, encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = update()
    print(f"{CLASS_FILE_DOC}: {'updated' if changed else 'up to date'}", file=sys.stderr)
