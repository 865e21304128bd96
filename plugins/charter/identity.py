"""Who is speaking: role and person for an account in a class.

Staff come from the class file. Everyone else is a parent when their display name
maps to the roster, otherwise unknown. The person key links one person's accounts
across the class's platforms, so strikes count per person; the membership plugin
provides the roster-based resolver, and without it each account is its own person.
"""

from __future__ import annotations

from collections.abc import Callable

from .config import ClassConfig
from .model import Account, Member, Role

# (class, display name) -> roster person key such as "guardian:张子涵:妈妈", or None
PersonResolver = Callable[[ClassConfig, str], str | None]

_resolver: PersonResolver | None = None


def set_person_resolver(resolver: PersonResolver | None) -> None:
    global _resolver
    _resolver = resolver


def is_superuser(account: Account, superusers: frozenset[str]) -> bool:
    return account.user_id in superusers or account.key in superusers


def resolve_member(cls: ClassConfig, account: Account, display_name: str, superusers: frozenset[str]) -> Member:
    staff_role = cls.role_of(account)
    person = _resolver(cls, display_name) if _resolver and display_name else None
    if staff_role is not None:
        return Member(account, display_name, staff_role, f"staff:{account.key}", is_superuser(account, superusers))
    role = Role.PARENT if person else Role.UNKNOWN
    return Member(account, display_name, role, person or f"account:{account.key}", is_superuser(account, superusers))
