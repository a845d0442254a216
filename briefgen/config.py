"""Settings for a run: command-line flags over environment over a config file over defaults.

The config file is the one passed explicitly, else briefgen.toml in the working directory,
else the [tool.briefgen] table of pyproject.toml there. Each setting remembers where it came
from (Settings.origin), so messages can say what to change.

An API key comes only from the environment: files get committed and shared, so a file may
name the variable that holds the key (api_key_env) but never hold it. The key is kept out of
repr(); secrets_of() lists it with the credentials a base URL may carry (a password, an
`api-key` query parameter), and redact() removes them from any text before it is shown or
stored. The base URL itself is only ever shown as ledger.safe_url() gives it.

choose_engine() turns settings into the engine to run, its model and server, and one line
telling the user which engine ran and how to switch.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefgen.errors import ConfigError
from briefgen.ledger import DEFAULT_PRICES, Price, redact_text
from briefgen.pool import join_urls, safe_urls, split_urls, urls_secrets

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ENGINES = ("auto", "llm", "extractive")
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
CONFIG_FILENAME = "briefgen.toml"


@dataclass(frozen=True)
class Settings:
    """Everything a run is configured with; build it with load_settings()."""

    engine: str = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed, never stored
    concurrency: int = 4
    max_attempts: int = 3
    timeout: float = 60.0
    max_retry_seconds: float = 120.0
    max_output_tokens: int = 1024
    # The model's context window in tokens; None asks the server (llama.cpp's /props, the
    # max_model_len of vLLM's /v1/models) and keeps the default chunks if it does not say.
    context_tokens: int | None = None
    synthesis_budget: int = 6000  # prompt tokens the synthesis may use before staged reduce
    keep_manifests: int = 20  # brief manifests kept per folder and audience (history.py)
    # Articles larger are skipped unread, with the reason (ingest.py); 10 MB.
    max_article_bytes: int = 10_000_000
    prices: dict[str, Price] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    # setting name -> "flag" | "env BRIEFGEN_MODEL" | "file briefgen.toml" | "default"
    origin: dict[str, str] = field(default_factory=dict)
    config_file: str | None = None  # the file read, if any
    api_key_env: str | None = None  # the variable the file named for the key (a name only)


@dataclass(frozen=True)
class _Rule:
    kind: type  # str, int or float
    ok: Callable[[Any], bool]
    wanted: str  # completes "must be ..."


def _http_url(value: str) -> bool:
    if not re.match(r"https?://[^/\s]+", value):
        return False
    # One that cannot be taken apart (a broken [IPv6] host) could not be shown without its
    # credentials either, nor be connected to.
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:
        return False


_RULES: dict[str, _Rule] = {
    "engine": _Rule(str, lambda v: v in ENGINES, "one of " + ", ".join(ENGINES)),
    "model": _Rule(str, bool, "a model name"),
    "base_url": _Rule(
        str,
        # Whitespace is never in a URL: left inside one, it separated something not http.
        lambda v: (
            bool(split_urls(v))
            and all(_http_url(u) and not re.search(r"\s", u) for u in split_urls(v))
        ),
        "an http:// or https:// URL, or several separated by commas",
    ),
    "concurrency": _Rule(int, lambda v: 1 <= v <= 64, "a whole number from 1 to 64"),
    "max_attempts": _Rule(int, lambda v: 1 <= v <= 10, "a whole number from 1 to 10"),
    "timeout": _Rule(float, lambda v: v > 0, "a number of seconds above 0"),
    "max_retry_seconds": _Rule(float, lambda v: v >= 0, "a number of seconds, 0 or more"),
    "max_output_tokens": _Rule(int, lambda v: v >= 1, "a whole number of tokens, 1 or more"),
    "synthesis_budget": _Rule(int, lambda v: v >= 1, "a whole number of tokens, 1 or more"),
    "context_tokens": _Rule(int, lambda v: v >= 1024, "a whole number of tokens, 1024 or more"),
    "keep_manifests": _Rule(int, lambda v: v >= 1, "a whole number, 1 or more"),
    "max_article_bytes": _Rule(int, lambda v: v >= 1, "a whole number of bytes, 1 or more"),
}
FILE_KEYS = (*_RULES, "api_key_env", "prices")

# Setting -> environment variables, the first set one winning.
_ENV_VARS: dict[str, tuple[str, ...]] = {
    "engine": ("BRIEFGEN_ENGINE",),
    "model": ("BRIEFGEN_MODEL", "OPENAI_MODEL"),
    "base_url": ("BRIEFGEN_BASE_URL", "OPENAI_BASE_URL"),
    "concurrency": ("BRIEFGEN_CONCURRENCY",),
    "max_attempts": ("BRIEFGEN_MAX_ATTEMPTS",),
    "timeout": ("BRIEFGEN_TIMEOUT",),
    "context_tokens": ("BRIEFGEN_CONTEXT_TOKENS",),
    "keep_manifests": ("BRIEFGEN_KEEP_MANIFESTS",),
    "max_article_bytes": ("BRIEFGEN_MAX_ARTICLE_BYTES",),
}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _shown(name: str, value: object) -> str:
    # A base URL can carry a password; show it without.
    if name == "base_url" and isinstance(value, str):
        return repr(safe_urls(value))
    return repr(value)


def check_value(name: str, value: object, where: str, parse: bool = True) -> object:
    """`value` of setting `name` converted and validated, or ConfigError naming `where`.

    With `parse`, strings (from the environment or the command line) become numbers; values
    from a TOML file must already have the right type, so `concurrency = "4"` is an error.
    """
    rule = _RULES[name]
    if name == "base_url" and isinstance(value, list):  # several servers, from briefgen.toml
        if not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a URL or a list of URLs")
        value = join_urls(value)
    bad = ConfigError(f"{where} is {_shown(name, value)}: must be {rule.wanted}")
    converted: Any
    if rule.kind is str:
        if not isinstance(value, str):
            raise bad
        converted = value.strip().lower() if name == "engine" else value.strip()
    else:
        if parse and isinstance(value, str):
            try:
                value = rule.kind(value)  # int("2.5") fails, as it should
            except ValueError:
                raise bad from None
        # bool is an int to Python, never to the user; 2.5 is no whole number.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        if rule.kind is int and not isinstance(value, int):
            raise bad
        converted = rule.kind(value)
        if not math.isfinite(converted):
            raise bad
    if not rule.ok(converted):
        raise bad
    return converted


# Each layer maps setting name -> (value, origin); the first layer holding a name wins.
_Layer = dict[str, tuple[object, str]]


def _from_flags(flags: Mapping[str, object]) -> _Layer:
    unknown = set(flags) - set(_RULES)
    if unknown:  # a programming error in the caller, not a user mistake
        raise ValueError(f"unknown settings in flags: {sorted(unknown)}")
    return {
        name: (check_value(name, value, "--" + name.replace("_", "-")), "flag")
        for name, value in flags.items()
        if value is not None
    }


def _from_env(env: Mapping[str, str]) -> _Layer:
    layer: _Layer = {}
    for name, variables in _ENV_VARS.items():
        # `VAR=` in a shell script means "not set", not "set to nothing".
        var = next((v for v in variables if env.get(v, "").strip()), None)
        if var is not None:
            layer[name] = (check_value(name, env[var], var), f"env {var}")
    return layer


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _tool_table(data: Mapping[str, Any], path: Path) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("briefgen") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.briefgen] must be a table")
    return table


def find_config(cwd: Path, config_file: Path | None = None) -> tuple[Path, str, dict] | None:
    """(path, label for messages, raw table) of the config to read, or None.

    An explicit file must exist; a pyproject.toml given explicitly must have [tool.briefgen].
    A pyproject.toml found in `cwd` without that table belongs to some other project and is
    ignored.
    """
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        data = _read_toml(path)
        if path.name != "pyproject.toml":
            return path, str(path), data
        table = _tool_table(data, path)
        if table is None:
            raise ConfigError(f"{path}: has no [tool.briefgen] table")
        return path, f"{path} [tool.briefgen]", table
    own = cwd / CONFIG_FILENAME
    if own.is_file():
        return own, str(own), _read_toml(own)
    pyproject = cwd / "pyproject.toml"
    if not pyproject.is_file():
        return None
    # Skip parsing another project's pyproject unless it may mention us: a broken file
    # that is none of briefgen's business must not stop a run.
    if b"briefgen" not in pyproject.read_bytes():
        return None
    table = _tool_table(_read_toml(pyproject), pyproject)
    return None if table is None else (pyproject, f"{pyproject} [tool.briefgen]", table)


def parse_prices(value: object, where: str) -> dict[str, Price]:
    """The [prices] table: `"model" = { prompt = 0.15, completion = 0.60 }` per model."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: prices must be a table of model = {{ prompt, completion }}")
    prices: dict[str, Price] = {}
    for model, entry in value.items():
        at = f"{where}: prices.{model}"
        if not isinstance(entry, dict) or set(entry) != {"prompt", "completion"}:
            raise ConfigError(
                f"{at} must be {{ prompt = <USD>, completion = <USD> }} per million tokens "
                '(quote model names with dots: "gpt-4.1" = {...})'
            )
        numbers = []
        for part in ("prompt", "completion"):
            number = entry[part]
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                raise ConfigError(f"{at}.{part} is {number!r}: must be a price of 0 or more")
            numbers.append(float(number))
        prices[model] = Price(*numbers)
    return prices


