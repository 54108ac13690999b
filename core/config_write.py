"""Set one option in config.toml, keeping the rest of the file (comments, order) as the user wrote it.

Used for choices the user makes in the app that should stick (the SQL dialect picked on a card becomes
the default, as `[sql] dialect`). Only plain `key = value` lines of one table are touched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from prepdeck.core.paths import config_path


def set_option(home: Path, table: str, key: str, value: str) -> Path:
    """Write `key = "value"` under `[table]` of config.toml (created when missing); returns its path."""
    path = config_path(home)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    wanted = f"{key} = {json.dumps(value)}"
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        lines += (["", f"[{table}]"] if lines else [f"[{table}]"]) + [wanted]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        setting = re.compile(rf"^\s*{re.escape(key)}\s*=")
        found = next((i for i in range(start + 1, end) if setting.match(lines[i])), None)
        if found is None:
            lines.insert(start + 1, wanted)
        else:
            lines[found] = wanted
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
