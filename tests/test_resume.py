"""Pause and resume: a crawl stopped with Ctrl-C (SIGINT) or killed (SIGKILL) midway, then
started again with the same job directory and state, ends with a feed that holds every
article exactly once; the state then knows them all."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import Request, Spider
from sites.slowsite import SlowSite

from gossipcrawl.job.directory import (Job, JobError, check_job_dir, read_job_info,
                                       wait_for_unlock)
from gossipcrawl.job.feedstorage import JobFeedStorage
from gossipcrawl.job.journal import decode_request, encode_request, truncate_torn_tail

ARTICLES = 20
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        "-s", "GOSSIPCRAWL_JOB_SYNC_INTERVAL=0.2"]


# --- the pieces ------------------------------------------------------------------------------

def test_torn_tail_is_cut_back_to_the_last_newline(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert truncate_torn_tail(path) == len(b'{"c": ')
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert truncate_torn_tail(path) == 0
    path.write_bytes(b"no newline at all")
    truncate_torn_tail(path)
    assert path.read_bytes() == b""
    assert truncate_torn_tail(tmp_path / "missing") == 0


class _Spider(Spider):
    name = "t"

    def parse_page(self, response):
        pass

    def on_error(self, failure):
        pass


def test_journaled_request_comes_back_the_same():
    spider = _Spider()
    request = Request("https://soaps.example/gh-story/?p=1", callback=spider.parse_page,
                      errback=spider.on_error, priority=10,
                      meta={"kind": "article", "lastmod": "2024-07-10", "hops": 2,
                            "raw": b"\x00bytes", "when": {1, 2}})
    back = decode_request(encode_request(request, spider), spider)
    assert back.url == request.url and back.priority == 10
    assert back.callback == spider.parse_page and back.errback == spider.on_error
    assert back.meta == request.meta
    assert back.headers == request.headers


def test_one_process_per_job_and_one_site_per_job(tmp_path):
    job = Job(tmp_path / "job", site="soapdirt", crawl_id="c1")
    with pytest.raises(JobError, match="in use"):
        Job(tmp_path / "job", site="soapdirt", crawl_id="c2")
    with pytest.raises(JobError, match="in use"):
        check_job_dir(tmp_path / "job", "soapdirt")
    job.close_reason = "shutdown"
    job.finish(published=True)
    assert read_job_info(tmp_path / "job")["status"] == "paused"
    with pytest.raises(JobError, match="unfinished crawl of 'soapdirt'"):
        check_job_dir(tmp_path / "job", "soaphub")
    resumed = Job(tmp_path / "job", site="soapdirt", crawl_id="ignored")
    assert resumed.resuming and resumed.crawl_id == "c1" and resumed.runs == 2
    resumed.close_reason = "finished"
    resumed.finish(published=True)
    assert read_job_info(tmp_path / "job")["status"] == "finished"
    fresh = Job(tmp_path / "job", site="soaphub", crawl_id="c3")  # a finished job is over
    assert not fresh.resuming and fresh.crawl_id == "c3"
    fresh.release()


def test_job_feed_is_kept_while_paused_and_published_gzipped_at_the_end(tmp_path):
    out = tmp_path / "out" / "feed.jsonl.gz"
    options = {"postprocessing": ["scrapy.extensions.postprocessing.GzipPlugin"],
               "gzip_mtime": 0, "overwrite": True}
    job = Job(tmp_path / "job", site="s", crawl_id="c1")
    storage = JobFeedStorage(job, out.as_uri(), feed_options=options)
    assert "postprocessing" not in options, "the job storage compresses, not the exporter"
    handle = storage.open(None)
    handle.write(b'{"id": "a", "contentHash": "h", "revision": 1}\n{"id": "b", "cont')
    job.close_reason = "shutdown"
    storage.store(handle)
    job.finish(published=True)
    assert not out.exists(), "a paused job publishes nothing"

    job = Job(tmp_path / "job", site="s", crawl_id="c2")
    assert set(job.emitted) == {"a"}, "the torn line is not an emitted article"
    storage = JobFeedStorage(job, out.as_uri(), feed_options=dict(options))
    handle = storage.open(None)
    handle.write(b'{"id": "c", "contentHash": "h2", "revision": 1}\n')
    job.close_reason = "finished"
    storage.store(handle)
    job.finish(published=True)
    lines = gzip.decompress(out.read_bytes()).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "c"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["feed.jsonl.gz"]


# --- real crawls, stopped and resumed ------------------------------------------------------------

def _crawl(site, tmp_path, state, *extra, out="out.jsonl"):
    log = open(tmp_path / f"crawl-{time.monotonic_ns()}.log", "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
         "-o", str(tmp_path / out), "--state", state, "--job-dir", str(tmp_path / "job"),
         *FAST, *extra], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT), log


def _done_pages(tmp_path) -> int:
    try:
        return len((tmp_path / "job" / "done.txt").read_text().splitlines())
    except FileNotFoundError:
        return 0


def _stop_midway(process, log, tmp_path, sig):
    deadline = time.monotonic() + 90
    while _done_pages(tmp_path) < 6:
        if process.poll() is not None or time.monotonic() > deadline:
            log.close()
            pytest.fail("the crawl ended before it could be stopped:\n"
                        + Path(log.name).read_text(errors="replace")[-3000:])
        time.sleep(0.05)
    process.send_signal(sig)
    process.wait(timeout=90)
    log.close()
    assert wait_for_unlock(tmp_path / "job", 10)
    return Path(log.name).read_text(errors="replace")


def _finish(site, tmp_path, state, *extra, out="out.jsonl"):
    process, log = _crawl(site, tmp_path, state, *extra, out=out)
    code = process.wait(timeout=120)
    log.close()
    text = Path(log.name).read_text(errors="replace")
    assert code == 0, text[-3000:]
    assert "\x1b[K" not in text, "no status line when stderr is not a terminal"
    return text


def _feed_urls(path: Path) -> list[str]:
    return [json.loads(line)["url"] for line in path.read_text(encoding="utf-8").splitlines()]


def _partial_feed_lines(tmp_path) -> int:
    return sum(len(p.read_bytes().splitlines())
               for p in (tmp_path / "job" / "feeds").glob("*.jsonl"))


@pytest.mark.e2e
@pytest.mark.redis
def test_ctrl_c_then_resume_loses_nothing_and_repeats_nothing(tmp_path, redis_url):
    state = redis_url   # the shared store; the kill -9 test below uses the embedded one
    with SlowSite(articles=ARTICLES, delay=0.25) as site:
        process, log = _crawl(site, tmp_path, state)
        text = _stop_midway(process, log, tmp_path, signal.SIGINT)
        assert "job paused" in text, text[-3000:]
        assert read_job_info(tmp_path / "job")["status"] == "paused"
        assert not (tmp_path / "out.jsonl").exists(), "a paused job publishes no feed"
        assert 0 < _partial_feed_lines(tmp_path) < ARTICLES, "stopped midway"

        text = _finish(site, tmp_path, state)
        assert "resuming job" in text
        urls = _feed_urls(tmp_path / "out.jsonl")
        assert sorted(urls) == sorted(site.article_urls())      # all, each exactly once
        crawl_ids = {json.loads(line)["metadata"]["crawlId"]
                     for line in (tmp_path / "out.jsonl").read_text().splitlines()}
        assert len(crawl_ids) == 1, "one job, one crawl id, across its runs"
        assert read_job_info(tmp_path / "job")["status"] == "finished"
        assert sorted(os.listdir(tmp_path / "job")) == ["job.json", "job.lock"]


@pytest.mark.e2e
def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(tmp_path):
    state = str(tmp_path / "state.sqlite3")
    with SlowSite(articles=ARTICLES, delay=0.25) as site:
        process, log = _crawl(site, tmp_path, state)
        _stop_midway(process, log, tmp_path, signal.SIGKILL)
        assert read_job_info(tmp_path / "job")["status"] == "running"   # nobody said goodbye
        assert not (tmp_path / "out.jsonl").exists()
        written = _partial_feed_lines(tmp_path)
        assert 0 < written < ARTICLES
        # A kill lands mid-write as often as not: each file ends with half a line.
        for name in ("requests.jsonl", "done.txt"):
            with open(tmp_path / "job" / name, "ab") as torn:
                torn.write(b'0123abc {"url": "http://127.0.0.1/torn')
        partial, = (tmp_path / "job" / "feeds").glob("*.jsonl")
        with open(partial, "ab") as torn:
            torn.write(b'{"schemaVersion": 1, "id": "torn')

        text = _finish(site, tmp_path, state)
        assert "resuming job" in text
        urls = _feed_urls(tmp_path / "out.jsonl")
        assert sorted(urls) == sorted(site.article_urls())      # all, each exactly once

        # A new job with the same state: every article is known, none is emitted again
        # (incremental discovery off, so the pages are fetched and the state decides).
        site.counter.clear()
        _finish(site, tmp_path, state, "-s", "GOSSIPCRAWL_INCREMENTAL=False",
                out="again.jsonl")
        assert site.hits(site.article_path(1)) == 1
        assert (tmp_path / "again.jsonl").read_text() == ""