def parse_table(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The config table checked: settings converted, plus "api_key_env" and "prices"."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key == "api_key":
            # Do not echo the value: it is the secret.
            raise ConfigError(
                f"{where}: api_key must not be in a config file, which gets committed and "
                "shared; set OPENAI_API_KEY, or name the variable holding the key with "
                'api_key_env = "MY_KEY_VARIABLE"'
            )
        if key not in FILE_KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r}; valid keys: {', '.join(sorted(FILE_KEYS))}"
            )
        if key == "prices":
            out[key] = parse_prices(value, where)
        elif key == "api_key_env":
            # A key pasted here by mistake fails the name pattern; do not echo it.
            if not isinstance(value, str) or not _ENV_NAME.match(value):
                raise ConfigError(
                    f"{where}: api_key_env must be the NAME of an environment variable "
                    "(like OPENAI_API_KEY), not the key itself"
                )
            out[key] = value
        else:
            out[key] = check_value(key, value, f"{where}: {key}", parse=False)
    return out


def _api_key(env: Mapping[str, str], api_key_env: str | None) -> tuple[str | None, str]:
    """(key, origin): BRIEFGEN_API_KEY, else the variable the file names, else OPENAI_API_KEY.

    A file's api_key_env replaces OPENAI_API_KEY on purpose: a project pointed at another
    provider names that provider's key, and an OpenAI key lying around in the environment
    must not be sent there instead.
    """
    for var in ("BRIEFGEN_API_KEY", api_key_env or "OPENAI_API_KEY"):
        key = env.get(var, "").strip()
        if key:
            return key, f"env {var}"
    return None, "default"


