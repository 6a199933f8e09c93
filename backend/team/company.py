"""The company itself: its name, which only Owners change."""

from __future__ import annotations

from backend.accounts.tables import Company
from backend.activity.service import record_activity
from backend.auth import Principal
from backend.db import write_transaction
from backend.errors import FieldErrors
from backend.rows import present
from backend.validation import clean_name
from shared.accounts import CompanyPublic, CompanyRename
from shared.activity import ActivityKind


async def rename_company(principal: Principal, data: CompanyRename) -> CompanyPublic:
    """Give the caller's company a new name (its routes let only Owners); the activity log keeps the old one."""
    errors = FieldErrors()
    name = clean_name(data.name, errors, "name", "Company name")
    errors.raise_if_any()
    async with write_transaction():
        old = present(
            await Company.select(Company.name).where(Company.id == principal.company_id).first(), "the company"
        )
        if old["name"] != name:
            await Company.update({Company.name: name}).where(Company.id == principal.company_id)
            await record_activity(principal, ActivityKind.COMPANY_RENAMED, name, f"Was {old['name']}")
    return CompanyPublic(id=principal.company_id, name=name)
