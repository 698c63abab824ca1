"""The `aifg` command: the same graph/ functions as the API, for the terminal and scripts.

Exit codes: 0 success, 1 data error (invalid file, unknown id), 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cli import changes, data, new, questions, stress
from graph.errors import AifgError, DataError, InvalidQueryError
from graph.settings import Settings, get_settings

Handler = Callable[[argparse.Namespace, Settings], int]
GLOBAL_HELP = "embedded store directory (AIFG_DATA_DIR); before or after the command"


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from cli.serve import serve  # the API stack loads only for this command

    return serve(settings, host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aifg", description="AI Financing Graph: map and stress-test AI financing deals."
    )
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=GLOBAL_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data.add_commands(sub)
    new.add_command(sub)
    questions.add_commands(sub)
    changes.add_commands(sub)

    p = sub.add_parser("stress", help=stress.HELP, description=stress.HELP)
    p.set_defaults(handler=stress.cmd_stress)
    stress.add_arguments(p)

    p = sub.add_parser("serve", help="serve the REST API and the explorer page")
    p.set_defaults(handler=cmd_serve)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    # Global options are taken after the command too (`aifg serve --data-dir X`).
    for command in sub.choices.values():
        command.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=GLOBAL_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The Neo4j driver logs each retry and lost connection; a failure ends up as our own
    # one-line error, so its log would only repeat it (the API's server log keeps it).
    if args.command != "serve":
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    settings = get_settings()
    if getattr(args, "data_dir", None) is not None:
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    handler: Handler = args.handler
    try:
        code = handler(args, settings)
        sys.stdout.flush()  # a reader gone away shows here, inside the try, not at exit
    except DataError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except InvalidQueryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except AifgError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `aifg stress ... | head` stopped reading: not an error. Point stdout at devnull so
        # the interpreter's final flush does not fail again (Python docs, "SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
