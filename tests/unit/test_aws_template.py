"""deploy/aws/invsim.yaml: cfn-lint accepts it, bad parameters are flagged, and what it
deploys agrees with the app (settings, commands, metric names, the KMS encryption context)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from invsim import lambda_handler
from invsim.config import Settings
from invsim.crypto.providers.kms import ENCRYPTION_CONTEXT
from invsim.worker import QUEUE

ROOT = Path(__file__).resolve().parents[2]
AWS = ROOT / "deploy" / "aws"
TEMPLATE = AWS / "invsim.yaml"
LAMBDA = AWS / "lambda.yaml"
EXAMPLE = AWS / "parameters.example.json"
sys.path.insert(0, str(AWS))
import preflight  # noqa: E402  (deploy/aws/preflight.py is a script, not a package)


def cfn_lint(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the venv's cfn-lint (its rules and the resource schemas it ships)."""
    found = Path(sys.executable).with_name("cfn-lint")
    binary = str(found) if found.exists() else shutil.which("cfn-lint")
    assert binary, "cfn-lint is a dev dependency (pyproject.toml)"
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return preflight.load_template(TEMPLATE)


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def test_cfn_lint_accepts_the_templates_without_a_warning():
    linted = cfn_lint(str(TEMPLATE), str(LAMBDA))
    assert linted.returncode == 0 and linted.stdout.strip() == "", linted.stdout


@pytest.mark.parametrize("path", [TEMPLATE, LAMBDA], ids=["invsim", "lambda"])
def test_cloudformation_itself_can_read_them(path):
    text = path.read_text()
    assert len(text.encode()) <= 51_200  # `deploy` sends it inline, no S3 bucket needed
    assert not re.search(r"^\s*[\w-]+: [&*]\w", text, flags=re.M)  # YAML aliases are refused


@pytest.mark.parametrize("path", [TEMPLATE, LAMBDA], ids=["invsim", "lambda"])
def test_every_parameter_is_constrained(path):
    for name, spec in preflight.load_template(path)["Parameters"].items():
        if spec["Type"] == "Number":
            assert "AllowedValues" in spec or {"MinValue", "MaxValue"} <= set(spec), name
        else:
            assert "AllowedValues" in spec or "AllowedPattern" in spec, name


def test_cfn_lint_flags_a_default_out_of_range(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = TEMPLATE.read_text()
    start = text.index("  DbBackupRetentionDays:")
    bad.write_text(text[:start] + text[start:].replace("Default: 14", "Default: 40", 1))
    linted = cfn_lint(str(bad))
    assert linted.returncode != 0
    assert "E2015 Default should be less than or equal to MaxValue" in linted.stdout


def test_cfn_lint_checks_a_parameter_file_for_the_required_values(tmp_path):
    # (The example file itself passes preflight below, which also checks required values.)
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps([e for e in json.loads(EXAMPLE.read_text())
                                   if e["ParameterKey"] != "ImageUri"]))
    linted = cfn_lint(str(TEMPLATE), "--parameter-files", str(missing))
    assert linted.returncode != 0 and "E2900 'ImageUri' is a required property" in linted.stdout


