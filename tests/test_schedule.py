"""`gossipcrawl schedule`: due sites go to the least busy Scrapyd node, never twice at once;
with the state in Redis, no article is emitted twice whichever node crawled it."""

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import SCRAPYD_PASSWORD, SCRAPYD_USERNAME
from sites.slowsite import SlowSite

from gossipcrawl.scheduler import ScheduleError
from gossipcrawl.scheduler.config import (
    load_schedule,
    parse_duration,
    schedule_from_dict,
    site_key,
)
from gossipcrawl.scheduler.dispatcher import Dispatcher, job_site
from gossipcrawl.scheduler.scrapyd import ScrapydError

# --- the file -------------------------------------------------------------------------------

def test_durations():
    assert parse_duration("1h") == 3600
    assert parse_duration("1h30m") == 5400
    assert parse_duration("90s") == 90 and parse_duration(45) == 45
    assert parse_duration("1d") == 86400
    for bad in ("soon", "1x", "-5m", "0s", "1h soon"):
        with pytest.raises(ScheduleError):
            parse_duration(bad)


def test_schedule_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NODE_B_PASSWORD", "from-env")
    path = tmp_path / "schedule.toml"
    path.write_text(textwrap.dedent("""
        [scheduler]
        interval = "30s"
        state_file = "state/schedule.json"

        [defaults]
        every = "1h"
        state = "redis://redis.internal:6379/0"
        output = "/srv/feeds/{site}/{time}.jsonl.gz"
        settings = { LOG_LEVEL = "INFO" }

        [[nodes]]
        name = "a"
        url = "http://crawl-1:6800/"
        username = "gossipcrawl"
        password = "inline"

        [[nodes]]
        name = "b"
        url = "http://crawl-2:6800"
        username = "gossipcrawl"
        password_env = "NODE_B_PASSWORD"
        max_jobs = 2

        [[sites]]
        target = "soapdirt"
        every = "30m"
        settings = { DOWNLOAD_DELAY = 2 }

        [[sites]]
        target = "https://www.soaps.example/news/"
        """))
    schedule = load_schedule(path)
    assert schedule.interval == 30
    assert schedule.state_file == tmp_path / "state" / "schedule.json"
    a, b = schedule.nodes
    assert a.url == "http://crawl-1:6800" and a.password == "inline"
    assert b.password == "from-env" and b.max_jobs == 2
    assert b.auth_header().startswith("Basic ")
    soapdirt, other = schedule.sites
    assert soapdirt.key == "soapdirt" and soapdirt.every == 1800
    assert soapdirt.settings == {"LOG_LEVEL": "INFO", "DOWNLOAD_DELAY": "2"}
    assert other.key == "www-soaps-example-news" and other.every == 3600
    assert other.state == "redis://redis.internal:6379/0"


