"""Lets plugin packages be imported as plain libraries (CLI, pure tests) and still
register their matchers when NoneBot loads them."""

from __future__ import annotations

from nonebot.plugin import get_plugin_by_module_name


def loaded_by_nonebot(module_name: str) -> bool:
    """True while NoneBot's plugin loader is executing `module_name`."""
    plugin = get_plugin_by_module_name(module_name)
    return plugin is not None and plugin.module_name == module_name
