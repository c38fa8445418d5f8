"""The embedded run as people meet it: one address in front of every service, stable across restarts."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest

from fakes.smtp import read_mail_dir
from shared.config import SERVICES
from shared.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from shared.launcher import System
from tests.auth import access_token
from tests.e2e.test_walking_skeleton import TENANT, a_request
from tests.integration.helpers import wait_until
from tests.integration.intake_support import a_pdf

pytestmark = pytest.mark.timeout(300)


class Embedded:
    """What `scripts/run` starts, on its own data folder, so it can be stopped and started again."""

    def __init__(self, data: Path, port: int):
        self.data, self.port, self.system, self.servers = data, port, None, []

    def start(self) -> System:
        nats = EmbeddedNats(self.data / "nats", accounts=True).start()
        nats.prepare_public_stream()
        postgres = EmbeddedPostgres(self.data / "postgres").start()
        self.servers = [nats, postgres]
        self.system = System(
            nats.url,
            postgres.url,
            self.data / "logs",
            session_secret="kept-across-restarts",
            nats_passwords=nats.passwords,
            gateway_port=self.port,
        )
        self.system.start()
        return self.system

    def stop(self) -> None:
        if self.system:
            self.system.stop()
        for server in reversed(self.servers):
            server.stop()


@pytest.fixture
def embedded():
    data = Path(tempfile.mkdtemp(prefix="vidcon-one-address-"))
    run = Embedded(data, free_port())
    yield run
    run.stop()
    shutil.rmtree(data, ignore_errors=True)


async def submit_through(address: str, issuer: str) -> str:
    headers = {"Authorization": f"Bearer {await access_token(issuer, f'requester@{TENANT}')}"}
    async with httpx.AsyncClient(base_url=address, headers=headers, timeout=30) as http:
        letter = await http.post(
            f"/api/{TENANT}/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", a_pdf(), "application/pdf")},
        )
        assert letter.status_code == 201, letter.text
        submitted = await http.post(f"/api/{TENANT}/requests", json=a_request(letter=letter.json()["document_ref"]))
    assert submitted.status_code == 201, submitted.text
    return submitted.json()["tracking_code"]


def tracking_link_in_mail(mail_dir: Path, address: str, code: str) -> str | None:
    for mail in read_mail_dir(str(mail_dir)):
        found = re.search(rf"{re.escape(address)}/t/{TENANT}/lacak/{code}\b", mail.get_content())
        if found:
            return found.group(0)
    return None


def test_every_service_answers_at_the_one_address(embedded):
    system = embedded.start()
    start = httpx.get(f"{system.address}/")
    assert start.status_code == 200 and f'href="/t/{TENANT}/ajukan"' in start.text
    links = set(re.findall(r'href="([^"]+)"', start.text))
    assert f"{system.address}/t/{TENANT}/pengaduan" in links, "the complaints page is linked at the same address"
    for service in SERVICES:
        assert httpx.get(f"{system.address}/layanan/{service}/readyz").status_code == 200, service
    assert httpx.get(f"{system.address}/t/{TENANT}/pengaduan").status_code == 200
    signing_in = httpx.get(f"{system.address}/login")
    callback = quote(f"{system.address}/auth/callback", safe="")
    assert signing_in.status_code == 302 and f"redirect_uri={callback}" in signing_in.headers["location"]


async def test_a_tracking_link_mailed_before_a_restart_opens_after_it(embedded):
    system = await asyncio.to_thread(embedded.start)
    address = system.address
    code = await submit_through(address, system.oidc_issuer)

    async def mailed():
        return tracking_link_in_mail(Path(system.extra_env["MAIL_DIR"]), address, code)

    link = await wait_until(mailed, timeout=60)

    await asyncio.to_thread(embedded.stop)
    assert not _reachable(link), "everything was stopped"
    await asyncio.to_thread(embedded.start)

    page = httpx.get(link)
    assert page.status_code == 200 and code in page.text


def _reachable(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
        return True
    except httpx.HTTPError:
        return False
