"""Malformed configuration: every problem is a ConfigError that names the file and the
field (and the line where TOML says it); never a traceback of another kind.

Also fuzzed: class files written from generated TOML-ish tables and from mutations of
the shipped example, and roster files with broken encodings.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from plugins.charter.config import ConfigError, LoadedConfig, load_class_file, load_config_dir
from plugins.charter.roster import RosterError, decode_roster_bytes, parse_roster_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "config" / "classes" / "g3c2.toml").read_text(encoding="utf-8")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(ROOT / "config", target)
    return target


def write_class(config: Path, text: str | bytes, name: str = "g3c2.toml") -> Path:
    path = config / "classes" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(config: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config_dir(config)
    return caught.value.problems


def only_problem(config: Path) -> tuple[str, str, str]:
    problems = problems_of(config)
    assert len(problems) == 1, problems
    return problems[0]


# --- one problem each: the file, the field, the line -----------------------------------------


def test_broken_toml_names_the_file_and_the_line(config: Path) -> None:
    path = write_class(config, EXAMPLE.replace('name = "三年二班"', 'name = "三年二班'))
    file, where, message = only_problem(config)
    assert file == str(path.resolve()) and "not valid TOML" in message
    line = EXAMPLE.splitlines().index('name = "三年二班"') + 1
    assert re.search(rf"line {line}\b", message), message


def test_a_class_file_that_is_not_utf8(config: Path) -> None:
    path = write_class(config, EXAMPLE.encode("gbk"))
    assert only_problem(config) == (str(path.resolve()), "", "not UTF-8 text")


def test_unknown_rule_id(config: Path) -> None:
    path = write_class(config, EXAMPLE + '\n[rules."content.spam"]\nenabled = true\n')
    file, where, message = only_problem(config)
    assert (file, where) == (str(path.resolve()), 'rules."content.spam"') and "unknown rule id" in message


@pytest.mark.parametrize("old, new, where", [
    ('name = "三年二班"', 'name = "三年二班"\ncolour = "blue"', "class.colour"),
    ('allow = ["school.example.edu.cn"]', 'allow = ["school.example.edu.cn"]\nallowed = ["x"]', 'rules."content.links".allowed'),
    ('[staff]', '[staff]\nparents = ["qq:1"]', "staff.parents"),
    ('[[timetable]]', '[[timetable]]\nroom = "3"', "timetable.0.room"),
])
def test_unknown_fields(config: Path, old: str, new: str, where: str) -> None:
    write_class(config, EXAMPLE.replace(old, new, 1))
    assert only_problem(config)[1:] == (where, "unknown field")


def test_an_unknown_table(config: Path) -> None:
    write_class(config, EXAMPLE + "\n[extras]\nx = 1\n")
    assert only_problem(config)[1:] == ("extras", "unknown field")


@pytest.mark.parametrize("table, line, where, words", [
    ('[rules."timing.quiet_hours"]', 'quiet = ["22:00-25:00"]', 'rules."timing.quiet_hours".quiet', "22:00-25:00"),
    ('[rules."timing.quiet_hours"]', 'quiet = ["9pm-7am"]', 'rules."timing.quiet_hours".quiet', "HH:MM-HH:MM"),
    ('[rules."timing.response_sla"]', 'allowed_hours = ["08:00-08:00"]', 'rules."timing.response_sla".allowed_hours',
     "empty"),
])
def test_bad_time_windows(config: Path, table: str, line: str, where: str, words: str) -> None:
    write_class(config, f"{EXAMPLE}\n{table}\n{line}\n")
    _, found_where, message = only_problem(config)
    assert found_where.startswith(where) and words in message


def test_a_lesson_that_ends_before_it_starts(config: Path) -> None:
    write_class(config, EXAMPLE.replace('time = "08:00-08:40"', 'time = "08:40-08:00"'))
    _, where, message = only_problem(config)
    assert where == "timetable.0.time" and "midnight" in message


@pytest.mark.parametrize("old, new, where", [
    ('group_id = "900001"', "group_id = 1.5", "groups.0.group_id"),
    ('group_id = "900001"', "group_id = [1]", "groups.0.group_id"),
    ('platform = "qq"', 'platform = "telegram"', "groups.0.platform"),
    ('head_teacher = ["qq:10002"]', 'head_teacher = "qq:10002"', "staff.head_teacher"),
    ('head_teacher = ["qq:10002"]', 'head_teacher = ["10002"]', "staff.head_teacher"),
    ('content = "on"', 'content = "maybe"', "plugins.content"),
    ('content = "on"', "content = true", "plugins.content"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "class.timezone"),
    ('timezone = "Asia/Shanghai"', 'timezone = "../../etc/passwd"', "class.timezone"),
    ('id = "g3c2"', 'id = "三年二班"', "class.id"),
    ('id = "g3c2"', "id = 32", "class.id"),
    ("weekday = 1", "weekday = 8", "timetable.0.weekday"),
    ('allow = ["school.example.edu.cn"]', 'allow = "school.example.edu.cn"', 'rules."content.links".allow'),
    ('allow = ["school.example.edu.cn"]', 'allow = ["x"]\nenabled = "perhaps"', 'rules."content.links".enabled'),
])
def test_wrong_types_and_values_name_the_field(config: Path, old: str, new: str, where: str) -> None:
    assert old in EXAMPLE
    path = write_class(config, EXAMPLE.replace(old, new, 1))
    problems = problems_of(config)
    assert all(file == str(path.resolve()) for file, _, _ in problems)
    assert where in [w for _, w, _ in problems], problems


def test_missing_tables(config: Path) -> None:
    write_class(config, '[class]\nid = "g3c2"\nname = "三年二班"\ncharter = "school-full"\n')
    found = {(where, message) for _, where, message in problems_of(config)}
    assert ("groups", "required field is missing") in found


def test_a_class_without_a_head_teacher(config: Path) -> None:
    write_class(config, EXAMPLE.replace('head_teacher = ["qq:10002"]', "head_teacher = []"))
    assert only_problem(config)[1] == "staff.head_teacher"


@pytest.mark.parametrize("charter, words", [
    ("no-such-charter", "no charter template"),
    ("../classes", "no charter template"),
    ("defaults/", "charter"),
    ("classes/g3c2.csv", "charter"),
])
def test_a_charter_that_is_missing_or_not_a_template(config: Path, charter: str, words: str) -> None:
    path = write_class(config, EXAMPLE.replace('charter = "school-full"', f'charter = "{charter}"'))
    problems = problems_of(config)
    assert problems and all(file in (str(path.resolve()), str(path)) or "charter" in file
                            for file, _, _ in problems)
    assert any(words in f"{where} {message}" for _, where, message in problems), problems


def test_a_roster_that_does_not_parse_names_the_roster_file_and_line(config: Path) -> None:
    (config / "classes" / "g3c2.csv").write_text("role,name,subject\nstudent,张子涵,\nwizard,周雨桐,\n",
                                                 encoding="utf-8")
    file, where, message = only_problem(config)
    assert file.endswith("g3c2.toml") and where == "class.roster"
    assert "g3c2.csv:3" in message and "wizard" in message


@pytest.mark.parametrize("roster", ["missing.csv", ".", "../classes", "g3c2.toml"])
def test_a_roster_path_that_is_not_a_roster(config: Path, roster: str) -> None:
    write_class(config, EXAMPLE.replace('roster = "g3c2.csv"', f'roster = "{roster}"'))
    file, where, message = only_problem(config)
    assert file.endswith("g3c2.toml") and where == "class.roster" and message


def test_duplicate_group_across_classes(config: Path) -> None:
    second = EXAMPLE.replace('id = "g3c2"', 'id = "g3c3"').replace('name = "三年二班"', 'name = "三年三班"')
    path = write_class(config, second, "g3c3.toml")
    file, where, message = only_problem(config)
    assert (file, where) == (str(path), "groups")
    assert "qq:900001" in message and "g3c2" in message


def test_duplicate_class_id(config: Path) -> None:
    second = EXAMPLE.replace('group_id = "900001"', 'group_id = "900002"')
    path = write_class(config, second, "z-copy.toml")
    assert only_problem(config)[:2] == (str(path), "class.id")


def test_every_problem_of_every_file_is_reported_at_once(config: Path) -> None:
    write_class(config, EXAMPLE.replace('content = "on"', 'content = "maybe"'))
    write_class(config, "[class\n", "broken.toml")
    files = {Path(file).name for file, _, _ in problems_of(config)}
    assert files == {"g3c2.toml", "broken.toml"}


def test_the_message_reads_file_field_problem(config: Path) -> None:
    path = write_class(config, EXAMPLE.replace("weekday = 1", "weekday = 0"))
    with pytest.raises(ConfigError) as caught:
        load_config_dir(config)
    assert str(caught.value).startswith(f"{path.resolve()}: timetable.0.weekday: ")


# --- fuzzed class files -------------------------------------------------------------------


def toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(data: dict[str, Any]) -> str:
    """Top-level scalars first, then one [table] or [[array of tables]] per nested value."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()
             if not isinstance(v, dict) and not (isinstance(v, list) and v and all(isinstance(i, dict) for i in v))]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"[{toml_key(key)}]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
            for item in value:
                lines.append(f"[[{toml_key(key)}]]")
                lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


