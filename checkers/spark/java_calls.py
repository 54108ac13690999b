"""reflect / java_method / try_reflect and TRANSFORM … USING run Java methods and shell commands inside the
Spark server (`reflect('java.lang.System', 'exit', 0)` stops it for every check): refused three times.

1. The local server starts with `spark.sql.restrictedMode.enabled` and an allow list no method matches
   (`SERVER_CONFS`, static: a session cannot lift them): Spark itself refuses them while analysing the
   plan, wherever they hide (EXECUTE IMMEDIATE of a built string, IDENTIFIER(), a view, a lambda).
2. Before anything is sent, the answer's text is read as SQL tokens (`refuses_java_calls`): comments,
   whitespace, case and backticks do not hide the names, nor the forms that build a name or a statement from
   strings at run time (IDENTIFIER(…), EXECUTE IMMEDIATE).
3. In the sealed child, every plan on its way to the server is checked the same way, string field by
   string field (`guard_plans`): PySpark code that builds the SQL or the function name at run time
   (`F.call_function('ref' + 'lect')`, `spark.sql(built)`) is caught there.
A remote server (`[spark] remote`) has only 2 and 3.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

JAVA_FUNCTIONS = frozenset({"reflect", "try_reflect", "java_method"})
# no pattern of the allow list can match a `class.method` name (a Java name never holds a space)
SERVER_CONFS = {"spark.sql.restrictedMode.enabled": "true", "spark.sql.reflect.allowList": "refused .+"}
JAVA_CALLS_REFUSED = (
    "reflect()/java_method() call Java methods on the server and are not allowed here "
    "(nor IDENTIFIER() or EXECUTE IMMEDIATE, which can name them, nor TRANSFORM … USING a script, "
    "ADD JAR or CREATE FUNCTION)"
)

_NAMES = re.compile(r"\b(try_reflect|reflect|java_method)\b", re.IGNORECASE)
# Spark SQL's lexer in short: comments (bracketed ones nest), quoted strings with backslash escapes, raw
# strings r'…' without them, backquoted identifiers (`` doubled), words, and any other single character
_TOKEN = re.compile(
    r"(?P<comment>--[^\n]*|/\*)"
    r"|(?P<raw>[rR](?:'[^']*'?|\"[^\"]*\"?))"
    r"|(?P<string>'(?:\\.|''|[^'\\])*'?|\"(?:\\.|\"\"|[^\"\\])*\"?)"
    r"|(?P<quoted>`(?:``|[^`])*`?)"
    r"|(?P<word>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<other>\S)",
    re.DOTALL,
)


_BEFORE_FUNCTION = frozenset({"create", "temporary", "temp", "replace", "exists"})
_ADDED_RESOURCES = frozenset({"jar", "jars", "file", "files", "archive", "archives"})


class JavaCallRefused(Exception):
    pass


class WriteRefused(Exception):
    pass


WRITES_REFUSED = (
    "answers cannot write files: the Spark server would keep them for the next answer to read (a hidden "
    "case's rows among them); return the DataFrame instead"
)
# the Spark Connect commands that write files: DataFrame.write…, writeTo(…), writeStream
_WRITE_COMMANDS = frozenset({"write_operation", "write_operation_v2", "write_stream_operation_start"})
_WRITING_WORDS = frozenset({("word", "insert"), ("word", "directory")})


def _sql_writes(text: str) -> bool:
    """SQL that writes files: INSERT …, INSERT OVERWRITE DIRECTORY, CREATE TABLE … LOCATION 'path'."""
    words = [*tokens(text), ("", "")]
    return any(
        (first == ("word", "location") and second[0] == "string") or first in _WRITING_WORDS
        for first, second in itertools.pairwise(words)
    )


def plan_writes(plan: Any) -> bool:
    """True for a plan that is a command writing files (see WRITES_REFUSED)."""
    if plan is None or not hasattr(plan, "HasField") or not plan.HasField("command"):
        return False
    kind = plan.command.WhichOneof("command_type")
    if kind in _WRITE_COMMANDS:
        return True
    return kind == "sql_command" and any(_sql_writes(s) for s in _strings(plan.command))


def _skip_comment(text: str, pos: int) -> int:
    """The end of the bracketed comment opened at `pos` (nested ones included; an open one runs to the end)."""
    depth, i = 0, pos
    while i < len(text):
        if text.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*/", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        else:
            i += 1
    return i


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each SQL token: 'word' (a backquoted identifier unquoted, lower case), 'string', or
    'other'; comments and whitespace are dropped."""
    pos = 0
    while True:
        found = _TOKEN.search(text, pos)
        if found is None:
            return
        kind = found.lastgroup or "other"
        pos = found.end()
        if kind == "comment":
            if found.group(0) == "/*":
                pos = _skip_comment(text, found.start())
            continue
        value = found.group(0)
        if kind == "raw":
            kind = "string"
        if kind == "quoted":
            kind, value = "word", value.strip("`").replace("``", "`")
        yield kind, value.lower() if kind == "word" else value


