"""The baseline beside intake in `bench.intake`: a bare FastAPI app that validates a submission,
inserts it with asyncpg and publishes it to JetStream, nothing else (no auth, no outbox, no rules).

    DATABASE_URL=... NATS_URL=... python -m uvicorn bench.bare_intake:app
"""

from __future__ import annotations

import os
import uuid
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg
import nats
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field

STREAM, SUBJECT = "BENCH_BARE", "bench.bare.submitted"


class Contact(BaseModel):
    name: str = Field(min_length=3)
    whatsapp: str | None = None
    email: str | None = None


class Submission(BaseModel):
    agency: str = Field(min_length=3)
    event_name: str = Field(min_length=3)
    contact: Contact
    starts_at: datetime
    ends_at: datetime
    online_only: bool = True
    venue: str | None = None
    expected_participants: int = Field(ge=1)
    channel: str
    documents: dict[str, str] = {}


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=10)
    await app.state.pool.execute("create table if not exists bare_requests (id uuid primary key, body jsonb not null)")
    app.state.nc = await nats.connect(os.environ["NATS_URL"])
    app.state.js = app.state.nc.jetstream()
    await app.state.js.add_stream(name=STREAM, subjects=["bench.bare.>"])
    yield
    await app.state.nc.drain()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@app.post("/requests", status_code=201)
async def submit(submission: Submission, request: Request) -> dict:
    request_id, body = str(uuid.uuid4()), submission.model_dump_json()
    await request.app.state.pool.execute("insert into bare_requests (id, body) values ($1, $2)", request_id, body)
    await request.app.state.js.publish(SUBJECT, body.encode(), headers={"Nats-Msg-Id": request_id})
    return {"request_id": request_id}
