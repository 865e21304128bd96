from nonebot.plugin import PluginMetadata

from plugins.charter.loading import loaded_by_nonebot

__plugin_meta__ = PluginMetadata(
    name="charter-content",
    description="content.* 规则：刷屏、链接、广告、不文明用语、违法内容、学生隐私、请假、无需回复、闲聊、保密信息",
    usage="规则见 /charter；管理员用 /plugin content on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)

if loaded_by_nonebot(__name__):
    from plugins.charter.policies import register_policy

    from .policy import ContentPolicy

    register_policy("content", ContentPolicy())
