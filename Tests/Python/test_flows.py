"""Every example in flows/ validates with `jina`, against `jina export schema`, and loads in
Python Jina 3.34 too (the same file works for both)."""
import json
import os
import re

import jsonschema
import pytest

from conftest import FLOWS, run_jina


def test_there_are_examples():
    assert len(FLOWS) >= 6


@pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.name)
def test_example_validates(jina_bin, flow):
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate")
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr


@pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.name)
def test_example_json_report_parses(jina_bin, flow):
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert [e["name"] for e in report["flow"]["executors"]]


@pytest.fixture(scope="module")
def schema(jina_bin):
    result = run_jina(jina_bin, "export", "schema")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validators.validator_for(document).check_schema(document)
    return document


@pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.name)
def test_example_matches_schema(schema, flow):
    import yaml

    data = yaml.safe_load(flow.read_text())
    jsonschema.validate(data, schema)


def test_schema_rejects_unknown_executor_key(schema):
    bad = {"jtype": "Flow", "executors": [{"name": "a", "replicaz": 2}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


DEFAULT_FORM = re.compile(r"\$\{\{\s*(?:ENV|env)\.(\w+):-(.*?)\s*\}\}")


def jina_compatible(text: str, monkeypatch) -> str:
    """Python Jina has no `${{ ENV.X:-default }}`: give it the plain form and set X to the
    default (when unset), which is what our substitution does."""
    def plain(match):
        name, default = match.group(1), match.group(2)
        if name not in os.environ:
            monkeypatch.setenv(name, default)
        return "${{ ENV.%s }}" % name
    return DEFAULT_FORM.sub(plain, text)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.name)
def test_python_jina_loads_example(jina_bin, flow, tmp_path, monkeypatch):
    from jina import Flow

    copy = tmp_path / flow.name
    copy.write_text(jina_compatible(flow.read_text(), monkeypatch))
    loaded = Flow.load_config(str(copy))
    names = [name for name in loaded._deployment_nodes if name != "gateway"]
    ours = json.loads(run_jina(jina_bin, "flow", "--uses", str(flow), "--validate", "--json").stdout)
    assert sorted(names) == sorted(e["name"] for e in ours["flow"]["executors"])