SCALARS = st.one_of(
    st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["on", "off", "shadow", "qq", "wecom", "qq:10002", "wechat:", "22:00-07:00", "24:00-25:00",
                     "school-full", "g3c2.csv", "../x", "Asia/Shanghai", "UTC", "", "\x00", "/", "defaults/"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=6), inner, max_size=3), max_leaves=8)
KEYS = st.sampled_from(["class", "groups", "staff", "plugins", "rules", "timetable", "id", "name", "charter",
                        "timezone", "roster", "platform", "group_id", "head_teacher", "teachers", "content",
                        "timing", "enabled", "allow", "quiet", "weekday", "time", "teacher", "content.links",
                        "timing.quiet_hours", "escalation.ladder", "auto_remove", "steps"]) | st.text(max_size=8)
TABLES = st.dictionaries(KEYS, VALUES | st.dictionaries(KEYS, VALUES, max_size=5)
                         | st.lists(st.dictionaries(KEYS, VALUES, max_size=4), min_size=1, max_size=2), max_size=6)


def base_example() -> dict[str, Any]:
    import tomllib

    return tomllib.loads(EXAMPLE)


def mutate(data: dict[str, Any], path: list[str], value: Any, delete: bool) -> dict[str, Any]:
    node: Any = data
    for key in path[:-1]:
        if isinstance(node, dict) and isinstance(node.get(key), dict):
            node = node[key]
        elif isinstance(node, dict) and isinstance(node.get(key), list) and node[key] and isinstance(node[key][0], dict):
            node = node[key][0]
        else:
            break
    if isinstance(node, dict):
        if delete:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value
    return data


