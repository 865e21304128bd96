from nonebot.plugin import PluginMetadata

from plugins.charter.loading import loaded_by_nonebot

__plugin_meta__ = PluginMetadata(
    name="charter-escalation",
    description="escalation.* 规则：三步处理、教师不受处罚、逐级上报、严重违规、平台做不到时的人工指引",
    usage="/strikes、/pardon、/warn、/confirm、/reject、/log；管理员用 /plugin escalation on|off|shadow 切换。",
    type="application",
    homepage="https://github.com/",
    supported_adapters=None,
)

if loaded_by_nonebot(__name__):
    from . import chain  # noqa: F401  (registers the chain timer and decision expiry)
    from . import report  # noqa: F401  (/weekly and the Monday report to the head teacher)
