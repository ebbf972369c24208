"""One Danish transliteration for every slug and heading anchor (æ → ae, ø → oe, å → aa; capitals
too, as slugify lowercases first); any other letter loses its accent (é → e, ü → u).

Story file names, vocabulary values (model.py) and the anchors of every heading (render.py's table
of contents) all come from ``slugify``. It imports nothing of the bank's, so every module can use it.
"""

from __future__ import annotations

import re
import unicodedata

TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ö": "oe", "ä": "ae", "ß": "ss"})


def slugify(value: str, separator: str = "-") -> str:
    """A slug or a heading's anchor: 'Ny velfærd på Ærø' -> 'ny-velfaerd-paa-aeroe'. The signature is
    Python-Markdown's toc ``slugify``, so file names, vocabulary values and anchors agree."""
    text = unicodedata.normalize("NFKD", value.strip().lower().translate(TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)
