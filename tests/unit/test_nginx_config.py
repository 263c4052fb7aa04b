"""The shipped nginx config passes `nginx -t`, and every proxied location sends the full
header set (nginx drops server-level proxy_set_header in a location that sets its own)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.services import unavailable

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HEADERS = ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID")


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


def test_nginx_accepts_the_config(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        unavailable("nginx", "not installed (apt-get install nginx)")
    from tests.unit.deploy_certs import write_self_signed  # noqa: PLC0415

    certs = tmp_path / "certs"
    write_self_signed(certs / "invsim.crt", certs / "invsim.key")
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    shutil.copy(DEPLOY / "proxy_headers.conf", snippets / "proxy_headers.conf")
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/nginx/certs/", f"{certs}/").replace(
        "/etc/nginx/snippets/", f"{snippets}/")
    site = site.replace("web:8000", "127.0.0.1:8000").replace("stream:8001", "127.0.0.1:8001")
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)", version)
    if found and (int(found.group(1)), int(found.group(2))) < (1, 25):
        site = site.replace("    http2 on;\n", "")  # the image's 1.27 knows it; Debian's 1.22 not
    (tmp_path / "site.conf").write_text(site)
    main = (f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            f"events {{}}\nhttp {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n")
    (tmp_path / "nginx.conf").write_text(main)
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