@pytest.mark.parametrize("data, message", [
    ({"sites": [{"target": "soapdirt"}]}, "no [[nodes]]"),
    ({"nodes": [{"url": "http://a:6800"}]}, "no [[sites]]"),
    ({"nodes": [{"name": "a"}], "sites": [{"target": "x"}]}, "has no url"),
    ({"nodes": [{"url": "http://a:6800", "password_env": "GC_NOT_SET_ANYWHERE"}],
      "sites": [{"target": "x"}]}, "GC_NOT_SET_ANYWHERE"),
    ({"nodes": [{"url": "http://a:6800"}],
      "sites": [{"target": "soapdirt", "output": "relative/out.jsonl"}]}, "absolute path"),
    ({"nodes": [{"url": "http://a:6800"}],
      "sites": [{"target": "soapdirt"}, {"target": "soapdirt"}]}, "same target"),
    ({"nodes": [{"url": "http://a:6800"}],
      "sites": [{"target": "soapdirt", "every": "often"}]}, "not a duration"),
    ({"node": [], "sites": []}, "unknown table"),
    ({"nodes": [{"url": "http://a:6800"}], "sites": [{"target": "nosuchprofile"}]},
     "[[sites]] target 'nosuchprofile': unknown site profile 'nosuchprofile'"),
    ({"nodes": [{"url": "http://a:6800"}], "sites": [{"target": "ftp://soaps.example/"}]},
     "not an http(s) URL"),
    ({"nodes": [{"url": "http://a:6800", "max_jobs": "eight"}],
      "sites": [{"target": "soapdirt"}]},
     "max_jobs of node http://a:6800 must be a whole number, 1 or more, not 'eight'"),
    ({"nodes": [{"url": "http://a:6800", "max_job": 8}], "sites": [{"target": "soapdirt"}]},
     "unknown key 'max_job' in [[nodes]] number 1 (did you mean max_jobs?)"),
    ({"nodes": [{"url": "a:6800"}], "sites": [{"target": "soapdirt"}]},
     "url must be an http(s) URL"),
    ({"nodes": [{"url": "http://a:6800"}], "sites": [{"target": "soapdirt", "evry": "1h"}]},
     "unknown key 'evry' in a [[sites]] entry (did you mean every?)"),
    ({"nodes": [{"url": "http://a:6800"}],
      "sites": [{"target": "soapdirt", "settings": {"DOWNLOAD_DELAY": "soon"}}]},
     "[[sites]] target 'soapdirt': settings: DOWNLOAD_DELAY takes a number"),
    ({"nodes": [{"url": "http://a:6800"}], "defaults": {"state": "redis://r/abc"},
      "sites": [{"target": "soapdirt"}]}, "the Redis database must be a number"),
])
def test_bad_schedules_are_refused(data, message):
    with pytest.raises(ScheduleError) as refused:
        schedule_from_dict(data)
    assert message in str(refused.value)


def test_job_ids_name_their_site():
    assert job_site("soapdirt.20240710T183211Z.a1b2c3") == "soapdirt"
    assert job_site("127-0-0-1-8080.20240710T183211Z.a1b2c3") == "127-0-0-1-8080"
    assert job_site("4f1c0a-some-scrapyd-uuid") is None
    assert site_key("https://www.Soaps.example/news/") == "www-soaps-example-news"


# --- the rounds, against fake nodes ---------------------------------------------------------------

class FakeNodes:
    def __init__(self, **nodes):
        self.nodes = {name: {"load": 0, "active": {}, "finished": {}, "up": True,
                             "scheduled": [], **info}
                      for name, info in nodes.items()}

    def finish(self, node: str, outcome: str = "gossipcrawl outcome: ok"):
        """Every job of the node ends; its log ends with this line."""
        info = self.nodes[node]
        for jobid in info["active"]:
            info["finished"][jobid] = f"2024-07-10 10:00:00 [x] INFO: ...\n{outcome}\n"
        info["active"].clear()

    def client(self, node, timeout):
        fake = self

        class Client:
            def daemon_status(self):
                info = fake.nodes[node.name]
                if not info["up"]:
                    raise ScrapydError(f"{node.name}: connection refused")
                return {"status": "ok", "running": info["load"], "pending": 0}

            def list_jobs(self, project):
                info = fake.nodes[node.name]
                return {"pending": [{"id": i} for i, k in info["active"].items() if k == "pending"],
                        "running": [{"id": i} for i, k in info["active"].items() if k == "running"],
                        "finished": [{"id": i, "log_url": f"/logs/{i}.log"}
                                     for i in info["finished"]]}

            def log_tail(self, log_url):
                return fake.nodes[node.name]["finished"][log_url[len("/logs/"):-len(".log")]]

            def schedule(self, project, spider, *, jobid, args, settings, version=None):
                info = fake.nodes[node.name]
                info["scheduled"].append((jobid, args, settings))
                info["active"][jobid] = "pending"
                info["load"] += 1
                return jobid

        return Client()


# Scheduled sites: key (the site's `name`) and its target, a real profile.
SITES = {"a-site": "soapdirt", "b-site": "soaphub", "c-site": "soapsindepth"}


def _schedule(tmp_path, sites=tuple(SITES), **node_options):
    return schedule_from_dict({
        "scheduler": {"state_file": str(tmp_path / "state.json")},
        "defaults": {"every": "1h", "output": "/srv/{site}/{jobid}.jsonl",
                     "state": "redis://r:6379/0", "job_dir": "/srv/jobs/{site}"},
        "nodes": [{"name": "n1", "url": "http://n1:6800", **node_options.get("n1", {})},
                  {"name": "n2", "url": "http://n2:6800", **node_options.get("n2", {})}],
        "sites": [{"target": SITES[name], "name": name} for name in sites]})


