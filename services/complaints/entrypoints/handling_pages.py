"""The complaints officer's and the handling team's pages: the inbox by due time, recording a
complaint from another channel, and one complaint with its history and the actions the role may take."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from complaints.adapters.personal import attachment
from complaints.domain.commands import Answer, Assign, Classify, Reopen
from complaints.domain.complaint import KINDS
from complaints.entrypoints.context import HANDLERS, OFFICER, context_of
from complaints.entrypoints.forms import FormRefused, command_of, form_of, refused_by_rule
from complaints.entrypoints.public_pages import file_complaint_page, render
from complaints.service_layer import handlers, views
from complaints.service_layer.views import CHANNELS
from shared.auth import User, require
from shared.domain import DomainRuleBroken
from shared.http import now_of

router = APIRouter(include_in_schema=False)
Handler = Depends(require(HANDLERS))
Officer = Depends(require(OFFICER))
UNIT_WORDS = {"working_days": "hari kerja", "hours": "jam kerja", "minutes": "menit kerja", "calendar_hours": "jam"}
LABELS = {
    "klasifikasi": "Klasifikasikan",
    "serahkan": "Serahkan ke tim penanganan",
    "jawab": "Jawab pengadu",
    "tutup": "Tutup (selesai)",
    "buka-kembali": "Buka kembali atas keterangan pengadu",
}
ACTIONS = {  # page action -> (command, use case, what the officer is told once it is done)
    "klasifikasi": (
        Classify,
        lambda c: (handlers.classify, c.kind),
        "Pengaduan diklasifikasi; batas waktu ditetapkan.",
    ),
    "serahkan": (Assign, lambda c: (handlers.assign, c.assignee), "Pengaduan diserahkan ke tim penanganan."),
    "jawab": (Answer, lambda c: (handlers.answer, c.answer), "Jawaban dikirim ke pengadu dan tampil di halaman lacak."),
    "tutup": (None, lambda c: (handlers.resolve,), "Pengaduan ditutup."),
    "buka-kembali": (
        Reopen,
        lambda c: (handlers.reopen, c.reason),
        "Pengaduan dibuka kembali dengan batas waktu baru.",
    ),
}


def sentence(message: str) -> str:
    return f"{message[0].upper()}{message[1:]}."


def is_officer(user: User, tenant: str) -> bool:
    return user.may(tenant, frozenset({OFFICER}))


@router.get("/t/{tenant}/pengaduan/masuk", response_class=HTMLResponse)
async def inbox_page(tenant: str, request: Request, user: User = Handler):
    runtime, officer = request.app.state.runtime, is_officer(user, tenant)
    async with runtime.pool.acquire() as conn:
        found = await views.inbox_of(conn, runtime.tenant(tenant), now_of(request), None if officer else user.id)
    return render(request, "pengaduan_masuk.html", tenant, inbox=found, officer=officer, now=now_of(request))


def _record_context(request: Request, tenant: str) -> dict:
    profile = request.app.state.runtime.tenant(tenant)
    return {
        "officer": True,
        "kinds": KINDS,
        "channel_names": CHANNELS,
        "channels": [channel.value for channel in profile.complaint_channels],
    }


@router.get("/t/{tenant}/pengaduan/catat", response_class=HTMLResponse)
async def record_form(tenant: str, request: Request, user: User = Officer):
    return render(request, "pengaduan.html", tenant, **_record_context(request, tenant))


@router.post("/t/{tenant}/pengaduan/catat", response_class=HTMLResponse)
async def record(tenant: str, request: Request, attachment: UploadFile | None = File(None), user: User = Officer):
    fields = await form_of(request)
    return await file_complaint_page(
        request, tenant, fields, attachment, by=user.id, **_record_context(request, tenant)
    )


@router.get("/t/{tenant}/pengaduan/kasus/{complaint_id}", response_class=HTMLResponse)
async def complaint_page(tenant: str, complaint_id: str, request: Request, selesai: str = "", user: User = Handler):
    done = ACTIONS[selesai][2] if selesai in ACTIONS else None
    return await _case(request, tenant, complaint_id, user, done=done)


async def _case(request: Request, tenant: str, complaint_id: str, user: User, status: int = 200, **context):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    try:
        async with runtime.transaction() as conn:
            found = await views.complaint_of(
                conn, profile, complaint_id, now_of(request), user.id, team_member=not is_officer(user, tenant)
            )
    except DomainRuleBroken as not_handed_on:
        return render(
            request, "lacak_pengaduan.html", tenant, not_handed_on.status, unknown=sentence(not_handed_on.message)
        )
    if found is None:
        return render(request, "lacak_pengaduan.html", tenant, 404, unknown="Pengaduan tidak ditemukan.")
    deadlines = {kind: _words(getattr(profile.complaint_deadlines, kind)) for kind in KINDS}
    return render(
        request,
        "pengaduan_kasus.html",
        tenant,
        status,
        c=found,
        kinds=KINDS,
        deadlines=deadlines,
        labels=LABELS,
        actions=actions_for(found, user, tenant),
        **context,
    )


def _words(spec) -> str:
    return f"{spec.amount} {UNIT_WORDS.get(spec.unit.value, spec.unit.value)}"


def actions_for(found: dict, user: User, tenant: str) -> list[str]:
    """What the user's role may do to the complaint as it stands."""
    if found["category"] != "complaint":
        return []
    status, officer = found["status"], is_officer(user, tenant)
    handed_to_me = found["assigned"] and found["assignee"] in (None, user.id)
    may = {
        "klasifikasi": officer and status == "received",
        "serahkan": officer and status in ("classified", "assigned", "reopened"),
        "jawab": status in ("classified", "assigned", "reopened") and (officer or handed_to_me),
        "tutup": officer and status == "answered",
        "buka-kembali": officer and status in ("answered", "closed"),
    }
    return [action for action, allowed in may.items() if allowed]


