"""How the app runs requests: the routes' thread pool is sized for the database; slow work
(password hashing, PDFs, exports) runs in its own lane, so it never waits for, or holds, the
pool that every page needs; and what the app built at start is kept out of the collector's
full scans."""

from __future__ import annotations

import gc
import inspect
import threading
from dataclasses import replace

import pytest
from anyio import to_thread
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.services.container import Services
from backstride.web.app import create_app
from backstride.web.config import ConfigError, WebConfig
from backstride.web.deps import SLOW_LANE_THREADS, slow_lane, slow_lane_limiter
from tests.web.conftest import PASSWORD, SECRET, add_user

SQLITE = "sqlite:///x.db"
POSTGRES = "postgresql+psycopg://u:p@localhost/db"


def config_from(**env: str) -> WebConfig:
    return WebConfig.from_env({"BACKSTRIDE_SECRET_KEY": SECRET, **env})


def test_one_thread_on_sqlite_and_four_on_postgresql_unless_set() -> None:
    assert config_from(BACKSTRIDE_DATABASE_URL=SQLITE).thread_count == 1
    assert config_from(BACKSTRIDE_DATABASE_URL=POSTGRES).thread_count == 4
    chosen = config_from(BACKSTRIDE_DATABASE_URL=SQLITE, BACKSTRIDE_THREADS="3")
    assert chosen.thread_count == 3


@pytest.mark.parametrize("value", ["0", "65", "two", "-1", "1.5"])
def test_a_bad_thread_count_is_refused_by_name(value: str) -> None:
    with pytest.raises(ConfigError, match="BACKSTRIDE_THREADS"):
        config_from(BACKSTRIDE_DATABASE_URL=SQLITE, BACKSTRIDE_THREADS=value)
    built = config_from(BACKSTRIDE_DATABASE_URL=SQLITE)
    with pytest.raises(ConfigError, match="BACKSTRIDE_THREADS"):
        replace(built, threads=0).check()


def pool_sizes(client: TestClient) -> tuple[float, float]:
    """The route pool's and the slow lane's sizes, read on the app's own event loop."""
    assert client.portal is not None

    def read() -> tuple[float, float]:
        return (
            to_thread.current_default_thread_limiter().total_tokens,
            slow_lane_limiter().total_tokens,
        )

    return client.portal.call(read)


@pytest.mark.parametrize("threads", [None, 3])
def test_the_app_sizes_its_route_pool_at_start(
    config: WebConfig, services: Services, threads: int | None
) -> None:
    app = create_app(replace(config, threads=threads), services)
    with TestClient(app) as client:
        assert pool_sizes(client) == (1 if threads is None else threads, SLOW_LANE_THREADS)


def test_signing_in_runs_in_the_slow_lane_while_the_route_pool_is_busy(
    app: FastAPI, services: Services
) -> None:
    add_user(services, "ann")
    with TestClient(app) as client:
        assert client.portal is not None
        pool = client.portal.call(to_thread.current_default_thread_limiter)
        borrower = object()
        client.portal.call(pool.acquire_on_behalf_of, borrower)  # every route thread is busy
        try:
            answers: list[int] = []

            def sign_in() -> None:
                body = {"username": "ann", "password": PASSWORD}
                answers.append(client.post("/api/v1/token", json=body).status_code)

            worker = threading.Thread(target=sign_in)
            worker.start()
            worker.join(timeout=30)
            assert answers == [200], "the token route waited for the busy route pool"
        finally:
            client.portal.call(pool.release_on_behalf_of, borrower)


def test_slow_routes_keep_their_signature_in_the_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    token = schema["paths"]["/api/v1/token"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "TokenRequest"
    )
    assert token["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Token"
    )


def test_slow_lane_makes_a_coroutine_that_runs_the_route_in_a_worker_thread() -> None:
    def route(number: int) -> tuple[int, int]:
        return number * 2, threading.get_ident()

    wrapped = slow_lane(route)
    assert inspect.iscoroutinefunction(wrapped)
    assert inspect.signature(wrapped) == inspect.signature(route)

    # An event loop of its own, in its own thread (the test's thread may have one running).
    with start_blocking_portal() as portal:
        value, worker = portal.call(wrapped, 21)
        loop_thread = portal.call(threading.get_ident)
    assert value == 42
    assert worker != loop_thread


def test_the_app_moves_what_it_built_out_of_the_collectors_sight(
    config: WebConfig, services: Services
) -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        with TestClient(create_app(config, services)):
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
