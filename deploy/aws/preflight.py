"""Check a parameter file against the template's constraints before `aws cloudformation deploy`.

CloudFormation rejects a value outside AllowedValues, MinValue/MaxValue, MinLength/MaxLength
or AllowedPattern when the change set is created; this says the same locally, naming every
bad parameter at once. cfn-lint (E2900) checks that required parameters are present but not
these ranges. Usage:

    python deploy/aws/preflight.py deploy/aws/parameters.example.json

The file is the JSON that `aws cloudformation deploy --parameter-overrides file://...` and
`create-stack --parameters file://...` read: [{"ParameterKey": ..., "ParameterValue": ...}].
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).with_name("invsim.yaml")


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """Read the template (its short-form intrinsic functions included) with cfn-lint's reader."""
    from cfnlint.decode import decode

    template, problems = decode(str(path))
    if problems or template is None:
        raise SystemExit(f"{path}: cannot be read: {problems}")
    return dict(template)


def load_values(path: Path) -> dict[str, str]:
    """Read a parameter file: a list of ParameterKey/ParameterValue objects."""
    entries = json.loads(path.read_text())
    return {str(entry["ParameterKey"]): str(entry["ParameterValue"]) for entry in entries}


def _number(value: str) -> Decimal | None:
    """Parse a Number parameter's value (None when it is not a number)."""
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def problems_of(name: str, spec: dict[str, Any], value: str) -> list[str]:
    """Every constraint of one parameter that `value` breaks."""
    found = []
    allowed = spec.get("AllowedValues")
    if allowed is not None and value not in {str(v) for v in allowed}:
        found.append(f"{name}={value!r}: not one of {[str(v) for v in allowed]}")
    if spec.get("Type") == "Number":
        number = _number(value)
        if number is None:
            return [*found, f"{name}={value!r}: not a number"]
        if "MinValue" in spec and number < Decimal(str(spec["MinValue"])):
            found.append(f"{name}={value}: below MinValue {spec['MinValue']}")
        if "MaxValue" in spec and number > Decimal(str(spec["MaxValue"])):
            found.append(f"{name}={value}: above MaxValue {spec['MaxValue']}")
    if "MinLength" in spec and len(value) < int(spec["MinLength"]):
        found.append(f"{name}: shorter than MinLength {spec['MinLength']}")
    if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
        found.append(f"{name}: longer than MaxLength {spec['MaxLength']}")
    pattern = spec.get("AllowedPattern")
    if pattern is not None and re.fullmatch(str(pattern), value) is None:
        found.append(f"{name}={value!r}: does not match AllowedPattern {pattern}")
    return found


def check(values: dict[str, str], template: dict[str, Any]) -> list[str]:
    """Every problem of a set of values: unknown names, missing required ones, bad values."""
    parameters: dict[str, Any] = template["Parameters"]
    found = [f"{name}: not a parameter of the template" for name in values
             if name not in parameters]
    for name, spec in parameters.items():
        if name in values:
            found += problems_of(name, spec, values[name])
        elif "Default" not in spec:
            found.append(f"{name}: required (it has no default)")
    return found


def main(argv: list[str]) -> int:
    """Print every problem of the parameter file named on the command line; 1 if any."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = check(load_values(Path(argv[0])), load_template())
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
