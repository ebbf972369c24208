"""The hostile inputs of tests/test_hostile.py in Chromium, on the sites the three engines built
with the checker switched off: no handler runs, no focus is taken, nothing covers the page,
the theme's JavaScript still starts (no ``__config`` taken from it), no box dresses as its dialog,
and the policy is never broken."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import serve_site
from test_hostile import ENGINES, Hostile, hostile  # noqa: F401 - the module's fixture, built once

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog

PAGES = ("angreb-web", "angreb-billede", "angreb-script", "dialog", "config", "knap", "http", "styretegn", "bidi")
RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
"""
INSPECT = """() => {
  return {
    violations: window.__violations,
    material: typeof document$ !== 'undefined',
    focused: document.activeElement ? document.activeElement.tagName : null,
    covered: [...document.querySelectorAll('article, article *, .vb-facts *, .vb-images *')].some((e) => {
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      return ['fixed', 'absolute'].includes(style.position)
        && box.width >= innerWidth / 2 && box.height >= innerHeight / 2;
    }),
    dialogs: [...document.querySelectorAll('[class*=md-dialog]')].filter(e => e.closest('article')).length,
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_pages_are_inert_in_chromium(
    hostile: Hostile, engine: str, browser: Browser  # noqa: F811 - the fixture imported above
) -> None:
    problems: list[str] = []
    with serve_site(hostile.sites[engine]) as url:
        context = browser.new_context()
        context.add_init_script(RECORD)
        try:
            for name in PAGES:
                page = context.new_page()
                alerts: list[str] = []

                def on_dialog(dialog: Dialog, alerts: list[str] = alerts) -> None:
                    alerts.append(dialog.message)
                    dialog.dismiss()

                page.on("dialog", on_dialog)
                page.goto(f"{url}historier/{name}/")
                page.wait_for_load_state("networkidle")
                page.wait_for_function("() => document.readyState === 'complete'")
                state = page.evaluate(INSPECT)
                problems += [f"{name}: alert {a}" for a in alerts]
                if state["violations"]:
                    problems.append(f"{name}: policy violations {state['violations']}")
                if not state["material"]:
                    problems.append(f"{name}: Material's JavaScript did not start")
                if state["focused"] not in {"BODY", None}:
                    problems.append(f"{name}: focus taken by {state['focused']}")
                if state["covered"] or state["dialogs"]:
                    problems.append(f"{name}: content covers the page or dresses as a dialog")
                page.close()
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
