"""Site profiles are checked against their schema when they load; a broken one is one line
naming its file, only for the commands that need it; `sites --check` finds them all."""

from __future__ import annotations

import pytest
from cli_kit import assert_one_line_error, gossipcrawl, package_copy, snapshot

from gossipcrawl.sites import load_profiles
from gossipcrawl.sites.schema import validate_profile

GOOD = {"name": "example", "domains": ["soaps.example"],
        "start_urls": ["https://www.soaps.example/"],
        "feeds": ["https://soaps.example/feed/"],
        "article_patterns": [r"^https://soaps\.example/[a-z-]+/$"],
        "politeness": {"download_delay": 2.0, "concurrency": 1},
        "settings": {"GOSSIPCRAWL_MAX_PAGINATION": 10}}


def test_a_good_profile_passes():
    assert validate_profile(GOOD, "example") is None


@pytest.mark.parametrize("change, problem", [
    ({"domains": None}, "missing required key 'domains'"),
    ({"start_urls": "https://soaps.example/"}, "start_urls must be a list of strings, not a string"),
    ({"start_urls": []}, "start_urls must not be empty"),
    ({"start_urls": ["ftp://soaps.example/"]}, "start_urls[0] 'ftp://soaps.example/' is not an http(s) URL"),
    ({"start_urls": ["https://elsewhere.example/"]}, "outside the profile's domains"),
    ({"feeds": ["https://cdn.example/feed/"]}, "feeds[0] 'https://cdn.example/feed/' is outside"),
    ({"domains": ["https://soaps.example/"]}, "is not a domain name"),
    ({"article_patterns": ["^https://soaps\\.example/[a-z"]}, "article_patterns[0] '^https://soaps\\.example/[a-z' is not a valid regular expression"),
    ({"deny_patterns": ["(unclosed"]}, "deny_patterns[0]"),
    ({"domain": ["soaps.example"]}, "unknown key 'domain' (did you mean domains?)"),
    ({"article_pattern": ["x"]}, "unknown key 'article_pattern' (did you mean article_patterns?)"),
    ({"politeness": {"dowload_delay": 2}}, "unknown key 'politeness.dowload_delay' (did you mean politeness.download_delay?)"),
    ({"politeness": {"download_delay": "2s"}}, "politeness.download_delay must be a number, 0 or more, not '2s'"),
    ({"politeness": {"concurrency": 0}}, "politeness.concurrency must be a whole number, 1 or more"),
    ({"politeness": 3}, "politeness must be a table"),
    ({"name": "other"}, "name 'other' must be the file's name, 'example'"),
    ({"language": "English"}, "is not a language tag"),
    ({"settings": {"DOWNLOAD_DELAY_TYPO": 1}}, "unknown setting DOWNLOAD_DELAY_TYPO (did you mean DOWNLOAD_DELAY?)"),
    ({"settings": {"GOSSIPCRAWL_MAX_PAGINATION": "lots"}}, "GOSSIPCRAWL_MAX_PAGINATION takes a whole number"),
])
def test_each_problem_is_named(change, problem):
    data = {**GOOD, **change}
    data = {key: value for key, value in data.items() if value is not None}
    found = validate_profile(data, "example")
    assert found is not None and problem in found, found


@pytest.mark.parametrize("name", sorted(load_profiles()))
def test_shipped_profile_is_valid(name):
    """Each shipped profile by name: a failure says which one and why."""
    profile = load_profiles()[name]
    for url in profile.start_urls:
        assert any(url.split("/")[2].endswith(domain) for domain in profile.domains), \
            f"{name}: {url} is outside {profile.domains}"


def test_no_shipped_profile_is_broken():
    from gossipcrawl.sites import broken_profiles

    assert not broken_profiles(), "\n".join(p.message() for p in broken_profiles().values())


# --- through the command line, with a copy of the package holding broken profiles -----------

BROKEN = {
    "bad-toml": 'name = "bad-toml"\ndomains = = ["bad-toml.example"]\n',
    "no-domains": 'name = "no-domains"\nstart_urls = ["https://no-domains.example/"]\n',
    "bad-regex": ('name = "bad-regex"\ndomains = ["bad-regex.example"]\n'
                  'start_urls = ["https://bad-regex.example/"]\narticle_patterns = ["[a-z"]\n'),
}


