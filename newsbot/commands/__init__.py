"""Sub-commands of the ``newsbot`` CLI: each module has ``register(subparsers)``.

``register`` adds one sub-parser and sets ``func`` to a callable taking the parsed
arguments and returning the process exit code (see ``newsbot.exitcodes``).
"""
