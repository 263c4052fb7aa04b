"""The shipped nginx config: `nginx -t` accepts it, `nginx -T` shows the TLS rules in force,
and a live nginx started from it (self-signed certificate from deploy/make-cert.sh, two tiny
local upstreams) redirects HTTP, sends HSTS once, refuses old ciphers and carries the SSE
stream and the websocket upgrade over TLS. Every proxied location sends the full header set
(nginx drops server-level proxy_set_header in a location that sets its own)."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.services import unavailable

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HEADERS = ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID")
MODERN_SUITE = re.compile(r"^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$")
WEBSOCKETS = ("/alpaca/stream", "/alpaca/v2/iex", "/alpaca/v2/sip")


def locations(text: str) -> dict[str, str]:
    """Each location block's body by its path (blocks here hold no nested braces)."""
    return dict(re.findall(r"location\s+([^{]+?)\s*\{([^}]*)\}", text))


def test_every_proxied_location_sends_every_header_and_the_peer_address():
    snippet = (DEPLOY / "proxy_headers.conf").read_text()
    assert all(f"proxy_set_header {h} " in snippet for h in HEADERS)
    assert "X-Forwarded-For $remote_addr;" in snippet  # never the client's own list
    config = re.sub(r"#[^\n]*", "", (DEPLOY / "nginx.conf").read_text())
    server_level = config.split("location", 1)[0]
    assert "proxy_set_header" not in server_level
    proxied = {path: body for path, body in locations(config).items() if "proxy_pass" in body}
    assert len(proxied) == 3
    for path, body in proxied.items():
        assert "include /etc/nginx/snippets/proxy_headers.conf;" in body, path
    websocket = proxied["~ ^/alpaca/(stream|v2/iex|v2/sip)$"]
    assert "Upgrade $http_upgrade" in websocket and "$connection_upgrade" in websocket


# --- a runnable copy of the config ------------------------------------------------------


def nginx_binary() -> str:
    """The nginx executable, or skip (fail under INVSIM_REQUIRE_SERVICES) when absent."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        unavailable("nginx", "not installed (make system-deps installs nginx-light)")
    return str(found)


def make_certificate(directory: Path) -> Path:
    """Run deploy/make-cert.sh from a copy in `directory` (it writes next to itself)."""
    if shutil.which("openssl") is None:
        unavailable("openssl", "not installed")
    script = directory / "make-cert.sh"
    shutil.copy(DEPLOY / "make-cert.sh", script)
    subprocess.run(["bash", str(script), "localhost"], check=True, capture_output=True,
                   timeout=60)
    return directory / "certs"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Site:
    """A copy of the shipped config under tmp_path, on local ports and upstreams."""

    root: Path
    main: Path
    certs: Path
    http_port: int
    https_port: int


def local_site(nginx: str, tmp_path: Path, *, web: int = 8000, stream: int = 8001) -> Site:
    """Rewrite only paths, ports and upstream hosts: every TLS and proxy rule stays as shipped."""
    certs = make_certificate(tmp_path)
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    shutil.copy(DEPLOY / "proxy_headers.conf", snippets / "proxy_headers.conf")
    http_port, https_port = free_port(), free_port()
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/nginx/certs/", f"{certs}/").replace(
        "/etc/nginx/snippets/", f"{snippets}/")
    site = site.replace("web:8000", f"127.0.0.1:{web}").replace(
        "stream:8001", f"127.0.0.1:{stream}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace(
        "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)", version)
    if found and (int(found.group(1)), int(found.group(2))) < (1, 25):
        site = site.replace("    http2 on;\n", "")  # the image's 1.27 knows it; Debian's 1.22 not
    (tmp_path / "site.conf").write_text(site)
    temp = tmp_path / "temp"
    temp.mkdir()
    paths = "".join(f"  {kind}_temp_path {temp}/{kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = pwd.getpwuid(os.getuid()).pw_name  # workers may read the private tmp_path
    main = (f"user {user};\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            f"events {{}}\nhttp {{\n  access_log off;\n{paths}"
            f"  include {tmp_path}/site.conf;\n}}\n")
    (tmp_path / "nginx.conf").write_text(main)
    return Site(tmp_path, tmp_path / "nginx.conf", certs, http_port, https_port)


def nginx_command(nginx: str, site: Site, *args: str) -> list[str]:
    """An nginx command line on the site's prefix and main file."""
    return [nginx, "-p", str(site.root), "-c", str(site.main), *args]


