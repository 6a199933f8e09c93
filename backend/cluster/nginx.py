"""The cluster's load balancer: one nginx in front of the BFF replicas and the web app's processes.

- The web port serves the exported web app (static files; a page route with parameters gets the
  app shell) and passes the Reflex backend's own paths (`/_event` websocket, `/_upload`,
  `/_session/…`, `/_ready`, `/ping`, …) to the web processes, round robin.
- The API port passes every request to the BFF replicas, round robin.

A replica that refuses connections is skipped for a few seconds (`max_fails`/`fail_timeout`) and
the request goes to the next one (`proxy_next_upstream error timeout`). nginx never sends a
request that reached a replica to a second one unless it is idempotent, so a replica killed
mid-request costs that request an error (502), never a duplicate.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

# How long a replica that failed is left out before nginx tries it again.
FAIL_TIMEOUT_SECONDS = 2
# The Reflex backend's own routes (the rest are pages): Reflex's, and the app's /_session/… and /_ready.
BACKEND_PATHS = ("_event", "_upload", "_health", "_all_routes", "_session/", "_ready$", "ping$", "auth-codespace")
# Websockets stay open while the page is open.
TUNNEL_TIMEOUT_SECONDS = 3600


def binary() -> str | None:
    """The nginx binary (Debian installs it in /usr/sbin)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def _upstream(name: str, ports: Sequence[int]) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT_SECONDS}s;" for port in ports
    )
    return f"    upstream {name} {{\n{servers}\n        keepalive 16;\n    }}\n"


def render(
    *, prefix: Path, web_root: Path, web_port: int, api_port: int, web_ports: Sequence[int], api_ports: Sequence[int]
) -> str:
    """nginx.conf for the cluster; every path it writes is under `prefix`."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by `python -m backend.cluster run`; regenerated at every start.
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}

http {{
    access_log off;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Uploads (CSV files) go through as they arrive; the BFF enforces its own limits.
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_http_version 1.1;
    proxy_next_upstream error timeout;
    proxy_connect_timeout 2s;
    proxy_read_timeout 300s;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}

{_upstream("bff", api_ports)}
{_upstream("web", web_ports)}
    server {{
        listen 127.0.0.1:{api_port};
        location / {{
            proxy_pass http://bff;
            proxy_set_header Host $http_host;
            proxy_set_header Connection "";
        }}
    }}

    server {{
        listen 127.0.0.1:{web_port};
        root {web_root};
        gzip_static on;

        # The Reflex backend: the page's websocket, uploads, session and readiness routes.
        location ~ ^/({"|".join(BACKEND_PATHS)}) {{
            proxy_pass http://web;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout {TUNNEL_TIMEOUT_SECONDS}s;
            proxy_send_timeout {TUNNEL_TIMEOUT_SECONDS}s;
        }}

        # Pages: the exported files; a route with parameters gets the app shell, which routes itself.
        location / {{
            try_files $uri $uri.html $uri/index.html /__spa-fallback.html;
        }}
    }}
}}
"""


def command(prefix: Path) -> list[str]:
    """Run nginx in the foreground with the cluster's configuration."""
    nginx = binary()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (make cluster-tools installs it)")
    return [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