def load_or_config_error(config: Path, text: str) -> None:
    path = write_class(config, text)
    try:
        loaded = load_class_file(path, config.resolve())
    except ConfigError as exc:
        assert exc.problems and all(file and message for file, _, message in exc.problems)
        assert all(str(path.name) in file or "charter" in file or "roster" in message for file, _, message
                   in exc.problems), exc.problems
        return
    assert loaded.id and loaded.groups


_fuzz_dirs: dict[str, Path] = {}


def fuzz_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "dir" not in _fuzz_dirs:
        target = tmp_path_factory.mktemp("fuzz-config") / "config"
        shutil.copytree(ROOT / "config", target)
        _fuzz_dirs["dir"] = target
    return _fuzz_dirs["dir"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(TABLES)
def test_generated_class_files(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]) -> None:
    load_or_config_error(fuzz_config(tmp_path_factory), toml_document(data))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.lists(KEYS, min_size=1, max_size=3), VALUES, st.booleans()), min_size=1, max_size=4))
def test_mutations_of_the_example_class_file(tmp_path_factory: pytest.TempPathFactory,
                                             edits: list[tuple[list[str], Any, bool]]) -> None:
    data = base_example()
    data["class"]["roster"] = "g3c2.csv"
    for path, value, delete in edits:
        data = mutate(data, path, value, delete)
    load_or_config_error(fuzz_config(tmp_path_factory), toml_document(data))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_as_a_class_file(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    config = fuzz_config(tmp_path_factory)
    path = write_class(config, raw)
    try:
        load_class_file(path, config.resolve())
    except ConfigError as exc:
        assert exc.problems[0][0] == str(path)


def test_the_fuzzed_example_still_loads(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The generator's TOML writer round-trips the example: mutations start from a valid file."""
    config = fuzz_config(tmp_path_factory)
    write_class(config, toml_document(base_example()))
    assert isinstance(load_config_dir(config), LoadedConfig)


# --- roster files with broken encodings ---------------------------------------------------

ROSTER = "role,name,subject\nteacher,王芳,语文\nstudent,张子涵,\nstudent,周雨桐,\n"


@pytest.mark.parametrize("raw, students", [
    (ROSTER.encode("gbk"), ("张子涵", "周雨桐")),
    (ROSTER.encode("gb18030"), ("张子涵", "周雨桐")),
    (b"\xef\xbb\xbf" + ROSTER.encode("utf-8"), ("张子涵", "周雨桐")),
    (b"\xef\xbb\xbf" + ROSTER.replace("\n", "\r\n").encode("utf-8"), ("张子涵", "周雨桐")),
    ("\ufeff".encode("utf-16-le") + ROSTER.encode("utf-16-le"), ("张子涵", "周雨桐")),
    ("\ufeff".encode("utf-16-be") + ROSTER.encode("utf-16-be"), ("张子涵", "周雨桐")),
    (ROSTER.replace("student,张子涵,\n", "student,张子涵,\n,,\n\n  \n").encode("gbk"), ("张子涵", "周雨桐")),
])
def test_roster_encodings_schools_export(config: Path, raw: bytes, students: tuple[str, ...]) -> None:
    (config / "classes" / "g3c2.csv").write_bytes(raw)
    loaded = load_config_dir(config)
    assert loaded.classes["g3c2"].roster.students == students


@pytest.mark.parametrize("raw", [
    ROSTER.encode("utf-8")[:-4],  # a UTF-8 file cut in the middle of 周雨桐
    ROSTER.encode("gbk")[:-3],  # a GBK file cut in the middle of 桐
    "\ufeff".encode("utf-16-le") + ROSTER.encode("utf-16-le")[:-1],  # odd number of UTF-16 bytes
    b"\xff\xff\xff\x81\x30",
    b"",
    b"\xef\xbb\xbf",
    ROSTER.encode("utf-16-le"),  # UTF-16 without its BOM
    ROSTER.encode("utf-32"),
])
def test_broken_roster_encodings_are_config_errors_naming_the_roster(config: Path, raw: bytes) -> None:
    (config / "classes" / "g3c2.csv").write_bytes(raw)
    file, where, message = only_problem(config)
    assert file.endswith("g3c2.toml") and where == "class.roster" and "g3c2.csv" in message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet="role,nam\nsubjctudh张子涵王芳语文\t，；\ufeff\x00",
                                         max_size=200).map(str.encode))