def test_nginx_accepts_the_config(tmp_path):
    nginx = nginx_binary()
    site = local_site(nginx, tmp_path)
    checked = subprocess.run(nginx_command(nginx, site, "-t"), capture_output=True, text=True,
                             timeout=30)
    assert checked.returncode == 0, checked.stderr


# --- the effective configuration (nginx -T) ---------------------------------------------


Block = list[tuple[str, list[str], Any]]  # (directive, arguments, children or None)


def parse(text: str) -> Block:
    """Parse nginx configuration text into nested (name, args, children) directives."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{};]|[^\s{};"\']+',
                        re.sub(r"(?m)#.*$", "", text))
    stack: list[Block] = [[]]
    words: list[str] = []
    for token in tokens:
        if token == ";":
            stack[-1].append((words[0], words[1:], None))
            words = []
        elif token == "{":
            children: Block = []
            stack[-1].append((words[0], words[1:], children))
            stack.append(children)
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token.strip("\"'"))
    return stack[0]


def effective(nginx: str, site: Site) -> Block:
    """nginx -T's dump of every file, parsed, with each include replaced by its file's text."""
    dumped = subprocess.run(nginx_command(nginx, site, "-T"), capture_output=True, text=True,
                            timeout=30)
    assert dumped.returncode == 0, dumped.stderr
    files = dict(re.findall(r"# configuration file (.+?):\n(.*?)(?=\n# configuration file |\Z)",
                            dumped.stdout, flags=re.S))
    assert str(site.main) in files and str(site.root / "snippets/proxy_headers.conf") in files

    def expand(block: Block) -> Block:
        out: Block = []
        for name, args, children in block:
            if name == "include":
                out.extend(expand(parse(files[args[0]])))
            else:
                out.append((name, args, expand(children) if children is not None else None))
        return out

    return expand(parse(files[str(site.main)]))


def directives(block: Block, name: str) -> list[tuple[list[str], Any]]:
    """The arguments and children of each `name` directive directly in `block`."""
    return [(args, children) for found, args, children in block if found == name]


def one(block: Block, name: str) -> list[str]:
    """The arguments of the only `name` directive in `block`."""
    (args, _), = directives(block, name)
    return args


def servers(config: Block) -> tuple[Block, Block]:
    """The plain-HTTP server and the TLS server of the http block."""
    ((_, http),) = directives(config, "http")
    found = [children for _, children in directives(http, "server")]
    plain = [s for s in found if not any("ssl" in args for args, _ in directives(s, "listen"))]
    tls = [s for s in found if s not in plain]
    assert len(plain) == 1 and len(tls) == 1
    return plain[0], tls[0]


def test_the_effective_config_redirects_http_and_holds_every_proxy_behind_tls(tmp_path):
    nginx = nginx_binary()
    plain, tls = servers(effective(nginx, local_site(nginx, tmp_path)))
    # Port 80 answers nothing but the redirect: no location, no proxy, no stream.
    assert [name for name, _, _ in plain] == ["listen", "server_name", "return"]
    assert one(plain, "return") == ["301", "https://$host$request_uri"]
    assert one(tls, "ssl_protocols") == ["TLSv1.2", "TLSv1.3"]
    suites = one(tls, "ssl_ciphers")[0].split(":")
    assert suites and all(MODERN_SUITE.match(suite) for suite in suites), suites
    assert one(tls, "ssl_session_tickets") == ["off"]
    header, value, *flags = one(tls, "add_header")
    max_age = int(re.search(r"max-age=(\d+)", value).group(1))  # type: ignore[union-attr]
    assert header == "Strict-Transport-Security" and max_age >= 365 * 86400
    assert flags == ["always"] and "includeSubDomains" in value
    routes = {" ".join(args): children for args, children in directives(tls, "location")}
    proxied = {path: body for path, body in routes.items() if directives(body, "proxy_pass")}
    assert set(proxied) == {"/api/v1/market/stream", "~ ^/alpaca/(stream|v2/iex|v2/sip)$", "/"}
    for path, body in routes.items():
        # A location with its own add_header would silently drop the server's HSTS.
        assert not directives(body, "add_header"), path
    for path, body in proxied.items():
        assert one(body, "proxy_hide_header") == ["Strict-Transport-Security"], path
        assert one(body, "proxy_http_version") == ["1.1"], path
        sent = {args[0]: args[1] for args, _ in directives(body, "proxy_set_header")}
        assert sent["X-Forwarded-Proto"] == "$scheme" and sent["X-Forwarded-For"] == \
            "$remote_addr", path
    assert one(proxied["/api/v1/market/stream"], "proxy_buffering") == ["off"]
    websocket = proxied["~ ^/alpaca/(stream|v2/iex|v2/sip)$"]
    sent = {args[0]: args[1] for args, _ in directives(websocket, "proxy_set_header")}
    assert (sent["Upgrade"], sent["Connection"]) == ("$http_upgrade", "$connection_upgrade")


# --- a live nginx -----------------------------------------------------------------------


def upstream(name: str) -> ThreadingHTTPServer:
    """A local upstream that answers every GET with what it received, and its own HSTS."""

    class Echo(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body = json.dumps({"upstream": name, "path": self.path,
                               "headers": {k.lower(): v for k, v in self.headers.items()}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Strict-Transport-Security", "max-age=1")  # must be hidden
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[Site]:
    """nginx running the shipped config in front of two echo upstreams (web and stream)."""
    nginx = nginx_binary()
    web, stream = upstream("web"), upstream("stream")
    site = local_site(nginx, tmp_path, web=web.server_address[1],
                      stream=stream.server_address[1])
    process = subprocess.Popen(nginx_command(nginx, site, "-g", "daemon off;"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", site.https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()  # type: ignore[union-attr]
                                         if process.poll() is not None else "nginx never listened")
                time.sleep(0.05)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=10)
        web.shutdown()
        stream.shutdown()


def https(site: Site, path: str, **kwargs: Any) -> requests.Response:
    """GET over TLS, trusting only the site's self-signed certificate."""
    return requests.get(f"https://localhost:{site.https_port}{path}",
                        verify=str(site.certs / "invsim.crt"), timeout=10, **kwargs)


