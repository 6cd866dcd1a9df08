"""The command line: one plain line and a non-zero exit for every bad invocation."""

import subprocess
import sys

import pytest

from gossipcrawl.commands.base import UsageError

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def gossipcrawl(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["crawl", "no-such-profile"], "unknown site profile"),
    (["crawl", "ftp://soaps.example/"], "not an http(s) URL"),
    (["crawl", "soapdirt", "-o", "out.csv"], "must end in .jsonl or .jsonl.gz"),
    (["crawl", "soapdirt", "-o", "/proc/gossipcrawl/out.jsonl"], "output directory"),
    (["crawl", "soapdirt", "--state", "/proc/gossipcrawl/state.sqlite3"], "cannot open state"),
    (["crawl", "soapdirt", "-s", "NOEQUALS"], "NAME=VALUE"),
    (["crawl"], "crawl needs a TARGET"),
    (["frobnicate"], "invalid choice"),
    (["extract", "--url", "https://soaps.example/a/", "a.html", "b.html"], "exactly one FILE"),
    (["extract", "no-such-file.html"], "no such file"),
    (["extract", "."], ". is a directory with no .html or .htm file in it"),
    (["crawl", "soapdirt", "--log-file", "/proc/gossipcrawl/crawl.log"], "--log-file: no such directory"),
    (["crawl", "soapdirt", "--log-file", "."], "--log-file is a directory"),
    (["extract", "--url", "not-a-url", "README.md"], "http(s) URL"),
])
def test_bad_command_lines_give_one_line_and_exit_2(args, message, tmp_path):
    result = gossipcrawl(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gossipcrawl: error:") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_sites_lists_profiles():
    result = gossipcrawl("sites")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert len(names) >= 8
    assert {"soapdirt", "soaphub", "digitalspy-soaps", "soaps-sheknows"} <= set(names)
    assert "digitalspy.com" in result.stdout


def test_partitioned_output_checks_only_the_fixed_part(tmp_path):
    from gossipcrawl.commands.crawl import check_output

    check_output(str(tmp_path / "feeds" / "%(site)s" / "%(day)s.jsonl"))
    assert list(tmp_path.iterdir()) == [], "the check leaves nothing behind"
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="cannot create the output directory"):
        check_output(str(tmp_path / "file" / "%(site)s" / "%(day)s.jsonl"))


def test_bare_command_lists_the_commands(tmp_path):
    result = gossipcrawl(cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    for command in ("crawl", "extract", "sites", "schedule", "fixture", "demo"):
        assert f"    {command} " in result.stdout


def test_version(tmp_path):
    import gossipcrawl as package

    result = gossipcrawl("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"gossipcrawl {package.__version__} (Scrapy 2.")


def test_extract_walks_a_directory_and_says_why_a_page_is_not_an_article(tmp_path):
    import shutil

    fixtures = ROOT / "fixtures" / "articles"
    (tmp_path / "saved" / "listings").mkdir(parents=True)
    shutil.copy(fixtures / "wp-yoast-gh.html", tmp_path / "saved" / "b.html")
    shutil.copy(fixtures / "parsely-days.html", tmp_path / "saved" / "a.HTM")
    shutil.copy(fixtures / "nonarticle-tag-days.html", tmp_path / "saved" / "listings" / "t.html")
    (tmp_path / "saved" / "notes.txt").write_text("not a page")
    result = gossipcrawl("extract", "saved", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2              # a.HTM, b.html; not notes.txt
    assert result.stderr.strip() == \
        "saved/listings/t.html: not an article: listing page (4 teasers, 60 characters in " \
        "1 paragraphs of its own)"
    # No input is an article: still exit 0 (documented), the reason on stderr.
    only_listing = gossipcrawl("extract", "saved/listings", cwd=tmp_path)
    assert only_listing.returncode == 0 and only_listing.stdout == ""
    assert "not an article" in only_listing.stderr


def test_demo_serve_serves_until_stopped(tmp_path):
    """`gossipcrawl demo --serve`: a demo site that stays up for crawls, Scrapyd, the
    scheduler; SIGTERM (or Ctrl-C) stops it, exit 0."""
    import re
    import signal
    from urllib.request import urlopen

    server = subprocess.Popen([sys.executable, "-m", "gossipcrawl", "demo", "--serve",
                               "--port", "0"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        announced = server.stderr.readline()
        base = re.search(r"serving at (http://127\.0\.0\.1:\d+)/", announced).group(1)
        with urlopen(base + "/robots.txt", timeout=10) as response:
            assert b"Sitemap:" in response.read()
        busy = gossipcrawl("demo", "--serve", "--port", base.rsplit(":", 1)[1], cwd=tmp_path)
        assert busy.returncode == 2 and "Traceback" not in busy.stderr
        assert busy.stderr.startswith("gossipcrawl: error: cannot serve the demo site on ")
        assert busy.stderr.count("\n") == 1
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["demo", "--serve", "-o", "x.jsonl"], "--serve only serves the site"),
    (["demo", "--port", "8000"], "--port goes with --serve"),
    (["demo", "--serve", "--port", "70000"], "--port must be from 0 to 65535"),
])
def test_demo_options_that_do_not_go_together(tmp_path, args, message):
    result = gossipcrawl(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_readme_documents_every_exit_status():
    """commands/base.py's table and the README's, in step."""
    import re

    from gossipcrawl.commands import base

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit status"):].split("\n\n")[1]
    documented = {int(status) for status in re.findall(r"(?m)^\| (\d+) \|", table)}
    defined = {value for name, value in vars(base).items() if name.startswith("EXIT_")}
    assert documented == defined
