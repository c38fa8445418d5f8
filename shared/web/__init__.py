"""Server-rendered pages in Bahasa Indonesia: one layout and stylesheet for every service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.web.formatting import install_filters

SHARED = Path(__file__).parent


def templates(service_dir: Path) -> Jinja2Templates:
    """The service's own templates first, then the shared layout."""
    found = Jinja2Templates(directory=str(service_dir / "templates"))
    found.env.loader = ChoiceLoader(
        [FileSystemLoader(str(service_dir / "templates")), FileSystemLoader(str(SHARED / "templates"))]
    )
    install_filters(found.env)
    return found


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="static")
