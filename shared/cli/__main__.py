from shared.cli import app

app(prog_name="vidcon")
