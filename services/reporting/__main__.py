from reporting.entrypoints.cli import app

app()
