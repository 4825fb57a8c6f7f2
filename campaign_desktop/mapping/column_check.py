"""The column profile under the formats the user chose (File format dialog), not only the detected ones.

``files.preview`` profiles what the values look like; once a user says "this column is a
date in MM/DD/YYYY", the File to import page must count the values that will not convert
*with that format*, with examples, before anything is written (spec §4.4-4.5). The values
are checked with the very parsers the import uses, so the preview and the run agree.
"""

from __future__ import annotations

from dataclasses import replace

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ColumnFormat
from campaign_desktop.files.preview import ColumnProfile, Preview
from campaign_desktop.mapping.field_plan import _type_parser
from campaign_desktop.mapping.values import Bad

EXAMPLES = 5


def profile_with_formats(p: Preview, formats: list[ColumnFormat]) -> list[ColumnProfile]:
    """The preview's profiles, re-checked against the chosen format of each column named in ``formats``.

    A column without a chosen format, or typed text, keeps its detected profile. Ignored columns
    report no invalid values (they are not read).
    """
    by_name = {f.name: f for f in formats if f.name}
    by_label = {f.label: f for f in formats if f.label}
    usable = [r.values for r in p.rows if r.values and not r.error]
    out = []
    for j, prof in enumerate(p.profiles):
        fmt = by_name.get(prof.name) or by_label.get(prof.name)
        if fmt is None:
            out.append(prof)
            continue
        if fmt.ignore or fmt.type is FieldType.TEXT:
            out.append(replace(prof, detected_type=fmt.type, date_format="", invalid=0, invalid_examples=[],
                               ambiguity=""))
            continue
        try:
            parse = _type_parser(fmt.type, prof.name, fmt)
        except Exception:  # noqa: BLE001 - a bad format string: every value is invalid, the dialog says why
            parse = None
        bad = 0
        examples: list[str] = []
        for values in usable:
            text = values[j].strip() if j < len(values) else ""
            if not text or text in fmt.remap:
                continue
            if parse is None or isinstance(parse(text), Bad):
                bad += 1
                if len(examples) < EXAMPLES:
                    examples.append(text)
        out.append(replace(prof, detected_type=fmt.type, date_format=fmt.date_format, invalid=bad,
                           invalid_examples=examples, ambiguity=prof.ambiguity if fmt.date_format == prof.date_format
                           else ""))
    return out


__all__ = ["profile_with_formats"]
