"""Where policy plugins plug into the pipeline.

A policy turns a message into findings. It is pure and synchronous: it reads the
message, the member and the class's configuration, and keeps only bounded
in-memory state (flood windows). Policies are prepared once per configuration
load, so no per-message work repeats what loading can do.
"""

from __future__ import annotations

from typing import Protocol

from .config import ClassConfig, LoadedConfig
from .model import Finding, IncomingMessage


class Policy(Protocol):
    plugin: str  # membership | content | timing | escalation

    def prepare(self, config: LoadedConfig) -> None:
        """Called after every (re)load of the configuration."""

    def check(self, message: IncomingMessage, class_config: ClassConfig) -> list[Finding]: ...


_POLICIES: dict[str, Policy] = {}


def register_policy(name: str, policy: Policy) -> None:
    _POLICIES[name] = policy


def policies() -> list[Policy]:
    return list(_POLICIES.values())


def prepare_all(config: LoadedConfig) -> None:
    for policy in _POLICIES.values():
        policy.prepare(config)