def test_plain_http_is_redirected_to_https_and_serves_nothing(live):
    for path in ("/api/v1/portfolios?page=2", "/api/v1/market/stream", "/alpaca/stream"):
        answer = requests.get(f"http://127.0.0.1:{live.http_port}{path}", allow_redirects=False,
                              headers={"Host": "invsim.example", "Upgrade": "websocket",
                                       "Connection": "Upgrade"}, timeout=10)
        assert answer.status_code == 301, path
        assert answer.headers["Location"] == f"https://invsim.example{path}"
        assert "upstream" not in answer.text


def test_https_sends_hsts_once_and_tells_the_app_it_was_https(live):
    answer = https(live, "/api/v1/portfolios")
    assert answer.status_code == 200
    assert answer.raw.headers.getlist("Strict-Transport-Security") == [
        "max-age=63072000; includeSubDomains"]
    seen = answer.json()
    assert seen["upstream"] == "web" and seen["headers"]["x-forwarded-proto"] == "https"
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"


def test_the_sse_stream_and_every_websocket_path_go_through_tls_to_the_stream_process(live):
    sse = https(live, "/api/v1/market/stream?symbols=AAPL", headers={"Accept": "text/event-stream"})
    assert sse.json()["upstream"] == "stream"
    assert sse.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    for path in WEBSOCKETS:
        seen = https(live, path, headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                          "Sec-WebSocket-Version": "13",
                                          "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}).json()
        assert seen["upstream"] == "stream", path
        assert (seen["headers"]["upgrade"], seen["headers"]["connection"]) == (
            "websocket", "upgrade"), path
        assert seen["headers"]["x-forwarded-proto"] == "https"
    # REST calls under /alpaca/v2/ stay with the web process.
    assert https(live, "/alpaca/v2/account").json()["upstream"] == "web"


def _handshake(site: Site, context: ssl.SSLContext) -> tuple[str | None, str | None]:
    """Connect with `context`; return the negotiated protocol and cipher suite."""
    context.load_verify_locations(str(site.certs / "invsim.crt"))
    with socket.create_connection(("127.0.0.1", site.https_port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        cipher = tls.cipher()
        return tls.version(), cipher[0] if cipher else None


def test_tls_12_and_13_with_modern_suites_only(live):
    modern = ssl.create_default_context()
    modern.minimum_version = modern.maximum_version = ssl.TLSVersion.TLSv1_2
    version, suite = _handshake(live, modern)
    assert version == "TLSv1.2" and MODERN_SUITE.match(suite or ""), suite
    newest = ssl.create_default_context()
    newest.minimum_version = ssl.TLSVersion.TLSv1_3
    assert _handshake(live, newest)[0] == "TLSv1.3"
    # A TLS 1.2 client offering only CBC suites (which nginx's default list would accept).
    legacy = ssl.create_default_context()
    legacy.maximum_version = ssl.TLSVersion.TLSv1_2
    legacy.set_ciphers("ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA256")
    with pytest.raises(ssl.SSLError):
        _handshake(live, legacy)
