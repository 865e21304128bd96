"""The real bot (bot.py) as a child process on a free local port, with its own config and database.

Used by `charterbot demo` and by the end-to-end tests (tests/e2e/harness.py): the
process is started exactly as an administrator starts it, with settings in the
environment, and stopped with SIGTERM so its shutdown hooks run.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts_connections(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def make_config(base: Path, extra_classes: dict[str, str] | None = None,
                rosters: dict[str, str] | None = None, *, shipped_classes: bool = True) -> Path:
    """A copy of the shipped config/ under `base`, plus the given class files and rosters."""
    config = base / "config"
    ignore = shutil.ignore_patterns("classes") if not shipped_classes else None
    shutil.copytree(ROOT / "config", config, dirs_exist_ok=True, ignore=ignore)
    (config / "classes").mkdir(exist_ok=True)
    for name, text in (extra_classes or {}).items():
        (config / "classes" / name).write_text(text, encoding="utf-8")
    for name, text in (rosters or {}).items():
        (config / "classes" / name).write_text(text, encoding="utf-8")
    return config


@dataclass
class BotProcess:
    home: Path
    config_dir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    env_extra: dict[str, str] = field(default_factory=dict)
    access_token: str = field(default_factory=lambda: secrets.token_hex(16))
    log_level: str = "INFO"
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def v11_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/onebot/v11/ws"

    @property
    def v12_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/onebot/v12/ws"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CHARTERBOT_", "PYTEST_"))}
        env.update({
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "DRIVER": "~fastapi+~httpx+~websockets",
            "ONEBOT_ACCESS_TOKEN": self.access_token,
            "SUPERUSERS": '["10001"]',
            "COMMAND_START": '["/"]',
            "LOG_LEVEL": self.log_level,
            "CHARTERBOT_CONFIG_DIR": str(self.config_dir),
            "CHARTERBOT_DATABASE_URL": self.database_url,
            "LOCALSTORE_DATA_DIR": str(self.home / "data"),
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env_extra)
        return env

    def start(self, timeout: float = 120.0) -> None:
        # the bot runs in `home`, so a .env file in the caller's directory does not leak in
        self.log_path = self.home / f"bot-{int(time.time() * 1000)}.log"
        log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "bot.py")], cwd=self.home, env=self.env(),
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            # uvicorn logs "startup complete" before it binds the port, so wait for the port too
            if "Application startup complete" in self.log() and accepts_connections(self.port):
                return
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"bot did not start within {timeout}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""