def refuses_java_calls(text: str) -> bool:
    """True when SQL (or code holding SQL) names a Java-calling function, or a form that can build one,
    load one or run a script: IDENTIFIER(…), EXECUTE IMMEDIATE, TRANSFORM … USING 'script', ADD JAR,
    CREATE [TEMPORARY] FUNCTION. Checked before anything runs; names inside strings count too (they may be
    fed to one of those forms)."""
    if _NAMES.search(text):
        return True
    previous = ("", "")
    for kind, value in tokens(text):
        if kind == "word" and value.strip() in JAVA_FUNCTIONS:
            return True
        if previous == ("word", "identifier") and value == "(":
            return True
        if previous == ("word", "execute") and (kind, value) == ("word", "immediate"):
            return True
        if previous == ("word", "using") and kind == "string":
            return True
        # a class from a jar, or any class on the server's path, as a function (restricted mode allows it)
        if (
            previous[0] == "word"
            and previous[1] in _BEFORE_FUNCTION
            and (kind, value) == ("word", "function")
        ):
            return True
        if previous == ("word", "add") and kind == "word" and value in _ADDED_RESOURCES:
            return True
        previous = (kind, value)
    return False


def _strings(message: Any) -> Iterator[str]:
    """Every string field of a protobuf message, however deep (SQL text, expression strings, names)."""
    for field, value in message.ListFields():
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        values = value if repeated else [value]
        for item in values:
            if isinstance(item, str):
                yield item
            elif hasattr(item, "ListFields"):
                yield from _strings(item)


def plan_refused(plan: Any) -> bool:
    """True when any string field of a Spark Connect plan (SQL text, function names, expressions) names a Java
    call. Bytes fields are not read: a local relation's rows travel as Arrow bytes, and a case's data value
    "reflect" is data, not a call."""
    if plan is None or not hasattr(plan, "ListFields"):
        return False
    return any(refuses_java_calls(s) for s in _strings(plan))


def guard_plans() -> None:
    """In the sealed child: refuse any plan that names a Java call, or writes files, before it is sent to the
    server."""
    from pyspark.sql.connect.client.core import SparkConnectClient

    def guarded(method: Any) -> Any:
        def call(self: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
            plan = getattr(req, "plan", None)
            if plan_refused(plan):
                raise JavaCallRefused(JAVA_CALLS_REFUSED)
            if plan_writes(plan):
                raise WriteRefused(WRITES_REFUSED)
            return method(self, req, *args, **kwargs)

        return call

    name = "_execute_and_fetch_as_iterator"  # every plan and command on its way to the server
    if hasattr(SparkConnectClient, name):
        setattr(SparkConnectClient, name, guarded(getattr(SparkConnectClient, name)))
