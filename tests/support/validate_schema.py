#!/usr/bin/env python3
"""Validates JSON or TOML documents against a JSON Schema (draft 2020-12) with python3-jsonschema.

usage: validate_schema.py SCHEMA [FILE[:TABLE]...]
The schema itself is checked first (alone when no FILE is given). A .toml FILE is converted to JSON first; TABLE (e.g. tool.moat) selects the table to validate.
Exit 0 all valid, 1 a document is invalid (each error printed), 2 jsonschema is missing (tests skip).
"""
import datetime
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def load(argument):
    path, _, table = argument.partition(":")
    if not path.endswith(".toml"):
        with open(path, encoding="utf-8") as stream:
            return json.load(stream)
    import tomllib

    with open(path, "rb") as stream:
        document = tomllib.load(stream)
    for key in filter(None, table.split(".")):
        document = document[key]
    # TOML dates become the strings the schema describes.
    return json.loads(json.dumps(document, default=lambda value: value.isoformat()
                                 if isinstance(value, (datetime.date, datetime.datetime)) else str(value)))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as stream:
        schema = json.load(stream)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    invalid = 0
    for argument in sys.argv[2:]:
        for error in sorted(validator.iter_errors(load(argument)), key=lambda e: list(e.absolute_path)):
            invalid = 1
            location = "/".join(str(part) for part in error.absolute_path)
            print(f"{argument}: /{location}: {error.message}", file=sys.stderr)
    return invalid


if __name__ == "__main__":
    sys.exit(main())
