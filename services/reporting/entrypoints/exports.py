"""Each evaluation as PDF (an official report), XLSX and CSV, with the same figures as its page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from reporting.adapters.documents import csv_of, pdf_of, xlsx_of
from reporting.domain.register import OUTCOMES
from reporting.entrypoints.api import READERS, load_evaluation, with_names
from shared.http import now_of
from reporting.entrypoints.labels import KIND_SLUGS, label
from reporting.entrypoints.report_tables import tables_of
from reporting.entrypoints.svg_charts import bars
from shared.auth import require
from shared.web import templates
from shared.web.formatting import MONTHS

router = APIRouter(include_in_schema=False, dependencies=[Depends(require(*READERS))])
documents = templates(Path(__file__).parent.parent)
documents.env.filters["cell"] = lambda cell: (
    "" if cell is None else (cell.strftime("%d/%m/%Y %H.%M") if isinstance(cell, datetime) else cell)
)
TITLE = "Rekap dan Evaluasi Layanan Fasilitasi Video Conference"
TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/t/{tenant}/evaluasi/{slug}/{key}/unduh.{fmt}")
async def download(
    tenant: str, slug: str, key: str, fmt: Literal["pdf", "xlsx", "csv"], request: Request, instansi: str | None = None
):
    evaluation = await with_names(
        request, tenant, await load_evaluation(request, tenant, KIND_SLUGS.get(slug, "month"), key, instansi or None)
    )
    tables = tables_of(evaluation)
    if fmt == "pdf":
        today = evaluation.profile.calendar().local(now_of(request))
        body = await run_in_threadpool(pdf_of, _report_html(evaluation, tables, today))
    elif fmt == "xlsx":
        body = xlsx_of(tables, f"{TITLE} {evaluation.period.label}")
    else:
        body = csv_of(tables)
    name = f"evaluasi-{tenant}-{evaluation.period.key}{'-' + instansi if instansi else ''}.{fmt}"
    return Response(body, media_type=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _report_html(evaluation, tables, today: datetime) -> str:
    charts = [
        bars("Hasil permohonan", [(label(OUTCOMES, c), n) for c, n in evaluation.outcomes.items()]),
        bars(
            "Tepat waktu per langkah (%)",
            [(s.name, s.spread.met_share or 0) for s in [*evaluation.steps, evaluation.overall]],
            "#1f7a3d",
        ),
    ]
    return documents.get_template("laporan_pdf.html").render(
        title=TITLE,
        profile=evaluation.profile,
        period=evaluation.period,
        agency=evaluation.agency,
        tables=tables,
        charts=charts,
        place_and_date=f"{today.day} {MONTHS[today.month - 1]} {today.year}",
    )
