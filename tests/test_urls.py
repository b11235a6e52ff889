"""URL normalisation as pages are read (syndicate.read.urls), on real URLs and the variants real sites produce."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from conftest import PAGES, SAMPLE_CORPUS, load_truth
from hypothesis import given, settings as hsettings, strategies as st

from syndicate.read.urls import (
    MAX_URL_LENGTH,
    SITE_TRACKING_PARAMETERS,
    TRACKING_PARAMETERS,
    is_rendering,
    is_tracking_parameter,
    normalize_url,
    same_article_url_key,
)


def _sample_corpus_urls() -> set[str]:
    """The URLs of the sample corpus: its README table, the crawl export and each page's og:url."""
    urls = set(re.findall(r"\| (https?://\S+) \|", (SAMPLE_CORPUS / "README.md").read_text(encoding="utf-8")))
    for path in SAMPLE_CORPUS.glob("crawl-*.jsonl"):
        urls |= {json.loads(line)["url"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    for path, html in _sample_pages():
        urls |= set(re.findall(r'<meta[^>]+property="og:url"[^>]+content="([^"]+)"', html))
    return urls


def _sample_pages() -> list[tuple[str, str]]:
    out = []
    for path in sorted(SAMPLE_CORPUS.rglob("*.html*")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        out.append((str(path), data.decode("utf-8", "replace")))
    return out


SAMPLE_URLS = sorted(_sample_corpus_urls())
TRUTH_URLS = sorted({v["url"] for v in load_truth().values()})

# Real article URLs from the article-extraction benchmark's ground truth
# (the project's shared copy; tests/data/pages holds six of its pages).
BENCHMARK_URLS = [
    "https://www.foxbusiness.com/markets/home-depot-sales-earnings-retail",
    "https://www.reuters.com/article/us-global-markets/asian-shares-soft-as-trade-doubts-creep-back-in-idUSKBN1XT00W",
    "https://www.theguardian.com/commentisfree/2019/nov/18/the-guardian-view-on-hong-kong-a-city-on-the-brink",
    "https://www.nytimes.com/2019/11/18/business/trump-trade-war-china.html",
    "https://www.bbc.com/news/world-europe-50473792",
    "https://www.wsj.com/articles/is-football-violence-a-crime-11574121884",
    "https://www.wired.com/story/instagram-business-accounts-analytics/",
    "https://hosted.ap.org/berkshireeagle/article/6486944b076b4df99a583a3a7c85574d/unpredictable-sondland-faces-questions-about-trump-ukraine",
    "https://www.thespacereview.com/article/3834/1",
    "https://www.ctvnews.ca/sci-tech/snooze-cruise-study-sees-future-for-hibernating-astronauts-1.4690347",
    "https://www.msn.com/en-us/health/other/the-man-whose-duvet-nearly-killed-him-how-this-medical-mystery-was-solved/ar-BBWXwNX",
    "http://www.wday.ru/articles/53-letnyaya-model-posmotri-na-krasotku-kotoraya-prevratilas-v-staruhu-id120424",
    "http://www.panarmenian.net/eng/news/275221/",
    "https://www.barrons.com/articles/home-depot-stock-earnings-report-51574168486",
    "https://www.cnn.com/2019/11/18/investing/asian-market-latest/index.html",
]
REAL_URLS = sorted(set(SAMPLE_URLS) | set(TRUTH_URLS) | set(BENCHMARK_URLS))

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
GUARDIAN = "https://www.theguardian.com/commentisfree/2019/nov/18/the-guardian-view-on-hong-kong-a-city-on-the-brink"
ENTERMEDIA = "http://entermedia.co.kr/news/news_view.html?idx=8723&page=1&bc=&mc=&find=&sch_date="
NYPOST = "https://nypost.com/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/"
WORLDNEWS = "https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-in-exchange-for-freeing-large-group/"


def test_the_corpora_hold_enough_real_urls():
    assert len(SAMPLE_URLS) >= 25 and len(TRUTH_URLS) == 6
    assert CNN in SAMPLE_URLS and ENTERMEDIA in SAMPLE_URLS


@pytest.mark.parametrize("url", REAL_URLS)
def test_clean_real_urls_are_left_as_they_are(url):
    """The corpora's URLs carry no tracking, fragment or default port: nothing of them may change."""
    assert normalize_url(url) == url


# Shares of real articles, decorated the way the sites and platforms decorate them.
SHARED = [
    (CNN + "?utm_source=twitter&utm_medium=social", CNN),
    (CNN + "?utm_source=fb&utm_medium=social&utm_campaign=cnn-news&utm_content=2023-11-10T14%3A00%3A00", CNN),
    (CNN + "#comments", CNN),
    ("https://WWW.CNN.COM:443/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html", CNN),
    ("HTTPS://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html#top", CNN),
    ("  " + CNN + "?fbclid=IwAR20Y9NWZdaIfUGiXnwQYlGd3s1bGK32XbGWNJwxlrubVgR3mDZtTZEVDik\n", CNN),
    (GUARDIAN + "?CMP=share_btn_tw", GUARDIAN),
    (GUARDIAN + "?CMP=fb_gu&fbclid=IwAR20Y9NWZdaIfUGiXnwQYlGd3s1bGK32XbGWNJwxlrubVgR3mDZtTZEVDik", GUARDIAN),
    (GUARDIAN + "?CMP=Share_iOSApp_Other#comments", GUARDIAN),
    ("https://www.wired.com/story/instagram-business-accounts-analytics/?utm_source=facebook&utm_medium=social"
     "&utm_campaign=onsite-share&utm_brand=wired&utm_social-type=earned",
     "https://www.wired.com/story/instagram-business-accounts-analytics/"),
    ("https://www.wired.com/story/instagram-business-accounts-analytics/?itm_campaign=BottomRelatedStories",
     "https://www.wired.com/story/instagram-business-accounts-analytics/"),
    ("https://www.wsj.com/articles/is-football-violence-a-crime-11574121884?mod=trending_now_3",
     "https://www.wsj.com/articles/is-football-violence-a-crime-11574121884"),
    ("https://www.nytimes.com/2019/11/18/business/trump-trade-war-china.html?smid=tw-share",
     "https://www.nytimes.com/2019/11/18/business/trump-trade-war-china.html"),
    ("https://www.msn.com/en-us/health/other/the-man-whose-duvet-nearly-killed-him-how-this-medical-mystery-was-solved/ar-BBWXwNX?ocid=msedgntp&cvid=5c1f2a",
     "https://www.msn.com/en-us/health/other/the-man-whose-duvet-nearly-killed-him-how-this-medical-mystery-was-solved/ar-BBWXwNX"),
    ("https://techcrunch.com/2016/11/21/google-opens-new-ai-lab-and-invests-3-4m-in-montreal-based-ai-research/?sr_share=facebook",
     "https://techcrunch.com/2016/11/21/google-opens-new-ai-lab-and-invests-3-4m-in-montreal-based-ai-research/"),
    ("http://techcrunch.com/2014/02/27/apple-explains-exactly-how-secure-imessage-really-is/?ncid=rss",
     "http://techcrunch.com/2014/02/27/apple-explains-exactly-how-secure-imessage-really-is/"),
    (NYPOST + "?mc_cid=4f2a1b&mc_eid=9c3d0e5a71", NYPOST),
    (NYPOST + "?_ga=2.138284512.1063244553.1573984000-1830474621.1573984000", NYPOST),
    (NYPOST + "?igshid=YmMyMTA2M2Y=", NYPOST),
    (NYPOST + "?gclid=Cj0KCQiA&gbraid=0AAAAAD&wbraid=CkAKCQ&dclid=CJD&msclkid=3f1a&yclid=12", NYPOST),
    (NYPOST + "?_hsenc=p2ANqtz-8&_hsmi=79000001&mkt_tok=eyJpIjoiT", NYPOST),
    (NYPOST + "?oly_anon_id=a1&oly_enc_id=b2&rb_clickid=c3&s_cid=d4&vero_id=e5&wickedid=f6&_gl=1*abc", NYPOST),
    (NYPOST + "?UTM_Source=Newsletter&FBCLID=x", NYPOST),
    (NYPOST + "?", NYPOST),
    (NYPOST + "?&&", NYPOST),
    ("http://nypost.com:80/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/",
     "http://nypost.com/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/"),
    ("https://blog.givewell.org/2018/09/10/september-2018-open-thread/#comment-949890",
     "https://blog.givewell.org/2018/09/10/september-2018-open-thread/"),
    # Tracking in the middle: the others keep their order and their exact spelling, empty values too.
    ("http://entermedia.co.kr/news/news_view.html?utm_source=naver&idx=8723&page=1&fbclid=x&bc=&mc=&find=&sch_date=#",
     ENTERMEDIA),
    # An un-decoded &amp; from a page's markup.
    (WORLDNEWS + "?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=hostage", WORLDNEWS),
    ("https://worldnewsroundup.com", "https://worldnewsroundup.com/"),
    ("https://worldnewsroundup.com?utm_source=x#top", "https://worldnewsroundup.com/"),
]


@pytest.mark.parametrize(("variant", "url"), SHARED)
def test_shared_variants_normalise_to_the_article_url(variant, url):
    assert normalize_url(variant) == url
    assert normalize_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        # content-selecting parameters, empty values and encodings are kept exactly, in order
        ENTERMEDIA,
        "https://www.google.com/search?q=caf%C3%A9+hostage+deal&hl=en",
        "https://blog.givewell.org/?p=1234",
        "https://blog.givewell.org/2018/10/09/a-grant-to-evidence-action-beta-to-prototype-test-and-scale-promising-programs/?share=twitter",
        "https://www.indeed.com/viewjob?cmp=Codersdata-LLC&t=Data+Scientist&jk=4f2a",
        "https://erp.example.org/qualitynonconformitydetails.jsp?ncid=5",
        "https://www.example.org/scheduler/character-state?ocid=o1",
        "https://www.example.org/StockReport/GetStockReport?CMPid=1",
        "https://www.detroitnews.com/story/news/?story=1&article=2&id=3&page=2&ref=home&source=rss&cid=9&mod=x",
        # the path is kept exactly: case, encoding, trailing slash, dot segments
        "https://www.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399",
        "https://gto-normativy.ru/%D1%81%D0%BA%D0%B0%D0%B9%D1%80%D0%B8%D0%BC/",
        "https://gto-normativy.ru/a/../b/./c//",
        # non-default ports stay
        "http://nypost.com:8080/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/",
        "https://nypost.com:80/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/",
        # a #! route is the page
        "https://twitter.com/#!/cnn/status/1193577432124284928",
        # IDN hosts as given: Unicode or punycode
        "https://bücher.de/neu?isbn=3",
        "https://xn--bcher-kva.de/neu",
    ],
)
def test_what_names_the_page_is_kept(url):
    assert normalize_url(url) == url


def test_host_case_is_lowered_for_idn_and_punycode_alike():
    assert normalize_url("https://BÜCHER.De/Neu") == "https://bücher.de/Neu"
    assert normalize_url("https://XN--BCHER-KVA.DE/Neu") == "https://xn--bcher-kva.de/Neu"
    assert normalize_url("http://[2001:DB8::1]:80/a") == "http://[2001:db8::1]/a"


def test_only_default_ports_and_empty_ports_go():
    assert normalize_url("https://nypost.com:443/a") == "https://nypost.com/a"
    assert normalize_url("https://nypost.com:0443/a") == "https://nypost.com/a"
    assert normalize_url("http://nypost.com:/a") == "http://nypost.com/a"
    assert normalize_url("http://nypost.com:443/a") == "http://nypost.com:443/a"


@pytest.mark.parametrize(
    "url",
    [
        "http://[oops/page",
        "https://ｗｗｗ．ｃｎｎ．ｃｏｍ/2023/11/10/politics/index.html?utm_source=x",
        "https://www.ｃｎｎ.com/a?utm_source=x",
        "https://www.cnn.com\uff0e/a?utm_source=x",
        "https://www.cnn.com/a\ud800?utm_source=x",
        "https://www.cnn\udfff.com/a",
        "https://www.cnn.com/a\x00b?utm_source=x",
        "https://www.cnn.com/a\x1b[31m?utm_source=x",
        "https://www.cnn.com/a\x85?utm_source=x",
        "https://www.c nn.com/a?utm_source=x",
        "https://www.cnn.com\\@evil.com/a?utm_source=x",
        "https://www.cnn.com:99999/a?utm_source=x",
        "https://www.cnn.com:8o/a?utm_source=x",
        "https://www.cnn.com:443:443/a?utm_source=x",
        "https://www.cnn.com:\u0664\u0664\u0663/a?utm_source=x",
        "https://[::1]x/a?utm_source=x",
        "https://[::1%eth0]/a?utm_source=x",
        "https://www..cnn.com/a?utm_source=x",
        "https://.cnn.com/a?utm_source=x",
        "https://%77ww.cnn.com/a?utm_source=x",
        "http://",
        "http://?utm_source=x",
        "http:///a?utm_source=x",
        "http://:80/a?utm_source=x",
        "https:/www.cnn.com/a?utm_source=x",
        "https://www.cnn.com/" + "a" * MAX_URL_LENGTH + "?utm_source=x",
    ],
)
def test_what_cannot_be_parsed_comes_back_stripped_and_otherwise_unchanged(url):
    assert normalize_url(url) == url
    assert normalize_url(" \t" + url + " \r\n") == url
    assert same_article_url_key(url) == url


@pytest.mark.parametrize(
    "value",
    [
        "/work/crawl/cnn.com/hostage-deal-negotiations.html",
        "sample_corpus/cnn.com/donald-trump-health-walter-reed.html.gz",
        "C:\\crawl\\Page.HTML",
        "file:///work/crawl/cnn.com/Page.html#top",
        "warc:<urn:uuid:3f8a6a3e-2b64-4f4e-9c4f-4f9a0b0e6c11>",
        "crawl-2023-11-12.jsonl#3",
        "source.warc.gz#record-17",
        "ftp://FTP.Example.com:21/a?utm_source=x#b",
        "mailto:News@CNN.com?utm_source=x",
        "javascript:void(0)",
        "  padded/path.html  ",
        "",
        "   ",
    ],
)
def test_non_http_values_are_returned_as_given(value):
    assert normalize_url(value) == value


@pytest.mark.parametrize("value", ["C:\\crawl\\Page.HTML", "warc:<urn:uuid:3F8A6A3E>", "HTTP://[Oops/Page"])
def test_what_is_not_normalised_is_its_own_key_case_and_all(value):
    assert same_article_url_key(" " + value + "\n") == value


@pytest.mark.parametrize(
    "url",
    [
        # whitespace that ends the URL only once a parameter or fragment is gone
        "https://www.cnn.com/search?q=hostage 　&utm_source=x",
        "https://www.cnn.com/a b #top",
        "https://www.cnn.com/a? &utm_source=x",
        "https://www.cnn.com/a? &fbclid=1",
    ],
)
def test_idempotent_when_removal_leaves_whitespace_at_the_end(url):
    once = normalize_url(url)
    assert once == once.strip()
    assert normalize_url(once) == once


def test_non_strings_are_returned_as_given():
    assert normalize_url(None) is None  # type: ignore[arg-type]
    assert same_article_url_key(None) is None  # type: ignore[arg-type]


# --- the list of tracking parameters -------------------------------------------------------------

ALWAYS_TRACKING = [
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "utm_social-type",
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid",
    "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid",
    "vero_id", "wickedid", "twclid", "ttclid", "srsltid", "mtm_campaign", "pk_campaign", "hsa_cam",
]
NEVER_TRACKING = [
    "id", "p", "page", "story", "article", "q", "share", "ref", "source", "cid", "icid", "cmpid",
    "mc", "bc", "idx", "amp", "print", "outputType", "s", "t", "pk", "sid", "ga", "utm", "campaign",
]
SCOPED = [
    ("cmp", "https://www.theguardian.com/world/2019/nov/18/a", "https://www.indeed.com/viewjob"),
    ("ncid", "https://www.huffpost.com/entry/a", "https://erp.example.org/details.jsp"),
    ("ncid", "https://techcrunch.com/2019/11/18/a/", "https://www.cnn.com/2019/11/18/a"),
    ("ocid", "https://www.msn.com/en-us/news/ar-BBWXwNX", "https://www.example.org/state"),
    ("srcref", "https://www.msn.com/en-us/news/ar-BBWXwNX", "https://www.example.org/a"),
    ("sr_share", "https://techcrunch.com/2016/11/21/a/", "https://www.example.org/a"),
    ("mod", "https://www.wsj.com/articles/a-11574121884", "https://www.example.org/forum"),
    ("smid", "https://www.nytimes.com/2019/11/18/business/a.html", "https://www.amazon.com/dp/B0"),
]


@pytest.mark.parametrize("name", ALWAYS_TRACKING)
def test_tracking_parameters_go_on_every_site(name):
    assert is_tracking_parameter(name)
    assert is_tracking_parameter(name.upper())
    assert normalize_url(f"{ENTERMEDIA}&{name}=x") == ENTERMEDIA


@pytest.mark.parametrize("name", NEVER_TRACKING)
def test_content_parameters_stay_on_every_site(name):
    assert not is_tracking_parameter(name, "www.theguardian.com")
    url = f"https://www.theguardian.com/world/2019/nov/18/a?{name}=2"
    assert normalize_url(url) == url


@pytest.mark.parametrize(("name", "site", "elsewhere"), SCOPED)
def test_site_scoped_parameters_go_only_on_their_sites(name, site, elsewhere):
    assert normalize_url(f"{site}?{name}=share_btn_tw") == site
    assert normalize_url(f"{elsewhere}?{name}=share_btn_tw") == f"{elsewhere}?{name}=share_btn_tw"


def test_the_scoped_names_are_not_global_and_the_global_names_are_specific():
    scoped = set().union(*SITE_TRACKING_PARAMETERS.values())
    assert not scoped & TRACKING_PARAMETERS
    assert all(name == name.lower() for name in TRACKING_PARAMETERS | scoped)
    assert not set(map(str.lower, NEVER_TRACKING)) & (TRACKING_PARAMETERS | scoped)


# --- same_article_url_key ------------------------------------------------------------------------

# One article at several URLs of its own site: the forms the sites themselves
# publish (most from <link rel="amphtml"> in the benchmark's pages).
SAME_ARTICLE = [
    (GUARDIAN, "https://amp.theguardian.com/commentisfree/2019/nov/18/the-guardian-view-on-hong-kong-a-city-on-the-brink"),
    (GUARDIAN, "http://theguardian.com/commentisfree/2019/nov/18/the-guardian-view-on-hong-kong-a-city-on-the-brink/?CMP=share_btn_tw"),
    ("https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html",
     "https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html?outputType=amp"),
    ("https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html",
     "https://amp.cnn.com/cnn/2019/11/18/politics/donald-trump-health-walter-reed/index.html"),
    ("https://www.oregonlive.com/advice/2019/11/dear-abby-husband-springs-for-business-class-flight-to-india-but-leaves-wife-in-economy-seat.html",
     "https://www.oregonlive.com/advice/2019/11/dear-abby-husband-springs-for-business-class-flight-to-india-but-leaves-wife-in-economy-seat.html?outputType=amp"),
    (NYPOST, "https://nypost.com/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/amp/"),
    ("https://gizmodo.com/so-this-is-the-future-of-apple-innovation-1839927963",
     "https://gizmodo.com/so-this-is-the-future-of-apple-innovation-1839927963/amp"),
    ("https://www.cnbc.com/2019/11/19/beauty-stock-coty-could-surge-after-kylie-jenner-makeover.html",
     "https://www.cnbc.com/amp/2019/11/19/beauty-stock-coty-could-surge-after-kylie-jenner-makeover.html"),
    ("https://www.bbc.com/news/world-europe-50473792", "https://www.bbc.com/news/amp/world-europe-50473792"),
    ("https://news.sky.com/story/jose-mourinho-agrees-deal-to-replace-mauricio-pochettino-as-tottenham-manager-11865382",
     "https://news.sky.com/story/amp/jose-mourinho-agrees-deal-to-replace-mauricio-pochettino-as-tottenham-manager-11865382"),
    ("https://www.foxbusiness.com/markets/home-depot-sales-earnings-retail",
     "https://www.foxbusiness.com/markets/home-depot-sales-earnings-retail.amp"),
    ("https://www.nytimes.com/2019/11/18/business/trump-trade-war-china.html",
     "https://www.nytimes.com/2019/11/18/business/trump-trade-war-china.amp.html"),
    ("https://thehill.com/blogs/blog-briefing-room/news/471031-new-york-man-pleads-guilty-to-threatening-to-kill-omar",
     "https://thehill.com/blogs/blog-briefing-room/news/471031-new-york-man-pleads-guilty-to-threatening-to-kill-omar?amp"),
    ("https://www.newsweek.com/cannabis-use-disorder-rising-us-states-where-weed-legal-1471170",
     "https://www.newsweek.com/cannabis-use-disorder-rising-us-states-where-weed-legal-1471170?amp=1"),
    ("https://www.nbcdfw.com/news/local/We-Got-Her-Video-Shows-Dramatic-Rescue-of-Kidnapped-Fort-Worth-Girl-565107452.html",
     "https://www.nbcdfw.com/news/local/We-Got-Her-Video-Shows-Dramatic-Rescue-of-Kidnapped-Fort-Worth-Girl-565107452.html?amp=y"),
    ("https://blog.comwrap.com/comwrap-auf-der-dmexco-2018", "https://blog.comwrap.com/comwrap-auf-der-dmexco-2018?hs_amp=true"),
    ("https://www.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399",
     "https://m.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399/amp"),
    ("https://www.sfgate.com/news/article/7-key-questions-heading-into-Wednesday-s-14848176.php",
     "https://m.sfgate.com/news/article/7-key-questions-heading-into-Wednesday-s-14848176.php"),
    ("https://www.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/what-value-drugs-come-us-border/",
     "https://mobile.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/what-value-drugs-come-us-border/"),
    # print views
    ("https://www.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/what-value-drugs-come-us-border/",
     "https://www.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/what-value-drugs-come-us-border/?print=1"),
    ("https://www.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399",
     "https://www.jpost.com/Breaking-News/Son-of-former-German-president-stabbed-to-death-in-Berlin-608399/print"),
    ("https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214",
     "https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214?print=true"),
    # content parameters stay, the AMP / print ones go
    (ENTERMEDIA, ENTERMEDIA.replace("?idx=8723", "?amp=1&idx=8723") + "&print=1"),
    (ENTERMEDIA, ENTERMEDIA.replace("http://", "HTTPS://") + "&utm_source=x#top"),
]


@pytest.mark.parametrize(("url", "variant"), SAME_ARTICLE)
def test_one_article_at_several_urls_of_its_site_has_one_key(url, variant):
    assert same_article_url_key(variant) == same_article_url_key(url)


def _amphtml_pairs() -> list[tuple[str, str]]:
    """(page URL, its <link rel="amphtml">) for every page of the sample corpus and tests/data that has one."""
    truth = load_truth()
    pages = [(re.findall(r'property="og:url"[^>]+content="([^"]+)"', html), html) for _, html in _sample_pages()]
    pages += [([item["url"]], gzip.decompress((PAGES / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace"))
              for key, item in truth.items()]
    pairs = []
    for urls, html in pages:
        for link in re.findall(r"<link[^>]*rel=[\"']amphtml[\"'][^>]*>", html):
            amp = re.search(r'href="([^"]+)"', link).group(1)
            pairs += [(url, amp) for url in urls[:1]]
    return pairs


AMPHTML = _amphtml_pairs()


def test_the_pages_declare_enough_amp_urls():
    assert len(AMPHTML) >= 10
    assert len({same_article_url_key(u) for u, _ in AMPHTML}) >= 8  # from that many different articles


@pytest.mark.parametrize(("url", "amp"), AMPHTML)
def test_a_pages_own_amp_link_shares_its_key(url, amp):
    assert normalize_url(amp) != normalize_url(url)
    assert same_article_url_key(amp) == same_article_url_key(url)


DIFFERENT = [
    (ENTERMEDIA, ENTERMEDIA.replace("idx=8723", "idx=8724")),
    (ENTERMEDIA, ENTERMEDIA.replace("page=1", "page=2")),
    (ENTERMEDIA, ENTERMEDIA.replace("&page=1", "")),
    ("https://blog.givewell.org/?id=1", "https://blog.givewell.org/?id=2"),
    ("https://blog.givewell.org/?p=1", "https://blog.givewell.org/?p=2"),
    ("https://blog.givewell.org/2018/10/09/a-grant-to-evidence-action-beta-to-prototype-test-and-scale-promising-programs/",
     "https://blog.givewell.org/2018/10/09/a-grant-to-evidence-action-beta-to-prototype-test-and-scale-promising-programs/?p=2"),
    ("https://www.example.org/news?story=1&article=2", "https://www.example.org/news?article=2&story=1"),
    ("https://www.google.com/search?q=hostage+deal", "https://www.google.com/search?q=hostage+truce"),
    (CNN, "https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html"),
    (CNN, "https://edition.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"),
    (CNN, CNN.replace("www.cnn.com", "www.cnn.com:8080")),
    (CNN, CNN.removesuffix("index.html")),
    (NYPOST, NYPOST.replace("nypost.com", "nypost.co")),
    ("https://www.usatoday.com/story/news/nation/2019/11/19/meth-were-it-south-dakota-campaign-working-kristi-noem-says/4236383002/",
     "https://www.usatoday.com/story/news/politics/2019/11/19/prison-guards-arrested-alleged-failure-check-jeffrey-epstein/4082679002/"),
    ("https://www.thespacereview.com/article/3834/1", "https://www.thespacereview.com/article/3834/2"),
    ("https://twitter.com/#!/cnn/status/1", "https://twitter.com/#!/cnn/status/2"),
    ("https://www.example.org/amplifiers/review", "https://www.example.org/review"),
    ("https://www.example.org/a?amplitude=1", "https://www.example.org/a"),
    ("https://www.example.org/a?outputType=json", "https://www.example.org/a"),
    ("https://www.example.org/news/camp", "https://www.example.org/news/c"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_pages_keep_different_keys(a, b):
    assert same_article_url_key(a) != same_article_url_key(b)
    assert normalize_url(a) != normalize_url(b)


@pytest.mark.parametrize("url", REAL_URLS)
def test_the_key_drops_scheme_www_and_trailing_slash_and_lowers(url):
    key = same_article_url_key(url)
    assert "://" not in key and not key.startswith("www.") and not key.endswith("/")
    assert key == key.lower()
    scheme, _, rest = url.partition("://")
    host, slash, tail = rest.partition("/")
    other = "http" if scheme == "https" else "https"
    assert same_article_url_key(f"{other}://{host.upper()}{slash}{tail}") == key


def test_alias_labels_go_only_while_a_registered_name_remains():
    assert same_article_url_key("https://amp.dev/about/websites/") == "amp.dev/about/websites"
    assert same_article_url_key("https://www.m.me/cnn") == "m.me/cnn"
    assert same_article_url_key("https://www.amp.m.jpost.com/a") == "jpost.com/a"


def test_real_urls_keep_distinct_keys():
    keys = {same_article_url_key(u) for u in REAL_URLS}
    assert len(keys) == len(REAL_URLS)


# --- properties ----------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)


@hsettings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_never_raises_and_is_idempotent_on_any_text(text):
    once = normalize_url(text)
    assert isinstance(once, str)
    assert normalize_url(once) == once
    key = same_article_url_key(text)
    assert isinstance(key, str)
    assert same_article_url_key(once) == key


@hsettings(max_examples=400, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTPS://", " http://"]), ANY_TEXT, ANY_TEXT)
def test_never_raises_and_is_idempotent_on_url_shaped_text(scheme, host, rest):
    for text in (scheme + host + rest, scheme + host + "/" + rest, scheme + "www.cnn.com" + rest):
        once = normalize_url(text)
        assert normalize_url(once) == once
        same_article_url_key(text)


_HOSTS = st.sampled_from(sorted({re.match(r"https?://([^/?#]+)", u).group(1) for u in REAL_URLS}))
_URL_TEXT = st.text(st.sampled_from("abcXYZ019-._~%!$'()*+,;=:@/éü"), max_size=12)
_NAME = st.text(st.sampled_from("abcdeiopqsXYZ_-019%"), min_size=1, max_size=8)
_PIECES = st.lists(
    st.tuples(st.one_of(_NAME, st.sampled_from(ALWAYS_TRACKING + ["UTM_Campaign", "amp;utm_medium", "CMP", "ncid", "ocid"])),
              _URL_TEXT.map(lambda v: v.replace("&", ""))),
    max_size=8,
)


@hsettings(max_examples=400, deadline=None)
@given(_HOSTS, st.booleans(), _URL_TEXT, _PIECES, st.one_of(st.none(), _URL_TEXT))
def test_keeps_every_other_parameter_in_order_and_spelling(host, upper, path, pieces, fragment):
    path = "/" + path
    pieces = [f"{name}={value}" for name, value in pieces]
    url = f"https://{host.upper() if upper else host}:443{path}?{'&'.join(pieces)}"
    if fragment is not None:
        url += "#x" + fragment
    kept = [p for p in pieces if not is_tracking_parameter(p.partition("=")[0], host)]
    assert normalize_url(url) == f"https://{host}{path}" + ("?" + "&".join(kept) if kept else "")
    assert not {p.partition("=")[0] for p in kept} & set(ALWAYS_TRACKING)
    assert normalize_url(normalize_url(url)) == normalize_url(url)


@pytest.mark.parametrize("url, rendering", [
    ("https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html", False),
    ("https://amp.cnn.com/cnn/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html", True),
    ("https://amp.usatoday.com/story/news/2019/11/19/meth-were-on-it-south-dakota-campaign/4236383002/", True),
    ("https://www.usatoday.com/story/news/2019/11/19/meth-were-on-it-south-dakota-campaign/4236383002/?utm_source=x", False),
    ("https://www.theguardian.com/world/2019/nov/19/hitler-birthplace/amp", True),
    ("https://www.theguardian.com/world/2019/nov/19/hitler-birthplace?print=1", True),
    ("https://m.example.com/news/1", True),
    ("https://edition.cnn.com/2023/11/10/politics/a/index.html", False),  # another site section, not a rendering
    ("https://mobile.de/auto/1", False),  # a site named mobile, not a mobile host
    ("https://www.example.com/amplifiers/1", False),
    ("not a url", False),
])
def test_renderings_are_the_urls_the_article_key_joins_to_another(url, rendering):
    assert is_rendering(url) is rendering
