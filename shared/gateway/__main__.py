"""`python -m shared.gateway`: write deploy/base/gateway/Caddyfile from the services' routers."""
from shared.gateway.caddyfile import write

print(write())
