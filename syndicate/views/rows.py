"""Query results as a text table, CSV or JSON: one document per output, real types, one timestamp format.

Every command that prints rows goes through :func:`format_rows`, so a value
looks the same wherever it appears:

- timestamps are ISO 8601 in UTC with the zone (``2026-12-05T03:12:44Z``; the
  database stores UTC), in CSV and JSON with fractions of a second where the
  value has them, in a table to the second;
- JSON is one array of objects (numbers as numbers, booleans, ``null``); CSV is
  one table (RFC 4180 quoting, one header, NULL as an empty field);
- a table shows NULL as ``NULL`` (as the duckdb CLI does), numbers at full
  precision unless the command asks for fewer digits, and cuts long cells
  only when asked (``max_width``), with an ellipsis.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Sequence

from .display import printable

NULL = "NULL"


def timestamp(value: datetime) -> str:
    """A datetime as ISO 8601 in UTC with ``Z``; a naive one is taken as UTC (the database stores UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds" if value.microsecond else "seconds") + "Z"


def json_value(value: Any) -> Any:
    """A database value as JSON: numbers, booleans and null as themselves, times as ISO 8601, bytes as hex."""
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    converted = json_value(value)
    return json.dumps(converted, ensure_ascii=False) if isinstance(converted, (list, dict)) else converted


def cell(value: Any, max_width: int | None = None, digits: int | None = None) -> str:
    """One value as a table cell: printable, on one line, cut at ``max_width`` characters with an ellipsis."""
    if value is None:
        text = NULL
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and digits is not None:
        text = f"{value:.{digits}f}"
    elif isinstance(value, datetime):  # to the second: CSV and JSON keep the fraction
        text = timestamp(value.replace(microsecond=0))
    elif isinstance(value, (list, tuple, dict)):
        text = json.dumps(json_value(value), ensure_ascii=False)
    else:
        text = " ".join(printable(json_value(value)).split())
    if max_width and len(text) > max_width:
        text = text[: max(max_width - 1, 1)] + "…"
    return text


def unique_names(columns: Sequence[str]) -> list[str]:
    """Column names made distinct (``a``, ``a_1``): a JSON object or a CSV header would otherwise lose a column."""
    seen: set[str] = set()
    names = []
    for name in columns:
        unique, n = name, 0
        while unique in seen:
            n += 1
            unique = f"{name}_{n}"
        seen.add(unique)
        names.append(unique)
    return names


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, max_width: int | None = None,
                digits: int | None = None) -> str:
    """Rows as an aligned text table, CSV or JSON (one array of objects, ``[]`` when there are none).

    ``max_width`` cuts table cells (0 or None: never); ``digits`` rounds
    floats in a table (None: as stored). CSV and JSON always carry the
    values whole.
    """
    columns = unique_names(columns)
    if fmt == "json":
        return json.dumps([{c: json_value(v) for c, v in zip(columns, row)} for row in rows],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_value(v) for v in row] for row in rows])
        return out.getvalue()
    cells = [[cell(v, max_width, digits) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
