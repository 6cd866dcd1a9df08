"""gossipcrawl under a real Scrapyd: the egg scrapyd-deploy builds carries every data file,
jobs take `target` as a spider argument, Scrapyd's items_dir stays empty so the project's
own feed and state apply, and the API refuses requests without the account."""

import json
import subprocess
import sys
import zipfile
from urllib.error import HTTPError

import pytest
from sites.slowsite import SlowSite

pytestmark = pytest.mark.scrapyd

DATA_FILES = ["gossipcrawl/data/shows.toml", "gossipcrawl/schemas/article.json",
              "gossipcrawl/sites/soapdirt.toml"]


def test_egg_carries_the_data_files(scrapyd_nodes):
    names = zipfile.ZipFile(scrapyd_nodes[0].egg).namelist()
    for name in DATA_FILES:
        assert name in names, f"{name} is missing from the egg"
    assert len([n for n in names if n.startswith("gossipcrawl/sites/")
                and n.endswith(".toml")]) >= 8
    assert not any(n.startswith("tests/") for n in names)
    entry_points = zipfile.ZipFile(scrapyd_nodes[0].egg).read("EGG-INFO/entry_points.txt")
    assert b"settings = gossipcrawl.settings" in entry_points


def test_api_needs_the_account(scrapyd_nodes):
    node = scrapyd_nodes[0]
    with pytest.raises(HTTPError) as refused:
        node.call("daemonstatus.json", auth=False)
    assert refused.value.code == 401
    assert node.call("listprojects.json")["projects"] == ["gossipcrawl"]


def test_scheduled_job_writes_the_projects_feed(scrapyd_nodes, tmp_path):
    node = scrapyd_nodes[0]
    out = tmp_path / "feeds" / "slow.jsonl"
    state = tmp_path / "state.sqlite3"
    with SlowSite(articles=5, delay=0.0) as site:
        answer = node.call("schedule.json", [
            ("project", "gossipcrawl"), ("spider", "news"), ("target", site.base_url + "/"),
            ("setting", "FEEDS=" + json.dumps({out.as_uri(): {"format": "jsonlines"}})),
            ("setting", f"GOSSIPCRAWL_STATE={state}"),
            ("setting", f"GOSSIPCRAWL_JOB_DIR={tmp_path / 'job'}"),
            ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False")])
        assert answer["status"] == "ok", answer
        jobid = answer["jobid"]
        jobs = node.wait_for_jobs()
    assert jobid in [job["id"] for job in jobs["finished"]]
    log = node.job_log(jobid)
    assert "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    # Scrapyd's runner put the deployed egg on sys.path: that is the code that ran
    assert f"from {node.directory / 'eggs'}" in log or ".egg/gossipcrawl" in log, [
        line for line in log.splitlines() if "gossipcrawl 0" in line]
    assert out.exists(), f"no feed at {out}; job log:\n{log[-3000:]}"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["url"] for r in records) == sorted(site.article_urls())
    for record in records:
        # the gazetteer (data/shows.toml) and the schema came with the egg
        assert record["shows"] and record["shows"][0]["name"] in {
            "General Hospital", "The Young and the Restless", "Days of Our Lives",
            "The Bold and the Beautiful"}
        assert record["schemaVersion"] == 1
        # Scrapyd's job id is the crawl id: the state's rows say which job emitted what
        assert record["metadata"]["crawlId"] == jobid
    # items_dir is empty: Scrapyd wrote no feed of its own
    assert not (node.directory / "items").exists()


def test_data_files_load_from_the_zipped_egg(scrapyd_nodes):
    """What Scrapyd's runner does (the egg first on sys.path, imported from the zip):
    profiles, gazetteer and schema load through importlib.resources."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import gossipcrawl, gossipcrawl.sites as sites\n"
        "from gossipcrawl.schemas import article_schema\n"
        "assert gossipcrawl.__file__.startswith(sys.argv[1]), gossipcrawl.__file__\n"
        "profiles = sites.load_profiles()\n"
        "assert 'soapdirt' in profiles and len(profiles) >= 8, profiles\n"
        "assert article_schema()['properties']['shows']\n"
        "print('ok', len(profiles))\n")
    result = subprocess.run([sys.executable, "-c", code, str(scrapyd_nodes[0].egg)],
                            cwd=scrapyd_nodes[0].directory, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok")
