"""An SOP changed in the YAML applies to new requests; a case opened before follows the version it was opened with."""

from __future__ import annotations

import shutil
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml

from approval.bootstrap import SPEC
from approval.entrypoints.consumers import consumers
from approval.service_layer.profiles import keep_current
from shared.config import REPO_ROOT, Settings
from shared.domain import DomainRuleBroken
from shared.runtime import service_app
from shared.tenants import Role, load_tenants
from tests.auth import browser_login
from tests.integration.test_approval_scenarios import Desk, approval_pool  # noqa: F401  (fixture)

WITA = ZoneInfo("Asia/Makassar")
FRIDAY = lambda hour, minute=0: datetime(2026, 11, 27, hour, minute, tzinfo=WITA)  # noqa: E731
APPROVAL = "http://approval"
KADIS, KABID = Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION


@pytest.fixture
def tenant_dirs(tmp_path):
    """Today's profiles, and a copy where Kaltara dropped the Kepala Dinas' step and renamed the Kepala Bidang's."""
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(REPO_ROOT / "tenants", before)
    shutil.copytree(REPO_ROOT / "tenants", after)
    kaltara = yaml.safe_load((after / "kaltara.yaml").read_text(encoding="utf-8"))
    kabid = kaltara["approval_steps"][1]
    kaltara["approval_steps"] = [
        {
            **kabid,
            "id": "forward_to_technical_team",
            "name": "Kepala Bidang meneruskan permohonan langsung kepada tim teknis",
        }
    ]
    (after / "kaltara.yaml").write_text(yaml.safe_dump(kaltara, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return before, after


class VersionedDesk(Desk):
    """Kaltara's approval desk as a service started with the profiles of `tenants_dir`."""

    def __init__(self, pool, tenants_dir):
        tenants = load_tenants(tenants_dir)
        self.pool, self.profile, self.sequence = pool, tenants["kaltara"], 0
        self.consumer = consumers(SimpleNamespace(tenant=tenants.__getitem__))[0]


async def test_open_cases_keep_their_steps_after_the_sop_changes_and_new_requests_follow_the_new_ones(
    approval_pool, tenant_dirs
):
    before, after = tenant_dirs
    old = VersionedDesk(approval_pool, before)
    waiting_for_kadis = await old.submit(FRIDAY(9))
    with_kabid = await old.submit(FRIDAY(9))
    await old.act(with_kabid, "dispose", "kadis", KADIS, FRIDAY(9, 30), addressee="kabid-aptika")

    new = VersionedDesk(approval_pool, after)  # restarted with the changed YAML
    fresh = await new.submit(FRIDAY(10))

    [kadis_waits] = await new.inbox(KADIS, FRIDAY(10))
    assert (kadis_waits["request_id"], kadis_waits["step"]) == (waiting_for_kadis, "dispose_to_head_of_division")
    assert {item["request_id"]: item["step"] for item in await new.inbox(KABID, FRIDAY(10))} == {
        with_kabid: "dispose_to_technical_team",
        fresh: "forward_to_technical_team",
    }
    with pytest.raises(DomainRuleBroken) as not_kadis:
        await new.act(fresh, "dispose", "kadis", KADIS, FRIDAY(10, 5), addressee="kabid-aptika")
    assert not_kadis.value.status == 403

    await new.act(waiting_for_kadis, "dispose", "kadis", KADIS, FRIDAY(10, 10), addressee="kabid-aptika")
    for request_id, minute in ((waiting_for_kadis, 20), (with_kabid, 30), (fresh, 40)):
        await new.act(request_id, "approve", "kabid-aptika", KABID, FRIDAY(10, minute), addressee="tim-teknis-1")

    steps = {
        request_id: [event.timing.step for event in await new.events(request_id)]
        for request_id in (waiting_for_kadis, with_kabid, fresh)
    }
    assert steps == {
        waiting_for_kadis: ["dispose_to_head_of_division", "dispose_to_technical_team"],
        with_kabid: ["dispose_to_head_of_division", "dispose_to_technical_team"],
        fresh: ["forward_to_technical_team"],
    }
    assert (await new.view(with_kabid, KABID, FRIDAY(11)))["profile_version"]["version"] == old.profile.version()
    assert (await new.view(fresh, KABID, FRIDAY(11)))["profile_version"]["version"] == new.profile.version()


async def test_a_case_opened_before_versions_were_kept_is_pinned_to_the_version_the_service_starts_with(
    approval_pool, tenant_dirs
):
    before, after = tenant_dirs
    old = VersionedDesk(approval_pool, before)
    legacy = await old.submit(FRIDAY(9))
    async with approval_pool.acquire() as conn:
        await conn.execute("update cases set profile_version = null")
        await conn.execute("delete from profile_versions")
        await keep_current(conn, {"kaltara": old.profile})  # the first start after the upgrade

    new = VersionedDesk(approval_pool, after)
    [waiting] = await new.inbox(KADIS, FRIDAY(10))
    assert (waiting["request_id"], waiting["step"]) == (legacy, "dispose_to_head_of_division")
    await new.act(legacy, "dispose", "kadis", KADIS, FRIDAY(10), addressee="kabid-aptika")


@pytest.fixture
async def browser(approval_pool, identity_issuer, tenant_dirs):
    """The approval service started with the changed profiles, at Friday 11:20 WITA."""
    settings = Settings(oidc_issuer=identity_issuer, secure_cookies=False, vidcon_tenants_dir=tenant_dirs[1])
    app = service_app(SPEC, settings)
    app.state.runtime.pool = approval_pool
    app.state.runtime.extras["clock"] = lambda: FRIDAY(11, 20)
    async with httpx.AsyncClient(mounts={APPROVAL: httpx.ASGITransport(app=app)}) as http:
        yield http


async def test_the_case_page_shows_the_version_it_follows_and_the_version_is_kept(approval_pool, tenant_dirs, browser):
    before, after = tenant_dirs
    old, new = VersionedDesk(approval_pool, before), VersionedDesk(approval_pool, after)
    opened_before, opened_after = await old.submit(FRIDAY(9)), await new.submit(FRIDAY(10))
    await browser_login(browser, APPROVAL, "head_of_department@kaltara")

    old_page = (await browser.get(f"{APPROVAL}/t/kaltara/permohonan/{opened_before}")).text
    new_page = (await browser.get(f"{APPROVAL}/t/kaltara/permohonan/{opened_after}")).text

    assert f"<code>{old.profile.version()}</code>" in old_page and "Disposisikan ke Kepala Bidang" in old_page
    assert f"permohonan baru mengikuti versi <code>{new.profile.version()}</code>" in old_page
    assert f"<code>{new.profile.version()}</code>" in new_page and "permohonan baru mengikuti" not in new_page
    kept = (await browser.get(f"{APPROVAL}/api/kaltara/profile-versions/{old.profile.version()}")).json()
    assert kept["current"] is False
    assert [step["id"] for step in kept["profile"]["approval_steps"]] == [
        "dispose_to_head_of_division",
        "dispose_to_technical_team",
    ]
    unknown = await browser.get(f"{APPROVAL}/api/kaltara/profile-versions/000000000000")
    assert unknown.status_code == 404 and "versi SOP '000000000000' tidak dikenal" in unknown.json()["message"]
