"""The ``parkcap`` argument parser, whose mistakes read in the user's language.

argparse writes its errors in English (``error: argument --draws: 'abc' is not a whole
number``). :class:`Parser` says them in the language of the command line's ``--lang``
(``--lang zh``, ``--lang=en``; Chinese when it is not given or not valid): one sentence
naming the argument, the value and what was expected, after the usage line, with exit
status 2 and no traceback. Every parser of the command tree is a :class:`Parser`
(argparse makes sub-parsers of the class of their parent); the language is found by the
outermost one, from the arguments it is given, and read by whichever one fails.

``--help`` stays as argparse writes it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

from model.catalogue import t
from model.errors import translate_phrase

__all__ = ["Parser", "lang_of", "usage_error"]

#: The languages of ``--lang``; the first is the default.
LANGS = ("zh", "en")
#: The language of the parse under way (set by the outermost parser).
_LANG: ContextVar[str] = ContextVar("parkcap_lang", default=LANGS[0])
#: Whether a parse is under way (a sub-parser's parse is part of its parent's).
_ACTIVE: ContextVar[bool] = ContextVar("parkcap_parsing", default=False)
#: The metavars of the sub-command arguments (``parkcap COMMAND``, ``parkcap track ACTION``).
COMMAND_METAVARS = ("COMMAND", "ACTION")

# argparse's messages (Python 3.11 to 3.13), most specific first, each with its catalogue key
_ARGUMENT = r"argument (?P<name>.+?): "
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"\Z", re.DOTALL), key)
    for pattern, key in (
        (_ARGUMENT + r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)", "choice"),
        (_ARGUMENT + r"invalid (?P<type>\w+) value: (?P<value>.*)", "type"),
        (_ARGUMENT + r"expected one argument", "one_value"),
        (_ARGUMENT + r"expected at most one argument", "at_most_one"),
        (_ARGUMENT + r"expected at least one argument", "at_least_one"),
        (_ARGUMENT + r"expected (?P<n>\d+) arguments?", "n_values"),
        (_ARGUMENT + r"not allowed with argument (?P<other>.+)", "not_with"),
        (_ARGUMENT + r"ignored explicit argument (?P<value>.*)", "no_value"),
        (_ARGUMENT + r"(?P<detail>.*)", "argument"),
        (r"unrecognized arguments: (?P<args>.*)", "unrecognized"),
        (r"the following arguments are required: (?P<names>.*)", "required"),
        (r"one of the arguments (?P<names>.*) is required", "one_of_required"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "ambiguous"),
    )
)
#: argparse's names of the built-in types it converts with, as ``cli_err_type_<name>``
_TYPES = ("int", "float")


def lang_of(argv: Sequence[str]) -> str | None:
    """The language a command line asks for with ``--lang``, or ``None`` if it names none.

    Parameters
    ----------
    argv
        The arguments after ``parkcap`` as typed.

    Returns
    -------
    str or None
        ``"zh"`` or ``"en"`` as the last ``--lang zh`` or ``--lang=en`` gives it (argparse
        keeps the last too); ``None`` when there is none or it names another language.
    """
    found: str | None = None
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value is not None:
            found = value if value in LANGS else None
    return found


def usage_error(message: str, lang: str) -> str:
    """The English ``message`` of argparse as one sentence in ``lang``.

    The argument's name, the value and the choices are kept as typed (without Python's
    quotes); the expectations of :mod:`model.cli.arguments` are translated through the
    catalogue's ``msg_x_`` phrases. A message of another form is returned unchanged.

    Parameters
    ----------
    message
        What argparse passes to ``error()``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        E.g. ``"参数 --draws：“abc”不是整数"``.
    """
    for pattern, form in _FORMS:
        found = pattern.match(message)
        if found is None:
            continue
        values = {k: _unquote(v) for k, v in found.groupdict().items()}
        if form == "choice":
            values["choices"] = t("msg_list_join", lang).join(
                _unquote(c) for c in re.split(r", (?=')", found["choices"])
            )
            if values["name"] in COMMAND_METAVARS:
                form = "command"
        elif form == "type":
            kind = values.pop("type")
            values["kind"] = t(f"cli_err_type_{kind if kind in _TYPES else 'other'}", lang)
        elif form in ("ambiguous", "required", "one_of_required"):
            key = "matches" if form == "ambiguous" else "names"
            values[key] = t("msg_list_join", lang).join(re.split(r",? ", found[key]))
        elif form == "argument":
            values["detail"] = translate_phrase(values["detail"], lang)
        return t(f"cli_err_{form}", lang, **values)
    return message


def _unquote(text: str) -> str:
    """``text`` without the quotes ``repr`` put around it."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose errors read in the language of ``--lang``."""

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """Parse ``args`` as argparse does; a mistake is said in the language they ask for."""
        argv = sys.argv[1:] if args is None else list(args)
        with _parsing(argv):
            return super().parse_args(argv, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse ``args`` as argparse does; a mistake is said in the language they ask for."""
        argv = sys.argv[1:] if args is None else list(args)
        with _parsing(argv):
            return super().parse_known_args(argv, namespace)

    def error(self, message: str) -> NoReturn:
        """Print the usage line and ``message`` in the parse's language; exit with status 2."""
        lang = _LANG.get()
        usage = self.format_usage()
        if usage.startswith("usage: "):
            usage = t("cli_err_usage", lang) + usage.removeprefix("usage: ")
        self._print_message(usage, sys.stderr)
        said = usage_error(message, lang)
        self.exit(2, t("cli_err_line", lang, prog=self.prog, message=said) + "\n")


@contextmanager
def _parsing(argv: Sequence[str]) -> Iterator[None]:
    """The language of ``argv`` for the parse it starts (a parse under way keeps its own).

    Parameters
    ----------
    argv
        The arguments the outermost parser was given.
    """
    if _ACTIVE.get():  # a sub-parser: its parent found the language in the whole line
        yield
        return
    tokens = (_LANG.set(lang_of(argv) or LANGS[0]), _ACTIVE.set(True))
    try:
        yield
    finally:
        _ACTIVE.reset(tokens[1])
        _LANG.reset(tokens[0])
