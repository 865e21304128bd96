from nonebot.plugin import PluginMetadata

from plugins.charter.loading import loaded_by_nonebot

__plugin_meta__ = PluginMetadata(
    name="charter-timing",
    description="timing.* rules of the class-group charter",
    usage="规则见 /charter；管理员用 /plugin timing on|off|shadow 切换；/notice 发布需回执的通知。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)

if loaded_by_nonebot(__name__):
    from . import handlers, notice  # noqa: F401  (registers listeners, timer handlers and /notice)
