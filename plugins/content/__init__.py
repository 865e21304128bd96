from nonebot.plugin import PluginMetadata

__plugin_meta__ = PluginMetadata(
    name="charter-content",
    description="content.* rules of the class-group charter",
    usage="规则见 /charter；管理员用 /plugin content on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)
