#!/usr/bin/env python3
"""Validate every document of multi-document YAML files against a JSON schema.

usage: validate_policies.py SCHEMA FILE...

SCHEMA is a standalone JSON Schema (draft 2020-12), e.g.
/work/shared/k8s/networkpolicy-v1.30-standalone-strict.json. Every error is printed as
FILE: document N (0-based): PATH: MESSAGE. Exit status: 0 all valid, 1 any error, 2 bad usage
or unreadable input.
"""

import json
import sys

import yaml
from jsonschema import Draft202012Validator


def json_path(error):
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        print(f"{argv[1]}: cannot use as a schema: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # jsonschema.SchemaError
        print(f"{argv[1]}: not a valid JSON Schema: {e}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema)

    failed = False
    total = 0
    for name in argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                # safe_load_all is YAML 1.1: an unquoted yes/on/080 becomes a bool or a number
                # here exactly as it would for kubectl, and the schema then rejects it.
                documents = list(yaml.safe_load_all(f))
        except (OSError, yaml.YAMLError) as e:
            print(f"{name}: cannot read YAML: {e}")
            failed = True
            continue
        for index, document in enumerate(documents):
            if document is None:
                continue  # an empty document (e.g. a trailing ---)
            total += 1
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
            for error in errors:
                print(f"{name}: document {index}: {json_path(error)}: {error.message}")
                failed = True
    print(f"{total} document(s) checked, {'errors found' if failed else 'all valid'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
