"""URLs and feeds from the web (briefgen.fetch), against a server these tests start on 127.0.0.1.

Each test lays out a small site (paths -> answers), reads URLs of it the way `make` does
(ingest.load under the run's web options, or the CLI itself) and checks what was read, what
was skipped and why, and what the server was asked: the requests are counted, so "a re-run
downloads nothing new" is a fact about the wire, not about timing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import serving

from briefgen import __version__, fetch
from briefgen.cli import main
from briefgen.ingest import load
from briefgen.runlog import state_dir

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

STORY = (
    "Dock workers in the port of Rotterdam voted on Tuesday to strike from 10 November "
    "unless the terminal operators raise wages by six percent. ",
    "The union said the vote passed with 87 percent in favour and that talks would resume "
    "on Friday with a mediator appointed by the city. ",
    "The operators said the demand would cost 40 million euros a year and warned that "
    "shipping lines could divert cargo to Antwerp and Hamburg during a long stoppage. ",
)


def article_html(title: str, paragraphs=STORY) -> bytes:
    body = "".join(f"<p>{p * 2}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2026 Port News</footer></body></html>"
    ).encode()


FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Port News</title><link>http://example.test/</link>
<item><title>Dock workers vote to strike</title><link>http://example.test/a</link>
<pubDate>Tue, 04 Nov 2025 09:00:00 GMT</pubDate>
<description>Dock workers in Rotterdam voted on Tuesday to strike from 10 November unless
the terminal operators raise wages by six percent, the union said.</description></item>
<item><title>Operators warn of diverted cargo</title><link>http://example.test/b</link>
<pubDate>Wed, 05 Nov 2025 09:00:00 GMT</pubDate>
<description>The terminal operators said the wage demand would cost 40 million euros a year
and that shipping lines could divert cargo to Antwerp.</description></item>
</channel></rss>"""


# ---------------------------------------------------------------- the site


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str | None] = field(default_factory=dict)
    delay: float = 0.0
    endless: bool = False  # the body goes on until the client stops reading (100 MB at most)


