"""Exported chat histories read into one shape: QQ text exports, CSV, JSON lines.

QQ's message manager exports a chat as text: a header (消息记录, 消息分组, 消息对象
between ===== lines), then one block per message, a line
``2024-09-02 8:01:15 张子涵妈妈(123456789)`` (or ``name<email>`` for accounts shown
by e-mail) followed by the message lines. Pictures and faces appear as ``[图片]``,
``[表情]``. The CSV form has the columns time, sender, text (and optionally
sender_id); JSON lines have the same keys. Naive times are in the class's time zone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

FORMATS = ("qq", "csv", "jsonl")

_QQ_HEADER = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2}) (?P<time>\d{1,2}:\d{2}:\d{2}) (?P<name>.*?)"
    r"(?:\((?P<id>[^()]*)\)|<(?P<email>[^<>]*)>)\s*$"
)
_QQ_META = re.compile(r"^(={5,}|消息分组[:：]|消息对象[:：]|消息记录（)")
_TITLE_TAG = re.compile(r"^【[^】]{1,8}】")  # group titles such as 【管理员】 before the name
_NAME_WITH_ID = re.compile(r"^(?P<name>.*?)\s*[(（](?P<id>[^()（）]+)[)）]\s*$")
# placeholders QQ writes for what is not text
_PLACEHOLDER = re.compile(r"\[(图片|表情|语音|视频|文件|闪照|动画表情)\]")
_MENTION = re.compile(r"@(\S{1,24})")

TIME_KEYS = ("time", "datetime", "date", "timestamp", "时间")
SENDER_KEYS = ("sender", "name", "sender_name", "nickname", "发送者", "昵称")
ID_KEYS = ("sender_id", "user_id", "id", "qq", "账号")
TEXT_KEYS = ("text", "message", "content", "内容", "消息")


class ChatLogError(ValueError):
    """A chat export that cannot be read, with the file and line."""


@dataclass(frozen=True, slots=True)
class ChatLine:
    time: datetime  # timezone-aware
    sender_name: str
    sender_id: str  # the platform id where the export has one, else "name:<display name>"
    text: str  # without placeholders such as [图片]
    has_image: bool = False
    line_no: int = 0  # where the message starts in the file
    mentioned_names: tuple[str, ...] = ()


def read_text(path: Path) -> str:
    """UTF-8 (with or without a BOM), else GB18030 as older Windows exports write it."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ChatLogError(f"{path}: neither UTF-8 nor GBK text")


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return "qq"
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("{"):
        return "jsonl"
    if any(_QQ_HEADER.match(line) for line in text.splitlines()[:200]):
        return "qq"
    return "csv"


def parse_time(value: str | int | float, zone: tzinfo, where: str) -> datetime:
    """ISO 8601, 'YYYY-MM-DD H:MM[:SS]', 'YYYY/MM/DD ...', or epoch seconds/milliseconds."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{9,13}(\.\d+)?", value.strip())):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        return datetime.fromtimestamp(seconds, UTC)
    text = str(value).strip().replace("/", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = datetime(year, month, day, hour, minute, second)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ChatLogError(f"{where}: not a time: {value!r}") from exc
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def clean_text(body: str) -> tuple[str, bool]:
    has_image = "[图片]" in body or "[闪照]" in body
    text = _PLACEHOLDER.sub(" ", body).strip()
    return text, has_image


def _line(time: datetime, name: str, user_id: str, body: str, line_no: int) -> ChatLine:
    text, has_image = clean_text(body)
    name = _TITLE_TAG.sub("", name.strip()).strip()
    mentioned = tuple(dict.fromkeys(_MENTION.findall(text)))
    return ChatLine(time, name, user_id or f"name:{name}", text, has_image, line_no, mentioned)


def parse_qq(text: str, zone: tzinfo, source: str = "") -> Iterator[ChatLine]:
    header: re.Match[str] | None = None
    header_line = 0
    body: list[str] = []
    in_meta = False

    def flush() -> ChatLine | None:
        if header is None:
            return None
        when = parse_time(f"{header['date']} {header['time']}", zone, f"{source}:{header_line}")
        user_id = header["id"] if header["id"] is not None else header["email"] or ""
        return _line(when, header["name"], user_id.strip(), "\n".join(body).strip(), header_line)

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        match = _QQ_HEADER.match(line)
        if match:
            done = flush()
            if done is not None:
                yield done
            header, header_line, body, in_meta = match, number, [], False
            continue
        if _QQ_META.match(line.strip()):
            done = flush()
            if done is not None:
                yield done
            header, body, in_meta = None, [], True
            continue
        if header is not None and not in_meta:
            body.append(line)
    done = flush()
    if done is not None:
        yield done


def _pick(row: dict[str, str], keys: tuple[str, ...]) -> str | None:
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for key in keys:
        if key in lowered and lowered[key] not in (None, ""):
            return lowered[key]
    return None


def _sender(name: str, user_id: str | None) -> tuple[str, str]:
    if user_id:
        return name.strip(), str(user_id).strip()
    match = _NAME_WITH_ID.match(name.strip())
    if match:
        return match["name"], match["id"].strip()
    return name.strip(), ""


def _from_record(record: dict, zone: tzinfo, where: str, line_no: int) -> ChatLine:  # type: ignore[type-arg]
    when = _pick(record, TIME_KEYS)
    text = _pick(record, TEXT_KEYS)
    name = _pick(record, SENDER_KEYS)
    if when is None or name is None:
        raise ChatLogError(f"{where}: needs a time and a sender (keys: time, sender, text)")
    sender_name, sender_id = _sender(str(name), _pick(record, ID_KEYS))
    return _line(parse_time(when, zone, where), sender_name, sender_id, str(text or ""), line_no)


def parse_csv(text: str, zone: tzinfo, source: str = "") -> Iterator[ChatLine]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return
    head = [cell.strip().lower() for cell in rows[0]]
    has_header = any(h in TIME_KEYS for h in head) and any(h in TEXT_KEYS + SENDER_KEYS for h in head)
    names = head if has_header else ["time", "sender", "text", "sender_id"][: max(len(rows[0]), 3)]
    for number, row in enumerate(rows[1:] if has_header else rows, 2 if has_header else 1):
        if not any(cell.strip() for cell in row):
            continue
        record = dict(zip(names, row))
        yield _from_record(record, zone, f"{source}:{number}", number)


def parse_jsonl(text: str, zone: tzinfo, source: str = "") -> Iterator[ChatLine]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ChatLogError(f"{source}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise ChatLogError(f"{source}:{number}: expected an object per line")
        yield _from_record(record, zone, f"{source}:{number}", number)


PARSERS = {"qq": parse_qq, "csv": parse_csv, "jsonl": parse_jsonl}


def load_chat(path: Path, zone: tzinfo, fmt: str = "auto") -> tuple[str, list[ChatLine]]:
    """(format, messages in time order) of an export file."""
    text = read_text(path)
    fmt = detect_format(path, text) if fmt == "auto" else fmt
    if fmt not in PARSERS:
        raise ChatLogError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    lines = list(PARSERS[fmt](text, zone, str(path)))
    lines.sort(key=lambda line: line.time)  # stable: same-second messages keep file order
    return fmt, lines