def test_due_sites_go_to_the_least_busy_node(tmp_path):
    fake = FakeNodes(n1={"load": 3}, n2={"load": 1})
    clock = [1_000_000.0]
    dispatcher = Dispatcher(_schedule(tmp_path), clock=lambda: clock[0],
                            client_factory=fake.client)
    decisions = dispatcher.run_round()
    assert [(d.site, d.action, d.node) for d in decisions] == [
        ("a-site", "dispatched", "n2"),        # n2: 1 -> 2
        ("b-site", "dispatched", "n2"),        # n2: 2 -> 3, as busy as n1
        ("c-site", "dispatched", "n1")]        # tie: the first node in the file
    jobid, args, settings = fake.nodes["n2"]["scheduled"][0]
    assert args == {"target": "soapdirt"} and job_site(jobid) == "a-site"
    assert settings["GOSSIPCRAWL_STATE"] == "redis://r:6379/0"
    assert settings["GOSSIPCRAWL_JOB_DIR"] == "/srv/jobs/a-site"
    (uri, options), = json.loads(settings["FEEDS"]).items()
    assert uri == f"file:///srv/a-site/{jobid}.jsonl" and options["format"] == "jsonlines"
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["sites"]["a-site"]["node"] == "n2"

    # Still running: never started twice, even when due again.
    clock[0] += 7200
    decisions = dispatcher.run_round()
    assert {d.action for d in decisions} == {"running"}
    # Finished: read back once, and due again one hour after the last dispatch, not before.
    for name in fake.nodes:
        fake.finish(name)
    assert [(d.site, d.action) for d in dispatcher.run_round()] == [
        ("a-site", "finished"), ("a-site", "dispatched"), ("b-site", "finished"),
        ("b-site", "dispatched"), ("c-site", "finished"), ("c-site", "dispatched")]
    clock[0] += 600
    for name in fake.nodes:
        fake.finish(name)
    assert [d.action for d in dispatcher.run_round()] == ["finished", "not-due"] * 3
    assert [d.action for d in dispatcher.run_round()] == ["not-due"] * 3


def test_full_and_unreachable_nodes(tmp_path):
    fake = FakeNodes(n1={"load": 0}, n2={"load": 0})
    clock = [1_000_000.0]
    dispatcher = Dispatcher(_schedule(tmp_path, n1={"max_jobs": 1}), clock=lambda: clock[0],
                            client_factory=fake.client)
    decisions = dispatcher.run_round()
    assert [d.node for d in decisions] == ["n1", "n2", "n2"]   # n1 takes one job only

    # n2 stops answering while it runs b-site and c-site: they are not started elsewhere,
    # since they may still be running there; a-site (finished on n1) goes on.
    fake.nodes["n2"]["up"] = False
    fake.finish("n1")
    fake.nodes["n1"]["load"] = 0
    clock[0] += 7200
    decisions = {d.site: d for d in dispatcher.run_round()}
    assert decisions["a-site"].action == "dispatched" and decisions["a-site"].node == "n1"
    assert decisions["b-site"].action == "unknown" and decisions["c-site"].action == "unknown"

    fake.nodes["n1"]["up"] = False
    clock[0] += 7200
    decisions = {d.site: d for d in dispatcher.run_round()}
    assert decisions["a-site"].action == "unknown"