@dataclass
class Site:
    """Paths -> answers (or a function of the request); every request is recorded."""

    routes: dict[str, Answer | Callable] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    written: int = 0  # bytes of endless bodies the server got to send
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def asked(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                state.requests.append((self.path, headers))
                state.in_flight += 1
                state.most_in_flight = max(state.most_in_flight, state.in_flight)
            try:
                route = state.routes.get(self.path, Answer(404, b"not here"))
                answer = route(headers) if callable(route) else route
                time.sleep(answer.delay)
                self.send_response(answer.status)
                sent = {k.lower() for k in answer.headers}
                for name, value in answer.headers.items():
                    if value is not None:  # None: the header is left out
                        self.send_header(name, value)
                if "content-length" not in sent and answer.status != 304:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.status != 304:
                    self.wfile.write(answer.body)
                while answer.endless and state.written < 100_000_000:
                    self.wfile.write(b"<p>and so on</p>" * 4096)
                    self.wfile.flush()
                    state.written += 16 * 4096
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what a size cap does
            finally:
                with state.lock:
                    state.in_flight -= 1

        def log_message(self, *args) -> None:  # quiet
            pass

    with serving(Handler) as httpd:
        state.port = httpd.server_address[1]
        yield state


HTML = {"Content-Type": "text/html; charset=utf-8"}


def read_web(urls, tmp_path: Path, **options):
    """ingest.load as a run reads URLs: with the run's web options, pages kept in tmp_path."""
    notes: list[str] = []
    options = {"state_dir": tmp_path / "state", "on_note": notes.append, **options}
    with fetch.web_options(fetch.WebOptions(**options)):
        result = load(list(urls))
    result.notes = notes  # type: ignore[attr-defined]
    return result


def reasons(result) -> dict[str, str]:
    return {s.path: s.reason for s in result.skipped}


# ---------------------------------------------------------------- pages and feeds


def test_a_page_is_read_like_an_html_file_and_links_to_where_it_was_fetched(site, tmp_path):
    site.routes["/strike"] = Answer(body=article_html("Dock workers vote to strike"), headers=HTML)
    result = read_web([site.url("/strike")], tmp_path)
    [article] = result.articles
    assert article.title == "Dock workers vote to strike"
    assert "87 percent in favour" in article.text
    assert "Copyright 2026" not in article.text and "Home" not in article.text
    assert article.path == article.url == site.url("/strike")
    [(_, headers)] = [r for r in site.requests if r[0] == "/strike"]
    assert headers["user-agent"].startswith(f"briefgen/{__version__} ")


def test_a_feed_url_gives_one_article_per_entry(site, tmp_path):
    site.routes["/feed"] = Answer(body=FEED, headers={"Content-Type": "application/rss+xml"})
    result = read_web([site.url("/feed")], tmp_path)
    assert [a.title for a in result.articles] == [
        "Dock workers vote to strike",
        "Operators warn of diverted cargo",
    ]
    assert [a.url for a in result.articles] == ["http://example.test/a", "http://example.test/b"]
    assert [a.path for a in result.articles] == [site.url("/feed#1"), site.url("/feed#2")]
    assert str(result.articles[0].published) == "2025-11-04"
    # The entries' links are not fetched: only the URLs a user names are.
    assert [p for p, _ in site.requests] == ["/robots.txt", "/feed"]


def test_text_in_the_charset_its_server_declares(site, tmp_path):
    text = "Les dockers de Rotterdam ont voté la grève, a déclaré le syndicat mardi soir."
    site.routes["/fr"] = Answer(
        body=text.encode("iso-8859-1"), headers={"Content-Type": "text/plain; charset=iso-8859-1"}
    )
    [article] = read_web([site.url("/fr")], tmp_path).articles
    assert "voté la grève, a déclaré" in article.text


# ---------------------------------------------------------------- a re-run downloads only what changed


def test_a_rerun_sends_conditional_requests_and_reuses_unchanged_pages(site, tmp_path):
    page = article_html("Dock workers vote to strike")
    by_etag = '"v1"'

    def etagged(headers):
        if headers.get("if-none-match") == by_etag:
            return Answer(304, headers={"ETag": by_etag})
        return Answer(body=page, headers={**HTML, "ETag": by_etag})

    def dated(headers):
        stamp = "Tue, 04 Nov 2025 09:00:00 GMT"
        if headers.get("if-modified-since") == stamp:
            return Answer(304)
        return Answer(body=FEED, headers={"Content-Type": "application/rss+xml",
                                          "Last-Modified": stamp})  # fmt: skip

    site.routes["/strike"], site.routes["/feed"] = etagged, dated
    urls = [site.url("/strike"), site.url("/feed")]
    first = read_web(urls, tmp_path)
    second = read_web(urls, tmp_path)

    assert [a.id for a in second.articles] == [a.id for a in first.articles]
    assert len(first.articles) == 3 and not second.skipped
    assert [h.get("if-none-match") for h in site.asked("/strike")] == [None, by_etag]
    assert [h.get("if-modified-since") for h in site.asked("/feed")] == [
        None,
        "Tue, 04 Nov 2025 09:00:00 GMT",
    ]
    assert "(2 downloaded, 0 unchanged since the last run)" in first.notes[-1]
    assert "(0 downloaded, 2 unchanged since the last run)" in second.notes[-1]


def test_a_changed_page_is_downloaded_again_and_replaces_the_one_kept(site, tmp_path):
    versions = iter([("v1", "Dock workers vote to strike"), ("v2", "Strike called off")])

    def changing(headers):
        tag, title = next(versions)
        return Answer(body=article_html(title), headers={**HTML, "ETag": f'"{tag}"'})

    site.routes["/strike"] = changing
    read_web([site.url("/strike")], tmp_path)
    [article] = read_web([site.url("/strike")], tmp_path).articles
    assert article.title == "Strike called off"
    assert site.asked("/strike")[1]["if-none-match"] == '"v1"'


def test_a_page_without_validators_is_not_kept(site, tmp_path):
    site.routes["/plain"] = Answer(body=article_html("Dock workers vote"), headers=HTML)
    read_web([site.url("/plain")], tmp_path)
    read_web([site.url("/plain")], tmp_path)
    assert all("if-none-match" not in h and "if-modified-since" not in h
               for h in site.asked("/plain"))  # fmt: skip


# ---------------------------------------------------------------- bad URLs are skipped, named, with the reason


def test_a_missing_page_is_skipped_and_the_run_goes_on(site, tmp_path):
    site.routes["/strike"] = Answer(body=article_html("Dock workers vote to strike"), headers=HTML)
    result = read_web([site.url("/gone"), site.url("/strike")], tmp_path)
    assert reasons(result) == {site.url("/gone"): "HTTP 404 Not Found"}
    assert [a.title for a in result.articles] == ["Dock workers vote to strike"]


def test_a_refused_connection_is_skipped_with_its_reason(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on: bound, then let go
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    assert reasons(read_web([url], tmp_path, respect_robots=False))[url].startswith(
        "cannot connect"
    )


def test_a_page_over_the_size_cap_is_skipped_unread(site, tmp_path):
    big = article_html("Big") + b"<!-- padding -->" * 10_000  # about 170 kB
    site.routes["/declared"] = Answer(body=big, headers=HTML)
    # No Content-Length: only counting the bytes as they stream in can stop it.
    site.routes["/streamed"] = Answer(body=big, headers={**HTML, "Content-Length": None})
    site.routes["/small"] = Answer(body=article_html("Dock workers vote"), headers=HTML)
    urls = [site.url(p) for p in ("/declared", "/streamed", "/small")]
    result = read_web(urls, tmp_path, max_bytes=50_000)
    assert reasons(result) == {
        site.url("/declared"): "too large: 0.2 MB > 0.05 MB limit (--max-download-mb)",
        site.url("/streamed"): "too large: over the 0.05 MB limit (--max-download-mb)",
    }
    assert [a.title for a in result.articles] == ["Dock workers vote"]


def test_an_endless_body_is_cut_off_at_the_cap_not_read_whole(site, tmp_path):
    site.routes["/endless"] = Answer(
        body=b"<html><body>", headers={**HTML, "Content-Length": None}, endless=True
    )
    result = read_web([site.url("/endless")], tmp_path, max_bytes=200_000)
    assert reasons(result) == {
        site.url("/endless"): "too large: over the 0.2 MB limit (--max-download-mb)"
    }
    # The client stopped reading at the cap: what the server sent beyond it is no more than
    # the sockets' buffers hold, nowhere near the 100 MB it had to send.
    assert site.written < 20_000_000


def test_redirects_are_followed_a_few_times(site, tmp_path):
    site.routes["/old"] = Answer(301, headers={"Location": "/new"})
    site.routes["/new"] = Answer(body=article_html("Dock workers vote to strike"), headers=HTML)
    site.routes["/loop"] = Answer(302, headers={"Location": "/loop"})
    result = read_web([site.url("/old"), site.url("/loop")], tmp_path)
    [article] = result.articles
    assert article.path == site.url("/old") and article.url == site.url("/new")
    assert reasons(result) == {site.url("/loop"): "more than 5 redirects"}
    assert len(site.asked("/loop")) == 6  # the first request and five redirects, no more


def test_robots_txt_is_obeyed_unless_the_user_says_otherwise(site, tmp_path):
    site.routes["/robots.txt"] = Answer(
        body=b"User-agent: *\nDisallow: /private\n", headers={"Content-Type": "text/plain"}
    )
    site.routes["/private/memo"] = Answer(body=article_html("Private memo"), headers=HTML)
    site.routes["/moved"] = Answer(301, headers={"Location": "/private/memo"})
    urls = [site.url("/private/memo"), site.url("/moved")]
    result = read_web(urls, tmp_path)
    robots = (
        f"http://127.0.0.1:{site.port}/robots.txt disallows it (--ignore-robots to fetch anyway)"
    )
    assert reasons(result) == {
        site.url("/private/memo"): robots,
        site.url("/moved"): f"redirected to {site.url('/private/memo')}: {robots}",
    }
    assert site.asked("/private/memo") == [] and len(site.asked("/robots.txt")) == 1

    ignored = read_web([site.url("/private/memo")], tmp_path, respect_robots=False)
    assert [a.title for a in ignored.articles] == ["Private memo"]


def test_robots_txt_rules_for_briefgen_by_name_come_before_those_for_all(site, tmp_path):
    site.routes["/robots.txt"] = Answer(
        body=b"User-agent: briefgen\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
        headers={"Content-Type": "text/plain"},
    )
    site.routes["/page"] = Answer(body=article_html("Dock workers vote"), headers=HTML)
    assert reasons(read_web([site.url("/page")], tmp_path))[site.url("/page")].endswith(
        "robots.txt disallows it (--ignore-robots to fetch anyway)"
    )


def test_a_robots_txt_that_cannot_be_read_allows_nothing(site, tmp_path):
    site.routes["/robots.txt"] = Answer(503, b"down")
    site.routes["/page"] = Answer(body=article_html("Dock workers vote"), headers=HTML)
    result = read_web([site.url("/page")], tmp_path)
    assert reasons(result)[site.url("/page")].startswith(
        f"http://127.0.0.1:{site.port}/robots.txt could not be read (HTTP 503 Service Unavailable)"
    )
    assert site.asked("/page") == []


def test_a_content_type_briefgen_does_not_read_is_refused(site, tmp_path):
    site.routes["/chart.png"] = Answer(body=b"\x89PNG\r\n" + bytes(100),
                                       headers={"Content-Type": "image/png"})  # fmt: skip
    result = read_web([site.url("/chart.png")], tmp_path)
    assert reasons(result) == {
        site.url("/chart.png"): "content type image/png is not one briefgen reads "
        "(HTML, RSS/Atom feeds, text, JSON)"
    }


def test_a_slow_page_is_given_up_on(site, tmp_path):
    site.routes["/slow"] = Answer(body=article_html("Slow"), headers=HTML, delay=2.0)
    result = read_web([site.url("/slow")], tmp_path, timeout=0.3, respect_robots=False)
    assert reasons(result) == {site.url("/slow"): "timed out (0.3 s)"}


def test_a_url_with_a_credential_is_refused_and_the_secret_kept_out(site, tmp_path):
    url = f"http://reader:hunter2@127.0.0.1:{site.port}/feed?token=s3cret"
    result = read_web([url], tmp_path)
    [skipped] = result.skipped
    assert "hunter2" not in skipped.path and "s3cret" not in skipped.path
    assert skipped.reason.startswith("the URL carries a credential")
    assert site.requests == []


def test_a_few_pages_are_fetched_at_once(site, tmp_path):
    for n in range(6):
        own = f"Page {n} of the strike coverage was filed by reporter number {n}. "
        site.routes[f"/p{n}"] = Answer(body=article_html(f"Page {n}", (*STORY, own)),
                                       headers=HTML, delay=0.2)  # fmt: skip
    urls = [site.url(f"/p{n}") for n in range(6)]
    result = read_web(urls, tmp_path, concurrency=3, respect_robots=False)
    assert [a.title for a in result.articles] == [f"Page {n}" for n in range(6)]  # in order
    assert 1 < site.most_in_flight <= 3


# ---------------------------------------------------------------- the command line


def test_a_url_list_has_one_url_a_line_and_comments(tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(
        "# morning sources\n"
        "https://example.test/a\n"
        "   \n"
        "  https://example.test/b#part   # a fragment is part of the URL, a comment is not\n"
        "ftp://example.test/c\n"
        "  # https://example.test/commented-out\n"
    )
    urls, problems = fetch.read_url_list(listed)
    assert urls == ["https://example.test/a", "https://example.test/b#part"]
    assert problems == [f"{listed} line 5: not an http(s) URL: 'ftp://example.test/c'"]


def test_make_reads_urls_and_a_urls_file(site, tmp_path, runner, monkeypatch):
    site.routes["/strike"] = Answer(body=article_html("Dock workers vote to strike"), headers=HTML)
    site.routes["/feed"] = Answer(body=FEED, headers={"Content-Type": "application/rss+xml"})
    listed = tmp_path / "urls.txt"
    listed.write_text(
        "# the port strike\n"
        f"{site.url('/feed')}   # the port's own feed\n"
        "\n"
        "not-a-url.example/page\n"
        f"{site.url('/strike')}\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFGEN_CACHE")
    result = runner.invoke(main, ["make", "-f", "json", "--urls", str(listed)])
    assert result.exit_code == 0, result.stderr
    assert f"skipped {listed} line 4: not an http(s) URL: 'not-a-url.example/page'" in result.stderr
    assert "web: 2 of 2 URLs read (2 downloaded, 0 unchanged since the last run)" in result.stderr
    assert {s["url"] for s in json.loads(result.stdout)["sources"]} >= {
        site.url("/strike"),
        "http://example.test/a",
    }
    # With URLs only there is no article folder: the state is the current directory's.
    assert (tmp_path / ".briefgen" / "web.db").is_file()

    again = runner.invoke(main, ["make", "--urls", str(listed), site.url("/strike")])
    assert again.exit_code == 0, again.stderr
    assert len(site.asked("/strike")) == 2  # named twice in one run, fetched once a run


def test_make_names_a_url_that_failed(site, runner):
    result = runner.invoke(main, ["make", site.url("/gone")])
    assert f"{site.url('/gone')}" in result.stderr and "HTTP 404 Not Found" in result.stderr
    assert result.exit_code != 0


def test_no_paths_and_no_urls_file_is_a_usage_error(runner):
    result = runner.invoke(main, ["make"])
    assert result.exit_code == 2 and "Missing argument 'PATHS...'" in result.stderr


def test_the_state_folder_of_urls_only_is_the_current_directorys():
    assert state_dir(None, ["https://example.test/a"]) == Path.cwd() / ".briefgen"
    assert state_dir(None, ["https://example.test/a", "articles/a.txt"]) == Path(
        "articles/.briefgen"
    )