@router.post("/t/{tenant}/pengaduan/kasus/{complaint_id}/{action}", response_class=HTMLResponse)
async def act(tenant: str, complaint_id: str, action: str, request: Request, user: User = Handler):
    if action not in ACTIONS:
        return await _case(request, tenant, complaint_id, user, 404, errors={"aksi": "Aksi tidak dikenal."})
    model, use_case, _ = ACTIONS[action]
    if action != "jawab" and not is_officer(user, tenant):
        return await _case(
            request,
            tenant,
            complaint_id,
            user,
            403,
            errors={"aksi": "Hanya pejabat pengelola pengaduan yang dapat melakukan ini."},
        )
    try:
        command = command_of(model, await form_of(request)) if model else None
        run, *args = use_case(command)
        if action == "jawab":
            args.append(not is_officer(user, tenant))
        async with request.app.state.runtime.transaction() as conn:
            await run(conn, context_of(request, tenant, user.id), complaint_id, *args)
    except FormRefused as refused:
        return await _case(request, tenant, complaint_id, user, 422, errors=refused.errors)
    except DomainRuleBroken as broken:
        return await _case(request, tenant, complaint_id, user, broken.status, errors=refused_by_rule(broken).errors)
    return RedirectResponse(f"/t/{tenant}/pengaduan/kasus/{complaint_id}?selesai={action}", status_code=303)


@router.get("/t/{tenant}/pengaduan/kasus/{complaint_id}/lampiran")
async def download_attachment(tenant: str, complaint_id: str, request: Request, user: User = Handler):
    async with request.app.state.runtime.pool.acquire() as conn:
        try:
            await views.readable(conn, tenant, complaint_id, user.id, team_member=not is_officer(user, tenant))
        except DomainRuleBroken as not_handed_on:
            return render(request, "lacak_pengaduan.html", tenant, 403, unknown=sentence(not_handed_on.message))
        found = await attachment(conn, tenant, complaint_id)
    if found is None or found["content"] is None:
        return render(request, "lacak_pengaduan.html", tenant, 404, unknown="Lampiran tidak ada atau sudah dihapus.")
    return Response(
        bytes(found["content"]),
        media_type=found["media_type"],
        headers={
            "Content-Disposition": f'attachment; filename="lampiran-{complaint_id[:8]}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
