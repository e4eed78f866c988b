"""`make bench`: query counts and throughput of the API, checked against its bounds.

1. Seeds a throwaway SQLite database in a temporary folder (migrate, demo content, 2,000
   checkpoint inhibitor pages, a 30-block page, a page with 500 comments) and prints the SQL
   queries of each API read, measured in-process with an empty cache.
2. Starts gunicorn (2 workers, production settings, DEBUG off) on 127.0.0.1 against that
   database and, side by side in one run, drives each URL with a few load-generating processes
   (plain http.client, a new connection per request) for a fixed time: requests per second,
   p50 and p99 latency, and the ratios to the ping view.

Every API URL but the cached repeat is requested with a session cookie: the API response cache
never shares such answers (they may depend on who is signed in), so every request is answered
anew, as for a signed-in editor or a listing with another filter or offset (the unknown session
costs one extra query). Such an "uncached" answer still reuses each page's JSON, kept once a
request has serialised it until the content changes (immunotherapy/page_json.py). The cached
repeat is the same listing URL without the cookie; the ping view is /ping/.
3. Serves the database again with the page JSON cache off (API_PAGE_CACHE_TIMEOUT=0) and loads
   the listing and the detail: "nothing cached", every page serialised on every request. These
   two rows have no bound; they show what the first read after a content change costs.

Exits non-zero when a bound is missed. Runs in about two minutes.
"""

import http.client
import multiprocessing
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = 2_000
CLIENTS = 4  # load-generating processes
SECONDS = 6  # per URL
UNCACHED_MIN_RATIO = 0.05
CACHED_MIN_RATIO = 0.5


def environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DATABASE_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "REDIS_URL": "",  # each worker's local-memory cache, as in `make run`
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def seed_and_count(env: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, int, int]]]:
    """Seed the database; return the URLs to load and (name, queries, bound) rows."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections
    from django.test import Client

    from benchmarks import scenarios
    from immunotherapy.demo import load_demo_content
    from immunotherapy.models import ArticlePage

    load_demo_content()
    client = Client()
    scenarios.add_therapy_pages(20)
    client.get(scenarios.LISTING_URL)  # renditions are made once, on the first read
    listing_20 = scenarios.count_queries(client, scenarios.LISTING_URL)
    started = time.monotonic()
    scenarios.add_therapy_pages(PAGES)
    print(f"seeded {PAGES} pages in {time.monotonic() - started:.0f} s", flush=True)
    listing_2000 = scenarios.count_queries(client, scenarios.LISTING_URL)
    long_page = scenarios.make_long_page()
    client.get(scenarios.detail_url(long_page))
    commented = scenarios.make_commented_page(500)
    rows = [
        ("listing, 20 pages in the tree", listing_20, scenarios.LISTING_MAX_QUERIES),
        (f"listing, {PAGES} pages in the tree", listing_2000, scenarios.LISTING_MAX_QUERIES),
        (
            "detail, 30 blocks",
            scenarios.count_queries(client, scenarios.detail_url(long_page)),
            scenarios.DETAIL_MAX_QUERIES,
        ),
        (
            "comments GET, 500 comments",
            scenarios.count_queries(client, scenarios.comments_url(commented)),
            scenarios.COMMENTS_MAX_QUERIES,
        ),
    ]
    article = ArticlePage.objects.live().first()
    connections.close_all()  # the app servers open their own
    urls = {
        "ping": "/ping/",
        "listing (uncached)": scenarios.LISTING_URL,
        "listing (cached)": scenarios.LISTING_URL,
        "detail (uncached)": scenarios.detail_url(long_page),
        "comments GET (uncached)": scenarios.comments_url(commented),
        "HTML article": article.url,
    }
    return urls, rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, url: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load_worker(port: int, url: str, headers: dict, seconds: float, out: multiprocessing.Queue):
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status = request(port, url, headers)
        except OSError:
            status = 0
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1
    out.put((latencies, errors))


def load(port: int, url: str, headers: dict[str, str]) -> dict[str, float]:
    out: multiprocessing.Queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=load_worker, args=(port, url, headers, SECONDS, out))
        for _ in range(CLIENTS)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=SECONDS + 60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    latencies = sorted(latency for part, _ in results for latency in part)
    errors = sum(errors for _, errors in results)
    if not latencies:
        raise SystemExit(f"bench: no successful request to {url} ({errors} errors)")
    return {
        "rps": len(latencies) / SECONDS,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench: gunicorn exited during start-up")
        try:
            if request(port, "/ping/", {}) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench: gunicorn did not answer within 60 s")


def serve_and_load(env: dict[str, str], urls: dict[str, str]) -> dict[str, dict[str, float]]:
    """Serve with gunicorn (2 workers) and load each URL in turn."""
    port = free_port()
    server_env = {**env, "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_LOG_LEVEL": "warning"}
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
            "--workers", "2", "--bind", f"127.0.0.1:{port}",
            "--max-requests", "0",
        ],
        cwd=ROOT, env=server_env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        cookie = {"Cookie": "sessionid=benchmark-uncached"}
        results = {}
        for name, url in urls.items():
            headers = {} if name in ("ping", "listing (cached)") else cookie
            request(port, url, headers)  # warm up: renditions, the cached response
            results[name] = load(port, url, headers)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main() -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="immunotherapy-bench-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        urls, rows = seed_and_count(env)

        print("\nSQL queries per request (empty cache)")
        print(f"{'request':<36}{'queries':>8}{'bound':>7}")
        for name, queries, bound in rows:
            print(f"{name:<36}{queries:>8}{bound:>7}")
            if queries > bound:
                failures.append(f"{name}: {queries} queries, bound {bound}")
        if rows[0][1] != rows[1][1]:
            failures.append(
                f"listing: {rows[0][1]} queries with 20 pages, {rows[1][1]} with {PAGES}"
            )

        results = serve_and_load(env, urls)
        # The same reads with the page JSON cache off: every page serialised on every request.
        cold = {"listing (nothing cached)": urls["listing (uncached)"]}
        cold["detail (nothing cached)"] = urls["detail (uncached)"]
        results.update(serve_and_load({**env, "API_PAGE_CACHE_TIMEOUT": "0"}, cold))

    ping = results["ping"]["rps"]
    print(f"\ngunicorn, 2 workers; {CLIENTS} clients for {SECONDS} s per URL")
    print(f"{'request':<28}{'req/s':>9}{'x ping':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, result in results.items():
        print(
            f"{name:<28}{result['rps']:>9.1f}{result['rps'] / ping:>8.3f}"
            f"{result['p50']:>9.1f}{result['p99']:>9.1f}{result['errors']:>8}"
        )
    for name, bound in (
        ("listing (uncached)", UNCACHED_MIN_RATIO),
        ("listing (cached)", CACHED_MIN_RATIO),
    ):
        ratio = results[name]["rps"] / ping
        if ratio < bound:
            failures.append(f"{name}: {ratio:.3f}x ping, bound {bound}x")
    failures += [
        f"{name}: {r['errors']} failed requests" for name, r in results.items() if r["errors"]
    ]
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nAll bounds met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
