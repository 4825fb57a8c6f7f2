"""'Guess the destination fields' (spec §4.6, the magic wand of the Field mapping screen).

A column is matched against every importable recipient field by increasingly loose rules:
the exact name or xpath, the label or an alias, the same words once case, accents and
punctuation are set aside, the same letters without spaces, and finally a fuzzy match for
typos ("E-mail adress"). Every (column, field) pair gets a score; the best pairs are taken
first, so each field is used once and a weaker column stays unmapped rather than taking a
field a better column deserves. The user must always check the result (spec §4.6).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from campaign_desktop.domain.recipient_fields import IMPORTABLE_FIELDS, RecipientField
from campaign_desktop.domain.template import FieldMapping

FUZZY_THRESHOLD = 0.85
_MIN_FUZZY_LENGTH = 4  # "tel" ~ "tél" is an alias; short words are too easy to confuse fuzzily

# Scores: the higher, the surer.
_EXACT = 100  # 'email', '@lastName', 'location/@city'
_LABEL = 97  # 'Last name', 'LAST NAME'
_ALIAS = 95  # an alias as written, any case ('Courriel', 'Prénom', 'name')
_WORDS = 90  # same words after normalisation ('LAST_NAME', 'Prenom', 'date-de-naissance')
_LETTERS = 85  # same letters without spaces ('E-mail' ~ 'email', 'first name' ~ 'firstname')
_FUZZY = 50  # + 30 * ratio


_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS_RE = re.compile(r"[\s_\-./@'’()\[\]#°:,;]+")
_PARENTHESIS_RE = re.compile(r"\s*\(.*?\)\s*")


def normalize_header(text: str) -> str:
    """'Date_de-Naissance' -> 'date de naissance'; 'lastName' -> 'last name'; accents dropped."""
    text = _CAMEL_RE.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SEPARATORS_RE.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class _Spellings:
    field: RecipientField
    exact: frozenset[str]  # as written
    labels: frozenset[str]  # casefolded
    aliases: frozenset[str]  # casefolded
    words: frozenset[str]  # normalised
    letters: frozenset[str]  # normalised without spaces


def _spellings(f: RecipientField) -> _Spellings:
    xpath_leaf = f.xpath.rsplit("/", 1)[-1]
    exact = {f.name, f.xpath, xpath_leaf}
    labels = {f.label, _PARENTHESIS_RE.sub(" ", f.label).strip()}
    words = {normalize_header(s) for s in (*exact, *labels, *f.aliases)} - {""}
    return _Spellings(
        field=f,
        exact=frozenset(exact),
        labels=frozenset(s.casefold() for s in labels),
        aliases=frozenset(s.casefold() for s in f.aliases),
        words=frozenset(words),
        letters=frozenset(w.replace(" ", "") for w in words),
    )


_CATALOGUE: tuple[_Spellings, ...] = tuple(_spellings(f) for f in IMPORTABLE_FIELDS)


def _similar(a: str, b: str) -> float:
    """difflib's ratio, skipped when its cheap upper bounds already rule the pair out."""
    sm = difflib.SequenceMatcher(None, a, b)
    if sm.real_quick_ratio() < FUZZY_THRESHOLD or sm.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return sm.ratio()


@dataclass(frozen=True)
class _Column:
    """A source column label in every form the matchers compare (computed once per column)."""

    stripped: str
    folded: str
    words: str
    letters: str

    @classmethod
    def of(cls, column: str) -> _Column:
        stripped = column.strip()
        words = normalize_header(stripped)
        return cls(stripped, stripped.casefold(), words, words.replace(" ", ""))


def _score(col: _Column, sp: _Spellings, fuzzy: bool = True) -> float:
    if col.stripped in sp.exact:
        return _EXACT
    if col.folded in sp.labels:
        return _LABEL
    if col.folded in sp.aliases:
        return _ALIAS
    words, letters = col.words, col.letters
    if not words:
        return 0
    if words in sp.words:
        return _WORDS
    if letters in sp.letters:
        return _LETTERS
    if len(letters) < _MIN_FUZZY_LENGTH or not fuzzy:
        return 0
    best = 0.0
    for w in sp.words:
        if len(w.replace(" ", "")) < _MIN_FUZZY_LENGTH:
            continue
        best = max(best, _similar(words, w))
    for w in sp.letters:
        if len(w) < _MIN_FUZZY_LENGTH:
            continue
        best = max(best, _similar(letters, w))
    return _FUZZY + 30 * best if best >= FUZZY_THRESHOLD else 0


FUZZY_COLUMNS = 200
"""Columns past this many are matched by exact name, label and alias only: a hostile 50,000-column
header must not take minutes to guess (real recipient files have a few dozen columns)."""


def _spelling_index() -> tuple[tuple[str, dict[str, list[str]], float], ...]:
    """For each exact kind of match, spelling -> fields: the same answers as ``_score`` without fuzz,
    in one dictionary lookup per kind instead of one call per field."""
    kinds = (("stripped", "exact", _EXACT), ("folded", "labels", _LABEL), ("folded", "aliases", _ALIAS),
             ("words", "words", _WORDS), ("letters", "letters", _LETTERS))
    index = []
    for attr, spellings, score in kinds:
        table: dict[str, list[str]] = {}
        for sp in _CATALOGUE:
            for spelling in getattr(sp, spellings):
                table.setdefault(spelling, []).append(sp.field.name)
        index.append((attr, table, score))
    return tuple(index)


_SPELLING_INDEX = _spelling_index()


def score_column(column: str, fuzzy: bool = True) -> list[tuple[float, str]]:
    """Every field this column could mean, best first: [(score, field name)]. Handy for a GUI hint."""
    col = _Column.of(column)
    if fuzzy:
        scored = [(_score(col, sp, fuzzy), sp.field.name) for sp in _CATALOGUE]
    else:
        best: dict[str, float] = {}
        for attr, table, score in _SPELLING_INDEX:
            for name in table.get(getattr(col, attr), ()):
                best.setdefault(name, score)  # kinds come surest first, as in _score
        scored = [(score, name) for name, score in best.items()]
    return sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])


def guess_mapping(columns: list[str]) -> list[FieldMapping]:
    """Map source columns to recipient fields by name, label, alias, then fuzzily.

    Args:
        columns: the source column labels, in file order.

    Returns:
        One FieldMapping per guessed column, in column order; unknown columns are left out.
        The source is the column label, or ``#N`` when the same label appears twice.
        Fields the engine maintains itself (id, created, ...) are never proposed.
    """
    candidates: list[tuple[float, int, int, str]] = []  # (score, -column index, -field order, name)
    order = {sp.field.name: i for i, sp in enumerate(_CATALOGUE)}
    for ci, col in enumerate(columns):
        for score, name in score_column(col, fuzzy=ci < FUZZY_COLUMNS):
            candidates.append((score, -ci, -order[name], name))
    candidates.sort(reverse=True)
    taken_columns: set[int] = set()
    taken_fields: set[str] = set()
    chosen: dict[int, str] = {}
    for _score_value, neg_ci, _neg_order, name in candidates:
        ci = -neg_ci
        if ci in taken_columns or name in taken_fields:
            continue
        taken_columns.add(ci)
        taken_fields.add(name)
        chosen[ci] = name
    seen: set[str] = set()
    result: list[FieldMapping] = []
    for ci, col in enumerate(columns):
        first = col not in seen
        seen.add(col)
        if ci in chosen:
            result.append(FieldMapping(source=col if first else f"#{ci + 1}", destination=chosen[ci]))
    return result


__all__ = ["FUZZY_THRESHOLD", "guess_mapping", "normalize_header", "score_column"]
