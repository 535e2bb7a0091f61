"""Demo identities: the administrator and one user per default staff role."""

from __future__ import annotations

from sqlalchemy.orm import Session

from omnicrm.auth import passwords, service

DEMO_PASSWORD = "Demo123!"
DEMO_STAFF = [
    ("support@omnicrm.demo", "Sam", "Support", "Support"),
    ("finance@omnicrm.demo", "Fran", "Finance", "Finance"),
    ("provisioning@omnicrm.demo", "Pat", "Provisioning", "Provisioning"),
    ("cbc@omnicrm.demo", "Cass", "Broadcast", "CBC Operator"),
]


def ensure_admin(session: Session, *, email: str, password: str, username: str | None = None,
                 reset_password: bool = False) -> bool:
    """Create the administrator if missing. Returns True when it was created."""
    user = service.find_user_by_email(session, email)
    if user is not None:
        if reset_password:
            service.ensure_password_acceptable(password)
            user.password_hash = passwords.hash_password(password)
            user.deleted_at = None
        if "Admin" not in user.role_names:
            user.roles = [*user.roles, *service.roles_by_name(session, ["Admin"])]
        return False
    service.create_user(session, email=email, password=password, username=username or email.split("@")[0],
                        first_name="Admin", last_name="User", roles=["Admin"], email_verified=True)
    return True


def seed_staff(session: Session) -> list[str]:
    created = []
    for email, first, last, role in DEMO_STAFF:
        if service.find_user_by_email(session, email) is None:
            service.create_user(session, email=email, password=DEMO_PASSWORD, username=email.split("@")[0],
                                first_name=first, last_name=last, roles=[role], email_verified=True)
            created.append(f"user {email} / {DEMO_PASSWORD} ({role})")
    return created
