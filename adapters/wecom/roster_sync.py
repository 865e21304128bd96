"""`charterbot roster sync --class ID`: a class's teachers and staff from WeCom's contacts.

The class file names the class's department in the school's WeCom contacts
(`wecom_department` under `[class]`, or `--department N`). Its members
(``user/list``, sub-departments included) become the roster's teachers and staff;
the roster's students and guardian rows are kept, since the contacts hold only
the school's employees. A member whose position (职务) names a subject ("语文老师",
"数学/班主任") is a teacher of those subjects; "班主任" alone counts as a subject;
everyone else is staff. Members WeCom marks disabled or departed are left out.

Uses the self-built app's settings: ``WECOM_CORP_ID``, ``WECOM_SECRET`` (with
contacts read access) and ``WECOM_API_BASE``, from the environment or ``.env``.
Exit status: 0 written (or shown with --dry-run), 1 nothing written.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plugins.charter.cli import EXTRA_SUBCOMMANDS
from plugins.charter.config import ClassHeader
from plugins.charter.roster import Roster, RosterError, Teacher, load_roster
from plugins.charter.runtime import config_dir_from_env
from plugins.membership.cli import find_class_file
from plugins.membership.roster_import import roster_csv_text, write_roster_csv
from plugins.membership.text import COMMON_SUBJECTS, SUBJECT_ALIASES

from .api import WeComAPI, WeComAPIError
from .config import WeComConfig, load_config_from_env

HEAD_TEACHER = "班主任"
TEACHER_WORDS = ("老师", "教师", HEAD_TEACHER)
DISABLED, DEPARTED = 2, 5  # WeCom user status values left out of a roster


class SyncError(Exception):
    """Nothing was written; the message says why (shown to the operator)."""


@dataclass(frozen=True)
class SyncReport:
    class_id: str
    class_name: str
    department: int
    target: Path
    roster: Roster
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()  # "张三（已停用）"
    as_staff: tuple[str, ...] = ()  # called a teacher in WeCom, but no subject in the position
    written: bool = True

    def summary(self) -> str:
        roster = self.roster
        verb = "将写入" if not self.written else "已写入"
        lines = [
            f"{self.class_name}（{self.class_id}）从企业微信通讯录部门 {self.department} 同步："
            f"老师 {len(roster.teacher_names)} 人，员工 {len(roster.staff)} 人，"
            f"保留学生 {len(roster.students)} 人、家长登记 {len(roster.guardians)} 条，{verb} {self.target}",
        ]
        if self.added:
            lines.append(f"新增：{_names(self.added)}")
        if self.removed:
            lines.append(f"移除：{_names(self.removed)}")
        if self.as_staff:
            lines.append(f"职务中没有学科，记为员工（如是任课老师，请在企业微信中把职务写成“语文老师”等）：{_names(self.as_staff)}")
        if self.left_out:
            lines.append(f"未写入：{_names(self.left_out)}")
        return "\n".join(lines)


def _names(items: Iterable[str], limit: int = 20) -> str:
    items = list(items)
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 人" if len(items) > limit else "")


def subjects_in(position: str) -> list[str]:
    """Subjects a WeCom position names, canonical and in order: "语文老师/班主任" -> [语文, 班主任]."""
    found: list[tuple[int, str]] = []
    for word, canonical in (*((s, s) for s in COMMON_SUBJECTS), *SUBJECT_ALIASES.items(), (HEAD_TEACHER, HEAD_TEACHER)):
        at = position.find(word)
        if at >= 0:
            found.append((at, canonical))
    ordered = [canonical for _, canonical in sorted(found)]
    return list(dict.fromkeys(ordered))


@dataclass
class _Staffing:
    teachers: list[Teacher] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    as_staff: list[str] = field(default_factory=list)


def staffing_from_contacts(users: Iterable[dict[str, Any]]) -> _Staffing:
    """Teachers and staff from ``user/list`` rows, each person once."""
    result = _Staffing()
    seen: set[str] = set()
    for user in users:
        userid, name = str(user.get("userid", "")), str(user.get("name", "") or "").strip()
        if not name or userid in seen:
            continue
        seen.add(userid)
        status = int(user.get("status", 1) or 1)
        if status in (DISABLED, DEPARTED):
            result.left_out.append(f"{name}（{'已停用' if status == DISABLED else '已离职'}）")
            continue
        position = str(user.get("position", "") or "")
        subjects = subjects_in(position)
        if subjects:
            result.teachers += [Teacher(name, subject) for subject in subjects]  # one entry per subject
        else:
            result.staff.append(name)
            if any(word in position for word in TEACHER_WORDS):
                result.as_staff.append(name)
    return result


def _class_header(class_file: Path) -> ClassHeader:
    try:
        with class_file.open("rb") as handle:
            data = tomllib.load(handle)
        return ClassHeader.model_validate(data.get("class") or {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, ValidationError) as exc:
        raise SyncError(f"{class_file}: 班级文件无法读取（请先运行 charterbot check）：{exc}") from exc


async def sync_class_roster(class_file: Path, api: WeComAPI, department: int | None = None,
                            dry_run: bool = False) -> SyncReport:
    """Fetch the class department's members and write the class's roster CSV."""
    header = _class_header(class_file)
    department = department or header.wecom_department
    if not department:
        raise SyncError(f"{class_file}: [class] 没有 wecom_department（企业微信通讯录中本班的部门 id），"
                        "请在班级文件中填写，或用 --department 指定")
    target = class_file.parent / (header.roster or f"{header.id}.csv")
    previous = Roster()
    if target.exists():
        try:
            previous = load_roster(target)
        except RosterError as exc:
            raise SyncError(f"现有名单无法读取，为免丢失学生名单未作修改：{exc}") from exc
    try:
        users = await api.department_users(department, recursive=True)
    except WeComAPIError as exc:
        raise SyncError(f"企业微信通讯录读取失败：{exc.errcode} {exc.errmsg}") from exc
    staffing = staffing_from_contacts(users)
    if not staffing.teachers and not staffing.staff:
        raise SyncError(f"企业微信通讯录部门 {department} 中没有可写入的成员，名单未作修改")
    roster = Roster(students=previous.students, teachers=tuple(staffing.teachers), staff=tuple(staffing.staff),
                    guardians=previous.guardians, source=str(target))
    before = set(previous.teacher_names) | set(previous.staff)
    after = set(roster.teacher_names) | set(roster.staff)
    if not dry_run:
        write_roster_csv(roster, target)
    return SyncReport(
        class_id=header.id, class_name=header.name, department=department, target=target, roster=roster,
        added=tuple(n for n in (*roster.teacher_names, *roster.staff) if n not in before),
        removed=tuple(n for n in (*previous.teacher_names, *previous.staff) if n not in after),
        left_out=tuple(staffing.left_out), as_staff=tuple(staffing.as_staff), written=not dry_run,
    )


def api_from_settings(config: WeComConfig) -> WeComAPI:
    if not config.app_api_enabled:
        raise SyncError("未配置企业微信自建应用：请设置 WECOM_CORP_ID 和 WECOM_SECRET")
    secret = config.wecom_secret.get_secret_value() if config.wecom_secret else ""
    return WeComAPI(config.wecom_corp_id, secret, base_url=config.wecom_api_base,
                    timeout_s=config.wecom_api_timeout_s, extra_secrets=config.secrets())


async def _run(class_file: Path, department: int | None, dry_run: bool) -> SyncReport:
    api = api_from_settings(load_config_from_env())
    try:
        return await sync_class_roster(class_file, api, department, dry_run)
    finally:
        await api.aclose()


def cmd_roster_sync(args: argparse.Namespace) -> int:
    config_dir = config_dir_from_env()
    class_file = find_class_file(config_dir, args.class_id)
    if class_file is None:
        print(f"{config_dir / 'classes'}: no class file with id {args.class_id!r}", file=sys.stderr)
        return 1
    try:
        report = asyncio.run(_run(class_file, args.department, args.dry_run))
    except SyncError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(report.summary())
    if args.dry_run:
        print(roster_csv_text(report.roster), end="")
    return 0


def _roster_actions(sub: Any) -> Any:
    """The `roster` command's subcommands, created here or by another module first."""
    parser = sub.choices.get("roster") or sub.add_parser("roster", help="class rosters")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="roster_command", required=True)


def register(sub: Any) -> None:
    syncer = _roster_actions(sub).add_parser(
        "sync", help="write a class's teachers and staff from the school's WeCom contacts")
    syncer.add_argument("--class", dest="class_id", required=True, help="the class id, e.g. g3c2")
    syncer.add_argument("--department", type=int, help="WeCom department id (default: the class file's "
                                                       "wecom_department)")
    syncer.add_argument("--dry-run", action="store_true", help="show the roster without writing it")
    syncer.set_defaults(func=cmd_roster_sync)


EXTRA_SUBCOMMANDS.append(register)
