"""Accounts, for admins: add one, change its role, deactivate or reactivate it, set a new
password, log it out everywhere, assign people to IOM staff and revoke its API tokens.

Every change is written to the audit trail in the same unit of work as the change (the
entry is added first; the service's commit takes both, and a refusal takes neither). No
change may leave the service without an active admin.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.domain.errors import Duplicate, Invalid, NotFound
from bot.models import Account, AccountCreate, Role
from bot.services import accounts, audit, people
from bot.services.access import ROLE_NAMES, Can, need, people_of
from web.auth import CurrentAccount, begin_session
from web.deps import ClockDep, UowDep
from web.pages import notice
from web.templating import page

router = APIRouter()

ROLE_OPTIONS = [(role.value, ROLE_NAMES[role]) for role in Role]
LAST_ADMIN = (
    "This is the only active admin account. Add another admin first, so that someone "
    "can still manage accounts."
)


def password_error(password: str) -> str | None:
    """What is wrong with a new password, in the words the form shows, or None."""
    if not password:
        return f"Enter a password of {accounts.MIN_PASSWORD} characters or more"
    try:
        accounts.check_password(password)
    except Invalid:
        if len(password) < accounts.MIN_PASSWORD:
            return f"The password must be {accounts.MIN_PASSWORD} characters or more"
        if len(password) > accounts.MAX_PASSWORD:
            return f"The password must be {accounts.MAX_PASSWORD} characters or fewer"
        if password.strip() != password:
            return "The password cannot start or end with a space"
        return "That password is too common: it is in, or made from, lists of breached passwords"
    return None


def _role(value: str) -> Role | None:
    return Role(value) if value in {r.value for r in Role} else None


def _new_account_errors(email: str, name: str, role: str, password: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        AccountCreate(email=email, name=name)
    except ValidationError as error:
        wrong = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        if "email" in wrong:
            errors["email"] = "Enter an email address in the right format, like name@example.org"
        if "name" in wrong:
            errors["name"] = "Enter the name of the person who will use this account"
    if not email.strip():
        errors["email"] = "Enter an email address"
    if _role(role) is None:
        errors["role"] = "Choose a role from the list"
    wrong_password = password_error(password)
    if wrong_password:
        errors["password"] = wrong_password
    return errors


def _is_last_admin(session: Session, target: Account) -> bool:
    if target.role != Role.ADMIN or not target.active:
        return False
    admins = [a for a in accounts.all_accounts(session) if a.role == Role.ADMIN and a.active]
    return len(admins) <= 1


def _accounts_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "accounts": accounts.all_accounts(session),
        "role_names": ROLE_NAMES,
        "role_options": ROLE_OPTIONS,
        "form": form or {"email": "", "name": "", "role": Role.COACH.value},
        "errors": errors or {},
        "notice": notice.take(request),
        "title": "Accounts",
    }
    return page(request, "admin/accounts.html", context, status=422 if errors else 200)


def _account_page(
    request: Request,
    session: Session,
    admin: Account,
    target: Account,
    *,
    errors: dict[str, str] | None = None,
    ref: str = "",
) -> HTMLResponse:
    assert target.id is not None
    context = {
        "target": target,
        "role_names": ROLE_NAMES,
        "role_options": ROLE_OPTIONS,
        "tokens": accounts.tokens_of(session, target.id),
        "people": people_of(session, target) if target.role == Role.STAFF else [],
        "is_self": target.id == admin.id,
        "ref": ref,
        "errors": errors or {},
        "notice": notice.take(request),
        "title": target.name,
    }
    return page(request, "admin/account.html", context, status=422 if errors else 200)


def _target(session: Session, admin: Account, account_id: int) -> Account:
    need(admin, Can.ACCOUNTS)
    found = accounts.account(session, account_id)
    assert found.id is not None
    return found


def _done(request: Request, admin: Account, target: Account, text: str) -> RedirectResponse:
    """Back to the account's page; an admin who changed their own account keeps working
    in this browser (their other sessions have ended), unless the account was closed."""
    if target.id == admin.id:
        if not target.active:
            return RedirectResponse("/login", status_code=303)
        begin_session(request, target)
    notice.tell(request, text)
    if target.role != Role.ADMIN and target.id == admin.id:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/accounts/{target.id}", status_code=303)


@router.get("/accounts")
def account_list(request: Request, uow: UowDep, admin: CurrentAccount) -> HTMLResponse:
    need(admin, Can.ACCOUNTS)
    return _accounts_page(request, uow.session)


@router.post("/accounts", response_model=None)
def add_account(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    need(admin, Can.ACCOUNTS)
    errors = _new_account_errors(email, name, role, password)
    chosen = _role(role)
    if not errors and chosen is not None:
        try:
            created = accounts.add_account(
                uow, clock, email=email, name=name, role=chosen, password=password
            )
        except Duplicate:
            errors["email"] = "An account with this email address exists already"
        else:
            # The id is known only once the account is saved, so its entry follows at once.
            audit.record(uow.session, clock, admin.id, "account-add", _subject(created))
            notice.tell(request, f"The account is added. {created.name} can log in now.")
            return RedirectResponse(f"/accounts/{created.id}", status_code=303)
    form = {"email": email, "name": name, "role": role}
    return _accounts_page(request, uow.session, form=form, errors=errors)


def _subject(target: Account) -> str:
    return f"account {target.id}"


@router.get("/accounts/{account_id}")
def account_page(
    request: Request, uow: UowDep, admin: CurrentAccount, account_id: int
) -> HTMLResponse:
    target = _target(uow.session, admin, account_id)
    return _account_page(request, uow.session, admin, target)


@router.post("/accounts/{account_id}/role", response_model=None)
def change_role(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    target = _target(uow.session, admin, account_id)
    chosen = _role(role)
    if chosen is None:
        return _account_page(
            request, uow.session, admin, target, errors={"role": "Choose a role from the list"}
        )
    if chosen == target.role:
        notice.tell(request, f"The role was {ROLE_NAMES[chosen]} already. Nothing changed.")
        return RedirectResponse(f"/accounts/{target.id}", status_code=303)
    if _is_last_admin(uow.session, target):
        return _account_page(request, uow.session, admin, target, errors={"role": LAST_ADMIN})
    audit.record(uow.session, clock, admin.id, "role", _subject(target))
    accounts.update_account(uow, account_id, role=chosen)
    text = f"The role is now {ROLE_NAMES[chosen]}. The account's open sessions have ended."
    return _done(request, admin, target, text)


@router.post("/accounts/{account_id}/active", response_model=None)
def change_active(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    active: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    target = _target(uow.session, admin, account_id)
    if active not in {"yes", "no"}:
        errors = {"active": "Choose to deactivate or reactivate the account"}
        return _account_page(request, uow.session, admin, target, errors=errors)
    wanted = active == "yes"
    if wanted == target.active:
        notice.tell(request, "Nothing changed.")
        return RedirectResponse(f"/accounts/{target.id}", status_code=303)
    if not wanted and _is_last_admin(uow.session, target):
        return _account_page(request, uow.session, admin, target, errors={"active": LAST_ADMIN})
    action = "reactivate" if wanted else "deactivate"
    audit.record(uow.session, clock, admin.id, action, _subject(target))
    accounts.update_account(uow, account_id, active=wanted)
    text = (
        "The account is active again."
        if wanted
        else "The account is deactivated. It cannot log in or use its API tokens."
    )
    return _done(request, admin, target, text)


@router.post("/accounts/{account_id}/password", response_model=None)
def change_password(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    password: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    target = _target(uow.session, admin, account_id)
    wrong = password_error(password)
    if wrong:
        return _account_page(request, uow.session, admin, target, errors={"password": wrong})
    audit.record(uow.session, clock, admin.id, "password", _subject(target))
    accounts.set_password(uow, account_id, password)
    return _done(request, admin, target, "The new password is set. Open sessions have ended.")


@router.post("/accounts/{account_id}/logout", response_model=None)
def log_out_everywhere(
    request: Request, uow: UowDep, clock: ClockDep, admin: CurrentAccount, account_id: int
) -> Response:
    target = _target(uow.session, admin, account_id)
    audit.record(uow.session, clock, admin.id, "logout-all", _subject(target))
    accounts.end_sessions(uow, account_id)
    if target.id == admin.id:
        return RedirectResponse("/login", status_code=303)
    notice.tell(request, "Every session of the account has ended.")
    return RedirectResponse(f"/accounts/{target.id}", status_code=303)


@router.post("/accounts/{account_id}/people", response_model=None)
def assign_person(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    ref: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    target = _target(uow.session, admin, account_id)
    assert target.id is not None
    error = None
    if target.role != Role.STAFF:
        error = "Only IOM staff accounts are assigned people"
    elif not ref.strip():
        error = "Enter a case reference, like IOM-0042"
    if error:
        return _account_page(request, uow.session, admin, target, errors={"ref": error}, ref=ref)
    try:
        person = people.person_by_ref(uow.session, ref)
    except NotFound:
        error = f"No person has the case reference {ref.strip().upper()}"
        return _account_page(request, uow.session, admin, target, errors={"ref": error}, ref=ref)
    assert person.id is not None
    if person.id in accounts.assigned_people(uow.session, target.id):
        notice.tell(request, f"{person.ref} was assigned already. Nothing changed.")
        return RedirectResponse(f"/accounts/{target.id}", status_code=303)
    subject = f"staff {target.id}"
    audit.record(uow.session, clock, admin.id, "assign", subject, person_id=person.id)
    accounts.assign(uow, clock, target.id, person.id)
    notice.tell(request, f"{target.name} now sees {person.ref}.")
    return RedirectResponse(f"/accounts/{target.id}", status_code=303)


@router.post("/accounts/{account_id}/people/{person_id}/remove", response_model=None)
def unassign_person(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    person_id: int,
) -> Response:
    target = _target(uow.session, admin, account_id)
    assert target.id is not None
    if person_id not in accounts.assigned_people(uow.session, target.id):
        raise NotFound("that person is not assigned to this account")
    subject = f"staff {target.id}"
    audit.record(uow.session, clock, admin.id, "unassign", subject, person_id=person_id)
    accounts.unassign(uow, target.id, person_id)
    notice.tell(request, f"{target.name} no longer sees that person.")
    return RedirectResponse(f"/accounts/{target.id}", status_code=303)


@router.post("/accounts/{account_id}/tokens/{token_id}/revoke", response_model=None)
def revoke_token(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    admin: CurrentAccount,
    account_id: int,
    token_id: int,
) -> Response:
    target = _target(uow.session, admin, account_id)
    audit.record(uow.session, clock, admin.id, "token-revoke", f"token {token_id}")
    accounts.revoke_token(uow, clock, token_id, account_id)  # 404 unless theirs
    notice.tell(request, "The token is revoked. It no longer works.")
    return RedirectResponse(f"/accounts/{target.id}", status_code=303)
