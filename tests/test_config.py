"""Settings: precedence and origin, config files, validation, engine choice, redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import (
    OPENAI_DEFAULT_MODEL,
    Settings,
    choose_engine,
    load_settings,
    redact,
)
from briefgen.errors import ConfigError
from briefgen.ledger import DEFAULT_PRICES, Price, price_for


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, flags=None, env=None, **kw) -> Settings:
    return load_settings(flags=flags, env=env or {}, cwd=tmp_path, **kw)


# --- precedence -----------------------------------------------------------------------------


def test_defaults_when_nothing_is_configured(tmp_path):
    s = load(tmp_path)
    assert (s.engine, s.model, s.base_url, s.api_key) == ("auto", None, None, None)
    assert (s.concurrency, s.max_attempts, s.timeout) == (4, 3, 60.0)
    assert s.config_file is None
    assert s.prices == DEFAULT_PRICES
    assert set(s.origin.values()) == {"default"}


def test_flag_beats_env_beats_file_beats_default(tmp_path):
    write(tmp_path / "briefgen.toml", 'model = "file-m"\nconcurrency = 2\ntimeout = 5\n')
    env = {"BRIEFGEN_MODEL": "env-m", "BRIEFGEN_CONCURRENCY": "3"}
    s = load(tmp_path, flags={"model": "flag-m", "concurrency": None}, env=env)
    assert s.model == "flag-m" and s.origin["model"] == "flag"
    assert s.concurrency == 3 and s.origin["concurrency"] == "env BRIEFGEN_CONCURRENCY"
    assert s.timeout == 5.0 and s.origin["timeout"] == "file briefgen.toml"
    assert s.max_attempts == 3 and s.origin["max_attempts"] == "default"
    assert s.config_file == str(tmp_path / "briefgen.toml")


def test_briefgen_variables_beat_openai_ones(tmp_path):
    env = {
        "OPENAI_MODEL": "o-m",
        "BRIEFGEN_MODEL": "b-m",
        "OPENAI_BASE_URL": "http://o.example/v1",
        "BRIEFGEN_BASE_URL": "http://b.example/v1",
        "OPENAI_API_KEY": "sk-openai-key",
        "BRIEFGEN_API_KEY": "sk-briefgen-key",
    }
    s = load(tmp_path, env=env)
    assert (s.model, s.base_url, s.api_key) == ("b-m", "http://b.example/v1", "sk-briefgen-key")
    assert s.origin["api_key"] == "env BRIEFGEN_API_KEY"
    s = load(tmp_path, env={"OPENAI_MODEL": "o-m", "OPENAI_API_KEY": "sk-openai-key"})
    assert s.model == "o-m" and s.origin["model"] == "env OPENAI_MODEL"
    assert s.api_key == "sk-openai-key"


def test_empty_environment_variable_counts_as_unset(tmp_path):
    write(tmp_path / "briefgen.toml", 'model = "file-m"\n')
    s = load(tmp_path, env={"BRIEFGEN_MODEL": "", "BRIEFGEN_CONCURRENCY": " "})
    assert s.model == "file-m" and s.concurrency == 4


def test_flags_given_as_strings_are_parsed_and_checked(tmp_path):
    assert load(tmp_path, flags={"timeout": "2.5"}).timeout == 2.5
    with pytest.raises(ConfigError, match="--concurrency"):
        load(tmp_path, flags={"concurrency": 0})


# --- files ----------------------------------------------------------------------------------


def test_pyproject_tool_table_is_read(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n[tool.briefgen]\nmodel = "pp-m"\n'
        '[tool.briefgen.prices]\n"pp-m" = { prompt = 1, completion = 2 }\n',
    )
    s = load(tmp_path)
    assert s.model == "pp-m" and s.origin["model"] == "file pyproject.toml"
    assert s.prices["pp-m"] == Price(1.0, 2.0)


def test_briefgen_toml_wins_over_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.briefgen]\nmodel = "pp-m"\n')
    write(tmp_path / "briefgen.toml", 'model = "bg-m"\n')
    assert load(tmp_path).model == "bg-m"


def test_pyproject_without_our_table_is_ignored_even_if_broken(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "other"\n[tool.ruff]\nx = 1\n')
    assert load(tmp_path).config_file is None
    write(tmp_path / "pyproject.toml", "this is [[ not toml")
    assert load(tmp_path).config_file is None


def test_explicit_config_file(tmp_path):
    cfg = write(tmp_path / "elsewhere.toml", 'engine = "extractive"\n')
    write(tmp_path / "briefgen.toml", 'engine = "llm"\n')
    s = load(tmp_path, config_file=cfg)
    assert s.engine == "extractive" and s.origin["engine"] == "file elsewhere.toml"
    with pytest.raises(ConfigError, match="missing.toml.*not found"):
        load(tmp_path, config_file=tmp_path / "missing.toml")
    bare = write(tmp_path / "sub.toml", "")
    assert load(tmp_path, config_file=bare).config_file == str(bare)


def test_explicit_pyproject_needs_the_table(tmp_path):
    (tmp_path / "p").mkdir()
    pp = write(tmp_path / "p" / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"\[tool.briefgen\]"):
        load(tmp_path, config_file=pp)


def test_invalid_toml_names_the_file(tmp_path):
    write(tmp_path / "briefgen.toml", "model = \n")
    with pytest.raises(ConfigError, match="briefgen.toml: not valid TOML"):
        load(tmp_path)


def test_api_key_in_file_is_rejected_without_echoing_it(tmp_path):
    write(tmp_path / "briefgen.toml", 'api_key = "sk-secret-value"\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    message = str(err.value)
    assert "api_key" in message and "api_key_env" in message and "OPENAI_API_KEY" in message
    assert "sk-secret-value" not in message


def test_api_key_env_names_the_variable(tmp_path):
    write(tmp_path / "briefgen.toml", 'api_key_env = "GROQ_KEY"\n')
    s = load(tmp_path, env={"GROQ_KEY": "gsk-123456", "OPENAI_API_KEY": "sk-openai"})
    assert s.api_key == "gsk-123456" and s.origin["api_key"].startswith("env GROQ_KEY")
    # The named variable unset: the OpenAI key is not sent to the other provider instead.
    s = load(tmp_path, env={"OPENAI_API_KEY": "sk-openai"})
    assert s.api_key is None and s.api_key_env == "GROQ_KEY"
    # BRIEFGEN_API_KEY still beats the file.
    assert load(tmp_path, env={"BRIEFGEN_API_KEY": "bk-1", "GROQ_KEY": "g"}).api_key == "bk-1"


def test_a_key_pasted_into_api_key_env_is_rejected_without_echoing_it(tmp_path):
    write(tmp_path / "briefgen.toml", 'api_key_env = "sk-proj-abc123"\n')
    with pytest.raises(ConfigError, match="NAME of an environment variable") as err:
        load(tmp_path)
    assert "sk-proj-abc123" not in str(err.value)


def test_unknown_key_is_named_with_the_valid_ones(tmp_path):
    write(tmp_path / "briefgen.toml", 'modle = "x"\n')
    with pytest.raises(ConfigError, match="unknown key 'modle'.*valid keys:.*model"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('concurrency = "4"', "concurrency"),
        ("concurrency = 65", "concurrency"),
        ("concurrency = true", "concurrency"),
        ("max_attempts = 0", "max_attempts"),
        ("timeout = 0", "timeout"),
        ('engine = "gpt"', "engine"),
        ("model = 3", "model"),
        ('base_url = "localhost:8000"', "base_url"),
        ("max_output_tokens = 2.5", "max_output_tokens"),
    ],
)
def test_wrong_types_and_ranges_in_file_name_the_key(tmp_path, line, key):
    write(tmp_path / "briefgen.toml", line + "\n")
    with pytest.raises(ConfigError, match=f"briefgen.toml: {key} is .*must be"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("BRIEFGEN_CONCURRENCY", "four"),
        ("BRIEFGEN_CONCURRENCY", "0"),
        ("BRIEFGEN_MAX_ATTEMPTS", "2.5"),
        ("BRIEFGEN_TIMEOUT", "soon"),
        ("BRIEFGEN_TIMEOUT", "nan"),
        ("BRIEFGEN_ENGINE", "magic"),
    ],
)
def test_bad_environment_value_names_the_variable(tmp_path, var, value):
    with pytest.raises(ConfigError, match=var):
        load(tmp_path, env={var: value})


def test_prices_extend_and_override_defaults(tmp_path):
    write(
        tmp_path / "briefgen.toml",
        '[prices]\n"my-model" = { prompt = 0.5, completion = 1.5 }\n'
        '"gpt-4o-mini" = { prompt = 0.2, completion = 0.8 }\n',
    )
    s = load(tmp_path)
    assert s.prices["my-model"] == Price(0.5, 1.5)
    assert s.prices["gpt-4o-mini"] == Price(0.2, 0.8)
    assert s.prices["gpt-4o"] == DEFAULT_PRICES["gpt-4o"]
    assert price_for("my-model-2025-01-01", s.prices) == Price(0.5, 1.5)
    assert price_for("gpt-4o-mini-2024-07-18", s.prices) == Price(0.2, 0.8)


@pytest.mark.parametrize(
    "table",
    [
        '"m" = { prompt = 1 }',
        '"m" = { prompt = -1, completion = 1 }',
        '"m" = { prompt = "1", completion = 1 }',
        "gpt-4.1 = { prompt = 1, completion = 1 }",  # unquoted dots make a nested table
    ],
)
def test_bad_prices_are_rejected(tmp_path, table):
    write(tmp_path / "briefgen.toml", f"[prices]\n{table}\n")
    with pytest.raises(ConfigError, match="prices"):
        load(tmp_path)


# --- choose_engine --------------------------------------------------------------------------


def test_auto_without_a_model_is_extractive(tmp_path):
    choice = choose_engine(load(tmp_path))
    assert (choice.name, choice.model, choice.base_url) == ("extractive", None, None)
    assert choice.message == (
        "engine: extractive (no model configured; "
        "set OPENAI_API_KEY or pass --base-url and --model to use a model)"
    )


def test_auto_with_an_api_key_uses_openai_default_model(tmp_path):
    s = load(tmp_path, env={"OPENAI_API_KEY": "sk-test-123456"})
    choice = choose_engine(s)
    assert (choice.name, choice.model, choice.base_url) == ("llm", OPENAI_DEFAULT_MODEL, None)
    assert "engine: llm, model gpt-4o-mini" in choice.message
    assert "OPENAI_API_KEY" in choice.message and "--engine extractive" in choice.message
    assert "sk-test-123456" not in choice.message


def test_auto_with_a_base_url_and_model_is_llm(tmp_path):
    s = load(tmp_path, flags={"base_url": "http://127.0.0.1:8101/v1", "model": "smollm2"})
    choice = choose_engine(s)
    assert (choice.name, choice.model, choice.base_url) == (
        "llm",
        "smollm2",
        "http://127.0.0.1:8101/v1",
    )
    assert choice.message == (
        "engine: llm, model smollm2 at http://127.0.0.1:8101/v1 "
        "(from --base-url; --engine extractive runs without a model)"
    )


def test_base_url_without_model_is_an_error(tmp_path):
    s = load(tmp_path, env={"OPENAI_BASE_URL": "http://localhost:8000/v1"})
    with pytest.raises(ConfigError, match="--model is needed with --base-url"):
        choose_engine(s)


def test_engine_llm_without_key_or_url_explains(tmp_path):
    with pytest.raises(ConfigError, match="OPENAI_API_KEY.*--base-url"):
        choose_engine(load(tmp_path, flags={"engine": "llm"}))


def test_engine_extractive_wins_over_a_configured_model(tmp_path):
    s = load(tmp_path, flags={"engine": "extractive"}, env={"OPENAI_API_KEY": "sk-x-123456"})
    choice = choose_engine(s)
    assert choice.name == "extractive" and "from --engine" in choice.message


def test_unset_api_key_env_is_mentioned(tmp_path):
    write(tmp_path / "briefgen.toml", 'api_key_env = "GROQ_KEY"\n')
    choice = choose_engine(load(tmp_path))
    assert choice.name == "extractive" and "GROQ_KEY" in choice.message


# --- secrets --------------------------------------------------------------------------------


def test_api_key_is_not_in_repr_and_is_redacted(tmp_path):
    s = load(
        tmp_path,
        env={
            "OPENAI_API_KEY": "sk-live-abcdef",
            "OPENAI_BASE_URL": "https://u:pw@h.example/v1?k=z",
        },
    )
    assert "sk-live-abcdef" not in repr(s)
    text = redact("failed: key sk-live-abcdef at https://u:pw@h.example/v1?k=z", s)
    assert "sk-live-abcdef" not in text and "pw" not in text and "k=z" not in text
    assert "h.example/v1" in text


def test_base_url_credentials_are_not_shown_in_messages(tmp_path):
    s = load(tmp_path, flags={"base_url": "https://u:pw@h.example/v1", "model": "m"})
    assert "pw" not in choose_engine(s).message
    with pytest.raises(ConfigError) as err:
        choose_engine(load(tmp_path, flags={"base_url": "https://u:pw@h.example/v1"}))
    assert "pw" not in str(err.value)
