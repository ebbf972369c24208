"""The checker's safety rules (videnbank.safety): the XSS corpus, personal data, images, the sanitiser."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

import base64
import re
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, build_ok, copy_site, html, write_tree
from videnbank.load import load_bank
from videnbank.render import html_problem, sanitize_html
from videnbank.safety import MAX_IMAGE_BYTES

CORPUS: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "xss" / "vectors.yml").read_text(encoding="utf-8"))
VECTORS: list[dict[str, Any]] = CORPUS["vectors"]
MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition"]


def xss_story(vector: dict[str, Any], principle: str) -> str:
    """The story file of one XSS vector, for a site whose principles include ``principle``."""
    meta = yaml.safe_load(CORPUS["base"].replace("{princip}", principle))
    fields = yaml.safe_dump(vector.get("felter", {}), allow_unicode=True).replace("{princip}", principle)
    meta.update(yaml.safe_load(fields))
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = vector.get("tekst", "Sikkerhedstest.\n")
    return f"---\n{front}---\n## Udfordringen\n\nSikkerhedstest af videnbanken.\n\n## Det gjorde vi\n\n{body}"


def _mini(tmp_path: Path, files: dict[str, str]) -> Path:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    return write_tree(tmp_path, files)


GOOD = """---
titel: Et eksempel
sammendrag: Kort om eksemplet.
dato: 2024-01-02
publicering: udgivet
principper: [alfa]
aktører:
  - navn: Foreningen
    sektor: civilsamfund
status: igang
kontakt:
  organisation: Foreningen
{extra}---
## Udfordringen

Tekst.

## Det gjorde vi

{body}
"""


def _problems(tmp_path: Path, body: str = "Tekst.", extra: str = "", files: dict[str, str] | None = None) -> list[str]:
    root = _mini(tmp_path, {"stories/x.md": GOOD.format(body=body, extra=extra), **(files or {})})
    return [str(p) for p in sorted(load_bank(root).problems)]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_checker_rejects_xss_vector(vector: dict[str, Any], tmp_path: Path) -> None:
    name = vector["name"]
    root = _mini(tmp_path, {f"stories/{name}.md": xss_story(vector, "alfa")})
    bank = load_bank(root)
    expected = [p.replace("{fil}", f"stories/{name}.md") for p in vector["problems"]]
    assert [str(p) for p in sorted(bank.problems)] == expected
    assert bank.stories == []


def test_xss_corpus_covers_the_kinds_of_attack() -> None:
    assert len(VECTORS) >= 20
    assert len({v["name"] for v in VECTORS}) == len(VECTORS)
    for v in VECTORS:
        payload = yaml.safe_dump(v.get("felter", {})) + v.get("tekst", "")
        payload += "".join(base64.b64decode(m).decode() for m in re.findall(r"base64,([A-Za-z0-9+/=]+)", payload))
        signals = ("alert(", "__xss", "msgbox(", "angriber.example")  # a script ran, or a request left the site
        assert any(s in payload for s in signals), f"{v['name']} signals nothing"
    text = "\n".join(v.get("tekst", "") for v in VECTORS).lower()
    for needle in ("<script", "](javascript:", "](data:", 'href="javascript:', "onerror=", "onload=",
                   "<svg", "<iframe", "<object", "<embed", "style=", "http-equiv=\"refresh\""):
        assert needle in text, needle
    fields = {key for v in VECTORS for key in v.get("felter", {})}
    assert {"titel", "sammendrag", "aktører", "links", "kontakt", "målgrupper"} <= fields


@pytest.mark.parametrize("vector", [v for v in VECTORS if "tekst" in v], ids=lambda v: v["name"])
def test_sanitiser_leaves_nothing_that_can_run(vector: dict[str, Any]) -> None:
    rendered = markdown.markdown(vector["tekst"], extensions=MKDOCS_EXTENSIONS)
    clean = sanitize_html(rendered)
    assert html_problem(clean) is None, clean


RICH = """### Underoverskrift {: #under }

