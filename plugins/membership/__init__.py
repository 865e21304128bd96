from nonebot.plugin import PluginMetadata

__plugin_meta__ = PluginMetadata(
    name="charter-membership",
    description="membership.* rules of the class-group charter",
    usage="规则见 /charter；管理员用 /plugin membership on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)
