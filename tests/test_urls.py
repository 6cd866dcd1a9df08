import pytest

from gossipcrawl.urls import host_in_domains, site_of, strip_tracking


@pytest.mark.parametrize("url, expected", [
    ("https://ex.com/a/?utm_source=fb&utm_medium=social", "https://ex.com/a/"),
    ("https://ex.com/a/?id=3&fbclid=xyz&gclid=1", "https://ex.com/a/?id=3"),
    ("https://ex.com/a/#comments", "https://ex.com/a/"),
    ("https://ex.com/a/?page=2", "https://ex.com/a/?page=2"),
    ("https://ex.com/a/?UTM_Campaign=x", "https://ex.com/a/"),
    ("https://ex.com/caf\u00e9/", "https://ex.com/caf%C3%A9/"),
])
def test_strip_tracking(url, expected):
    assert strip_tracking(url) == expected


def test_site_drops_www_only():
    assert site_of("https://www.DigitalSpy.com/soaps/") == "digitalspy.com"
    assert site_of("https://soaps.sheknows.com/x/") == "soaps.sheknows.com"


def test_host_in_domains_accepts_subdomains_not_lookalikes():
    assert host_in_domains("https://www.soapdirt.com/x", ["soapdirt.com"])
    assert not host_in_domains("https://soapdirt.com.evil.net/x", ["soapdirt.com"])
    assert not host_in_domains("https://notsoapdirt.com/x", ["soapdirt.com"])
