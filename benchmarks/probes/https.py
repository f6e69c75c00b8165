"""HTTPS mode (issue 23, item 14): with ``DASHBOARD_FORCE_HTTPS=1`` gunicorn must start, send
plain-HTTP pages to HTTPS, send HSTS over HTTPS (behind a proxy that terminates TLS and
says so with ``X-Forwarded-Proto``, or gunicorn speaking TLS itself with a certificate),
and still answer ``/healthz`` over plain HTTP (a load balancer's probe)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from benchmarks.probes import Outcome, probe
from benchmarks.probes.context import ProbeContext, ServerOptions

KIND = "HTTPS mode"
FORCE = (("DASHBOARD_FORCE_HTTPS", "1"),)
PROXIED = ServerOptions(env=FORCE)
PAGE = "/adoption?fy=2016-17"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, made with ``openssl`` (raises
    ``RuntimeError`` if it is not installed)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not cert.is_file():
        openssl = shutil.which("openssl")
        if openssl is None:
            raise RuntimeError("openssl is not installed")
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return cert, key


def _tls(context: ProbeContext) -> ServerOptions:
    cert, key = self_signed(context.folder)
    return ServerOptions(
        env=FORCE, args=("--certfile", str(cert), "--keyfile", str(key)), scheme="https"
    )


@probe("gunicorn starts with DASHBOARD_FORCE_HTTPS=1", KIND, "/healthz 200")
def starts(context: ProbeContext) -> Outcome:
    """gunicorn starts and warms (it used to stop: warming got the redirect)."""
    response = context.get("/healthz", PROXIED)
    return Outcome(str(response.status_code), response.status_code == 200)


@probe(f"plain HTTP GET {PAGE}", KIND, "302 to the same page on https://")
def redirects(context: ProbeContext) -> Outcome:
    """A page asked over plain HTTP is sent to HTTPS, path and query kept."""
    response = context.get(PAGE, PROXIED)
    location = response.headers.get("Location", "")
    ok = (
        response.status_code in (301, 302)
        and location.startswith("https://")
        and location.endswith(PAGE)
    )
    return Outcome(f"{response.status_code} {location}", ok)


@probe("GET / through a TLS proxy (X-Forwarded-Proto: https)", KIND, "200 with HSTS")
def hsts_behind_proxy(context: ProbeContext) -> Outcome:
    """Behind a proxy that terminated TLS the page is served, with HSTS."""
    response = context.get("/", PROXIED, headers={"X-Forwarded-Proto": "https"})
    hsts = response.headers.get("Strict-Transport-Security", "")
    return Outcome(
        f"{response.status_code}, HSTS {hsts or 'none'}",
        response.status_code == 200 and hsts.startswith("max-age="),
    )


@probe("plain HTTP GET /healthz", KIND, "200, not redirected")
def health_over_http(context: ProbeContext) -> Outcome:
    """A load balancer's plain-HTTP health probe is answered."""
    response = context.get("/healthz", PROXIED)
    return Outcome(str(response.status_code), response.status_code == 200)


@probe("GET / from gunicorn speaking TLS (--certfile)", KIND, "200 with HSTS")
def hsts_over_tls(context: ProbeContext) -> Outcome:
    """gunicorn with its own certificate serves the page over HTTPS, with HSTS."""
    response = context.get("/", _tls(context))
    hsts = response.headers.get("Strict-Transport-Security", "")
    return Outcome(
        f"{response.status_code}, HSTS {hsts or 'none'}",
        response.status_code == 200 and hsts.startswith("max-age="),
    )
