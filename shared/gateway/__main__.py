"""`python -m shared.gateway [--check]`, also `vidcon gateway`: write deploy/base/gateway/Caddyfile from the
services' routers."""

import typer

from shared.cli.generated import gateway

typer.run(gateway)