@pytest.mark.parametrize("log, detail", [
    ("gossipcrawl outcome: unreachable: cannot reach soapdirt.com: DNS lookup failed",
     "unreachable: cannot reach soapdirt.com: DNS lookup failed"),
    ("gossipcrawl outcome: monitors_failed: 1 crawl monitor failed",
     "monitors_failed: 1 crawl monitor failed"),
    (("2024-07-10 10:00:01 [gossipcrawl.scrapycommands.crawl] ERROR: unknown site profile "
      "'gone'"), "died: unknown site profile 'gone'"),
    ("", "died: the job ended without an outcome line"),
])
def test_a_failed_crawl_is_reported_once_kept_and_fails_the_round(tmp_path, log, detail):
    fake = FakeNodes(n1={}, n2={})
    clock = [1_000_000.0]
    dispatcher = Dispatcher(_schedule(tmp_path, sites=("a-site",)), clock=lambda: clock[0],
                            client_factory=fake.client)
    dispatched, = dispatcher.run_round()
    fake.finish(dispatched.node, log)
    clock[0] += 60
    failed, _not_due = dispatcher.run_round()
    assert (failed.action, failed.jobid) == ("crawl-failed", dispatched.jobid)
    assert failed.detail.startswith(detail)
    assert failed.line().startswith(f"a-site: crawl-failed on {dispatched.node} (job ")
    assert failed.detail.endswith(f"(log: /logs/{dispatched.jobid}.log)")
    saved = json.loads((tmp_path / "state.json").read_text())["sites"]["a-site"]
    assert saved["outcome"]["kind"] == detail.split(":")[0] and saved["finished"]
    # Reported once; later rounds only recall it.
    again, = dispatcher.run_round()
    assert again.action == "not-due" and again.detail.endswith(
        f"; its last crawl: {detail.split(':')[0]}")


def test_a_job_the_node_forgot_is_a_failure(tmp_path):
    fake = FakeNodes(n1={}, n2={})
    dispatcher = Dispatcher(_schedule(tmp_path, sites=("a-site",)), client_factory=fake.client)
    dispatched, = dispatcher.run_round()
    fake.nodes[dispatched.node]["active"].clear()        # Scrapyd restarted: no trace
    lost, _ = dispatcher.run_round()
    assert lost.action == "crawl-failed" and lost.detail.startswith("lost: ")


def test_dry_run_dispatches_nothing(tmp_path):
    fake = FakeNodes(n1={}, n2={})
    dispatcher = Dispatcher(_schedule(tmp_path), client_factory=fake.client)
    decisions = dispatcher.run_round(dry_run=True)
    assert {d.action for d in decisions} == {"would-dispatch"}
    assert not fake.nodes["n1"]["scheduled"] and not (tmp_path / "state.json").exists()


# --- two real Scrapyd nodes and a real Redis --------------------------------------------------

def _schedule_file(path: Path, nodes, sites, tmp_path, redis_url):
    node_tables = "".join(f"""
        [[nodes]]
        name = "{node.name}"
        url = "{node.url}"
        username = "{SCRAPYD_USERNAME}"
        password_env = "GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD"
        """ for node in nodes)
    site_tables = "".join(f"""
        [[sites]]
        target = "{site.base_url}/"
        """ for site in sites)
    path.write_text(textwrap.dedent(f"""
        [scheduler]
        state_file = "{tmp_path / 'schedule-state.json'}"
        timeout = "30s"

        [defaults]
        every = "2s"
        state = "{redis_url}"
        output = "{tmp_path}/feeds/{{site}}/{{jobid}}.jsonl"
        job_dir = "{tmp_path}/jobs/{{site}}"
        settings = {{ DOWNLOAD_DELAY = "0", AUTOTHROTTLE_ENABLED = "False", GOSSIPCRAWL_INCREMENTAL = "False" }}
        """) + textwrap.dedent(node_tables) + textwrap.dedent(site_tables))


