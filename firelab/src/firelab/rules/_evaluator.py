"""The expression evaluator: one method per grammar rule, errors as values, short-circuit logic.

Semantics quoted from https://firebase.google.com/docs/rules/rules-language and
https://firebase.google.com/docs/firestore/security/rules-structure (limits):

- An error is a value. `&&` and `||` short-circuit around it: `error || true` and
  `true || error` are true, `error && false` and `false && error` are false; any other use of
  an error yields an error, and an error at the top of a condition denies.
- "Functions can automatically access functions and variables from the scope in which they
  are defined", "may call other functions but may not recurse", "maximum function call depth:
  20", and let bindings are evaluated in order before the `return`.
- "Maximum number of expressions evaluated per request: 1,000." Constants and names are not
  counted as expressions here; every operator, access and call is.

Values, operators, methods and built-in functions come from the values modules (`_values`,
`_operators`, `_methods`, `_functions`); document access calls from `_access`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from firelab.rules import _ast as ast
from firelab.rules._access import AccessTracker
from firelab.rules._functions import lookup_function
from firelab.rules._methods import call_method
from firelab.rules._methods_time import format_path_segment
from firelab.rules._operators import BINARY_OPERATORS, binary_op, index, member, slice_, unary_op
from firelab.rules._values import RulesError, RulesPath, Value, is_type

__all__ = [
    "MAX_CALL_DEPTH",
    "MAX_EXPRESSIONS",
    "Evaluator",
    "Frame",
    "spine",
]

MAX_CALL_DEPTH = 20
MAX_EXPRESSIONS = 1000

# Python failures that a value operation may still raise on unusual input; caught once, at the
# top of a condition, and turned into an error value.
_FAILURES = (
    ArithmeticError,
    AttributeError,
    IndexError,
    KeyError,
    RecursionError,
    TypeError,
    UnicodeError,
    ValueError,
)

_NO_FUNCTIONS: Mapping[str, ast.Function] = {}


class Frame:
    """A scope: variables and functions declared at one level, and the enclosing scope."""

    __slots__ = ("functions", "parent", "variables")

    def __init__(
        self,
        variables: dict[str, Value],
        functions: Mapping[str, ast.Function] = _NO_FUNCTIONS,
        parent: Frame | None = None,
    ) -> None:
        self.variables = variables
        self.functions = functions
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Value]:
        """(found, value) of the innermost variable called `name`."""
        frame: Frame | None = self
        while frame is not None:
            variables = frame.variables
            if name in variables:
                return True, variables[name]
            frame = frame.parent
        return False, None

    def function(self, name: str) -> tuple[ast.Function, Frame] | None:
        """The innermost function called `name` and the scope it was declared in."""
        frame: Frame | None = self
        while frame is not None:
            found = frame.functions.get(name)
            if found is not None:
                return found, frame
            frame = frame.parent
        return None


class Evaluator:
    """Evaluates the conditions of one request; holds its counters, call stack and reads."""

    #: Namespaced functions handled here rather than by `_functions` (they read documents).
    _FIRESTORE_ACCESS: ClassVar[dict[str, tuple[bool, bool]]] = {
        "get": (False, False),
        "exists": (True, False),
        "getAfter": (False, True),
        "existsAfter": (True, True),
    }

    def __init__(
        self,
        access: AccessTracker,
        *,
        global_access: bool = True,
        max_expressions: int = MAX_EXPRESSIONS,
    ) -> None:
        self.access = access
        #: Whether get()/exists()/getAfter()/existsAfter() are global (Firestore rules) or only
        #: `firestore.get()`/`firestore.exists()` exist (Storage rules).
        self.global_access = global_access
        self.max_expressions = max_expressions
        self.expressions = 0
        self.expressions_exceeded = False
        self._active: list[int] = []

    # -- entry point ---------------------------------------------------------------------------

    def condition(self, expr: ast.Expr, frame: Frame) -> Value:
        """Evaluate an `allow` condition; a Python failure inside becomes an error value."""
        try:
            return self.eval(expr, frame)
        except RecursionError:
            return RulesError("expression too deeply nested to evaluate")
        except _FAILURES as exc:
            return RulesError(f"evaluation failed: {type(exc).__name__}: {exc}")

    def eval(self, node: ast.Expr, frame: Frame) -> Value:
        """Evaluate any expression node."""
        cls = node.__class__
        if cls is ast.Constant:
            return node.value  # type: ignore[union-attr]
        if cls is ast.Ident:
            return self.eval_ident(node, frame)  # type: ignore[arg-type]
        self.expressions += 1
        if self.expressions > self.max_expressions:
            self.expressions_exceeded = True
            return RulesError(f"more than {self.max_expressions} expressions evaluated")
        return self._DISPATCH[cls](self, node, frame)

    # -- primaries -----------------------------------------------------------------------------

    def eval_ident(self, node: ast.Ident, frame: Frame) -> Value:
        """`primary: NAME -> ident` — a variable, wildcard, parameter or let binding."""
        found, value = frame.lookup(node.name)
        if found:
            return value
        return RulesError(f"unknown variable '{node.name}'")

    def eval_list(self, node: ast.ListExpr, frame: Frame) -> Value:
        """`primary: "[" (expr ("," expr)* ","?)? "]" -> list_` — an error element propagates."""
        items: list[Value] = []
        for item in node.items:
            value = self.eval(item, frame)
            if value.__class__ is RulesError:
                return value
            items.append(value)
        return items

    def eval_map(self, node: ast.MapExpr, frame: Frame) -> Value:
        """`primary: "{" (map_entry ("," map_entry)* ","?)? "}" -> map_` — string keys, once."""
        result: dict[str, Value] = {}
        for key_node, value_node in node.entries:
            key = self.eval(key_node, frame)
            if key.__class__ is RulesError:
                return key
            if key.__class__ is not str:
                return RulesError(f"map keys must be strings, not {type(key).__name__}")
            if key in result:
                return RulesError(f"map literal repeats the key '{key}'")
            value = self.eval(value_node, frame)
            if value.__class__ is RulesError:
                return value
            result[key] = value
        return result

    def eval_path(self, node: ast.PathExpr, frame: Frame) -> Value:
        """`path_literal: (SLASH _path_segment)+` with `interpolation: "$(" expr ")"`.

        A string or int fills one segment, a path value is spliced in, and `$(name)` of a name
        not in scope stays an unbound segment for `path.bind()` to fill.
        """
        segments: list[str] = []
        for segment in node.segments:
            if segment.__class__ is str:
                segments.append(segment)
                continue
            expr: ast.Expr = segment  # type: ignore[assignment]
            if expr.__class__ is ast.Ident and not frame.lookup(expr.name)[0]:
                segments.append(f"$({expr.name})")
                continue
            value = self.eval(expr, frame)
            if value.__class__ is RulesError:
                return value
            if isinstance(value, RulesPath):
                segments.extend(value.segments)
                continue
            text = format_path_segment(value)
            if text is None:
                return RulesError(f"a path segment must be a string, not {type(value).__name__}")
            segments.append(text)
        return RulesPath(tuple(segments))

    # -- postfix -------------------------------------------------------------------------------

    def eval_member(self, node: ast.Member, frame: Frame) -> Value:
        """`postfix: postfix "." NAME -> member` — a map field (missing is an error)."""
        return member(self.eval(node.target, frame), node.name)

    def eval_index(self, node: ast.Index, frame: Frame) -> Value:
        """`postfix: postfix "[" expr "]" -> index`."""
        container = self.eval(node.target, frame)
        return index(container, self.eval(node.index, frame))

    def eval_slice(self, node: ast.Slice, frame: Frame) -> Value:
        """`postfix: postfix "[" expr ":" expr "]" -> slice` — end exclusive."""
        container = self.eval(node.target, frame)
        start = self.eval(node.start, frame)
        return slice_(container, start, self.eval(node.end, frame))

    def eval_call(self, node: ast.Call, frame: Frame) -> Value:
        """`primary: NAME "(" arg_list? ")" -> call` and
        `postfix: postfix "." NAME "(" arg_list? ")" -> method_call`.

        `name(...)` is a user function of an enclosing scope, else a document access call or
        a global built-in; `ns.name(...)` with `ns` not a variable is a namespaced built-in
        (`math.abs`, `firestore.get`); anything else is a method of the receiver's value.
        """
        target = node.target
        if target is None:
            return self._call_global(node, frame)
        if target.__class__ is ast.Ident and not frame.lookup(target.name)[0]:
            return self._call_namespaced(target.name, node, frame)
        receiver = self.eval(target, frame)
        args = [self.eval(arg, frame) for arg in node.args]
        return self.method(receiver, node.name, args)

    def method(self, receiver: Value, name: str, args: list[Value]) -> Value:
        """`receiver.name(*args)` on evaluated values (subclasses add value kinds)."""
        return call_method(receiver, name, args)

    def _call_global(self, node: ast.Call, frame: Frame) -> Value:
        declared = frame.function(node.name)
        if declared is not None:
            return self._call_user(declared[0], declared[1], node, frame)
        access = self._FIRESTORE_ACCESS.get(node.name)
        if access is not None and self.global_access:
            return self._access_call(node, frame, exists=access[0], after=access[1])
        builtin = lookup_function(node.name)
        if builtin is None:
            return RulesError(f"unknown function '{node.name}()'")
        return builtin([self.eval(arg, frame) for arg in node.args])

    def _call_namespaced(self, namespace: str, node: ast.Call, frame: Frame) -> Value:
        if namespace == "firestore" and node.name in ("get", "exists"):
            return self._access_call(node, frame, exists=node.name == "exists", after=False)
        qualified = f"{namespace}.{node.name}"
        builtin = lookup_function(qualified)
        if builtin is None:
            return RulesError(f"unknown function or variable '{qualified}'")
        return builtin([self.eval(arg, frame) for arg in node.args])

    def _access_call(self, node: ast.Call, frame: Frame, *, exists: bool, after: bool) -> Value:
        if len(node.args) != 1:
            return RulesError(f"{node.name}() takes 1 argument, got {len(node.args)}")
        path = self.eval(node.args[0], frame)
        if exists:
            return self.access.exists(path, after=after)
        return self.access.get(path, after=after)

    def _call_user(
        self, function: ast.Function, scope: Frame, node: ast.Call, frame: Frame
    ) -> Value:
        if len(node.args) != len(function.params):
            return RulesError(
                f"{function.name}() takes {len(function.params)} arguments, got {len(node.args)}"
            )
        if function.node_id in self._active:
            return RulesError(f"{function.name}() calls itself; recursion is not permitted")
        if len(self._active) >= MAX_CALL_DEPTH:
            return RulesError(f"function calls nested deeper than {MAX_CALL_DEPTH}")
        variables = {
            name: self.eval(arg, frame)
            for name, arg in zip(function.params, node.args, strict=True)
        }
        local = Frame(variables, _NO_FUNCTIONS, scope)
        self._active.append(function.node_id)
        try:
            for binding in function.lets:
                variables[binding.name] = self.eval(binding.value, local)
            return self.eval(function.result, local)
        finally:
            self._active.pop()

    # -- operators -----------------------------------------------------------------------------

    def eval_unary(self, node: ast.Unary, frame: Frame) -> Value:
        """`unary: BANG unary | MINUS unary -> unary`."""
        return unary_op(node.op, self.eval(node.operand, frame))

    def eval_binary(self, node: ast.Binary, frame: Frame) -> Value:
        """`mul_expr`, `add_expr`, `rel_expr`, `in_expr`, `eq_expr` `-> binary` — both sides
        are evaluated, then the operator of `_operators` applies (errors propagate)."""
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        operator = BINARY_OPERATORS.get(node.op)
        if operator is None:
            return binary_op(node.op, left, right)
        return operator(left, right)

    def eval_is(self, node: ast.IsType, frame: Frame) -> Value:
        """`is_expr: is_expr "is" NAME -> is_`."""
        return is_type(self.eval(node.operand, frame), node.type_name)

    def eval_and(self, node: ast.And, frame: Frame) -> Value:
        """`and_expr: and_expr "&&" eq_expr -> and_`.

        False wins over errors on either side (`error && false` is false); otherwise an error
        or a non-bool operand makes the result an error. A left-nested chain `a && b && c` is
        walked in a loop, stopping at the first false.
        """
        operands = spine(node, ast.And)
        failure: Value = None
        for position, operand in enumerate(operands):
            value = self.eval(operand, frame)
            if value is False:
                self._spine_done(node, operands, position, False)
                return False
            if value is not True and failure is None:
                failure = _not_bool("&&", value)
            self._spine_step(node, operands, position, failure if failure is not None else True)
        return failure if failure is not None else True

    def eval_or(self, node: ast.Or, frame: Frame) -> Value:
        """`or_expr: or_expr "||" and_expr -> or_`.

        True wins over errors on either side (`error || true` is true); otherwise an error or
        a non-bool operand makes the result an error. Chains stop at the first true.
        """
        operands = spine(node, ast.Or)
        failure: Value = None
        for position, operand in enumerate(operands):
            value = self.eval(operand, frame)
            if value is True:
                self._spine_done(node, operands, position, True)
                return True
            if value is not False and failure is None:
                failure = _not_bool("||", value)
            self._spine_step(node, operands, position, failure if failure is not None else False)
        return failure if failure is not None else False

    def eval_ternary(self, node: ast.Ternary, frame: Frame) -> Value:
        """`conditional: or_expr "?" expr ":" expr -> ternary` — only one branch runs."""
        test = self.eval(node.condition, frame)
        if test is True:
            return self.eval(node.if_true, frame)
        if test is False:
            return self.eval(node.if_false, frame)
        return _not_bool("?:", test)

    # -- hooks for coverage --------------------------------------------------------------------

    def _spine_step(
        self, node: ast.Expr, operands: list[ast.Expr], position: int, value: Value
    ) -> None:
        """Called after each operand of a `&&`/`||` chain with the chain's value so far."""

    def _spine_done(
        self, node: ast.Expr, operands: list[ast.Expr], position: int, value: Value
    ) -> None:
        """Called when a `&&`/`||` chain short-circuits at `position` with `value`."""

    _DISPATCH: ClassVar[dict[type, Callable[[Any, Any, Frame], Value]]] = {
        ast.ListExpr: eval_list,
        ast.MapExpr: eval_map,
        ast.PathExpr: eval_path,
        ast.Member: eval_member,
        ast.Index: eval_index,
        ast.Slice: eval_slice,
        ast.Call: eval_call,
        ast.Unary: eval_unary,
        ast.Binary: eval_binary,
        ast.IsType: eval_is,
        ast.And: eval_and,
        ast.Or: eval_or,
        ast.Ternary: eval_ternary,
    }


def spine(node: ast.And | ast.Or, kind: type) -> list[ast.Expr]:
    """The operands of a left-nested chain of the same operator, leftmost first."""
    operands: list[ast.Expr] = [node.right]
    left: ast.Expr = node.left
    while left.__class__ is kind:
        operands.append(left.right)  # type: ignore[union-attr]
        left = left.left  # type: ignore[union-attr]
    operands.append(left)
    operands.reverse()
    return operands


def _not_bool(operator: str, value: Value) -> Value:
    if value.__class__ is RulesError:
        return value
    return RulesError(f"operator '{operator}' needs bool operands, got {type(value).__name__}")
