"""WeCom settings, read from NoneBot's config (``.env`` files or the environment).

Two independent parts, each switched on by its own settings:
- the self-built app: ``WECOM_CORP_ID``, ``WECOM_TOKEN``, ``WECOM_ENCODING_AES_KEY``
  (callbacks at ``/wecom/app``), ``WECOM_AGENT_ID`` and ``WECOM_SECRET`` (API calls);
- the intelligent robot: ``WECOM_BOT_TOKEN`` and ``WECOM_BOT_ENCODING_AES_KEY``
  (callbacks at ``/wecom/bot``), or ``WECOM_BOT_ID`` and ``WECOM_BOT_SECRET`` for the
  long-connection mode (``WECOM_BOT_WS_URL``).
Secrets are ``SecretStr``: they print as ``**********``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_API_BASE = "https://qyapi.weixin.qq.com"
DEFAULT_WS_URL = "wss://openws.work.weixin.qq.com"


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


class WeComConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    wecom_corp_id: str = ""
    wecom_token: SecretStr | None = None
    wecom_encoding_aes_key: SecretStr | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None

    wecom_bot_token: SecretStr | None = None
    wecom_bot_encoding_aes_key: SecretStr | None = None
    # WeCom documents the robot's receive id as the empty string.
    wecom_bot_receive_id: str = ""
    wecom_bot_id: str = ""
    wecom_bot_secret: SecretStr | None = None
    wecom_bot_ws_url: str = DEFAULT_WS_URL
    wecom_bot_heartbeat_s: float = 30.0
    wecom_bot_reconnect_max_s: float = 60.0

    # group robot webhooks for notices, by customer group chat id
    wecom_webhook_keys: dict[str, SecretStr] = Field(default_factory=dict)

    wecom_api_base: str = DEFAULT_API_BASE
    wecom_api_timeout_s: float = 10.0
    wecom_callback_max_age_s: float = 300.0

    @property
    def app_callback_enabled(self) -> bool:
        return bool(self.wecom_corp_id and _secret(self.wecom_token) and _secret(self.wecom_encoding_aes_key))

    @property
    def app_api_enabled(self) -> bool:
        return bool(self.wecom_corp_id and _secret(self.wecom_secret))

    @property
    def bot_callback_enabled(self) -> bool:
        return bool(_secret(self.wecom_bot_token) and _secret(self.wecom_bot_encoding_aes_key))

    @property
    def bot_ws_enabled(self) -> bool:
        return bool(self.wecom_bot_id and _secret(self.wecom_bot_secret))

    @property
    def enabled(self) -> bool:
        return self.app_callback_enabled or self.app_api_enabled or self.bot_callback_enabled or self.bot_ws_enabled

    def secrets(self) -> list[str]:
        """Every secret value, for redaction of logs and error messages."""
        values = [
            self.wecom_token, self.wecom_encoding_aes_key, self.wecom_secret,
            self.wecom_bot_token, self.wecom_bot_encoding_aes_key, self.wecom_bot_secret,
            *self.wecom_webhook_keys.values(),
        ]
        return [s for s in map(_secret, values) if s]


def load_config(source: Any) -> WeComConfig:
    """Settings from a NoneBot ``Config`` (or any mapping of lowercase names).

    NoneBot's global config holds undeclared settings only when they come from
    ``.env`` files; like ``nonebot.get_plugin_config``, this also reads the
    ``WECOM_*`` environment variables (``.env`` and explicit settings win), so a
    deployment can pass its secrets in the environment.
    """
    if isinstance(source, dict):
        data = source
    else:
        from nonebot.compat import model_dump
        from nonebot.config import BaseSettings

        data = BaseSettings._settings_build_values(
            WeComConfig, model_dump(source),
            env_file=getattr(source, "_env_file", None),
            env_file_encoding=getattr(source, "_env_file_encoding", None) or "utf-8",
            env_nested_delimiter=getattr(source, "_env_nested_delimiter", None),
        )
    return WeComConfig.model_validate({k.lower(): v for k, v in data.items()})


def load_config_from_env(env_file: str | None = ".env") -> WeComConfig:
    """Settings outside a running bot (the command line): the environment, then ``.env``."""
    from nonebot.config import BaseSettings

    return WeComConfig.model_validate(BaseSettings._settings_build_values(
        WeComConfig, {}, env_file=env_file, env_file_encoding="utf-8", env_nested_delimiter=None,
    ))
