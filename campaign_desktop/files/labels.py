"""Column labels: what the mapping grid shows and what mappings refer to, so they must be unique."""

from __future__ import annotations

from collections.abc import Sequence


def column_labels(header: Sequence[str] | None, width: int) -> list[str]:
    """Unique labels for ``width`` columns, from a header row when there is one.

    Empty header cells become "Column N" (N is the 1-based position) and repeated labels get a
    suffix ("Email", "Email (2)"), because a mapping names its source column by label and two
    columns with one name could not be told apart.
    """
    raw = [(header[i].strip().lstrip("\ufeff") if header and i < len(header) else "") for i in range(width)]
    labels = [label or f"Column {i + 1}" for i, label in enumerate(raw)]
    seen: set[str] = set()
    out: list[str] = []
    counts: dict[str, int] = {}
    for label in labels:
        if label.casefold() not in seen:
            seen.add(label.casefold())
            out.append(label)
            continue
        n = counts.get(label.casefold(), 1)
        while True:
            n += 1
            candidate = f"{label} ({n})"
            if candidate.casefold() not in seen:
                break
        counts[label.casefold()] = n
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


__all__ = ["column_labels"]
