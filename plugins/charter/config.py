"""Loading and validating charter templates and class files.

Layers, later ones win field by field:
  config/charters/defaults/*.toml  product defaults for every rule
  config/charters/<charter>.toml   the school's charter: clauses and its parameters
  config/classes/<class>.toml      one class: groups, staff, roster, overrides

Every problem is reported with the file and the field, and loading stops: the bot
never runs with half the rules.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .catalogue import PLUGINS, RULES, RuleSettings, check_weekday, parse_window
from .model import Account, GroupRef, Role
from .roster import Roster, RosterError, load_roster

PLATFORMS = ("qq", "wechat", "wecom")
Mode = Literal["on", "off", "shadow"]


class ConfigError(ValueError):
    """One or more problems in configuration files, each naming file and field."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("\n".join(self.format(p) for p in problems))

    @staticmethod
    def format(problem: tuple[str, str, str]) -> str:
        path, where, message = problem
        return f"{path}: {where}: {message}" if where else f"{path}: {message}"

    @classmethod
    def one(cls, path: Path | str, where: str, message: str) -> "ConfigError":
        return cls([(str(path), where, message)])


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError.one(path, "", "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError.one(path, "", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError.one(path, "", "not UTF-8 text") from exc
    except OSError as exc:  # a directory, no permission
        raise ConfigError.one(path, "", f"cannot read: {exc.strerror or exc}") from exc


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_problems(path: Path, prefix: str, exc: ValidationError) -> list[tuple[str, str, str]]:
    problems = []
    for error in exc.errors():
        where = _loc((prefix, *error["loc"])) if prefix else _loc(error["loc"])
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "required field is missing"
        problems.append((str(path), where, message))
    return problems


# --- charter templates ------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CharterHeader(_Strict):
    id: str
    title: str
    source: str
    kind: Literal["school", "kindergarten", "work"]


class Clause(_Strict):
    ref: str
    text: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Charter:
    id: str
    title: str
    source: str
    kind: str
    clauses: tuple[Clause, ...]
    rule_values: dict[str, dict[str, Any]]  # merged defaults + template, not yet class overrides
    path: str

    def clauses_for(self, rule_id: str) -> list[Clause]:
        return [c for c in self.clauses if rule_id in c.rules]


def _merge_rule_tables(
    base: dict[str, dict[str, Any]], layer: Any, path: Path, problems: list[tuple[str, str, str]]
) -> dict[str, dict[str, Any]]:
    merged = {rule_id: dict(values) for rule_id, values in base.items()}
    if layer is None:
        return merged
    if not isinstance(layer, dict):
        problems.append((str(path), "rules", "must be a table of rule ids"))
        return merged
    for rule_id, values in layer.items():
        if rule_id not in RULES:
            problems.append((str(path), f'rules."{rule_id}"', f"unknown rule id; known: {', '.join(RULES)}"))
            continue
        if not isinstance(values, dict):
            problems.append((str(path), f'rules."{rule_id}"', "must be a table of settings"))
            continue
        merged.setdefault(rule_id, {}).update(values)
    return merged


def load_defaults(config_dir: Path) -> dict[str, dict[str, Any]]:
    defaults_dir = config_dir / "charters" / "defaults"
    files = sorted(defaults_dir.glob("*.toml"))
    if not files:
        raise ConfigError.one(defaults_dir, "", "no rule defaults found (expected defaults/*.toml)")
    problems: list[tuple[str, str, str]] = []
    merged: dict[str, dict[str, Any]] = {}
    for path in files:
        merged = _merge_rule_tables(merged, _read_toml(path).get("rules"), path, problems)
    missing = [rule_id for rule_id in RULES if rule_id not in merged]
    if missing:
        problems.append((str(defaults_dir), "", f"no defaults for rule(s) {', '.join(missing)}"))
    if problems:
        raise ConfigError(problems)
    return merged


def resolve_charter_path(name: str, config_dir: Path, relative_to: Path) -> Path:
    if name.endswith(".toml") or "/" in name:
        candidate = Path(name)
        return candidate if candidate.is_absolute() else (relative_to / candidate)
    return config_dir / "charters" / f"{name}.toml"


def load_charter(path: Path, defaults: dict[str, dict[str, Any]]) -> Charter:
    data = _read_toml(path)
    problems: list[tuple[str, str, str]] = []
    unknown = sorted(set(data) - {"charter", "clauses", "rules"})
    for key in unknown:
        problems.append((str(path), key, "unknown table"))
    try:
        header = CharterHeader.model_validate(data.get("charter", {}))
    except ValidationError as exc:
        problems += _validation_problems(path, "charter", exc)
        header = None
    clauses: list[Clause] = []
    for index, raw in enumerate(data.get("clauses", [])):
        try:
            clause = Clause.model_validate(raw)
        except ValidationError as exc:
            problems += _validation_problems(path, f"clauses[{index}]", exc)
            continue
        for rule_id in clause.rules:
            if rule_id not in RULES:
                problems.append((str(path), f"clauses[{index}].rules", f"unknown rule id {rule_id!r}"))
        clauses.append(clause)
    if not clauses:
        problems.append((str(path), "clauses", "a charter needs its clauses"))
    rule_values = _merge_rule_tables(defaults, data.get("rules"), path, problems)
    for rule_id, values in rule_values.items():
        try:
            RULES[rule_id].model_validate(values)
        except ValidationError as exc:
            problems += _validation_problems(path, f'rules."{rule_id}"', exc)
    if problems or header is None:
        raise ConfigError(problems)
    return Charter(header.id, header.title, header.source, header.kind, tuple(clauses), rule_values, str(path))


# --- class files ------------------------------------------------------------


class ClassHeader(_Strict):
    id: str
    name: str
    charter: str
    timezone: str = "Asia/Shanghai"
    roster: str | None = None
    office_contact: str = ""  # how parents reach the family-school office
    leave_procedure: str = ""  # how to ask for leave, sent in reply to leave requests
    wecom_department: int | None = Field(default=None, ge=1)  # WeCom contacts department, for roster sync

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
            raise ValueError("use letters, digits, '-' or '_' (at most 64)")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class GroupEntry(_Strict):
    platform: Literal["qq", "wechat", "wecom"]
    group_id: str

    @field_validator("group_id", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


def _account_list(value: list[str]) -> list[str]:
    for key in value:
        platform, _, user_id = key.partition(":")
        if platform not in PLATFORMS or not user_id:
            raise ValueError(f"{key!r} is not 'platform:user_id' with platform one of {', '.join(PLATFORMS)}")
    return value


class StaffEntry(_Strict):
    head_teacher: list[str] = []
    teachers: list[str] = []
    office: list[str] = []
    leaders: list[str] = []

    @field_validator("head_teacher", "teachers", "office", "leaders")
    @classmethod
    def _accounts(cls, value: list[str]) -> list[str]:
        return _account_list(value)


class TimetableEntry(_Strict):
    weekday: int
    time: str  # HH:MM-HH:MM
    teacher: str  # "platform:user_id" of a staff member, or a roster teacher's name

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, value: int) -> int:
        return check_weekday(value)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        start, end = parse_window(value)
        if end <= start:
            raise ValueError("a lesson cannot cross midnight")
        return value


class ClassFile(_Strict):
    class_: ClassHeader
    groups: list[GroupEntry]
    staff: StaffEntry = StaffEntry()
    plugins: dict[str, Mode] = {}
    rules: dict[str, Any] = {}
    timetable: list[TimetableEntry] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("plugins")
    @classmethod
    def _known_plugins(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(PLUGINS))
        if unknown:
            raise ValueError(f"unknown plugin(s) {unknown}; known: {', '.join(PLUGINS)}")
        return value

    @field_validator("groups")
    @classmethod
    def _some_groups(cls, value: list[GroupEntry]) -> list[GroupEntry]:
        if not value:
            raise ValueError("a class needs at least one group")
        return value


STAFF_FIELDS = {
    "head_teacher": Role.HEAD_TEACHER,
    "teachers": Role.TEACHER,
    "office": Role.OFFICE,
    "leaders": Role.LEADER,
}


_PLUGIN_OF_RULE: dict[str, str] = {}  # "timing.quiet_hours" -> "timing"


@dataclass(frozen=True)
class ClassConfig:
    id: str
    name: str
    charter: Charter
    timezone: ZoneInfo
    roster: Roster
    groups: tuple[GroupRef, ...]
    staff: dict[Role, tuple[Account, ...]]
    modes: dict[str, str]
    rules: dict[str, RuleSettings]
    timetable: tuple[TimetableEntry, ...]
    office_contact: str
    leave_procedure: str
    path: str
    staff_roles: dict[Account, Role] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        roles: dict[Account, Role] = {}
        # a person listed in several places gets the most responsible role
        for role in (Role.LEADER, Role.OFFICE, Role.TEACHER, Role.HEAD_TEACHER):
            for account in self.staff.get(role, ()):
                roles[account] = role
        object.__setattr__(self, "staff_roles", roles)

    def role_of(self, account: Account) -> Role | None:
        return self.staff_roles.get(account)

    def mode(self, plugin: str) -> str:
        return self.modes.get(plugin, "on")

    def rule_mode(self, rule_id: str) -> str:
        """'off' when the rule is disabled, otherwise its plugin's mode."""
        settings = self.rules.get(rule_id)
        if settings is None or not settings.enabled:
            return "off"
        # several listeners ask for every message: the plugin's name split off once a rule
        plugin = _PLUGIN_OF_RULE.get(rule_id) or _PLUGIN_OF_RULE.setdefault(rule_id, rule_id.split(".", 1)[0])
        return self.modes.get(plugin, "on")

    def settings(self, rule_id: str) -> Any:
        return self.rules[rule_id]

    def head_teachers(self) -> tuple[Account, ...]:
        return self.staff.get(Role.HEAD_TEACHER, ())

    def accounts_on(self, platform: str, role: Role) -> tuple[Account, ...]:
        return tuple(a for a in self.staff.get(role, ()) if a.platform == platform)


def load_class_file(path: Path, config_dir: Path, defaults: dict[str, dict[str, Any]] | None = None,
                    charters: dict[Path, Charter] | None = None,
                    validated: dict[tuple[str, str], RuleSettings] | None = None) -> ClassConfig:
    """`validated` (shared across the class files of one load): identical rule settings
    are validated once and shared, since most classes keep their charter's values."""
    defaults = defaults if defaults is not None else load_defaults(config_dir)
    charters = charters if charters is not None else {}
    validated = validated if validated is not None else {}
    data = _read_toml(path)
    if "class" in data:
        data["class_"] = data.pop("class")
    try:
        parsed = ClassFile.model_validate(data)
    except ValidationError as exc:
        problems = _validation_problems(path, "", exc)
        raise ConfigError([(p, w.replace("class_", "class"), m) for p, w, m in problems]) from exc

    header = parsed.class_
    charter_path = resolve_charter_path(header.charter, config_dir, path.parent).resolve()
    if charter_path not in charters:
        if not charter_path.is_file():
            raise ConfigError.one(path, "class.charter", f"no charter template {header.charter!r} ({charter_path})")
        charters[charter_path] = load_charter(charter_path, defaults)
    charter = charters[charter_path]

    problems: list[tuple[str, str, str]] = []
    rule_values = _merge_rule_tables(charter.rule_values, parsed.rules, path, problems)
    rules: dict[str, RuleSettings] = {}
    for rule_id, values in rule_values.items():
        key = (rule_id, repr(values))  # the same TOML values validate to the same (frozen) settings
        if key in validated:
            rules[rule_id] = validated[key]
            continue
        try:
            rules[rule_id] = validated[key] = RULES[rule_id].model_validate(values)
        except ValidationError as exc:
            problems += _validation_problems(path, f'rules."{rule_id}"', exc)

    roster = Roster(source="")
    if header.roster:
        try:
            roster = load_roster((path.parent / header.roster).resolve())
        except RosterError as exc:
            problems.append((str(path), "class.roster", str(exc)))

    staff = {
        role: tuple(Account.parse(key) for key in getattr(parsed.staff, field_name))
        for field_name, role in STAFF_FIELDS.items()
    }
    if not staff[Role.HEAD_TEACHER]:
        problems.append((str(path), "staff.head_teacher", "a class needs at least one head teacher account"))
    group_keys = [f"{g.platform}:{g.group_id}" for g in parsed.groups]
    for key in sorted({k for k in group_keys if group_keys.count(k) > 1}):
        problems.append((str(path), "groups", f"group {key} listed twice"))
    if problems:
        raise ConfigError(problems)

    return ClassConfig(
        id=header.id,
        name=header.name,
        charter=charter,
        timezone=ZoneInfo(header.timezone),
        roster=roster,
        groups=tuple(GroupRef(g.platform, g.group_id) for g in parsed.groups),
        staff=staff,
        modes=dict(parsed.plugins),
        rules=rules,
        timetable=tuple(parsed.timetable),
        office_contact=header.office_contact,
        leave_procedure=header.leave_procedure,
        path=str(path),
    )


@dataclass(frozen=True)
class LoadedConfig:
    config_dir: Path
    classes: dict[str, ClassConfig]
    charters: dict[str, Charter]
    by_group: dict[str, ClassConfig]

    def class_for(self, group: GroupRef) -> ClassConfig | None:
        return self.by_group.get(group.key)


def load_config_dir(config_dir: Path) -> LoadedConfig:
    """Load every class file under config_dir/classes; all problems in one error."""
    config_dir = config_dir.resolve()
    defaults = load_defaults(config_dir)
    charter_cache: dict[Path, Charter] = {}
    validated: dict[tuple[str, str], RuleSettings] = {}
    problems: list[tuple[str, str, str]] = []
    classes: dict[str, ClassConfig] = {}
    by_group: dict[str, ClassConfig] = {}
    class_files = sorted((config_dir / "classes").glob("*.toml"))
    if not class_files:
        raise ConfigError.one(config_dir / "classes", "", "no class files (*.toml) found")
    for path in class_files:
        try:
            loaded = load_class_file(path, config_dir, defaults, charter_cache, validated)
        except ConfigError as exc:
            problems += exc.problems
            continue
        if loaded.id in classes:
            problems.append((str(path), "class.id", f"id {loaded.id!r} already used by {classes[loaded.id].path}"))
            continue
        for group in loaded.groups:
            if group.key in by_group:
                problems.append((str(path), "groups", f"group {group.key} already belongs to class {by_group[group.key].id}"))
            by_group[group.key] = loaded
        classes[loaded.id] = loaded
    if problems:
        raise ConfigError(problems)
    charters = {c.id: c for c in charter_cache.values()}
    return LoadedConfig(config_dir, classes, charters, by_group)
