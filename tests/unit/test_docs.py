"""The documentation's examples are run: class-file TOML is loaded, shell examples are executed,
commands exist, settings are known, and the generated parameter tables are current."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from plugins.charter.catalogue import ACTIONS, RULES
from plugins.charter.cli import main
from plugins.charter.commands import COMMANDS
from plugins.charter.config import load_class_file
from plugins.charter.runtime import config_dir_from_env
from tools.docgen import CLASS_FILE_DOC, generated_section, render_parameters

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "class-file.md", ROOT / "docs" / "commands.md",
        ROOT / "docs" / "platforms" / "qq.md"]
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.S | re.M)
CLASS_HEADER = """[class]
id = "docs"
name = "文档示例"
charter = "school-full"
roster = "g3c2.csv"

[[groups]]
platform = "qq"
group_id = "990001"

[staff]
head_teacher = ["qq:10002"]

"""
KNOWN_SETTINGS = {"HOST", "PORT", "ONEBOT_ACCESS_TOKEN", "SUPERUSERS", "COMMAND_START", "DRIVER",
                  "CHARTERBOT_CONFIG_DIR", "CHARTERBOT_DATABASE_URL", "LOG_LEVEL"}


def blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for match in FENCE.finditer(doc.read_text(encoding="utf-8")):
            if match.group(2) == language:
                body = "\n".join(line[len(match.group(1)):] for line in match.group(3).splitlines())
                found.append((f"{doc.relative_to(ROOT)}", body))
    return found


def test_the_docs_have_examples_of_every_kind() -> None:
    assert len(blocks("toml")) >= 6 and len(blocks("sh")) >= 3 and len(blocks("text")) >= 5
    assert blocks("dotenv")


@pytest.mark.parametrize(("doc", "body"), blocks("toml"), ids=lambda v: v if v.endswith(".md") else "")
def test_every_toml_example_loads_as_a_class_file(doc: str, body: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(config_dir_from_env(), config)
    text = body if "[class]" in body else CLASS_HEADER + body
    path = config / "classes" / "docs-example.toml"
    path.write_text(text, encoding="utf-8")
    cls = load_class_file(path, config)  # raises ConfigError, naming the field, on a bad example
    for table in re.findall(r'^\[rules\."([\w.]+)"\]', body, re.M):
        assert table in cls.rules


@pytest.mark.parametrize(("doc", "body"), blocks("sh"), ids=lambda v: v if v.endswith(".md") else "")
def test_every_shell_example_runs(doc: str, body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # reports are written here, not into the repository
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line)
        if words[0] == "bash":  # the README's set-up scripts: they exist and parse (running them is CI's job)
            script = ROOT / words[1]
            assert script.is_file(), f"{doc}: {line}"
            assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0, line
            continue
        assert words[0] == "charterbot" and words[1] != "run", f"{doc}: only runnable examples in sh blocks: {line}"
        args = [str(ROOT / w) if (ROOT / w).exists() and not w.startswith("-") else w for w in words[1:]]
        assert main(args) == 0, f"{doc}: {line}\n{capsys.readouterr()}"
        printed = capsys.readouterr().out
        if words[1] == "replay":
            out = words[words.index("-o") + 1]
            assert (tmp_path / out).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
            assert "would have flagged" in printed
        if words[1] == "check":
            assert printed.rstrip().splitlines()[-1].startswith("ok:")


def test_every_command_example_names_a_command() -> None:
    names = {spec.name for spec in COMMANDS.values()} | {spec.alias for spec in COMMANDS.values()}
    lines = [line for _, body in blocks("text") for line in body.splitlines() if line.startswith("/")]
    assert len(lines) >= 20
    for line in lines:
        assert line[1:].split()[0] in names, line


def test_the_command_table_lists_exactly_the_registered_commands() -> None:
    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `/(\w+)[^`]*` \| `/(\w+)`", doc, re.M)
    assert {name for name, _ in rows} == set(COMMANDS)
    for name, alias in rows:
        assert COMMANDS[name].alias == alias


def test_settings_examples_use_known_settings() -> None:
    for doc, body in blocks("dotenv"):
        for line in body.splitlines():
            key, _, value = line.partition("=")
            assert key in KNOWN_SETTINGS, f"{doc}: {line}"
            if key == "SUPERUSERS":
                assert isinstance(json.loads(value), list)


def test_the_parameter_tables_are_generated_from_the_catalogue_and_defaults() -> None:
    page = CLASS_FILE_DOC.read_text(encoding="utf-8")
    assert generated_section(page) == render_parameters(), "run: python -m tools.docgen"
    tables = render_parameters()
    for rule_id, settings in RULES.items():
        assert f"### `{rule_id}`" in tables
        for field in settings.model_fields:
            assert re.search(rf"^\| `{field}` \| .+ \| \S.* \|$", tables, re.M), (rule_id, field)


def test_the_actions_table_lists_every_action() -> None:
    page = CLASS_FILE_DOC.read_text(encoding="utf-8")
    section = page.split("### Actions", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^\| `(\w+)` \|", section, re.M)) == set(ACTIONS)
