from nonebot.plugin import PluginMetadata

from .loading import loaded_by_nonebot

__plugin_meta__ = PluginMetadata(
    name="charter",
    description="班级群规机器人的核心：配置、班级、身份与角色、存储、处理流程与审计日志",
    usage="/help 查看命令；/charter 查看本群群规。",
    type="application",
    homepage="https://github.com/",
    supported_adapters={"~onebot.v11", "~onebot.v12", "adapters.wecom"},
)

if loaded_by_nonebot(__name__):
    from . import commands, entry, lifecycle  # noqa: F401  (register the matcher, commands and hooks)
