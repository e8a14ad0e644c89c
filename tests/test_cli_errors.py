"""Mistakes on the command line read in the chosen language (issue 12).

argparse's own errors (an unknown option, a missing argument, a wrong choice, a value its
type refuses) and the argument types of :mod:`model.cli.arguments` are said in the
language of ``--lang`` (Chinese when it is not given): one sentence naming the argument,
the value and what was expected, exit status 2, no traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli import build_parser, main
from model.cli.parser import lang_of, usage_error
from tests.test_messages import CJK, latin

ROOT = Path(__file__).resolve().parent.parent
#: what an error line may keep in Latin letters: names of commands (the parser's own),
#: placeholders of the usage, formats and examples the user types
COMMANDS = {"parkcap", "validate", "stocks", "run", "gaps", "compare", "sensitivity", "track"}
COMMANDS |= {"backtest", "export", "quarterly", "serve", "capacity", "project", "import"}
COMMANDS |= {"history", "estimate", "mc", "sobol", "zh", "en"}
TYPED = {"SCENARIO", "COMMAND", "ACTION", "YYYY-MM-DD", "Dask", "tcp://host:8786", "PROJECTION.nc"}
OPTION = re.compile(r"-{1,2}[A-Za-z][\w-]*(?:/--[\w-]+)?")

# (argv, the value the message must name, the option or argument it must name, what the
# English line says)
CASES = [
    (["run", "baseline", "--nope"], "--nope", "--nope", "unrecognized arguments"),
    (["run", "baseline", "--draws", "abc"], "abc", "--draws", "is not a whole number"),
    (["run", "baseline", "--draws", "0"], "0", "--draws", "expected 1 or more"),
    (["run", "baseline", "--draws", "100000000"], "100000000", "--draws", "at most"),
    (
        ["run", "baseline", "--seed", "99999999999999999999"],
        "99999999999999999999",
        "--seed",
        "from 0",
    ),
    (["run", "baseline", "--as-of", "June"], "June", "--as-of", "is not a date"),
    (["run", "baseline", "--horizon", "9999Q4"], "9999Q4", "--horizon", "no later than 2060Q4"),
    (["gaps", "baseline", "--quarter", "2026Q9"], "2026Q9", "--quarter", "is not a quarter"),
    (["run", "baseline", "--workers", "1000"], "1000", "--workers", "worker processes"),
    (["run", "baseline", "--scheduler", "no port"], "no port", "--scheduler", "Dask scheduler"),
    (["run"], "SCENARIO", "SCENARIO", "the following arguments are required"),
    (["backtest", "x.nc"], "--as-of", "--as-of", "the following arguments are required"),
    (["run", "baseline", "--sampler", "halton"], "halton", "--sampler", "invalid choice"),
    (["frobnicate"], "frobnicate", "COMMAND", "unknown command"),
    (["track", "nope"], "nope", "ACTION", "unknown command"),
    (["run", "baseline", "--draws"], "--draws", "--draws", "expected one value"),
    (
        ["run", "baseline", "--workers", "2", "--scheduler", "tcp://h:8786"],
        "--workers",
        "--scheduler",
        "not allowed with argument",
    ),
    (["run", "baseline", "--s", "3"], "--s", "--seed", "ambiguous option"),
    (["-v=1", "validate"], "1", "--verbose", "takes no value"),
    (["serve", "--port", "abc"], "abc", "--port", "expected a port number"),  # a plugin's type
]


def error_line(err: str) -> str:
    """The last line argparse wrote: ``parkcap run: error: …``."""
    return err.strip().splitlines()[-1]


def english_words(line: str, value: str) -> set[str]:
    """Latin words of a Chinese error line besides the options, the value and the commands."""
    rest = line
    for word in TYPED:
        rest = rest.replace(word, " ")
    rest = OPTION.sub(" ", rest).replace(value, " ")
    return latin(rest) - COMMANDS


def run_parkcap(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and stderr of ``parkcap argv`` run in this process."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return int(stop.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(("argv", "value", "name", "english"), CASES, ids=[c[3] for c in CASES])
def test_every_kind_of_mistake_reads_in_chinese_by_default(
    capsys: pytest.CaptureFixture[str], argv: list[str], value: str, name: str, english: str
) -> None:
    code, err = run_parkcap(argv, capsys)
    line = error_line(err)
    assert code == 2
    assert "Traceback" not in err
    assert err.startswith("用法：parkcap")  # the usage line stays, its label in Chinese
    assert "错误：" in line, line
    assert value in line, line
    assert name in line, line
    assert not english_words(line, value), (line, english_words(line, value))
    assert english not in line


@pytest.mark.parametrize(("argv", "value", "name", "english"), CASES, ids=[c[3] for c in CASES])
def test_every_kind_of_mistake_reads_in_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], argv: list[str], value: str, name: str, english: str
) -> None:
    code, err = run_parkcap([*argv, "--lang", "en"], capsys)
    line = error_line(err)
    assert code == 2
    assert "Traceback" not in err
    assert err.startswith("usage: parkcap")
    assert ": error: " in line
    assert value in line, line
    assert name in line, line
    assert english in line, line
    assert not CJK.search(err), err


def test_the_language_is_read_wherever_lang_stands(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["run", "--lang", "en", "baseline", "--draws", "abc"],
        ["run", "baseline", "--draws", "abc", "--lang=en"],
        ["run", "baseline", "--lang", "zh", "--draws", "abc", "--lang", "en"],  # the last
    ):
        assert "is not a whole number" in error_line(run_parkcap(argv, capsys)[1]), argv
    for argv in (
        ["run", "baseline", "--draws", "abc"],
        ["run", "baseline", "--draws", "abc", "--lang", "zh"],
        ["run", "baseline", "--draws", "abc", "--lang", "fr"],  # not a language: Chinese
    ):
        assert "不是整数" in error_line(run_parkcap(argv, capsys)[1]), argv
    # the language of one parse does not stay for the next
    run_parkcap(["run", "baseline", "--nope", "--lang", "en"], capsys)
    assert "不认识的参数" in error_line(run_parkcap(["run", "baseline", "--nope"], capsys)[1])


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["run", "x", "--lang", "en"], "en"),
        (["run", "x", "--lang=zh"], "zh"),
        (["--lang=en", "--lang", "zh"], "zh"),
        (["run", "x", "--lang", "fr"], None),
        (["run", "x", "--lang"], None),
        (["run", "--", "--lang", "en"], None),
        (["run", "x"], None),
    ],
)
def test_lang_of_reads_the_last_lang(argv: list[str], lang: str | None) -> None:
    assert lang_of(argv) == lang


def test_types_argparse_converts_with_are_named_in_words() -> None:
    message = "argument --n: invalid int value: 'x'"
    assert usage_error(message, "zh") == "参数 --n 的值“x”无效，应为整数"
    assert usage_error(message, "en") == "argument --n: invalid value 'x'; expected a whole number"
    float_message = "argument --f: invalid float value: 'y'"
    assert usage_error(float_message, "zh").endswith("应为数字")
    # a message of a form argparse may add later is shown as it is, not lost
    assert usage_error("something new", "zh") == "something new"


def test_help_is_left_as_argparse_writes_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["run", "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("usage: parkcap run")
    assert "--draws" in out


def test_the_parkcap_process_says_it_in_chinese_without_a_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "model.cli", "run", "baseline", "--draws", "abc"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert (
        error_line(proc.stderr)
        == "parkcap run：错误：参数 --draws：“abc”不是整数，应只含数字，例如 1000"
    )
