"""Validates JSON documents against a JSON Schema (draft 2020-12), formats checked.

Usage: python3 tests/json_schema.py SCHEMA.json DOCUMENT.json...

Prints one line per document, `ok` or each error with its path; exits 1 if any fails.
"""

import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
failed = 0
for path in sys.argv[2:]:
    document = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        failed += 1
        for e in errors:
            print(f"{path}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
    else:
        print(f"{path}: ok")
sys.exit(1 if failed else 0)
