"""The offering as a PDF a counsellor hands to a client: A4, in the client's language, the groups by hub.

Only what the public offering shows (`scheduler.services.offering`): each group's name, weekday and
time, its term's dates, place and address, language, theme, leaders' first names, how it takes new
joiners and its free seats on the day the PDF was made. Nothing about any client is given to it.

Rendered with fpdf2's core font Helvetica (no font file: the deployment image has none), whose
PDF encoding is WinAnsi (cp1252): Finnish and Swedish letters, the en dash and curly quotes are in
it; a character outside it is written as its nearest ASCII (`→` as `->`) or `?`.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.pages import labels
from api.pages.hub_sections import HubSection
from api.pages.i18n import N_, Lang
from scheduler.services.offering import OfferedGroup

__all__ = ["ENCODING", "offering_pdf", "paper_text", "seats_text"]

ENCODING = "cp1252"
"""The core fonts' encoding in the PDF (WinAnsiEncoding)."""
FONT = "Helvetica"
LABEL_WIDTH = 32
LINE = 5.0
GROUP_MIN_SPACE = 45
"""Millimetres a group's block needs at least: less left on the page starts a new one."""
SPELLED = {
    "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "−": "-", "✓": "x", "\u00a0": " ", "\u202f": " ",
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i",
}  # fmt: skip
"""Characters outside cp1252 written as ASCII where Unicode's decomposition (NFKD) gives none."""


def paper_text(text: str) -> str:
    """Text as the core font can write it: cp1252 as it is, other characters as ASCII near them, else `?`."""
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            plain = SPELLED.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            char = plain or "?"
        out.append(char)
    return "".join(out)


def seats_text(group: OfferedGroup, lang: Lang) -> str:
    """The group's seats in words, as the offering's cards say them (`macros.html`'s `seats`)."""
    if group.just_come:
        return f"{lang.gettext(N_('Just come'))} – {lang.gettext(N_('no sign-up needed'))}"
    if not group.admission_open:
        return f"0 – {lang.gettext(N_('closed – no new joiners'))}"
    if group.free_seats > 0:
        words = lang.ngettext("free seat", "free seats", group.free_seats)
        return f"{group.free_seats} {words} / {group.capacity}"
    waiting = lang.ngettext("%(num)d waiting", "%(num)d waiting", group.waiting) if group.waiting else ""
    return f"0 – {lang.gettext(N_('full – waiting list'))}" + (f" · {waiting}" if waiting else "")


def _admission(group: OfferedGroup, lang: Lang) -> str:
    if group.just_come:
        return lang.gettext(N_("Just come: no sign-up, no referral needed."))
    if not group.admission_open:
        return lang.gettext(N_("The group is closed: it takes no new joiners."))
    if group.admission == "closed" and group.closes_on:
        return lang.gettext(
            N_("New joiners until %(date)s; after that the group is closed."), date=lang.date(group.closes_on)
        )
    return lang.gettext(N_("New joiners are welcome throughout the term."))


def _where(group: OfferedGroup, lang: Lang) -> str:
    if group.place is None:
        return lang.gettext(N_("Remote, online"))
    where = group.place.address or group.place.municipality  # the hub's name heads its section
    if group.place.accessible:
        where += f" · {lang.gettext(N_('accessible room'))}"
    if group.modality == "hybrid":
        where += f" · {lang.gettext(N_('or from home, remotely'))}"
    return where


def group_name(group: OfferedGroup, lang: Lang) -> str:
    """The group's name in the language (the Finnish one where it has none)."""
    name: str | None = getattr(group.name, lang.code, None)
    return name or group.name.fi


def _facts(group: OfferedGroup, lang: Lang) -> list[tuple[str, str]]:
    theme = labels.label(labels.THEMES, group.theme, lang)
    if group.audience != "all":
        theme += f" · {labels.label(labels.AUDIENCES, group.audience, lang)}"
    term = f"{lang.date(group.term_start, 'long')} – {lang.date(group.term_end, 'long')}"
    starts = lang.date(group.starts_on, "long") if group.starts_on else "–"
    return [
        (
            N_("When"),
            lang.gettext(N_("Every week on %(when)s"), when=f"{lang.weekday(group.day)} {group.start}–{group.end}"),
        ),
        (N_("Term"), term),
        (
            N_("Starts on"),
            f"{starts} · {lang.ngettext('%(num)d session left', '%(num)d sessions left', group.sessions_left)}",
        ),
        (N_("Where"), _where(group, lang)),
        (N_("Language"), labels.language_name(group.language, lang)),
        (N_("Theme"), theme),
        (N_("Leaders"), ", ".join(group.leaders) or "–"),
        (N_("Joining"), _admission(group, lang)),
    ]


class _Sheet(FPDF):
    """A4 pages with the service's line and the page number at the foot."""

    def __init__(self, foot: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.foot = foot
        self.core_fonts_encoding = ENCODING
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.cell(0, 5, paper_text(f"{self.foot}   {self.page_no()}/{{nb}}"), align="C")

    def line_of(self, text: str, size: float, style: str = "", height: float = LINE) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, height, paper_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fact(self, label: str, value: str) -> None:
        self.set_font(FONT, "B", 9)
        self.cell(LABEL_WIDTH, LINE, paper_text(label))
        self.set_font(FONT, "", 10)
        self.multi_cell(0, LINE, paper_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def room_left(self) -> float:
        return self.h - self.b_margin - self.get_y()


def _hub_heading(sheet: _Sheet, section: HubSection, lang: Lang) -> None:
    if sheet.room_left() < GROUP_MIN_SPACE + 15:
        sheet.add_page()
    sheet.ln(3)
    place = section.place
    sheet.line_of(place.hub if place else lang.gettext(N_("Remote, online")), 14, "B", 7)
    if place:
        sheet.line_of(place.address or place.municipality, 10)
    sheet.line(sheet.l_margin, sheet.get_y() + 1, sheet.w - sheet.r_margin, sheet.get_y() + 1)
    sheet.ln(3)


def _group(sheet: _Sheet, group: OfferedGroup, lang: Lang) -> None:
    if sheet.room_left() < GROUP_MIN_SPACE:
        sheet.add_page()
    sheet.line_of(group_name(group, lang), 12, "B", 6)
    sheet.fact(lang.gettext(N_("Free seats")), seats_text(group, lang))
    for label, value in _facts(group, lang):
        sheet.fact(lang.gettext(label), value)
    sheet.ln(4)


def offering_pdf(sections: list[HubSection], lang: Lang, on: date) -> bytes:
    """The offering's groups, by hub, as an A4 PDF in the language; made on `on`."""
    sheet = _Sheet(lang.gettext(N_("Tarjotin – the group offering of social rehabilitation in Western Uusimaa.")))
    title = lang.gettext(N_("Group offering of social rehabilitation"))
    sheet.set_title(paper_text(title))
    sheet.set_lang(lang.code)
    sheet.set_creator("Tarjotin")
    sheet.set_creation_date(datetime.combine(on, time(12)).astimezone())
    sheet.add_page()
    sheet.line_of(title, 18, "B", 9)
    sheet.line_of(lang.gettext(N_("Free seats as of %(date)s."), date=lang.date(on, "long")), 11)
    sheet.line_of(lang.gettext(N_("Ask your counsellor to reserve a seat in a group.")), 11)
    sheet.ln(2)
    if not sections:
        sheet.line_of(lang.gettext(N_("No group matches these filters.")), 11)
    for section in sections:
        _hub_heading(sheet, section, lang)
        for group in section.groups:
            _group(sheet, group, lang)
    return bytes(sheet.output())