def test_preflight_passes_the_example_and_names_every_value_out_of_range(tmp_path, template):
    assert preflight.check(preflight.load_values(EXAMPLE), template) == []
    values = {**preflight.load_values(EXAMPLE), "WebDesiredCount": "500",
              "DbBackupRetentionDays": "0", "DbMultiAZ": "maybe", "Http5xxRatePercent": "0.01",
              "ImageUri": "docker.io/library/invsim:latest", "WebCpu": "3000",
              "LogRetentionDays": "ten", "Nope": "1"}
    problems = preflight.check(values, template)
    assert problems == [
        "Nope: not a parameter of the template",
        "ImageUri='docker.io/library/invsim:latest': does not match AllowedPattern "
        + template["Parameters"]["ImageUri"]["AllowedPattern"],
        "WebDesiredCount=500: above MaxValue 50",
        "WebCpu='3000': not one of ['512', '1024', '2048', '4096']",
        "DbMultiAZ='maybe': not one of ['true', 'false']",
        "DbBackupRetentionDays=0: below MinValue 1",
        "LogRetentionDays='ten': not one of ['7', '14', '30', '60', '90', '180', '365']",
        "LogRetentionDays='ten': not a number",
        "Http5xxRatePercent=0.01: below MinValue 0.1",
    ]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]))
    run = subprocess.run([sys.executable, str(AWS / "preflight.py"), str(bad)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "WebDesiredCount=500: above MaxValue 50" in run.stderr


def test_the_data_key_lets_the_tasks_only_make_and_unwrap_data_keys_in_invsims_context(template):
    statements = template["Resources"]["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
    admin, app, functions = statements
    assert not {"kms:*", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"} & set(admin["Action"])
    assert app["Principal"] == {"AWS": {"Fn::GetAtt": ["TaskRole", "Arn"]}}
    # The Lambda roles (deploy/aws/lambda.yaml) only by their name, under the same conditions.
    assert functions["Condition"]["ArnLike"]["aws:PrincipalArn"] == {"Fn::Sub": (
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${EnvironmentName}-lambda-*")}
    for statement in (app, functions):
        assert sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
        context = {key.removeprefix("kms:EncryptionContext:"): value
                   for key, value in statement["Condition"]["StringEquals"].items()}
        assert context == ENCRYPTION_CONTEXT  # the context the app's KMS provider sends
        assert statement["Condition"]["ForAllValues:StringEquals"][
            "kms:EncryptionContextKeys"] == sorted(ENCRYPTION_CONTEXT)
    assert template["Resources"]["DataKey"]["Properties"]["EnableKeyRotation"] is True


def test_database_and_redis_are_encrypted_private_and_backed_up(template):
    db = template["Resources"]["Database"]
    props = db["Properties"]
    assert props["StorageEncrypted"] is True and props["KmsKeyId"] == {"Ref": "StorageKey"}
    assert props["MultiAZ"] == {"Ref": "DbMultiAZ"}
    assert props["BackupRetentionPeriod"] == {"Ref": "DbBackupRetentionDays"}
    assert props["PubliclyAccessible"] is False and db["DeletionPolicy"] == "Snapshot"
    redis = template["Resources"]["Redis"]["Properties"]
    assert redis["TransitEncryptionEnabled"] is True and redis["AtRestEncryptionEnabled"] is True
    assert redis["AuthToken"] == {"Fn::Sub": "{{resolve:secretsmanager:${RedisAuthSecret}}}"}
    url = template["Resources"]["RedisUrlSecret"]["Properties"]["SecretString"]["Fn::Sub"][0]
    assert url.startswith("rediss://") and "ssl_cert_reqs=required" in url


def test_http_redirects_to_https_and_streams_share_the_tls_listener(template):
    listeners = resources(template, "AWS::ElasticLoadBalancingV2::Listener")
    (action,) = listeners["HttpListener"]["Properties"]["DefaultActions"]
    assert action["Type"] == "redirect"
    assert (action["RedirectConfig"]["Protocol"], action["RedirectConfig"]["StatusCode"]) == (
        "HTTPS", "HTTP_301")
    https = listeners["HttpsListener"]["Properties"]
    assert https["Protocol"] == "HTTPS" and https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    rule = template["Resources"]["StreamRule"]["Properties"]
    assert rule["ListenerArn"] == {"Ref": "HttpsListener"}
    paths = set(rule["Conditions"][0]["PathPatternConfig"]["Values"])
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location /api/v1/market/stream" in nginx and "/api/v1/market/stream" in paths
    assert paths - {"/api/v1/market/stream"} == {
        f"/alpaca/{p}" for p in re.search(r"\^/alpaca/\(([^)]*)\)\$", nginx).group(1).split("|")}


def _containers(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tasks = resources(template, "AWS::ECS::TaskDefinition")
    return {t["Properties"]["ContainerDefinitions"][0]["Name"]: t["Properties"][
        "ContainerDefinitions"][0] for t in tasks.values()}


def test_the_services_run_the_compose_files_commands(template):
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())["services"]
    containers = _containers(template)
    for name in ("web", "stream", "beat", "migrate"):
        assert containers[name]["Command"] == compose[name]["command"], name
    worker = containers["worker"]["Command"]
    assert worker[:-1] == compose["worker"]["command"][:-1]
    assert worker[-1] == {"Ref": "WorkerConcurrency"}
    services = resources(template, "AWS::ECS::Service")
    assert {s["Properties"]["ServiceName"] for s in services.values()} == {
        "web", "stream", "worker", "beat"}
    beat = template["Resources"]["BeatService"]["Properties"]
    assert beat["DesiredCount"] == 1 and beat["DeploymentConfiguration"]["MaximumPercent"] == 100


def test_every_variable_given_to_the_app_is_a_setting_and_emf_and_kms_are_on(template):
    fields = set(Settings.model_fields)
    for name, container in _containers(template).items():
        env = {e["Name"]: e["Value"] for e in container["Environment"]}
        secrets = [s["Name"] for s in container["Secrets"] if isinstance(s, dict) and "Name" in s]
        for variable in [*env, *secrets]:
            assert variable.lower() in fields, (name, variable)
        assert env["METRICS_EMF"] == "true" and env["KEY_PROVIDER"] == "aws-kms", name
        assert env["KMS_KEY_IDS"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
        assert {"SECRET_KEY", "BLIND_INDEX_KEY", "DATABASE_URL", "REDIS_URL"} <= set(secrets)


def test_the_alarms_watch_what_the_app_and_aws_emit(template):
    alarms = resources(template, "AWS::CloudWatch::Alarm")
    by_metric = {a["Properties"].get("MetricName"): a["Properties"] for a in alarms.values()}
    assert by_metric["QueueDepth"]["Dimensions"] == [{"Name": "Queue", "Value": QUEUE}]
    assert by_metric["QueueDepth"]["Namespace"] == {"Ref": "MetricsNamespace"}
    assert by_metric["JobLag"]["Dimensions"] == [{"Name": "Job", "Value": "trading.match_orders"}]
    assert by_metric["TargetResponseTime"]["ExtendedStatistic"] == "p99"
    assert {"CPUUtilization", "DatabaseMemoryUsagePercentage"} <= set(by_metric)
    math = {a["Properties"]["Metrics"][1]["MetricStat"]["Metric"]["MetricName"]
            for a in alarms.values() if "Metrics" in a["Properties"]}
    assert math == {"HTTPCode_Target_5XX_Count", "FreeStorageSpace"}
    dashboard = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"][0]
    for metric in ("Latency", "OrdersRejected", "JobDuration", "ProviderCalls", "BudgetLeftDay",
                   "QuoteCacheHits", "QuoteCacheMisses"):
        assert metric in dashboard, metric
    json.loads(re.sub(r"\$\{[^}]+\}", "x", dashboard))  # the body is JSON once substituted


def test_the_lambda_stack_runs_a_registered_task_with_the_main_stacks_exports(template):
    function = preflight.load_template(LAMBDA)
    tasks = {slug: entry["Name"] for slug, entry in function["Mappings"]["Tasks"].items()}
    assert set(tasks.values()) <= set(lambda_handler.TASKS)
    assert set(function["Parameters"]["Task"]["AllowedValues"]) == set(tasks)
    role = function["Resources"]["Role"]["Properties"]["RoleName"]["Fn::Sub"]
    assert role == "${EnvironmentName}-lambda-${Task}"  # what the data key's policy admits
    exported = {name.removeprefix("${AWS::StackName}-") for name in (
        o["Export"]["Name"]["Fn::Sub"] for o in template["Outputs"].values() if "Export" in o)}
    imported = set(re.findall(r"\$\{MainStackName\}-(\w+)", json.dumps(function["Resources"])))
    assert imported and imported <= exported
    (grant,) = [p["PolicyDocument"]["Statement"][0] for p in function["Resources"]["Role"][
        "Properties"]["Policies"] if p["PolicyName"] == "data-keys"]
    assert sorted(grant["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert {k.removeprefix("kms:EncryptionContext:"): v
            for k, v in grant["Condition"]["StringEquals"].items()} == ENCRYPTION_CONTEXT
    variables = function["Resources"]["Function"]["Properties"]["Environment"]["Variables"]
    assert variables["INVSIM_LAMBDA_TASK"] == {"Fn::FindInMap": ["Tasks", {"Ref": "Task"}, "Name"]}
    settings = set(Settings.model_fields)
    assert all(name.lower() in settings for name in variables if name != lambda_handler.TASK_ENV)
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "BLIND_INDEX_KEY", "KMS_KEY_IDS"} <= set(
        variables)
