from nonebot.plugin import PluginMetadata

__plugin_meta__ = PluginMetadata(
    name="charter-timing",
    description="timing.* rules of the class-group charter",
    usage="规则见 /charter；管理员用 /plugin timing on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)
