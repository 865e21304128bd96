from nonebot.plugin import PluginMetadata

from plugins.charter.loading import loaded_by_nonebot

__plugin_meta__ = PluginMetadata(
    name="charter-membership",
    description="membership.* rules of the class-group charter",
    usage="规则见 /charter；成员核查 /audit；管理员用 /plugin membership on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)

if loaded_by_nonebot(__name__):
    from plugins.charter.identity import set_person_resolver

    from . import events, names, sweep  # noqa: F401  (register listeners, timers and /audit)
    from .identity import class_person_key

    # strikes count per roster person, across the class's platforms
    set_person_resolver(class_person_key)
