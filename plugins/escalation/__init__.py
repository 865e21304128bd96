from nonebot.plugin import PluginMetadata

__plugin_meta__ = PluginMetadata(
    name="charter-escalation",
    description="escalation.* rules of the class-group charter",
    usage="规则见 /charter；管理员用 /plugin escalation on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)
