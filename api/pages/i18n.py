"""The pages' languages: Finnish (the default), Swedish and English, from the product's one set of catalogues.

The catalogues, the `Lang` a page is rendered with and the Accept-Language negotiation live in
`scheduler.i18n`, shared with the calendar feeds; the pages use them through these names.
"""

from __future__ import annotations

from scheduler.i18n import DEFAULT, LANG_NAMES, LANGS, LOCALE_DIR, N_, Lang, catalogue, lang_for, negotiate

__all__ = ["DEFAULT", "LANGS", "LANG_NAMES", "LOCALE_DIR", "Lang", "N_", "catalogue", "lang_for", "negotiate"]
