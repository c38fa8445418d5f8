"""A bearer token that cannot be checked because the identity provider is down or failing is
a 503 to retry, not a 401 telling the client its good token is bad."""

from __future__ import annotations

import httpx
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from shared.auth import current_user, install_auth
from shared.config import Settings


class Provider:
    def __init__(self, failure: Exception | None):
        self.failure = failure

    async def userinfo(self, token):
        if self.failure:
            raise self.failure
        return {"sub": "leader@kaltara", "groups": ["/vidcon/kaltara/leader"]}


def app_with(failure: Exception | None) -> TestClient:
    app = FastAPI()
    install_auth(app, Settings(oidc_issuer="http://idp.invalid"))
    app.state.oidc, app.state.token_cache = Provider(failure), {}

    @app.get("/who")
    async def who(user=Depends(current_user)) -> dict:
        return {"id": user.id}

    return TestClient(app)


def answer_for(failure: Exception | None) -> httpx.Response:
    return app_with(failure).get("/who", headers={"Authorization": "Bearer abc", "Accept": "application/json"})


def status_error(code: int) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "http://idp/userinfo")
    return httpx.HTTPStatusError("x", request=request, response=httpx.Response(code, request=request))


def test_a_provider_that_cannot_be_reached_or_fails_is_a_503_to_retry():
    for failure in (httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), status_error(502)):
        answer = answer_for(failure)
        assert answer.status_code == 503, failure
        assert answer.headers["Retry-After"] == "5"
        assert answer.json()["message"].startswith("Layanan masuk (identitas) sedang tidak dapat dihubungi")


def test_a_token_the_provider_refuses_is_still_a_401():
    assert answer_for(status_error(401)).status_code == 401
    assert answer_for(None).json() == {"id": "leader@kaltara"}


def test_requests_arriving_together_with_a_new_token_ask_the_provider_once():
    import asyncio

    class Slow(Provider):
        asked = 0

        async def userinfo(self, token):
            Slow.asked += 1
            await asyncio.sleep(0.2)
            return await super().userinfo(token)

    client = app_with(None)
    client.app.state.oidc = Slow(None)

    async def together() -> list[int]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://vidcon.test") as http:
            answers = await asyncio.gather(
                *(http.get("/who", headers={"Authorization": "Bearer new"}) for _ in range(8))
            )
        return [answer.status_code for answer in answers]

    assert asyncio.run(together()) == [200] * 8
    assert Slow.asked == 1