def test_any_roster_bytes_parse_or_raise_a_roster_error(raw: bytes) -> None:
    try:
        roster = parse_roster_text(decode_roster_bytes(raw, "x.csv"), "x.csv")
    except RosterError as exc:
        assert str(exc).startswith("x.csv")
        return
    assert all(name and "\x00" not in name for name in roster.students)


def test_a_roster_with_classic_mac_line_endings(config: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR; the reader raised csv.Error."""
    (config / "classes" / "g3c2.csv").write_bytes(ROSTER.replace("\n", "\r").encode("gbk"))
    assert load_config_dir(config).classes["g3c2"].roster.students == ("张子涵", "周雨桐")


def test_a_roster_cell_beyond_the_csv_field_limit(config: Path) -> None:
    (config / "classes" / "g3c2.csv").write_text(ROSTER + 'student,"' + "张" * 200_000 + '",\n', encoding="utf-8")
    file, where, message = only_problem(config)
    assert file.endswith("g3c2.toml") and where == "class.roster" and "g3c2.csv" in message and "CSV" in message


# --- secrets in error messages --------------------------------------------------------------

SECRET = "Zq9S3cretPw"


@pytest.mark.parametrize("url", [
    f"postgresql+asyncpg://postgres:{SECRET}@127.0.0.1:5432/test",
    f"postgresql://charter:{SECRET}@db.example.edu.cn/charter?search_path=g3",
    f"postgresql+asyncpg://charter@db/charter?password={SECRET}",
    f"postgresql+asyncpg://charter@db/charter?sslpassword={SECRET}&search_path=x",
    f"postgresql://charter:{SECRET}@db:notaport/charter",
    f"postgres:{SECRET}@nowhere",
    f"{SECRET}",
])
def test_database_urls_are_redacted(url: str) -> None:
    from plugins.charter.database import redacted

    shown = redacted(url)
    assert SECRET not in shown and shown


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=6, max_size=40).filter(lambda p: p.strip() == p and len(set(p)) > 3),
       st.sampled_from(["postgresql+asyncpg", "postgresql", "sqlite+aiosqlite"]))
def test_any_password_is_redacted(password: str, driver: str) -> None:
    from urllib.parse import quote

    from plugins.charter.database import redacted

    secret = "pw" + password
    shown = redacted(f"{driver}://charter:{quote(secret, safe='')}@127.0.0.1:5432/charter")
    assert secret not in shown and quote(secret, safe="") not in shown


def test_config_errors_do_not_repeat_secret_values(config: Path) -> None:
    """Values that fail validation are not echoed: a secret pasted in the wrong place stays out of the log."""
    text = EXAMPLE.replace('content = "on"', f'content = "{SECRET}"')
    text = text.replace('platform = "qq"', f'platform = "{SECRET}"')
    text = text.replace('name = "三年二班"', f'name = "三年二班"\ndatabase_url = "postgresql://u:{SECRET}@h/db"')
    write_class(config, text)
    write_class(config, EXAMPLE.replace('id = "g3c2"', 'id = "g3c9"').replace('"900001"', '"900009"')
                + f'\n[rules."content.flood"]\nrepeat = {{ password = "{SECRET}" }}\n', "g3c9.toml")
    with pytest.raises(ConfigError) as caught:
        load_config_dir(config)
    wheres = {where for _, where, _ in caught.value.problems}
    assert {"plugins.content", "groups.0.platform", "class.database_url", 'rules."content.flood".repeat'} <= wheres
    assert SECRET not in str(caught.value)