def load_settings(
    flags: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Settings from flags (None = not given) over `env` over the config file over defaults.

    `env` defaults to os.environ and `cwd` to the working directory; tests pass their own.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else Path(cwd)
    found = find_config(cwd, config_file)
    file_values = parse_table(found[2], found[1]) if found else {}
    from_file = f"file {found[0].name}" if found else "default"
    file_layer = {name: (v, from_file) for name, v in file_values.items() if name in _RULES}
    values: dict[str, object] = {}
    origin: dict[str, str] = {name: "default" for name in _RULES}
    for layer in (file_layer, _from_env(env), _from_flags(flags or {})):  # lowest first
        for name, (value, where) in layer.items():
            values[name], origin[name] = value, where
    api_key_env = file_values.get("api_key_env")
    api_key, origin["api_key"] = _api_key(env, api_key_env)
    prices = {**DEFAULT_PRICES, **file_values.get("prices", {})}
    origin["prices"] = from_file if "prices" in file_values else "default"
    return Settings(
        **values,  # type: ignore[arg-type]
        api_key=api_key,
        prices=prices,
        origin=origin,
        config_file=str(found[0]) if found else None,
        api_key_env=api_key_env,
    )


@dataclass(frozen=True)
class EngineChoice:
    """The engine to run: "llm" or "extractive", its model and server, and a line for the user.

    model is None for extractive; base_url is None for OpenAI's own endpoint (the client's
    default). base_url is the address to connect to, credentials and all: it is handed to
    the client only, and shown only through safe_url(). The message never contains the key
    or URL credentials.
    """

    name: str
    model: str | None
    base_url: str | None
    message: str


def source(settings: Settings, name: str) -> str:
    """Where a setting came from, as the user would change it: "--base-url",
    "OPENAI_API_KEY", "briefgen.toml" or "default"."""
    origin = settings.origin.get(name, "default")
    if origin == "flag":
        return "--" + name.replace("_", "-")
    return origin.split(" ", 1)[-1]  # "env X" -> "X", "file F" -> "F", "default"


_TO_USE_A_MODEL = "set OPENAI_API_KEY or pass --base-url and --model to use a model"


def choose_engine(settings: Settings) -> EngineChoice:
    """The engine `settings` ask for; ConfigError when llm is wanted but cannot run.

    auto runs the llm engine when a base URL or an API key is configured, else extractive.
    """
    key, base_url, model = settings.api_key, settings.base_url, settings.model
    if settings.engine == "extractive":
        how = "--engine auto with OPENAI_API_KEY set, or --base-url and --model, uses a model"
        message = f"engine: extractive (from {source(settings, 'engine')}; {how})"
        return EngineChoice("extractive", None, None, message)
    if not key and not base_url:
        missing = ""
        if settings.api_key_env:
            missing = f": {settings.api_key_env}, named by api_key_env, is not set"
        if settings.engine == "llm":
            raise ConfigError(
                f"engine llm (from {source(settings, 'engine')}) needs a model server{missing}; "
                "set OPENAI_API_KEY to use OpenAI, or pass --base-url and --model for any "
                "OpenAI-compatible server"
            )
        message = f"engine: extractive (no model configured{missing}; {_TO_USE_A_MODEL})"
        return EngineChoice("extractive", None, None, message)
    if base_url and not model:
        raise ConfigError(
            f"--model is needed with --base-url ({safe_urls(base_url)}, from "
            f"{source(settings, 'base_url')}): local servers name their models, "
            "e.g. --model smollm2 (or set BRIEFGEN_MODEL, or model in briefgen.toml)"
        )
    defaulted = not model
    chosen = model or OPENAI_DEFAULT_MODEL
    where = safe_urls(base_url) if base_url else "OpenAI"
    why = source(settings, "base_url" if base_url else "api_key")
    shown_model = f"{chosen} (default)" if defaulted else chosen
    message = (
        f"engine: llm, model {shown_model} at {where} "
        f"(from {why}; --engine extractive runs without a model)"
    )
    return EngineChoice("llm", chosen, base_url, message)


def secrets_of(settings: Settings) -> list[str]:
    """What must never be shown or stored: the API key, and what the base URL carries."""
    return [s for s in (settings.api_key, *urls_secrets(settings.base_url)) if s]


def redact(text: str, settings: Settings) -> str:
    """`text` with the API key, the base URL's credentials and query string, and anything
    shaped like a credential replaced (see ledger.redact_text).

    A key under 4 characters is left alone: that is a placeholder local servers accept
    ("x"), not a secret, and replacing it would garble ordinary words.
    """
    return redact_text(text, secrets_of(settings))
