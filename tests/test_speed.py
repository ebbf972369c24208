"""What was made faster or lighter for large banks (BENCHMARKS.md) still gives the same answers."""

from __future__ import annotations

import json
import re
from typing import Any

from videnbank import csp, export, postbuild, views

PAGE = """<!doctype html>
<html lang="da" class="no-js">
  <head><meta charset="utf-8"><title>Beboerhøjskolen - Videnbank</title>
  <script>var theme = 1;</script></head>
  <body><header>Navigation <a href="/x/">x</a></header>
    <div class="md-content"><article class="md-content__inner md-typeset" data-pagefind-body>
      <h1>Beboerhøjskolen</h1><p>Læring i lokale fællesskaber.</p>
      <ol class="vb-cards"><li>Andet</li></ol>
    </article></div>
    <footer>Sidefod</footer><script>var theme = 1;</script></body>
</html>"""


def test_searchable_keeps_language_title_and_article_only() -> None:
    text = postbuild.searchable(PAGE)
    assert text.startswith('<!doctype html><html lang="da">')
    assert "<title>Beboerhøjskolen - Videnbank</title>" in text
    assert "<h1>Beboerhøjskolen</h1>" in text and 'class="vb-cards"' in text
    assert "Navigation" not in text and "Sidefod" not in text
    assert text.endswith("</article></body></html>")


def test_searchable_leaves_a_page_without_a_search_body_alone() -> None:
    page = PAGE.replace(" data-pagefind-body", "")
    assert postbuild.searchable(page) == page


def test_policy_hashes_each_inline_script_once_and_the_same_every_time() -> None:
    policy = csp.Policy((re.compile(r"var theme = \d;"),))
    first, again = policy.policy(PAGE), policy.policy(PAGE)
    assert first == again
    assert first.count("'sha256-") == 1
    other = PAGE.replace("var theme = 1;", "var theme = 2;", 1)
    assert policy.policy(other).count("'sha256-") == 2
    assert policy.unknown == []


def _numbers(view: dict[str, Any] | None) -> list[str]:
    assert view is not None
    return ["…" if link["gap"] else str(link["number"]) for link in view["links"]]


def test_pagination_links_every_page_of_a_short_listing() -> None:
    view = views.pagination(3, views.PAGE_LINKS_ALL, lambda n: f"side/{n}/")
    assert _numbers(view) == [str(n) for n in range(1, views.PAGE_LINKS_ALL + 1)]
    assert views.pagination(1, 1, lambda n: "") is None


def test_pagination_of_a_long_listing_is_a_window_that_does_not_grow() -> None:
    def address(n: int) -> str:
        return f"side/{n}/"

    assert _numbers(views.pagination(1, 400, address)) == ["1", "2", "3", "…", "400"]
    assert _numbers(views.pagination(50, 400, address)) == ["1", "…", "48", "49", "50", "51", "52", "…", "400"]
    assert _numbers(views.pagination(399, 400, address)) == ["1", "…", "397", "398", "399", "400"]
    middle = views.pagination(50, 400, address)
    assert middle is not None
    assert (middle["prev"], middle["next"]) == ("side/49/", "side/51/")
    assert [link["current"] for link in middle["links"] if not link["gap"]].count(True) == 1


def test_open_data_json_reads_the_same_as_indented_json() -> None:
    data = {"titel": "Videnbank", "antal": 2, "tom": [], "historier": [{"a": "æ", "b": [1, 2]}, {"a": None}]}
    text = export._json_lines_bytes(data).decode("utf-8")
    assert json.loads(text) == data
    assert '\n    {"a": "æ", "b": [1, 2]},\n' in text  # one record a line, not escaped
