#!/usr/bin/env python3
"""Validate every document of multi-document YAML files against a JSON schema.

usage: validate_policies.py SCHEMA FILE...

SCHEMA is a standalone JSON Schema (draft 2020-12), e.g.
/work/shared/k8s/networkpolicy-v1.30-standalone-strict.json, or a CustomResourceDefinition
(YAML), e.g. clusternetworkpolicy-v1alpha2-crd-v0.2.0.yaml: its first version's openAPIV3Schema
is used, made strict as the API server's strict field validation is (an object with properties
takes no other key), with apiVersion and kind fixed to the CRD's. The CEL rules
(x-kubernetes-validations) are not JSON Schema: Bulkhead's own reader checks them. Every error is printed as
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


def strict(node):
    """Unknown fields are errors: every object schema with properties takes no other key."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


def crd_schema(crd):
    version = crd["spec"]["versions"][0]
    schema = strict(version["schema"]["openAPIV3Schema"])
    group = crd["spec"]["group"]
    schema["properties"]["apiVersion"] = {"const": f"{group}/{version['name']}"}
    schema["properties"]["kind"] = {"const": crd["spec"]["names"]["kind"]}
    schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind"})
    schema["properties"]["metadata"] = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"},
                       "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                       "annotations": {"type": "object", "additionalProperties": {"type": "string"}}},
    }
    return schema


def python_patterns(node):
    """Python's re has no Unicode property classes: the CiliumNetworkPolicy schema's only one,
    ^\\PC*$ (no control or unassigned characters, on spec.log.value), becomes no control characters."""
    if isinstance(node, dict):
        if node.get("pattern") == "^\\PC*$":
            node["pattern"] = "^[^\\x00-\\x1f\\x7f]*$"
        for value in node.values():
            python_patterns(value)
    elif isinstance(node, list):
        for value in node:
            python_patterns(value)
    return node


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith((".yaml", ".yml")):
            document = yaml.safe_load(f)
            if document.get("kind") != "CustomResourceDefinition":
                raise ValueError("a YAML schema must be a CustomResourceDefinition")
            return crd_schema(document)
        return python_patterns(json.load(f))


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        schema = load_schema(argv[1])
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as e:
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
