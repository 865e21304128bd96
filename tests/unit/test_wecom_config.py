"""WeCom settings: from explicit config, from .env-style config, and from the environment."""

from __future__ import annotations

import pytest

from adapters.wecom.config import load_config
from tests.wecom_fake.harness import make_driver


def test_environment_variables_are_read_like_nonebot_plugin_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # NoneBot keeps undeclared settings from the environment out of driver.config;
    # a deployment that passes WECOM_* only as environment variables must still work.
    monkeypatch.setenv("WECOM_CORP_ID", "wwenvcorp")
    monkeypatch.setenv("WECOM_SECRET", "secret-from-env")
    monkeypatch.setenv("WECOM_AGENT_ID", "1000002")
    monkeypatch.setenv("WECOM_WEBHOOK_KEYS", '{"wrChatA": "hook-key-a"}')
    monkeypatch.setenv("WECOM_TOKEN", "token-from-env")
    driver = make_driver(wecom_token="token-explicit")
    config = load_config(driver.config)
    assert config.wecom_corp_id == "wwenvcorp" and config.app_api_enabled
    assert config.wecom_agent_id == 1000002
    assert config.wecom_webhook_keys["wrChatA"].get_secret_value() == "hook-key-a"
    assert config.wecom_token is not None and config.wecom_token.get_secret_value() == "token-explicit"
    assert "secret-from-env" not in repr(config)


def test_nothing_configured_means_nothing_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_BOT_ID", "WECOM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(make_driver().config)
    assert not config.enabled and config.secrets() == []
