"""Text from a file or a person is drawn as text (issue 14).

Hashtags, campaigns (Meta custom labels), content types and audience bands
reach Plotly HTML-escaped, so ``<b>`` and ``<a href>`` show as typed; an
account name goes through ``markdown_literal``; only http(s) permalinks
are links.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio

from ui import media_charts, social_charts
from ui.format import markdown_literal, plain, web_link

HOSTILE = '<a href="https://evil.example/verify">Verify</a> <b>bold</b> [x](http://evil.example)'
# Quotes are left as they are: Plotly shows ``&quot;`` as typed, and
# without a ``<`` a quote starts nothing.
ESCAPED = (
    '&lt;a href="https://evil.example/verify"&gt;Verify&lt;/a&gt; '
    "&lt;b&gt;bold&lt;/b&gt; [x](http://evil.example)"
)


def _texts(figure) -> str:
    """Every string the figure hands to the browser."""
    return pio.to_json(figure)


def _assert_literal(figure) -> None:
    data = json.loads(_texts(figure))
    text = json.dumps(data)
    assert "<a href" not in text and "<b>" not in text, text[:400]
    assert json.dumps(ESCAPED)[1:-1] in text


def test_tag_labels_are_escaped_before_they_reach_the_figure():
    tags = pd.DataFrame(
        {
            "platform": ["Facebook", "Instagram"],
            "tag": [HOSTILE, "#safety"],
            "posts": [3, 2],
            "engagement_rate_p50_pct": [1.5, 2.0],
        }
    )
    figure = social_charts.tags(tags)
    _assert_literal(figure)
    assert figure.data[0].y[0] == ESCAPED
    assert list(figure.layout.yaxis.categoryarray) == ["#safety", ESCAPED]


def test_content_types_and_audience_labels_are_escaped():
    types = pd.DataFrame(
        {
            "platform": ["Facebook"],
            "content_type": [HOSTILE],
            "posts": [4],
            "engagement_rate_p50_pct": [1.0],
        }
    )
    _assert_literal(social_charts.content_types(types))
    people = pd.DataFrame(
        {"age": [HOSTILE, "25-34"], "gender": ["male", "male"], "share_pct": [10.0, 20.0]}
    )
    _assert_literal(social_charts.audience(people))


def test_the_escaping_helper_is_the_one_both_chart_modules_use():
    assert media_charts.plain is plain
    assert plain(HOSTILE) == ESCAPED
    assert plain(None) == "—"


def test_an_account_name_is_drawn_as_literal_markdown():
    shown = markdown_literal("[Verify your account](http://evil.example) :material/lock: <b>x</b>")
    # Every character that would start a link, an icon or HTML is escaped.
    assert "\\[Verify your account\\]\\(http\\:" in shown
    assert "\\<b\\>" in shown
    # Streamlit links bare URLs and draws icon and emoji codes after parsing,
    # whatever the escapes: a word joiner breaks each of them up.
    joiner = "\u2060"
    assert "http\\:" + joiner + "//" in shown
    assert "\\:" + joiner + "material/lock\\:" + joiner in shown
    bare = markdown_literal("www.evil.example and ali@evil.example :smile:")
    assert "www" + joiner + "\\." in bare and "ali@" + joiner in bare
    assert "\\:" + joiner + "smile\\:" + joiner in bare
    # What a reader sees (escapes and joiners dropped) is the text as typed.
    text = "[a](https://e.example) :material/lock: www.e.example a@e.example"
    assert markdown_literal(text).replace(joiner, "").replace("\\", "") == text


def test_only_http_and_https_permalinks_are_links():
    assert web_link("https://www.facebook.com/kppolice/posts/1") == (
        "https://www.facebook.com/kppolice/posts/1"
    )
    assert web_link("http://example.org/p") == "http://example.org/p"
    for bad in (
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "https:/no-host",
        "//evil.example/p",
        "https://ok.example/p\njavascript:alert(1)",
        None,
        float("nan"),
    ):
        assert web_link(bad) is None, bad
