"""Flow 1 benchmark: queue 10,000 personal invitations through the service layer on SQLite (target <= 5 s).

`queue_invitations` writes for each person what `invite_contact` writes (contact, tags, invitation
token, history line, rendered email in the outbox), all in one transaction. For scale, the same run also
times `invite_contact` one by one (one transaction per person, as the Invite form does) on a sample.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "10000"))
TARGET_SECONDS = 5.0
SINGLES = 200


async def _run() -> float:
    from backend.accounts.service import authenticate, sign_up
    from backend.contacts.service import ContactFields
    from backend.contacts.tables import Contact
    from backend.db import write_transaction
    from backend.email.tables import OutboxEmail
    from backend.invitations.service import invite_contact, queue_invitations
    from backend.invitations.writes import PreparedInvite
    from shared.accounts import SignupCreate
    from shared.invitations import InviteCreate

    session = await sign_up(
        SignupCreate(
            company_name="Bench Co", name="Bench User", email="bench@invites.example", password="bench-password-1"
        )
    )
    principal = await authenticate(session.token)
    invites = [
        PreparedInvite(
            fields=ContactFields(
                name=f"Person {i}",
                email=f"person{i}@example.com",
                tags=["python", f"team-{i % 50}"],
                links=[],
                notes="",
            ),
            message="We'd love to work with you again.",
        )
        for i in range(INVITATIONS)
    ]
    started = time.perf_counter()
    async with write_transaction():
        await queue_invitations(principal, invites)
    elapsed = time.perf_counter() - started
    assert await Contact.count() == INVITATIONS
    assert await OutboxEmail.count() == INVITATIONS
    singles = [InviteCreate(name=f"Single {i}", email=f"single{i}@example.com", tags=["go"]) for i in range(SINGLES)]
    started = time.perf_counter()
    for invite in singles:
        await invite_contact(principal, invite)
    per_single = (time.perf_counter() - started) / SINGLES
    return elapsed, per_single


def main() -> int:
    """Migrate a fresh SQLite file, queue the invitations, print the time."""
    work = Path(tempfile.mkdtemp(prefix="tp-bench-invites-"))
    url = f"sqlite:///{work / 'bench.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, check=True, capture_output=True)
    os.environ["DATABASE_URL"] = url
    elapsed, per_single = asyncio.run(_run())
    verdict = "ok" if elapsed <= TARGET_SECONDS else "over target"
    print(
        f"queue {INVITATIONS:,} invitations via queue_invitations on SQLite: {elapsed:.2f} s "
        f"({INVITATIONS / elapsed:,.0f}/s; target <= {TARGET_SECONDS:.0f} s)   {verdict}"
    )
    print(f"one invite_contact (one transaction, as the Invite form): {per_single * 1000:.1f} ms each over {SINGLES}")
    shutil.rmtree(work, ignore_errors=True)  # kept only when a step failed
    return 0


if __name__ == "__main__":
    sys.exit(main())
