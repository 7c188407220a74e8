#!/usr/bin/env python3
"""Validates missive's CI reports against their consumers' schemas.

Usage: python3 tests/ci_formats.py gitlab REPORT.json [...]
       python3 tests/ci_formats.py junit REPORT.xml [...]

- gitlab: GitLab Code Quality JSON against tests/schemas/gitlab-codequality.schema.json (written
  from GitLab's documented format; GitLab publishes no schema), with Python `jsonschema`, plus
  what GitLab relies on beyond it: fingerprints unique within a report.
- junit: JUnit XML against tests/schemas/junit-10.xsd (Jenkins xUnit plugin's schema) with
  Python `xmlschema`, which parses with a conforming XML parser first (bad escaping fails there),
  plus the counts on each testsuite agreeing with its test cases.
Needs: pip install 'jsonschema>=4' 'xmlschema>=3'

Exit codes: 0 every report is valid, 1 a report is not, 2 the check could not run.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def gitlab(paths):
    try:
        import jsonschema
    except ModuleNotFoundError:
        sys.exit("ci_formats.py: pip install 'jsonschema>=4'")
    with open(os.path.join(HERE, "schemas", "gitlab-codequality.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(report)]
        prints = [issue.get("fingerprint") for issue in report if isinstance(issue, dict)]
        problems += [f"fingerprint {p!r} more than once" for p in sorted({p for p in prints if prints.count(p) > 1})]
        failed += report_on(path, problems, f"{len(report)} issues")
    return failed


def junit(paths):
    try:
        import xmlschema
    except ModuleNotFoundError:
        sys.exit("ci_formats.py: pip install 'xmlschema>=3'")
    schema = xmlschema.XMLSchema(os.path.join(HERE, "schemas", "junit-10.xsd"))
    failed = 0
    for path in paths:
        try:
            problems = [f"{e.path}: {e.reason}" for e in schema.iter_errors(path)]
        except Exception as e:  # not well-formed XML at all
            problems = [f"not XML: {e}"]
        cases = 0
        if not problems:
            import xml.etree.ElementTree as ET

            for suite in ET.parse(path).getroot().iter("testsuite"):
                tests = suite.findall("testcase")
                cases += len(tests)
                counts = {
                    "tests": len(tests),
                    "failures": sum(1 for t in tests if t.find("failure") is not None),
                    "errors": sum(1 for t in tests if t.find("error") is not None),
                    "skipped": sum(1 for t in tests if t.find("skipped") is not None),
                }
                for key, want in counts.items():
                    got = suite.get(key)
                    if got is not None and int(got) != want:
                        problems.append(f"testsuite {suite.get('name')!r}: {key}={got}, but it has {want}")
        failed += report_on(path, problems, f"{cases} test cases")
    return failed


def report_on(path, problems, what):
    if problems:
        print(f"{path}: not valid ({len(problems)} problems):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{path}: valid ({what})")
    return 0


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("gitlab", "junit"):
        print(__doc__, file=sys.stderr)
        return 2
    check = gitlab if sys.argv[1] == "gitlab" else junit
    return 1 if check(sys.argv[2:]) else 0


if __name__ == "__main__":
    sys.exit(main())
