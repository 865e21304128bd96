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


# The members of the last messages, by (class, platform, account, display name): the
# same members write all day, and each answer takes a staff lookup, a person key and a
# new Member. An answer is used only for the very class object (a reload makes new
# ones) and superuser set it was made for; bounded, dropped whole when full.
MEMBERS_KEPT = 10_000
_members: dict[tuple[str, str, str, str], tuple[ClassConfig, frozenset[str], Member]] = {}


def set_person_resolver(resolver: PersonResolver | None) -> None:
    global _resolver
    _resolver = resolver
    _members.clear()


def is_superuser(account: Account, superusers: frozenset[str]) -> bool:
    return account.user_id in superusers or account.key in superusers


def resolve_member(cls: ClassConfig, account: Account, display_name: str, superusers: frozenset[str]) -> Member:
    staff_role = cls.role_of(account)
    person = _resolver(cls, display_name) if _resolver and display_name else None
    if staff_role is not None:
        return Member(account, display_name, staff_role, f"staff:{account.key}", is_superuser(account, superusers))
    role = Role.PARENT if person else Role.UNKNOWN
    return Member(account, display_name, role, person or f"account:{account.key}", is_superuser(account, superusers))


def member_of(cls: ClassConfig, platform: str, user_id: str, display_name: str,
              superusers: frozenset[str]) -> Member:
    """`resolve_member` for the sender of a message, answered from the members kept."""
    key = (cls.id, platform, user_id, display_name)
    kept = _members.get(key)
    if kept is not None and kept[0] is cls and kept[1] is superusers:
        return kept[2]
    member = resolve_member(cls, Account(platform, user_id), display_name, superusers)
    if len(_members) >= MEMBERS_KEPT:
        _members.clear()
    _members[key] = (cls, superusers, member)
    return member