Tekst med **fed**, *kursiv*, `kode <b>`, [et link](https://example.org/ "Titel") og
[mail](mailto:info@example.org), [relativ](../andet/) og ![Et billede](foto.jpg).

- punkt
- punkt med [link](#under)

Et afsnit.

1. et
2. to

> Et citat.

| Venstre | Højre |
|:--------|------:|
| a       | b     |

```
<script>bare tekst</script>
```

!!! note "Bemærk"
    En boks.

---
"""


def _soup(fragment: str) -> BeautifulSoup:
    """Parsed HTML with style values written one way ('text-align: left;' = 'text-align:left')."""
    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(style=True):
        tag["style"] = "".join(str(tag["style"]).split()).rstrip(";")
    return soup


def test_sanitiser_keeps_what_markdown_makes() -> None:
    bodies = [RICH] + [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in (REPO / "stories").glob("*.md")]
    for body in bodies:
        rendered = markdown.markdown(body, extensions=MKDOCS_EXTENSIONS)
        assert html_problem(rendered) is None
        assert _soup(sanitize_html(rendered)) == _soup(rendered)


def test_html_in_code_and_comparisons_is_text(tmp_path: Path) -> None:
    body = "Brug `<script>` aldrig, og 3 < 5.\n\n```\n<iframe src=\"x\"></iframe>\n```\n\n~~~~\n<b>\n~~~~\n"
    assert _problems(tmp_path, body) == []


def test_contact_details_belong_in_kontakt(tmp_path: Path) -> None:
    extra = "billeder: []\n"
    good = GOOD.format(body="Tekst.", extra=extra).replace(
        "  organisation: Foreningen\n",
        "  organisation: Foreningen\n  email: info@foreningen.dk\n  telefon: +45 23 45 67 89\n"
        "  web: https://foreningen.dk/\n",
    )
    root = _mini(tmp_path, {"stories/x.md": good})
    assert load_bank(root).problems == []


def test_numbers_that_are_not_personal_data(tmp_path: Path) -> None:
    body = ("Fra 2019 2020 til 2024-2025, kl. 19.30-21.00, 10000000 kr., CVR 29189854, "
            "dato 2019-05-01, sag 321399-1234 og https://example.org/a/23456789.")
    assert _problems(tmp_path, body) == []


def test_cpr_number_is_rejected_even_in_kontakt(tmp_path: Path) -> None:
    assert _problems(tmp_path, extra="", body="Tekst.", files={}) == []
    root = _mini(tmp_path, {"stories/x.md": GOOD.format(body="Tekst.", extra="").replace(
        "  organisation: Foreningen\n", "  organisation: Foreningen\n  telefon: 010203-1234\n")})
    assert [str(p) for p in load_bank(root).problems] == [
        "stories/x.md:13: kontakt.telefon: indeholder noget, der ligner et CPR-nummer"
        " — fjern det; et CPR-nummer må aldrig stå i en historie",
    ]


def test_test_mode_still_checks_personal_data(tmp_path: Path) -> None:
    root = _mini(tmp_path, {"stories/x.md": GOOD.format(body="<b>Født 010203-1234</b>", extra="")})
    assert [p.what for p in load_bank(root).problems] == [
        "rå HTML er ikke tilladt ('<b>Født 010203-1234</b>')", "indeholder noget, der ligner et CPR-nummer",
    ]
    assert [p.what for p in load_bank(root, check_markup=False).problems] == [
        "indeholder noget, der ligner et CPR-nummer",
    ]


def png(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    """A real PNG image; ``padding`` adds an ancillary chunk to reach a size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    extra = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


IMAGES = """samtykke: ja
billeder:
  - fil: billeder/ok.png
    alt: Et gråt punkt.
    kredit: Foreningen
  - fil: billeder/stort.png
    alt: Et stort billede.
    kredit: Foreningen
  - fil: billeder/falsk.png
    alt: Ikke et billede.
    kredit: Foreningen
  - fil: andre/ok.png
    alt: Samme navn.
    kredit: Foreningen
  - fil: billeder/uden-alt.png
    kredit: Foreningen
"""


def test_image_rules(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    (stories / "billeder").mkdir(parents=True)
    (stories / "andre").mkdir()
    (stories / "billeder" / "ok.png").write_bytes(png())
    (stories / "andre" / "ok.png").write_bytes(png(2, 2))
    (stories / "billeder" / "stort.png").write_bytes(png(padding=MAX_IMAGE_BYTES))
    (stories / "billeder" / "falsk.png").write_text("<html><script>alert(1)</script></html>")
    (stories / "billeder" / "uden-alt.png").write_bytes(png())
    assert _problems(tmp_path, extra=IMAGES) == [
        "stories/x.md:18: billeder[2].fil: billedet fylder 2,1 MB; højst 2 MB er tilladt"
        " — gør billedet mindre, fx 1600 punkter bredt og gemt som JPEG",
        "stories/x.md:21: billeder[3].fil: 'billeder/falsk.png' er ikke et PNG-billede"
        " — gem billedet igen som PNG, eller giv filen den endelse, der passer til formatet",
        "stories/x.md:24: billeder[4].fil: billedet 'ok.png' har samme filnavn som billede nr. 1"
        " — giv billedfilerne forskellige navne; de lægges i samme mappe på sitet",
        "stories/x.md:27: billeder[5].alt: feltet mangler — tilføj 'alt:' med en værdi",
    ]


def test_images_are_copied_next_to_the_story_and_shown_as_figures(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    image = png(3, 2)
    (root / "stories" / "billeder").mkdir(exist_ok=True)
    (root / "stories" / "billeder" / "moede.png").write_bytes(image)
    story = (REPO / "stories" / "folkemoedet-i-silkeborg.md").read_text(encoding="utf-8").replace(
        "rådets_rolle:", "samtykke: ja\nbilleder:\n  - fil: billeder/moede.png\n"
        "    alt: Tre grå punkter på en række.\n    kredit: \"Foto & tegning: Foreningen\"\nrådets_rolle:", 1,
    ).replace("  organisation: Silkeborg Kommune", "  organisation: Silkeborg Kommune & Co", 1)
    (root / "stories" / "folkemoedet-i-silkeborg.md").write_text(story, encoding="utf-8")
    site = build_ok(root, tmp_path / "site")
    assert (site / "historier" / "folkemoedet-i-silkeborg" / "moede.png").read_bytes() == image
    page = html(site, "historier/folkemoedet-i-silkeborg/")
    figure = page.select_one("figure.vb-figure")
    img = figure.find("img")
    assert img["alt"] == "Tre grå punkter på en række."
    assert (site / "historier" / "folkemoedet-i-silkeborg" / str(img["src"])).resolve().read_bytes() == image
    assert figure.find("figcaption").get_text(" ", strip=True) == "Foto: Foto & tegning: Foreningen"
    assert "Silkeborg Kommune & Co" in page.select_one(".vb-facts").get_text(), "escaped once, not twice"


def test_templates_neither_double_escape_nor_print_markup_as_text(shipped_site: Path) -> None:
    """Our templates autoescape (the hook's on_env); page.content is marked safe in each of them."""
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        text = file.read_text(encoding="utf-8")
        for wrong in ("&amp;amp;", "&amp;lt;", "&amp;quot;", "&lt;p&gt;", "&lt;h2", "&lt;a href", "&lt;/"):
            assert wrong not in text, f"{file.relative_to(shipped_site)}: {wrong}"


# --- every kind of content file gets the same markup rules -------------------------------------------------------


def test_attribute_lists_that_set_attributes_are_rejected_by_the_line_rule_and_by_the_rendered_pass() -> None:
    from videnbank.safety import rendered_markup_problem

    text = 'Tekst.\n{: onclick="alert(1)" }\n'
    # The rendered pass alone must see it: if '{' were dropped from the characters that make the checker
    # render the text, this would be None.
    assert rendered_markup_problem(text) == "attributten onclick på <p>"
    assert rendered_markup_problem("Tekst.\n{: .klasse #id }\n") is None


def test_check_body_markup_works_for_any_source_with_admonitions_and_tables() -> None:
    from videnbank.safety import check_body_markup, check_front_matter_markup
    from videnbank.source import Source

    page = Source("docs/side.md", data={"title": "Om"}, body=(
        "# Om\n\n!!! note \"Bemærk\"\n\n    En boks med **fed** tekst og [et link](https://example.org).\n\n"
        "| felt | betydning |\n|---|---|\n| `titel` | Historiens titel |\n\n"
        "[Se alle historier](historier/index.md){ .knap }\n"
    ), body_line=3)
    check_front_matter_markup(page)
    check_body_markup(page)
    assert page.problems == []

    bad = Source("docs/side.md", data={"title": "Om <script>"}, body="!!! note\n\n    Tekst\n{: onclick=x }\n")
    check_front_matter_markup(bad)
    check_body_markup(bad)
    assert [(p.line, p.field) for p in bad.problems] == [(1, "title"), (4, "tekst")]


def test_council_text_fields_get_the_markup_rule(tmp_path: Path) -> None:
    from videnbank.council import load_council

    lines = (REPO / "council.yml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("navn:"))
    lines[number] = 'navn: "Samskabelsesrådet</title><script>alert(1)</script>"'
    (tmp_path / "council.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found, problems = load_council(tmp_path, {})
    assert found is None
    assert [str(p) for p in problems] == [
        f"council.yml:{number + 1}: navn: HTML er ikke tilladt i feltet ('</title><script>alert(1)</script>') — "
        "skriv almindelig tekst uden HTML-koder; feltet vises som tekst på siden"
    ]


def test_council_refuses_yaml_aliases(tmp_path: Path) -> None:
    from videnbank.council import load_council

    (tmp_path / "council.yml").write_text("navn: &n Rådet\nkommune: *n\n", encoding="utf-8")
    _, problems = load_council(tmp_path, {})
    assert [str(p) for p in problems] == [
        "council.yml:1: fil: ankre og henvisninger (&n) er ikke tilladt — "
        "skriv værdien ud hvert sted, den skal stå; fjern '&navn' og '*navn'"
    ]


# --- code spans, found in linear time --------------------------------------------------------------------------

_OLD_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


@pytest.mark.parametrize("line", [
    "a `<b>` c", "``a ` b`` <i>", "x```", "`a``b`", "```a`` b```", "``a` `b``", "`` ` ``", "a ``` b ` c ``` d",
    "`one` and `two`", "```` x ```", "`", "``", "`a\\`b`",
])
def test_code_spans_are_removed_as_the_old_rule_did(line: str) -> None:
    from videnbank.safety import without_code_spans

    expected = _OLD_CODE_SPAN.sub("``", line) if "\\" not in line else "``b`"
    assert without_code_spans(line) == expected


def test_code_span_scan_is_linear_on_a_run_of_backticks() -> None:
    import time

    from videnbank.safety import without_code_spans

    start = time.process_time()
    for n in (3_000, 5_000):
        assert without_code_spans("x" + "`" * n) == "x" + "`" * n
        assert without_code_spans("x" + " `" * n)  # many runs of one backtick: each pair is a span
    assert time.process_time() - start < 0.5


def test_a_link_urllib_cannot_read_is_rendered_not_a_traceback() -> None:
    """'http://[x' is no address urllib can split (ValueError); the page still renders, without it."""
    from videnbank.render import Renderer

    for text in ("[a](http://[x)", "[a](//[x)", "[a]: http://[x\n\n[a]"):
        rendered = Renderer().render(text, "historier/x/index.md")
        assert ">a</a></p>" in rendered.html and rendered.broken_links == []
