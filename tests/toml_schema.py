"""Validates TOML files against a JSON Schema, as Taplo would in an editor.

Usage: python3 tests/toml_schema.py SCHEMA.json FILE.toml...

TOML dates become ISO strings (the schema says `format: date`). Prints one line per file, `ok`
or each error with its path; exits 1 if any file fails.
"""

import datetime
import json
import sys
import tomllib

import jsonschema


def plain(value):
    """TOML values as JSON would hold them: dates and times as ISO strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
failed = False
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        document = plain(tomllib.load(f))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        failed = True
        for e in errors:
            print(f"{path}: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}")
    else:
        print(f"{path}: ok")
sys.exit(1 if failed else 0)
