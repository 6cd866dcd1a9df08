"""Scrapyd's HTTP API, as the scheduler uses it."""

from __future__ import annotations

import json
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from gossipcrawl.scheduler.config import Node


class ScrapydError(RuntimeError):
    """A Scrapyd node did not answer, or answered with an error."""


class ScrapydClient:
    def __init__(self, node: Node, timeout: float = 10.0):
        self.node = node
        self.timeout = timeout

    def _request(self, url: str, body: bytes | None = None, headers: dict | None = None,
                 method: str | None = None) -> Request:
        request = Request(url, data=body, headers=headers or {},
                          method=method or ("POST" if body is not None else "GET"))
        if (auth := self.node.auth_header()) is not None:
            request.add_header("Authorization", auth)
        return request

    def _call(self, endpoint: str, *, query: dict | None = None,
              form: list[tuple[str, str]] | None = None) -> dict:
        url = f"{self.node.url}/{endpoint}"
        if query:
            url += "?" + urlencode(query)
        body = urlencode(form).encode() if form is not None else None
        request = self._request(url, body)
        try:
            with urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except HTTPError as exc:
            raise ScrapydError(f"{self.node.name}: {endpoint} answered HTTP {exc.code}"
                               + (" (check the node's username and password)"
                                  if exc.code == 401 else "")) from None
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ScrapydError(f"{self.node.name}: {endpoint} failed: {reason}") from None
        if answer.get("status") != "ok":
            raise ScrapydError(f"{self.node.name}: {endpoint}: {answer.get('message', answer)}")
        return answer

    def daemon_status(self) -> dict:
        return self._call("daemonstatus.json")

    def list_jobs(self, project: str) -> dict:
        try:
            return self._call("listjobs.json", query={"project": project})
        except ScrapydError as exc:
            if "not found" in str(exc):  # the project was never deployed here: no jobs
                return {"pending": [], "running": [], "finished": []}
            raise

    def schedule(self, project: str, spider: str, *, jobid: str, args: dict[str, str],
                 settings: dict[str, str], version: str | None = None) -> str:
        form = [("project", project), ("spider", spider), ("jobid", jobid)]
        if version:
            form.append(("_version", version))
        form += [("setting", f"{name}={value}") for name, value in settings.items()]
        form += list(args.items())
        return self._call("schedule.json", form=form)["jobid"]

    def log_tail(self, log_url: str, size: int = 64 * 1024) -> str:
        """The last SIZE bytes of a job's log (`log_url` of listjobs.json, relative to the
        node): where a crawl writes its outcome line. Scrapyd serves logs as static files,
        which answer Range requests; its Twisted fails a suffix range (`bytes=-N`) longer
        than the file, so the length is asked first."""
        url = log_url if "://" in log_url else self.node.url + log_url
        try:
            with urlopen(self._request(url, method="HEAD"), timeout=self.timeout) as response:
                length = int(response.headers.get("Content-Length") or 0)
            if not length:
                return ""
            request = self._request(url, headers={"Range": f"bytes={max(0, length - size)}-"})
            with urlopen(request, timeout=self.timeout) as response:
                return response.read().decode("utf-8", errors="replace")
        except HTTPError as exc:
            raise ScrapydError(f"{self.node.name}: {log_url} answered HTTP {exc.code}") from None
        except (URLError, OSError) as exc:
            raise ScrapydError(f"{self.node.name}: {log_url} failed: "
                               f"{getattr(exc, 'reason', exc)}") from None
