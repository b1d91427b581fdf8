"""Following redirects (hand-written runtime, copied verbatim by vapi-codegen).

The clients follow a redirect only for an operation whose spec documents a 3xx answer (a download
redirecting to a presigned URL), or when a call asks for it (``options={"follow_redirects": True}``).
A redirect to another origin (scheme, host or port) never carries credentials: only the headers in
``CROSS_ORIGIN_HEADERS`` go along, so neither ``Authorization``, an API-key header, cookies nor
anything else the caller set reaches the other host.
"""

from __future__ import annotations

from typing import Optional

import httpx

MAX_REDIRECTS = 20  # after as many, the last redirect is the answer (an ``ApiError``)
CROSS_ORIGIN_HEADERS = frozenset({"accept", "accept-encoding", "user-agent"})
_BODY_HEADERS = ("content-type", "content-length", "transfer-encoding")


def redirect_request(request: httpx.Request, response: httpx.Response) -> Optional[httpx.Request]:
    """The request a redirect answer asks for next, or None when ``response`` is not a redirect.

    303 (and 301/302 after a POST) turn into a body-less GET, as browsers do; 307 and 308 repeat the
    method and the body.
    """
    if not response.has_redirect_location:
        return None
    url = request.url.join(response.headers["Location"])
    if url.scheme not in ("http", "https"):
        return None
    method = request.method
    if (response.status_code == 303 and method != "HEAD") or (response.status_code in (301, 302) and method == "POST"):
        method = "GET"
    headers = httpx.Headers(request.headers)
    if not _same_origin(request.url, url):
        headers = httpx.Headers({name: value for name, value in headers.items() if name.lower() in CROSS_ORIGIN_HEADERS})
    headers["Host"] = url.netloc.decode("ascii")
    keeps_body = method == request.method
    if not keeps_body:
        for name in _BODY_HEADERS:
            headers.pop(name, None)
    return httpx.Request(
        method,
        url,
        headers=headers,
        stream=request.stream if keeps_body else None,
        extensions=request.extensions,
    )


def _same_origin(first: httpx.URL, second: httpx.URL) -> bool:
    return (first.scheme, first.host, _port(first)) == (second.scheme, second.host, _port(second))


def _port(url: httpx.URL) -> Optional[int]:
    return url.port or {"http": 80, "https": 443}.get(url.scheme)