def _run_schedule(path: Path, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD": SCRAPYD_PASSWORD}
    return subprocess.run([sys.executable, "-m", "gossipcrawl", "schedule", str(path),
                           "--once"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def _round(path: Path, tmp_path) -> list[list[str]]:
    """The round's decisions, without the lines reporting how earlier jobs finished."""
    result = _run_schedule(path, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line.split() + [result.stderr] for line in result.stdout.splitlines()
            if line.split()[1] != "finished"]


@pytest.mark.scrapyd
@pytest.mark.redis
def test_dispatch_over_two_scrapyd_nodes_emits_each_article_once(scrapyd_nodes, redis_url,
                                                                  tmp_path):
    node_a, node_b = scrapyd_nodes
    for node in scrapyd_nodes:
        node.wait_for_jobs()
    with SlowSite(articles=4, delay=0.3) as one, SlowSite(articles=4, delay=0.3) as two:
        forward, backward = tmp_path / "forward.toml", tmp_path / "backward.toml"
        _schedule_file(forward, [node_a, node_b], [one, two], tmp_path, redis_url)
        _schedule_file(backward, [node_b, node_a], [one, two], tmp_path, redis_url)

        one.hold()                      # the first jobs run until both rounds have looked
        two.hold()
        first = _round(forward, tmp_path)
        # "<site>: dispatched on <node> (job <id>)"; the second site goes to the idle node
        assert [(line[1], line[3]) for line in first] == [("dispatched", "node-a"),
                                                          ("dispatched", "node-b")], first
        again = _round(forward, tmp_path)
        one.release()
        two.release()
        assert [line[1] for line in again] == ["running", "running"], again

        for node in scrapyd_nodes:
            node.wait_for_jobs()
        time.sleep(2)                                   # every = "2s": due again
        # Nodes listed the other way round: each site now goes to the other node.
        second = _round(backward, tmp_path)
        assert [(line[1], line[3]) for line in second] == [("dispatched", "node-b"),
                                                           ("dispatched", "node-a")], second
        for node in scrapyd_nodes:
            node.wait_for_jobs()

        urls = []
        for feed in sorted((tmp_path / "feeds").rglob("*.jsonl")):
            urls += [json.loads(line)["url"] for line in feed.read_text().splitlines()]
        assert len(list((tmp_path / "feeds").rglob("*.jsonl"))) == 4   # four jobs ran
        assert sorted(urls) == sorted(one.article_urls() + two.article_urls())
        # both crawls of each site fetched its articles; the shared state let one emit them
        assert one.hits(one.article_path(1)) == 2 and two.hits(two.article_path(1)) == 2


@pytest.mark.scrapyd
def test_a_failed_scrapyd_job_is_read_back_and_fails_the_round(scrapyd_nodes, tmp_path):
    """A site that cannot be reached: its job ends on the node, the next round reads the
    outcome from the job's log, says so, keeps it in the state file and exits 7."""
    node = scrapyd_nodes[0]
    node.wait_for_jobs()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]                   # nobody listens here afterwards
    path = tmp_path / "schedule.toml"
    path.write_text(textwrap.dedent(f"""
        [scheduler]
        state_file = "{tmp_path / 'schedule-state.json'}"
        timeout = "30s"

        [defaults]
        every = "1h"
        state = "{tmp_path / 'state.sqlite3'}"
        output = "{tmp_path}/feeds/{{site}}/{{jobid}}.jsonl"

        [[nodes]]
        name = "{node.name}"
        url = "{node.url}"
        username = "{SCRAPYD_USERNAME}"
        password_env = "GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD"

        [[sites]]
        target = "http://127.0.0.1:{port}/"
        """))
    first = _run_schedule(path, tmp_path)
    assert first.returncode == 0 and " dispatched on " in first.stdout, first.stderr
    node.wait_for_jobs()
    second = _run_schedule(path, tmp_path)
    lines = second.stdout.splitlines()
    assert second.returncode == 7, second.stdout + second.stderr
    assert lines[0].startswith(f"127-0-0-1-{port}: crawl-failed on {node.name} (job ")
    assert (f"unreachable: cannot reach 127.0.0.1:{port}: connection refused (log: /logs/"
            in lines[0]), lines
    assert lines[1].startswith(f"127-0-0-1-{port}: not-due: next at ")
    saved = json.loads((tmp_path / "schedule-state.json").read_text())
    outcome = saved["sites"][f"127-0-0-1-{port}"]["outcome"]
    assert outcome["kind"] == "unreachable"
    third = _run_schedule(path, tmp_path)               # reported once, then recalled
    assert third.returncode == 0 and third.stdout.endswith("its last crawl: unreachable\n")


@pytest.mark.parametrize("site_table, message", [
    ('target = "nosuchprofile"', "[[sites]] target 'nosuchprofile': unknown site profile"),
    ('target = "soapdirt"\nsettings = { DOWNLOAD_DELAY_TYPO = "1" }',
     "unknown setting DOWNLOAD_DELAY_TYPO (did you mean DOWNLOAD_DELAY?)"),
    ('target = "soapdirt"\n\n[[nodes]]\nurl = "http://127.0.0.1:10"\nmax_jobs = "eight"',
     "max_jobs of node http://127.0.0.1:10 must be a whole number, 1 or more, not 'eight'"),
])
def test_a_bad_schedule_is_one_line_and_dispatches_nothing(tmp_path, site_table, message):
    path = tmp_path / "schedule.toml"
    path.write_text('[[nodes]]\nurl = "http://127.0.0.1:9"\nmax_jobs = 8\n\n'
                    f"[[sites]]\n{site_table}\n")
    result = _run_schedule(path, tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.toml"]


def test_groups_are_one_job_each_and_a_site_is_in_one_job_only():
    from gossipcrawl.scheduler.dispatcher import spider_arguments

    schedule = schedule_from_dict({
        "nodes": [{"url": "http://a:6800"}],
        "sites": [{"target": "soapdirt"}],
        "groups": [{"name": "daytime", "sites": ["soaphub", "soaps-sheknows"], "every": "2h",
                    "output": "/srv/feeds/{site}/{time}.jsonl.gz",
                    "job_dir": "/srv/jobs/{site}"}]})
    group = next(site for site in schedule.sites if site.key == "daytime")
    assert group.targets == ("soaphub", "soaps-sheknows") and group.every == 7200
    assert spider_arguments(group) == {"targets": "soaphub soaps-sheknows"}
    settings = Dispatcher(schedule).job_settings(group, "daytime.x.y", 0)
    (uri,) = json.loads(settings["FEEDS"])
    assert "/srv/feeds/%(site)s/" in uri          # each site of the job fills its own
    assert settings["GOSSIPCRAWL_JOB_DIR"] == "/srv/jobs/daytime"
    for bad, message in (
            ({"groups": [{"name": "g", "sites": ["soapdirt"]}]}, "is in both"),
            ({"groups": [{"name": "g", "sites": ["soaphub"], "output": "/srv/x.jsonl"}]},
             "name {site}"),
            ({"groups": [{"name": "g", "sites": ["nosuchprofile"]}]}, "nosuchprofile"),
            ({"groups": [{"name": "g", "sites": []}]}, "list of profile names")):
        with pytest.raises(ScheduleError, match=message):
            schedule_from_dict({"nodes": [{"url": "http://a:6800"}],
                                "sites": [{"target": "soapdirt"}], **bad})


@pytest.mark.scrapyd
@pytest.mark.redis
def test_a_group_is_one_scrapyd_job_crawling_its_sites_in_one_process(scrapyd_nodes,
                                                                      redis_url, tmp_path):
    node = scrapyd_nodes[0]
    node.wait_for_jobs()
    with SlowSite(articles=3, delay=0.05) as one, SlowSite(articles=4, delay=0.05) as two:
        path = tmp_path / "schedule.toml"
        path.write_text(textwrap.dedent(f"""
            [scheduler]
            state_file = "{tmp_path / 'schedule-state.json'}"
            timeout = "30s"

            [[nodes]]
            name = "{node.name}"
            url = "{node.url}"
            username = "{SCRAPYD_USERNAME}"
            password_env = "GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD"

            [[groups]]
            name = "loopback"
            sites = ["{one.base_url}/", "{two.base_url}/"]
            every = "1h"
            state = "{redis_url}"
            output = "{tmp_path}/feeds/{{site}}.jsonl"
            job_dir = "{tmp_path}/jobs/{{site}}"
            settings = {{ DOWNLOAD_DELAY = "0", AUTOTHROTTLE_ENABLED = "False" }}
            """))
        first = _round(path, tmp_path)
        assert [(line[0], line[1]) for line in first] == [("loopback:", "dispatched")], first
        jobs = node.wait_for_jobs()
        assert len(jobs["finished"]) >= 1
        feeds = {feed.name: len(feed.read_text().splitlines())
                 for feed in (tmp_path / "feeds").glob("*.jsonl")}
        assert sorted(feeds.values()) == [3, 4], feeds
        assert sorted(p.name for p in (tmp_path / "jobs" / "loopback").iterdir()) == \
            sorted(f"127.0.0.1-{site.port}" for site in (one, two))
        # The next round reads the job's outcome back: the group finished.
        result = _run_schedule(path, tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "loopback: finished" in result.stdout, result.stdout