@pytest.fixture(scope="module")
def broken_package(tmp_path_factory):
    root = package_copy(tmp_path_factory.mktemp("package"))
    for name, text in BROKEN.items():
        (root / "gossipcrawl" / "sites" / f"{name}.toml").write_text(text)
    return {"PYTHONPATH": str(root)}, root / "gossipcrawl" / "sites"


@pytest.mark.parametrize("target, problem", [
    ("bad-toml", "bad-toml.toml: not valid TOML: "),   # and where: "(at line 2, column 11)"
    ("no-domains", "no-domains.toml: missing required key 'domains'"),
    ("bad-regex", "bad-regex.toml: article_patterns[0] '[a-z' is not a valid regular expression"),
    ("https://www.bad-regex.example/news/", "bad-regex.toml: article_patterns[0]"),
])
def test_a_broken_profile_is_one_line_naming_its_file(broken_package, tmp_path, target,
                                                      problem):
    env, sites_dir = broken_package
    result = gossipcrawl("crawl", target, "-o", "out.jsonl", cwd=tmp_path, env=env)
    line = assert_one_line_error(result, 2, str(sites_dir), problem)
    assert "(at line 2" in line or "TOML" not in problem
    assert snapshot(tmp_path) == set(), "a refused crawl wrote files"


def test_sites_check_lists_every_broken_profile(broken_package, tmp_path):
    env, sites_dir = broken_package
    result = gossipcrawl("sites", "--check", cwd=tmp_path, env=env)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and all(str(sites_dir) in line for line in errors), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == f"{len(load_profiles()) + 3} site profiles checked: " \
                                    f"{len(load_profiles())} valid, 3 broken"


def test_other_commands_do_not_notice(broken_package, tmp_path):
    env, _ = broken_package
    listing = gossipcrawl("sites", cwd=tmp_path, env=env)
    assert listing.returncode == 0 and "soapdirt" in listing.stdout
    assert "bad-regex" not in listing.stdout
    assert listing.stderr.count("gossipcrawl: warning: site profile") == 3
    other = gossipcrawl("crawl", "not-a-profile", cwd=tmp_path, env=env)
    assert_one_line_error(other, 2, "unknown site profile 'not-a-profile'")
    demo = gossipcrawl("demo", "-o", "demo.jsonl", cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "Traceback" not in demo.stderr and (tmp_path / "demo.jsonl").stat().st_size > 0


# --- a site's own page object, beside its profile -------------------------------------------

SITE_PAGE = """
from web_poet import field

from gossipcrawl.pages.binding import site_page
from gossipcrawl.pages.generic import GenericArticlePage


@site_page("soapdirt")
class SoapDirtPage(GenericArticlePage):
    extractor_name = "gossipcrawl.soapdirt/1"

    @field
    def description(self):
        return "from soapdirt's own page object"
"""


@pytest.fixture(scope="module")
def site_package(tmp_path_factory):
    root = package_copy(tmp_path_factory.mktemp("package"))
    (root / "gossipcrawl" / "sites" / "soapdirt.py").write_text(SITE_PAGE)
    return {"PYTHONPATH": str(root)}, root / "gossipcrawl" / "sites"


def test_a_site_page_object_is_bound_to_its_profiles_domains(site_package, tmp_path):
    from pathlib import Path

    env, _ = site_package
    page = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "wp-yoast-gh.html"
    for url, expected in (("https://soapdirt.com/some-story/", "from soapdirt's own page object"),
                          ("https://www.soapdirt.com/some-story/", "from soapdirt's own page object"),
                          ("https://elsewhere.example/some-story/", None)):
        result = gossipcrawl("extract", "--url", url, str(page), cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        item = __import__("json").loads(result.stdout)
        assert (item["description"] == expected) if expected else \
            item["description"] != "from soapdirt's own page object"
        assert item["metadata"]["extractor"] == ("gossipcrawl.soapdirt/1" if expected
                                                 else "gossipcrawl.generic/1")
    check = gossipcrawl("sites", "--check", cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr


def test_sites_check_finds_a_site_module_that_binds_nothing(site_package, tmp_path):
    env, sites_dir = site_package
    (sites_dir / "soaphub.py").write_text("X = 1\n")
    try:
        result = gossipcrawl("sites", "--check", cwd=tmp_path, env=env)
    finally:
        (sites_dir / "soaphub.py").unlink()
    assert result.returncode == 1
    assert "soaphub.py: binds no page object to site profile 'soaphub'" in result.stderr
